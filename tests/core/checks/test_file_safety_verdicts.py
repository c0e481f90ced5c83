"""file_safety fails closed: safe needs every pickle parsed and allow-listed; unverified blocks."""

from __future__ import annotations

import collections
import pickle
from pathlib import Path
from typing import Any

import pytest

from desktop.core.checks.file_verdicts import Verdict, file_verdict
from desktop.core.results import FileEntry, Problem
from desktop.core.scan import ScanOptions, scan_path

TORCH_STATE = (b"\x80\x02ccollections\nOrderedDict\nq\x00)Rq\x01X\x01\x00\x00\x00w"
               b"ctorch._utils\n_rebuild_tensor_v2\n((X\x07\x00\x00\x00storagectorch\nFloatStorage\n"
               b"X\x01\x00\x00\x000X\x03\x00\x00\x00cpuK\x04tQK\x00K\x02\x85K\x01\x85\x89tRs.")


def _file_safety(tmp_path: Path, files: dict[str, bytes], policy: Path | None = None) -> dict[str, Any]:
    folder = tmp_path / "d"
    folder.mkdir()
    for name, blob in files.items():
        (folder / name).write_bytes(blob)
    (tmp_path / "work").mkdir()
    result = scan_path(folder, options=ScanOptions(work_dir=tmp_path / "work", identify=False, policy=policy))
    (found,) = [f for f in result.findings if f["check"] == "file_safety"]
    return found


@pytest.mark.parametrize(("blob", "reason"), [
    (TORCH_STATE[:-12], "broken"),                                       # truncated
    (TORCH_STATE + b"\n\x00garbage", "data after pickle 1"),            # trailing data
    (b"\x80\x02\x82\x01)R.", "extension registry"),                     # EXT1
])
def test_unverified_pickle_blocks_and_never_reads_as_safe(tmp_path: Path, blob: bytes, reason: str) -> None:
    found = _file_safety(tmp_path, {"pytorch_model.bin": blob})
    assert found["level"] == "block"
    assert found["facts"]["unverified_files"] == ["pytorch_model.bin"]
    assert "unverified" in found["summary"]
    assert "can run code" not in found["summary"] or "cannot run code" in found["summary"]
    (verdict,) = found["facts"]["verdicts"]
    assert verdict["verdict"] == "unverified"
    assert any(reason in r for r in verdict["reasons"])


def test_unverified_is_high_when_the_policy_accepts_it(tmp_path: Path) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text("name: lenient\nunverified_files_acceptable: true\n", encoding="utf-8")
    found = _file_safety(tmp_path, {"model.pkl": TORCH_STATE[:-12]}, policy)
    assert found["level"] == "high"


def test_allow_listed_torch_state_is_low_and_names_the_rule(tmp_path: Path) -> None:
    found = _file_safety(tmp_path, {"pytorch_model.bin": TORCH_STATE})
    assert found["level"] == "low"
    assert "fully parsed" in found["summary"]
    assert found["facts"]["verdicts"] == [{"path": "pytorch_model.bin", "verdict": "safe", "globals": [],
                                           "reasons": []}]


def test_global_off_the_allow_list_is_unsafe_with_its_name(tmp_path: Path) -> None:
    found = _file_safety(tmp_path, {"model.pkl": pickle.dumps(collections.Counter("ab"), protocol=2)})
    assert found["level"] == "block"
    assert found["facts"]["unsafe_files"] == ["model.pkl"]
    assert "collections.Counter" in found["summary"]


def test_a_pickle_file_without_a_recorded_verdict_is_unverified() -> None:
    entry = FileEntry("w.bin", 10, None, format="pickle",
                      problems=[Problem("size-limit", "w.bin: larger than the limit")])
    verdict = file_verdict(entry)
    assert verdict.verdict == Verdict.UNVERIFIED
    assert verdict.reasons == ("w.bin: larger than the limit",)
    assert file_verdict(FileEntry("m.safetensors", 1, "x", format="safetensors")).verdict == \
        Verdict.NOT_APPLICABLE


def test_plain_numpy_arrays_hold_no_pickle(tmp_path: Path) -> None:
    header = b"{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }"
    header += b" " * (63 - (len(header) + 10) % 64) + b"\n"
    blob = b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header + b"\0" * 4
    found = _file_safety(tmp_path, {"arr.npy": blob})
    assert found["level"] == "info"
    assert found["facts"]["verdicts"] == []
