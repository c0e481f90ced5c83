"""Hostile pickle deliveries (issue 16), each run through ``aireview scan --json`` in a fresh interpreter.

Every case must end with exit 0 or 2, strict JSON (no NaN/Infinity), no traceback, within the
hang guard and 1 GB of peak RSS, with nothing written outside the app's folders; every file
that would run code when loaded is reported ``unsafe`` with its global named, or
``unverified`` with its reason, and the default policy blocks the delivery either way.
The pickles are written opcode by opcode (``pickle_builders``): nothing here unpickles.
"""

from __future__ import annotations

import json
import struct
import sys
import zipfile
from pathlib import Path
from typing import Any

import pickle_builders as pb
import pytest
from resilience_support import Measured, Sandbox, run_measured

MEMORY_BOUND_MB = 1024
HANG_GUARD_S = 60.0
CASES = pb.cases()


def _refuse(constant: str) -> Any:
    raise ValueError(f"not strict JSON: {constant}")


def run_cli(sandbox: Sandbox, delivery: Path) -> tuple[dict[str, Any] | None, Measured]:
    """``aireview scan --json --no-licenses`` on ``delivery``, checked for everything but verdicts."""
    sandbox.start_watch()
    measured = run_measured([sys.executable, "-m", "desktop", "scan", "--json", "--no-licenses", str(delivery)],
                            env=sandbox.env, cwd=sandbox.cwd, timeout=HANG_GUARD_S)
    assert not measured.timed_out, f"scan of {delivery.name} still running after {HANG_GUARD_S} s"
    assert measured.returncode in (0, 2), (measured.returncode, measured.stderr[-2000:])
    assert "Traceback" not in measured.stderr, measured.stderr[-3000:]
    assert measured.peak_rss_mb < MEMORY_BOUND_MB, f"peak RSS {measured.peak_rss_mb:.0f} MB"
    sandbox.assert_contained()
    assert not list(Path("/tmp").glob(f"{sandbox.marker}*"))        # nothing was ever unpickled
    if measured.returncode == 2:
        assert measured.stdout.strip() == ""
        assert measured.stderr.startswith("aireview: ")
        return None, measured
    return json.loads(measured.stdout, parse_constant=_refuse), measured


def _file_safety(doc: dict[str, Any]) -> dict[str, Any]:
    (found,) = [f for f in doc["findings"] if f["check"] == "file_safety"]
    return found


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_pickle_is_unsafe_or_unverified_and_blocks(sandbox: Sandbox, case: pb.Case) -> None:
    delivery = pb.write_case(case, sandbox.input / "delivery", sandbox.marker)
    doc, _ = run_cli(sandbox, delivery)
    assert doc is not None
    safety = _file_safety(doc)
    assert safety["level"] == "block", safety["summary"]
    assert "No file in the delivery can run code" not in safety["summary"]
    verdicts = safety["facts"]["verdicts"]
    for expect in case.expect:
        mine = [v for v in verdicts if v["path"].startswith(expect.path)]
        assert mine, f"no verdict for {expect.path} in {verdicts}"
        assert any(v["verdict"] == expect.verdict for v in mine), mine
        said = [text for v in mine if v["verdict"] == expect.verdict for text in v["globals"] + v["reasons"]]
        assert any(expect.says in text for text in said), (expect.says, said)
        named = expect.path if expect.verdict == "unsafe" else None
        if named:
            assert any(p.startswith(expect.path) for p in safety["facts"]["unsafe_files"])
            assert expect.says in safety["summary"] or len(safety["facts"]["unsafe_files"]) > 1 or \
                any(expect.says in e["quote"] for e in safety["evidence"])
        else:
            assert any(p.startswith(expect.path) for p in safety["facts"]["unverified_files"])
            assert "unverified" in safety["summary"]


@pytest.mark.parametrize(("case_name", "code"), [
    ("zip-nul-in-name", "nul-in-name"), ("zip-unicode-path-field", "unicode-path-name"),
    ("zip-case-collision", "name-collision"), ("zip-unicode-normalisation-collision", "name-collision"),
    ("zip-duplicate-names", "duplicate-name"), ("tar-duplicate-names", "duplicate-name")])
def test_listing_and_extraction_differences_are_named(sandbox: Sandbox, case_name: str, code: str) -> None:
    (case,) = [c for c in CASES if c.name == case_name]
    doc, _ = run_cli(sandbox, pb.write_case(case, sandbox.input / "delivery", sandbox.marker))
    assert doc is not None
    assert code in {p["code"] for f in doc["files"] for p in f["problems"]}


def test_every_class_of_evasion_is_covered() -> None:
    kinds = {c.kind for c in CASES}
    assert kinds == {"allow-list", "detection", "parser", "numpy", "archive"}
    assert len(CASES) >= 60
    verdicts = {e.verdict for c in CASES for e in c.expect}
    assert verdicts == {"unsafe", "unverified"}


def test_an_allow_listed_torch_state_is_the_only_safe_answer(sandbox: Sandbox) -> None:
    folder = sandbox.input / "ok"
    folder.mkdir()
    (folder / "pytorch_model.bin").write_bytes(pb.torch_zip(pb.safe_state()))
    (folder / "legacy.bin").write_bytes(pb.safe_state())
    doc, _ = run_cli(sandbox, folder)
    assert doc is not None
    safety = _file_safety(doc)
    assert safety["level"] == "low"
    assert {v["verdict"] for v in safety["facts"]["verdicts"]} == {"safe"}


# -- robustness: each input used to crash or hang the scan ------------------------------------

def _tar_header(name: bytes, size_field: bytes, kind: bytes = b"0") -> bytes:
    block = bytearray(512)
    block[0:len(name)] = name
    block[100:108], block[108:116], block[116:124] = b"0000644\0", b"0000000\0", b"0000000\0"
    block[124:136] = size_field
    block[136:148] = b"00000000000\0"
    block[156:157] = kind
    block[257:265] = b"ustar\x0000"
    block[148:156] = b" " * 8
    block[148:156] = b"%06o\0 " % sum(block)
    return bytes(block)


def _base256_tar(path: Path) -> Path:
    path.write_bytes(_tar_header(b"w.bin", b"\x80" + (1 << 80).to_bytes(11, "big")) + b"\0" * 1024)
    return path


def _long_name_tar(path: Path) -> Path:
    path.write_bytes(_tar_header(b"././@LongLink", b"%011o\0" % (3 << 30), b"L") + b"x" * 512 + b"\0" * 1024)
    return path


def _many_members_zip(path: Path, count: int = 300_000) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        for i in range(count):
            zf.writestr(f"f{i}", b"")
    return path


def _gguf_empty_strings(path: Path, count: int = 33_554_432) -> Path:
    head = b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + struct.pack("<Q", 1) + b"a" + struct.pack("<IIQ", 9, 8, count)
    with open(path, "wb") as out:
        out.write(head)
        chunk = b"\0" * (8 << 20)
        left = 8 * count
        while left:
            out.write(chunk[:min(left, len(chunk))])
            left -= min(left, len(chunk))
    return path


def _card_and_non_finite(folder: Path) -> Path:
    folder.mkdir(parents=True)
    digits = "9f" * 2500
    (folder / "README.md").write_text(f"---\nlicense: 0x{digits}\nfoo: .inf\nbar: -.inf\nbaz: .nan\n---\n# m\n",
                                      encoding="utf-8")
    (folder / "config.json").write_text('{"model_type": "x", "a": NaN, "b": Infinity, "c": -Infinity}',
                                        encoding="utf-8")
    gguf = b"GGUF" + struct.pack("<IQQ", 3, 0, 2)
    for key, value in ((b"general.name", struct.pack("<If", 6, float("nan"))),
                       (b"general.version", struct.pack("<Id", 12, float("inf")))):
        gguf += struct.pack("<Q", len(key)) + key + value
    (folder / "model.gguf").write_bytes(gguf)
    return folder


def _docx_bomb(path: Path) -> Path:
    body = b"<w:p><w:r><w:t>a</w:t></w:r></w:p>" * 2_000_000            # ~70 MB of XML, ~100 KB zipped
    xml = (b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/'
           b'2006/main"><w:body>' + body + b"</w:body></w:document>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", xml)
    return path


def _big_headers(folder: Path) -> Path:
    folder.mkdir(parents=True)
    entries = ",".join(f'"t{i}": {{"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}' for i in range(400_000))
    header = ("{" + entries + "}").encode()
    (folder / "model.safetensors").write_bytes(struct.pack("<Q", len(header)) + header + b"\0" * 4)
    for i in range(3):
        (folder / f"part{i}" / "config.json").parent.mkdir()
        (folder / f"part{i}" / "config.json").write_text('{"a": [' + "1," * 9_000_000 + "1]}", encoding="utf-8")
    return folder


ROBUSTNESS = {
    "tar-base-256-size": (_base256_tar, "w.tar"),
    "tar-long-name-record": (_long_name_tar, "l.tar"),
    "card-and-non-finite-values": (_card_and_non_finite, "delivery"),
    "docx-expansion": (_docx_bomb, "terms.docx"),
    "huge-safetensors-header-and-configs": (_big_headers, "delivery"),
}
SLOW_ROBUSTNESS = {
    "zip-300000-members": (_many_members_zip, "many.zip"),
    "gguf-33.5M-empty-strings": (_gguf_empty_strings, "model.gguf"),
}


def _robust(sandbox: Sandbox, name: str, table: dict[str, Any]) -> dict[str, Any] | None:
    build, target = table[name]
    delivery = build(sandbox.input / target)
    doc, _ = run_cli(sandbox, delivery)
    return doc


def _codes(doc: dict[str, Any]) -> set[str]:
    return {p["code"] for f in doc["files"] for p in f["problems"]} | {p["code"] for p in doc["source"]["problems"]}


@pytest.mark.parametrize("name", list(ROBUSTNESS))
def test_robustness_inputs_end_with_a_problem(sandbox: Sandbox, name: str) -> None:
    doc = _robust(sandbox, name, ROBUSTNESS)
    if name.startswith("tar-"):
        # The whole delivery is damaged: a clear refusal (exit 2) or a corrupt-archive problem.
        assert doc is None or _codes(doc) & {"corrupt-archive", "truncated-archive"}
        return
    assert doc is not None
    if name == "card-and-non-finite-values":
        files = {f["path"]: f for f in doc["files"]}
        assert files["README.md"]["metadata"]["license"].startswith("0x9f9f")
        assert files["README.md"]["role"] == "model_card"
        assert _file_safety(doc)["level"] == "info"          # nothing here can run code
    elif name == "docx-expansion":
        assert "docx-broken" in _codes(doc)
    else:
        codes = _codes(doc)
        assert "safetensors-header" in codes
        assert "json-too-large" in codes


@pytest.mark.slow
@pytest.mark.parametrize("name", list(SLOW_ROBUSTNESS))
def test_slow_robustness_inputs_are_bounded(sandbox: Sandbox, name: str) -> None:
    doc = _robust(sandbox, name, SLOW_ROBUSTNESS)
    assert doc is not None
    codes = _codes(doc)
    if name.startswith("zip"):
        assert codes & {"too-many-members", "time-limit"}
        assert _file_safety(doc)["level"] == "block"        # members were never listed: unverified
    else:
        assert "gguf-corrupt" in codes
