"""Hand-made scan results and reviewer names shared by the store tests."""

from __future__ import annotations

from typing import Any

from desktop.core.results import FileEntry, ScanResult

ADA = "Ada Lovelace <ada@firm.example>"
BOB = "Bob Marley <bob@firm.example>"


def build_scan(files: dict[str, tuple[str, list[str]]] | None = None,
               findings: list[dict[str, Any]] | None = None,
               source: str = "/deliveries/acme-7b") -> ScanResult:
    """A ScanResult made by hand: ``files`` maps path -> (content tag, license keys)."""
    files = files if files is not None else {
        "LICENSE": ("apache text", ["apache-2.0"]),
        "model.safetensors": ("weights v1", []),
        "config.json": ("config v1", []),
    }
    entries = []
    for path, (tag, keys) in files.items():
        sha = (tag.encode().hex() + "0" * 64)[:64]
        entries.append(FileEntry(
            path=path, size=len(tag), sha256=sha,
            role="license" if keys else "other",
            licenses=[{"key": k, "spdx": k.upper(), "name": k, "score": 99.0, "coverage": 100.0,
                       "modified": False, "lines": [1, 10], "source": "scancode",
                       "status": "matched"} for k in keys]))
    return ScanResult(source_path=source, source_kind="folder", fingerprint="f" * 64,
                      files=entries, components=[], findings=findings or [])


def finding(check: str, level: str, summary: str) -> dict[str, Any]:
    """A scan finding in the scanner's shape."""
    return {"check": check, "level": level, "summary": summary, "facts": {"n": 1},
            "evidence": [{"path": "LICENSE", "lines": [3, 4], "quote": summary[:20]}]}
