"""The `aireview scan` contract: JSON document, readable summary, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "desktop", *args], capture_output=True, text=True,
                          timeout=300, cwd=cwd, env=os.environ.copy())


def test_scan_json_contract(sample_dir: Path) -> None:
    out = _run("scan", str(sample_dir), "--json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["schema"] == "aireview.scan/1"
    assert doc["source"] == {"path": str(sample_dir), "kind": "folder", "problems": []}
    assert set(doc) >= {"fingerprint", "files", "components", "findings", "stats"}
    assert set(doc["stats"]) == {"files", "bytes", "seconds"}
    entry = next(f for f in doc["files"] if f["path"] == "model.safetensors")
    assert set(entry) == {"path", "size", "sha256", "role", "format", "metadata", "licenses", "problems"}
    assert entry["role"] == "weights"
    assert all("\\" not in f["path"] for f in doc["files"])


def test_scan_text_summary(sample_dir: Path) -> None:
    out = _run("scan", str(sample_dir))
    assert out.returncode == 0, out.stderr
    assert "Fingerprint" in out.stdout
    assert "Components" in out.stdout


def test_unusable_input_exits_2_with_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    out = _run("scan", str(missing), "--json")
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1
    assert str(missing) in lines[0]
    assert out.stdout == ""


def test_corrupt_top_level_zip_is_unusable(tmp_path: Path) -> None:
    bad = tmp_path / "broken.zip"
    bad.write_bytes(b"PK\x03\x04 this is not really a zip")
    out = _run("scan", str(bad), "--json")
    assert out.returncode == 2
    assert "broken.zip" in out.stderr



_FREEZE_PROBE = """
import contextlib, gc, io, sys
from desktop.cli import main
as_program = sys.argv[2] == "program"
sys.argv = ["aireview", "scan", "--json", sys.argv[1]]
with contextlib.redirect_stdout(io.StringIO()) as out:
    code = main() if as_program else main(sys.argv[1:])
print(code, len(out.getvalue()) > 0, gc.get_freeze_count() > 0)
"""


def test_a_scan_run_as_the_program_leaves_the_final_collection_nothing_to_walk(sample_dir: Path) -> None:
    """The objects are frozen only when the scan is the program (main() reading sys.argv), so code
    that calls main() with arguments (tests, the window) keeps a normal collector."""
    def probe(how: str) -> list[str]:
        return subprocess.run([sys.executable, "-c", _FREEZE_PROBE, str(sample_dir), how], capture_output=True,
                              text=True, timeout=300, check=True).stdout.split()

    assert probe("program") == ["0", "True", "True"]
    assert probe("called") == ["0", "True", "False"]
