"""Find a phrase in a delivery: its file names (the inventory) and the texts kept from the scan."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from desktop.core.results import FileEntry

MAX_HITS = 500
SNIPPET_CHARS = 120


@dataclass(frozen=True)
class Hit:
    """One place ``query`` was found: a file ``name`` or a ``text`` line (1-based) of a file."""

    kind: str                # "name" | "text"
    path: str
    line: int | None
    snippet: str


def _snippet(line: str, at: int, length: int) -> str:
    start = max(0, at - SNIPPET_CHARS // 3)
    end = min(len(line), start + SNIPPET_CHARS)
    text = line[start:end].strip()
    return ("…" if start > 0 else "") + text + ("…" if end < len(line) else "")


def text_of(entry: FileEntry) -> str | None:
    """The text kept for a file (PDF pages joined), or None."""
    if entry.text is not None:
        return entry.text
    return "\n".join(entry.pages) if entry.pages else None


def find_in_delivery(files: Iterable[FileEntry], query: str, limit: int = MAX_HITS) -> list[Hit]:
    """File names containing ``query`` first, then each text line containing it (case ignored),
    in inventory order; at most ``limit`` hits."""
    needle = query.strip().casefold()
    if not needle:
        return []
    entries = list(files)
    hits = [Hit("name", f.path, None, f.path) for f in entries if needle in f.path.casefold()]
    for entry in entries:
        text = text_of(entry)
        if text is None or needle not in text.casefold():
            continue
        for number, line in enumerate(text.splitlines(), 1):
            at = line.casefold().find(needle)
            if at >= 0:
                hits.append(Hit("text", entry.path, number, _snippet(line, at, len(needle))))
                if len(hits) >= limit:
                    return hits
    return hits[:limit]
