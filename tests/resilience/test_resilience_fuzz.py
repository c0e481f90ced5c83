"""Bounded fuzzing of whole archives through ``scan_path`` (the long run is ``bench/fuzz_long.py``).

Zip and tar files are built from generated member names (hostile ones included) and contents
(model-file heads included), then damaged by overwriting and cutting bytes.  Every input must
end in a result or ``UnusableInput``, within a hang guard, with nothing left in the work folder.
"""

from __future__ import annotations

import io
import re
import struct
import tarfile
import time
import warnings
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.core.intake.base import Limits, UnusableInput
from desktop.core.scan import ScanOptions, scan_path

CODE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
HEADS = [b"", b"GGUF\x03\x00\x00\x00" + struct.pack("<QQ", 1 << 60, 3), struct.pack("<Q", 1 << 63) + b"{",
         b"\x80\x04\x8c\x02os\x94\x8c\x06system\x94\x93.", b"cos\nsystem\n(S'x'\ntR.", b"%PDF-1.7\n",
         b"---\na: &a [1]\nb: [*a, *a]\n---\n", b"[" * 5000, b"PK\x03\x04", b"\x1f\x8b\x08"]
NAMES = st.one_of(
    st.sampled_from(["config.json", "README.md", "model.safetensors", "model.gguf", "pytorch_model.bin",
                     "doc.pdf", "../up.txt", "/abs.txt", "a\\b.txt", "inner.zip", "x.tar", "", ".",
                     "dir/", "data.pkl", "conf.yaml"]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40))
MEMBERS = st.lists(st.tuples(NAMES, st.sampled_from(HEADS), st.binary(max_size=300)), min_size=1, max_size=6)
DAMAGE = st.lists(st.tuples(st.floats(0, 1), st.binary(min_size=1, max_size=8)), max_size=4)
LIMITS = Limits(max_members=50, ratio_grace_bytes=1 << 20, max_spool_bytes=1 << 20)


def _member_name(name: str, n: int) -> str:
    """The writers cut a name at its first NUL; an empty result would crash zipfile itself."""
    return name.split("\x00", 1)[0] or f"m{n}"


def _zip(members: list[tuple[str, bytes, bytes]]) -> bytes:
    buf = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        warnings.simplefilter("ignore")          # duplicate names are one of the hostile cases
        for n, (name, head, tail) in enumerate(members):
            zf.writestr(_member_name(name, n), head + tail)
    return buf.getvalue()


def _tar(members: list[tuple[str, bytes, bytes]]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        for n, (name, head, tail) in enumerate(members):
            info = tarfile.TarInfo(_member_name(name, n))
            info.size = len(head + tail)
            tf.addfile(info, io.BytesIO(head + tail))
    return buf.getvalue()


def _damage(blob: bytes, edits: list[tuple[float, bytes]], cut: float) -> bytes:
    data = bytearray(blob)
    for where, patch in edits:
        at = int(where * max(len(data) - 1, 0))
        data[at: at + len(patch)] = patch
    return bytes(data[: max(1, int(len(data) * cut))])


def _check(path: Path, work: Path) -> None:
    started = time.monotonic()
    try:
        result = scan_path(path, options=ScanOptions(work_dir=work, limits=LIMITS, identify=False,
                                                     findings=False, workers=2))
    except UnusableInput as exc:
        reason = exc.reason
        assert reason
        return
    finally:
        assert time.monotonic() - started < 30, "hang guard"
        assert list(work.iterdir()) == [], "spooled files left behind"
    for problem in [*result.problems, *(p for f in result.files for p in f.problems)]:
        assert CODE.fullmatch(problem.code), problem
        assert problem.code != "reader-error" and not problem.code.endswith("-unreadable"), problem.message
        assert problem.message


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow,
                                                                                  HealthCheck.function_scoped_fixture])
@given(members=MEMBERS, kind=st.sampled_from(["zip", "tar.gz"]), edits=DAMAGE, cut=st.floats(0.5, 1.0))
def test_damaged_archives_end_in_a_result_or_a_clear_refusal(tmp_path: Path, members: list[tuple[str, bytes, bytes]],
                                                             kind: str, edits: list[tuple[float, bytes]],
                                                             cut: float) -> None:
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    blob = _zip(members) if kind == "zip" else _tar(members)
    path = tmp_path / f"delivery.{kind}"
    path.write_bytes(_damage(blob, edits, cut))
    _check(path, work)
