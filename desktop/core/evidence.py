"""Evidence that cannot lie: a quote is either found in the cited lines of a delivered text, or labelled.

Every finding cites :class:`Evidence`.  :meth:`Evidence.found` refuses a quote that is not inside the
cited span of the delivered text (whitespace and case normalised); quotes from the reference library
are made with :meth:`Evidence.reference` and carry ``origin: reference`` wherever they are shown;
what the scanner itself observed about a file (a metadata field, an unsafe opcode) is
:meth:`Evidence.observed` and carries no quote.
"""

from __future__ import annotations

import bisect
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any

from desktop.core.char_table import translated

_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"})


class Origin(StrEnum):
    """Where a piece of evidence comes from."""

    DELIVERED = "delivered"    # a quote found in the cited lines/pages of a delivered file
    REFERENCE = "reference"    # a quote from the reference library's copy of a license (path "reference:KEY")
    SCAN = "scan"              # what the scanner read from the file (metadata, structure): not a quote


_JSON_FIELDS = frozenset({"path", "lines", "pages", "quote", "origin", "note"})


class EvidenceMismatch(ValueError):
    """A quote is not inside the cited span of the cited delivered text."""

    def __init__(self, path: str, span: tuple[int, int] | None, quote: str) -> None:
        super().__init__(f"{quote[:80]!r} is not in {path} {span}")
        self.path, self.span, self.quote = path, span, quote


def normalise(text: str) -> str:
    """Text compared for evidence: runs of whitespace as one space, curly quotes straight, lower case."""
    return " ".join(translated(text, _QUOTES).split()).lower()  # str.split and re's \s agree on white space


def normalised_text(text: str) -> str:
    """:func:`normalise` of a whole page or file, cached (every quote of a file is checked against it)."""
    return _NORMALISED.get(text)


class _NormalisedTexts:
    """The normalised forms of recent texts, bounded by their total length (a review cites every page
    of a delivery's PDFs, so a count of texts would either thrash or hold too much)."""

    LIMIT = 16_000_000  # characters

    def __init__(self) -> None:
        self._items: OrderedDict[str, str] = OrderedDict()
        self._chars = 0
        self._lock = threading.Lock()

    def get(self, text: str) -> str:
        with self._lock:
            found = self._items.get(text)
            if found is not None:
                self._items.move_to_end(text)
                return found
        found = normalise(text)
        if len(text) + len(found) > self.LIMIT:
            return found
        with self._lock:
            if text not in self._items:
                self._items[text] = found
                self._chars += len(text) + len(found)
                while self._chars > self.LIMIT:
                    old, normal = self._items.popitem(last=False)
                    self._chars -= len(old) + len(normal)
        return found


_NORMALISED = _NormalisedTexts()


def lines_of(text: str, span: tuple[int, int]) -> str:
    """Lines ``span`` (1-based, inclusive) of ``text``."""
    first, last = span
    return "\n".join(_lines(text)[first - 1:last])


@lru_cache(maxsize=16)
def _lines(text: str) -> tuple[str, ...]:
    """The lines of ``text`` (cached: one file is cited by many facts)."""
    return tuple(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))


@dataclass(frozen=True)
class Evidence:
    """One cited piece of evidence; make it with :meth:`found`, :meth:`on_page`, :meth:`reference` or
    :meth:`observed` so that the quote is checked where the object is made."""

    path: str                          # the delivered file, or "reference:KEY" when origin is REFERENCE
    lines: tuple[int, int] | None
    quote: str
    origin: Origin
    pages: tuple[int, int] | None = None
    note: str = ""                     # what the scanner observed (origin SCAN), or why a quote was dropped
    about: tuple[tuple[str, Any], ...] = ()   # extra labels shown with it (source, license)

    @classmethod
    def found(cls, path: str, text: str, span: tuple[int, int], quote: str) -> Evidence:
        """Evidence in a delivered text; refuses a quote that is not inside the cited lines."""
        if not quote.strip() or normalise(quote) not in normalise(lines_of(text, span)):
            raise EvidenceMismatch(path, span, quote)
        return cls(path, (span[0], span[1]), quote, Origin.DELIVERED)

    @classmethod
    def on_page(cls, path: str, pages: list[str], page: int, quote: str) -> Evidence:
        """Evidence on one page of a delivered PDF; refuses a quote that is not on that page (or the next,
        for a quote running over the page break)."""
        text = "\n".join(pages[page - 1:page + 1]) if 0 < page <= len(pages) else ""
        if not quote.strip() or normalise(quote) not in normalised_text(text):
            raise EvidenceMismatch(path, (page, page), quote)
        return cls(path, None, quote, Origin.DELIVERED, pages=(page, page))

    @classmethod
    def reference(cls, key: str, lines: tuple[int, int] | None, quote: str) -> Evidence:
        """A quote from the reference library's text of ``key`` (not from the delivery)."""
        return cls(f"reference:{key}", lines, quote, Origin.REFERENCE)

    @classmethod
    def observed(cls, path: str, note: str) -> Evidence:
        """What the scanner read about a delivered file; carries no quote."""
        return cls(path, None, "", Origin.SCAN, note=note)

    @classmethod
    def from_json(cls, item: Mapping[str, Any]) -> Evidence:
        """Evidence from its scan-JSON form (as the store and the scan JSON keep it), unchecked:
        the quote was checked against the file when the evidence was first made."""
        try:
            origin = Origin(str(item.get("origin") or "delivered"))
        except ValueError:
            origin = Origin.SCAN
        lines, pages = item.get("lines"), item.get("pages")
        span = tuple(lines[:2]) if isinstance(lines, list | tuple) and len(lines) >= 2 else None
        paged = tuple(pages[:2]) if isinstance(pages, list | tuple) and len(pages) >= 2 else None
        about = tuple((str(k), v if not isinstance(v, list) else tuple(v)) for k, v in item.items()
                      if k not in _JSON_FIELDS)
        quote = str(item.get("quote") or "")
        note = str(item.get("note") or "")
        if origin is Origin.SCAN:
            return cls(str(item.get("path") or ""), span, "", origin, paged, note or quote, about)
        return cls(str(item.get("path") or ""), span, quote, origin, paged, note, about)

    def to_json(self) -> dict[str, Any]:
        """The scan-JSON form: path, lines or pages, quote, origin (and note when there is one)."""
        item: dict[str, Any] = {"path": self.path}
        if self.pages is not None:
            item["pages"] = list(self.pages)
        elif self.lines is not None:
            item["lines"] = list(self.lines)
        # what the scanner read stays in "quote" as before; ``origin: scan`` says it is not the file's words
        item["quote"] = self.note if self.origin is Origin.SCAN else self.quote
        item["origin"] = str(self.origin)
        if self.note:
            item["note"] = self.note
        item.update(dict(self.about))
        return item


def locate(text: str, quote: str, within: tuple[int, int] | None = None) -> tuple[int, int] | None:
    """The first line span of ``text`` (inside ``within`` when given) holding ``quote``, normalised."""
    wanted = normalise(quote)
    if not wanted:
        return None
    joined, starts = _flattened(text)
    first, last = within if within else (1, len(starts))
    first, last = max(1, first), min(len(starts), last)
    if first > last:
        return None
    begin = starts[first - 1]
    end = starts[last] - 1 if last < len(starts) else len(joined)
    at = joined.find(wanted, begin, end)
    if at < 0:
        return None
    a = bisect.bisect_right(starts, at) - 1
    b = bisect.bisect_right(starts, at + len(wanted) - 1) - 1
    return a + 1, max(a, b) + 1


@lru_cache(maxsize=16)
def _flattened(text: str) -> tuple[str, list[int]]:
    """The normalised lines of ``text`` joined by one space, and where each starts (cached per text)."""
    flat, starts, pos = [], [], 0
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        piece = normalise(line)
        starts.append(pos)
        flat.append(piece)
        pos += len(piece) + 1
    return " ".join(flat), starts
