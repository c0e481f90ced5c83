"""Read one reference-library file: YAML front matter between ``---`` lines, then the text.

ScanCode's LicenseDB ``*.LICENSE`` files and the firm library share this format.  Line
numbers used as evidence anywhere in the app are 1-based lines of :attr:`ReferenceFile.text`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class ReferenceFile:
    """The metadata and the text of one reference license."""

    meta: dict[str, Any]
    text: str

    @property
    def key(self) -> str:
        return str(self.meta.get("key", ""))

    def lines(self) -> list[str]:
        return self.text.split("\n")


def parse_reference(raw: str) -> ReferenceFile:
    """Split a reference file into front matter and text (CRLF folded, leading blank lines dropped)."""
    raw = raw.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    meta: dict[str, Any] = {}
    body = raw
    if raw.startswith("---\n"):
        end = raw.find("\n---\n", 3)
        if end != -1:
            loaded = yaml.safe_load(raw[4:end])
            meta = loaded if isinstance(loaded, dict) else {}
            body = raw[end + len("\n---\n"):]
    return ReferenceFile(meta=meta, text=body.lstrip("\n"))


def read_reference(path: Path) -> ReferenceFile:
    """Parse a ``.LICENSE`` file from disk (UTF-8)."""
    return parse_reference(path.read_text(encoding="utf-8", errors="replace"))
