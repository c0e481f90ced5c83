"""Qt-free look-ups behind the text viewer: a file's text, its clauses, its redline.

The clause extractor and the license matcher are the core's; this module only picks the
inputs (file text or PDF pages, a reference text from the library) and shapes the output.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.core.results import FileEntry

REFERENCE_PREFIX = "reference:"


@dataclass
class Document:
    """What the viewer shows: a title, the text or PDF pages, and what was found in it."""

    title: str
    text: str = ""
    pages: list[str] | None = None
    licenses: list[dict[str, Any]] = field(default_factory=list)
    clauses: list[Any] = field(default_factory=list)

    @property
    def page_count(self) -> int:
        return len(self.pages) if self.pages else 1

    def page_text(self, page: int) -> str:
        """The text of 1-based ``page`` (the whole text for a document without pages)."""
        if not self.pages:
            return self.text
        return self.pages[max(0, min(page, len(self.pages)) - 1)]


def document_for(entry: FileEntry) -> Document | None:
    """The viewer document of a scanned file, or None when the scan kept no text for it."""
    if entry.text is None and not entry.pages:
        return None
    from desktop.core.checks.clauses import extract_clauses

    clauses = extract_clauses(pages=entry.pages) if entry.pages else extract_clauses(entry.text or "")
    return Document(entry.path, entry.text or "", entry.pages, list(entry.licenses), clauses)


def library(cache_dir: Path | None = None, firm_dir: Path | None = None) -> Any:
    """The license reference library (cached on disk by the core after the first build)."""
    from desktop import paths
    from desktop.core.licenses import load_library

    return load_library(cache_dir or paths.cache_dir(), firm_dir)


def reference_document(key: str, lib: Any) -> Document | None:
    """The reference text of license ``key`` as a document, or None when the library lacks it."""
    from desktop.core.checks.clauses import extract_clauses
    from desktop.core.licenses import reference_text

    try:
        text = reference_text(lib, key)
    except KeyError:
        return None
    return Document(f"{REFERENCE_PREFIX}{key}", text, None, [], extract_clauses(text))


def redlines(entry: FileEntry, lib: Any) -> list[dict[str, Any]]:
    """For each modified license text in the file: key, name, lines and the word differences."""
    from desktop.core.licenses import identify_text

    if entry.text is None and not entry.pages:
        return []
    found = identify_text(entry.text or "", lib, pages=entry.pages)
    return [{"key": m.key, "name": m.name, "lines": m.lines, "pages": m.pages,
             "differences": list(m.differences)}
            for m in found if m.modified and m.differences]


def evidence_target(evidence: dict[str, Any]) -> tuple[str, tuple[int, int] | None, int | None]:
    """(path, line span, page) of one evidence item of a finding or answer."""
    lines = evidence.get("lines")
    span = (int(lines[0]), int(lines[1])) if isinstance(lines, list | tuple) and len(lines) == 2 else None
    pages = evidence.get("pages") or evidence.get("page")
    page = None
    if isinstance(pages, list | tuple) and pages:
        page = int(pages[0])
    elif isinstance(pages, int):
        page = pages
    return str(evidence.get("path") or ""), span, page
