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
