"""Clause evidence extractor: the risk-relevant clauses of any license text, with line/page spans.

Works on known, modified and unknown texts alike.  The text is cut into sentences, each
sentence is tried against the rules of :mod:`desktop.core.checks.clause_rules`, and every hit
becomes a :class:`Clause` carrying a normalised value, the 1-based line span of its quote and,
when the text came as pages, the page.  Input is capped (:data:`MAX_CHARS`), sentences are
capped (:data:`MAX_SENTENCE`) and all patterns are linear, so hostile input cannot hang it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

from desktop.core.checks.clause_rules import RULES

MAX_CHARS = 500_000            # longer texts are cut here; real licenses are far shorter
MAX_SENTENCE = 2_000           # longer runs without a sentence end are cut into pieces
MAX_QUOTE = 300
MAX_CLAUSES = 2_000

KINDS = tuple(rule.kind for rule in RULES)
_ANY_TRIGGER = re.compile(
    "|".join(sorted({re.escape(t) for rule in RULES for t in rule.triggers})), re.IGNORECASE
)
_MIN_SENTENCE = 12             # no clause fits in fewer characters

# A sentence ends at . ! ? ; followed by space and a non-lower-case character, at a blank line,
# at a colon ending a line, or before a line that starts with an enumerator ("a.", "(ii)", "3.1").
_BOUNDARY = re.compile(
    r"(?<!\bInc)(?<!\bLtd)(?<!\bCo)(?<!\bCorp)(?<!\bNo)(?<!\bS)(?<!\be\.g)(?<!\bi\.e)(?<!\bvs)(?<!\bSt)"
    r"(?<!\bDr)(?<!\bMr)(?<!\bSec)(?<!\bArt)[.!?;](?=\s{1,20}[^\sa-z])"
    r"|\n[ \t]{0,40}\n"
    r"|:[ \t]{0,40}(?=\n)"
    r"|\n(?=[ \t]{0,40}\(?(?:[a-z]|\d{1,3}(?:\.\d{1,3}){0,3}|[ivxIVX]{1,5})[.)][ \t])"
)


@dataclass(frozen=True)
class Clause:
    """One extracted clause: what kind, its normalised value and where it was found."""

    kind: str
    value: Any
    lines: tuple[int, int]
    page: int | None
    quote: str


def _sentences(text: str) -> list[tuple[int, int]]:
    """Spans (start, end) of the sentences of ``text``, each at most MAX_SENTENCE characters."""
    spans: list[tuple[int, int]] = []
    start = 0
    ends = [m.end() for m in _BOUNDARY.finditer(text)] + [len(text)]
    for end in ends:
        while end - start > MAX_SENTENCE:
            cut = text.rfind(" ", start + MAX_SENTENCE // 2, start + MAX_SENTENCE)
            cut = cut if cut > start else start + MAX_SENTENCE
            spans.append((start, cut))
            start = cut
        if end > start:
            spans.append((start, end))
        start = max(start, end)
    trimmed = []
    for begin, end in spans:
        while begin < end and text[begin].isspace():
            begin += 1
        while end > begin and text[end - 1].isspace():
            end -= 1
        if end > begin:
            trimmed.append((begin, end))
    return trimmed


def _quote_window(text: str, sentence: tuple[int, int], hit: tuple[int, int]) -> tuple[int, int]:
    """The part of the sentence to quote: the whole sentence, or <= MAX_QUOTE chars around the hit."""
    s_start, s_end = sentence
    if s_end - s_start <= MAX_QUOTE:
        return s_start, s_end
    h_start, h_end = hit
    if h_end - s_start <= MAX_QUOTE:
        start = s_start
    else:
        start = max(s_start, h_start - max(0, (MAX_QUOTE - (h_end - h_start)) // 2))
    end = min(s_end, start + MAX_QUOTE)
    if start > s_start:
        space = text.find(" ", start, min(h_start, end))
        start = space + 1 if space != -1 else start
    if end < s_end:
        space = text.rfind(" ", max(h_end, start), end)
        end = space if space > start else end
    return start, end


class _Locator:
    """Maps character offsets of the joined text to (page, line) numbers."""

    def __init__(self, text: str, page_starts: list[int] | None) -> None:
        self._newlines = [m.start() for m in re.finditer("\n", text)]
        self._page_starts = page_starts

    def _line_of(self, offset: int) -> int:
        return bisect_right(self._newlines, offset - 1) + 1

    def locate(self, start: int, end: int) -> tuple[int | None, tuple[int, int]]:
        first, last = self._line_of(start), self._line_of(max(start, end - 1))
        if self._page_starts is None:
            return None, (first, last)
        page = bisect_right(self._page_starts, start)
        base = self._line_of(self._page_starts[page - 1]) - 1
        return page, (first - base, last - base)


def extract_clauses(text: str | None = None, *, pages: list[str] | None = None) -> list[Clause]:
    """Find governing law, venue, thresholds, use limits, AUP, output, naming, attribution,
    litigation-termination, territory and export-control clauses in a text or in PDF pages.

    Line spans are 1-based and inclusive.  With ``pages`` the page is 1-based and the lines
    count from the first line of that page (a quote running onto the next page keeps counting).
    """
    page_starts: list[int] | None = None
    if pages is not None:
        parts, page_starts, offset = [], [], 0
        for page_text in pages:
            page_text = page_text.replace("\r\n", "\n").replace("\r", "\n")
            page_starts.append(offset)
            parts.append(page_text)
            offset += len(page_text) + 1
        text = "\n".join(parts)
    if not text:
        return []
    text = text.replace("\r\n", "\n").replace("\r", "\n")[:MAX_CHARS]
    locator = _Locator(text, page_starts)
    clauses: list[Clause] = []
    seen: set[tuple[str, str, str]] = set()
    for s_start, s_end in _sentences(text):
        if s_end - s_start < _MIN_SENTENCE:
            continue
        sentence = text[s_start:s_end]
        if not _ANY_TRIGGER.search(sentence):
            continue
        lowered = sentence.lower()
        for rule in RULES:
            if not any(trigger in lowered for trigger in rule.triggers):
                continue
            for value, h_start, h_end in rule.find(sentence):
                q_start, q_end = _quote_window(text, (s_start, s_end), (s_start + h_start, s_start + h_end))
                quote = " ".join(text[q_start:q_end].split())
                key = (rule.kind, repr(value), quote)
                if key in seen:
                    continue
                seen.add(key)
                page, lines = locator.locate(q_start, q_end)
                clauses.append(Clause(rule.kind, value, lines, page, quote))
                if len(clauses) >= MAX_CLAUSES:
                    return clauses
    return clauses


def clauses_to_json(clauses: list[Clause]) -> list[dict]:
    """Plain JSON-ready dicts for a list of clauses (lines as a two-item list)."""
    return [
        {"kind": c.kind, "value": c.value, "lines": list(c.lines), "page": c.page, "quote": c.quote}
        for c in clauses
    ]
