"""Clause evidence extractor: the risk-relevant clauses of any license text, with line/page spans.

Works on known, modified and unknown texts alike.  The text is cut into sentences, each
sentence that holds one of a rule's trigger words is tried against that rule of
:mod:`desktop.core.checks.clause_rules`, and every hit becomes a :class:`Clause` carrying a
normalised value, the 1-based line span of its quote and, when the text came as pages, the
page.  Trigger words are looked up once in the whole lower-cased text (not searched for per
sentence per rule), and results are kept per text content (:data:`CACHE_TEXTS`), so the same
file delivered twice, or shown again in the detail pane, is read once.  Input is capped
(:data:`MAX_CHARS`), sentences are capped (:data:`MAX_SENTENCE`) and all patterns are linear,
so hostile input cannot hang it.
"""

from __future__ import annotations

import copy
import hashlib
import re
import threading
from bisect import bisect_right
from collections import OrderedDict
from itertools import accumulate, count
from operator import add
from dataclasses import dataclass, replace
from typing import Any

from desktop.core.checks.clause_rules import RULES

MAX_CHARS = 500_000            # longer texts are cut here; real licenses are far shorter
MAX_SENTENCE = 2_000           # longer runs without a sentence end are cut into pieces
MAX_QUOTE = 300
MAX_CLAUSES = 2_000
CACHE_TEXTS = 256              # texts whose clauses are kept ...
CACHE_CLAUSES = 20_000         # ... holding at most this many clauses in all

KINDS = tuple(rule.kind for rule in RULES)
_ANY_TRIGGER = re.compile(
    "|".join(sorted({re.escape(t) for rule in RULES for t in rule.triggers})), re.IGNORECASE
)
# Each trigger word with the indexes of the rules it opens, derived from RULES at import.
_TRIGGERS: dict[str, tuple[int, ...]] = {}
for _index, _rule in enumerate(RULES):
    for _trigger in dict.fromkeys(_rule.triggers):
        _TRIGGERS[_trigger] = (*_TRIGGERS.get(_trigger, ()), _index)
# What the text is searched for: triggers sharing their first four characters ("not use", "not
# granted" ...) are found with one search for those, each trigger then checked where it was found.
_SEARCHES: dict[str, tuple[str, ...]] = {}
for _trigger in _TRIGGERS:
    _SEARCHES[_trigger[:4]] = (*_SEARCHES.get(_trigger[:4], ()), _trigger)
_SEARCHES = {(start if len(triggers) > 1 else triggers[0]): triggers for start, triggers in _SEARCHES.items()}
# Lower-casing the whole text lower-cases each sentence alike when the length does not change,
# except for the Greek sigma (its lower case depends on the next letter): a trigger holding a sigma
# (or a text whose lower-casing changes its length) makes the extractor lower-case sentence by sentence.
_WHOLE_TEXT_TRIGGERS = not any(sigma in trigger for trigger in _TRIGGERS for sigma in "σςΣ")
_MIN_SENTENCE = 12             # no clause fits in fewer characters

# A sentence ends at . ! ? ; followed by space and a non-lower-case character, at a blank line,
# at a colon ending a line, or before a line that starts with an enumerator ("a.", "(ii)", "3.1").
# Every end starts at one of the characters . ! ? ; : or a newline, so the pattern begins with that
# class (the regex engine then skips other characters without trying the branches) and each branch
# checks, looking back, which character it was.  In the first branch the look-ahead runs before the
# look-behinds, which check the word before the punctuation (their last "." is the punctuation itself).
_BOUNDARY = re.compile(
    r"[.!?;:\n]"
    r"(?:(?<=[.!?;])(?=\s{1,20}[^\sa-z])(?<!\bInc.)(?<!\bLtd.)(?<!\bCo.)(?<!\bCorp.)(?<!\bNo.)(?<!\bS.)"
    r"(?<!\be\.g.)(?<!\bi\.e.)(?<!\bvs.)(?<!\bSt.)(?<!\bDr.)(?<!\bMr.)(?<!\bSec.)(?<!\bArt.)"
    r"|(?<=\n)[ \t]{0,40}\n"
    r"|(?<=:)[ \t]{0,40}(?=\n)"
    r"|(?<=\n)(?=[ \t]{0,40}\(?(?:[a-z]|\d{1,3}(?:\.\d{1,3}){0,3}|[ivxIVX]{1,5})[.)][ \t]))"
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
        piece = text[begin:end]
        kept = piece.strip()       # str.strip() takes off what str.isspace() calls white space
        if kept:
            begin += len(piece) - len(piece.lstrip())
            trimmed.append((begin, begin + len(kept)))
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
        # the k-th newline (from 0) follows k + 1 lines and k newlines
        self._newlines = list(map(add, accumulate(map(len, text.split("\n")[:-1])), count()))
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


CLAUSE_ROLES = frozenset({"license", "agreement", "notice", "model_card"})  # the texts whose clauses count


def entry_clauses(entry: Any) -> list[Clause] | None:
    """The clauses of a scanned file (a ``FileEntry``) whose role carries terms and whose text was
    kept; None for any other file."""
    if entry.role not in CLAUSE_ROLES or not (entry.text or entry.pages):
        return None
    return extract_clauses(entry.text if entry.pages is None else None, pages=entry.pages)


def extract_clauses(text: str | None = None, *, pages: list[str] | None = None) -> list[Clause]:
    """Find governing law, venue, thresholds, use limits, AUP, output, naming, attribution,
    litigation-termination, territory and export-control clauses in a text or in PDF pages.

    Line spans are 1-based and inclusive.  With ``pages`` the page is 1-based and the lines
    count from the first line of that page (a quote running onto the next page keeps counting).
    The same content gives the same clauses; recent results are reused (a fresh list each call).
    """
    if pages is None and not text:
        return []
    key = _content_key(text, pages)
    cached = _CACHE.get(key)
    if cached is None:
        cached = tuple(_extract(text, pages))
        _CACHE.put(key, cached)
    return [c if isinstance(c.value, _IMMUTABLE) else replace(c, value=copy.deepcopy(c.value)) for c in cached]


def _extract(text: str | None, pages: list[str] | None) -> list[Clause]:
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
    for s_start, s_end, rule_indexes in _candidates(text):
        sentence = text[s_start:s_end]
        for index in rule_indexes:
            rule = RULES[index]
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


def _candidates(text: str) -> list[tuple[int, int, list[int]]]:
    """(start, end, indexes of the rules to try) of each sentence holding a rule's trigger word.

    A rule is tried on a sentence when one of its triggers is in the lower-cased sentence and
    the sentence matches ``_ANY_TRIGGER`` (case-insensitively).  A trigger found where the text
    itself is ASCII, or is the trigger as written, proves the second test; only sentences whose
    triggers all came from other characters (the Kelvin sign lower-cases to "k") are searched.
    """
    sentences = [span for span in _sentences(text) if span[1] - span[0] >= _MIN_SENTENCE]
    lowered = text.lower()
    if not _WHOLE_TEXT_TRIGGERS or len(lowered) != len(text):
        return _candidates_by_sentence(text, sentences)
    starts = [start for start, _end in sentences]
    marked: dict[int, set[int]] = {}
    proven: set[int] = set()
    ascii_text = text.isascii()
    for search, triggers in _SEARCHES.items():
        shared = len(triggers) > 1
        at = lowered.find(search)
        while at != -1:
            for trigger in triggers:
                if shared and not lowered.startswith(trigger, at):
                    continue
                size = len(trigger)
                n = bisect_right(starts, at) - 1
                if n >= 0 and at + size <= sentences[n][1]:
                    marked.setdefault(n, set()).update(_TRIGGERS[trigger])
                    if ascii_text or text[at:at + size].isascii() or text.startswith(trigger, at):
                        proven.add(n)
            at = lowered.find(search, at + 1)
    out = []
    for n in sorted(marked):
        start, end = sentences[n]
        if n in proven or _ANY_TRIGGER.search(text, start, end):
            out.append((start, end, sorted(marked[n])))
    return out


def _candidates_by_sentence(text: str, sentences: list[tuple[int, int]]) -> list[tuple[int, int, list[int]]]:
    """:func:`_candidates` lower-casing each sentence on its own."""
    out = []
    for start, end in sentences:
        sentence = text[start:end]
        if not _ANY_TRIGGER.search(sentence):
            continue
        lowered = sentence.lower()
        rules = [i for i, rule in enumerate(RULES) if any(trigger in lowered for trigger in rule.triggers)]
        if rules:
            out.append((start, end, rules))
    return out


def _content_key(text: str | None, pages: list[str] | None) -> bytes:
    """A digest of the input, pages kept apart (the same file gives the same key)."""
    digest = hashlib.blake2b(digest_size=20)
    if pages is None:
        digest.update(b"T" + (text or "").encode("utf-8", "surrogatepass"))
    else:
        for page in pages:
            data = page.encode("utf-8", "surrogatepass")
            digest.update(b"P%d:" % len(data) + data)
    return digest.digest()


class _Cache:
    """The clauses of recent texts, bounded in texts and in clauses; safe across scan threads."""

    def __init__(self) -> None:
        self._items: OrderedDict[bytes, tuple[Clause, ...]] = OrderedDict()
        self._clauses = 0
        self._lock = threading.Lock()

    def get(self, key: bytes) -> tuple[Clause, ...] | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: bytes, clauses: tuple[Clause, ...]) -> None:
        if len(clauses) > CACHE_CLAUSES:
            return
        with self._lock:
            if key in self._items:
                return
            self._items[key] = clauses
            self._clauses += len(clauses)
            while len(self._items) > CACHE_TEXTS or self._clauses > CACHE_CLAUSES:
                _key, dropped = self._items.popitem(last=False)
                self._clauses -= len(dropped)


_CACHE = _Cache()
_IMMUTABLE = (str, int, float, bool, type(None))   # other values (dicts) are copied for each caller


def clauses_to_json(clauses: list[Clause]) -> list[dict[str, Any]]:
    """Plain JSON-ready dicts for a list of clauses (lines as a two-item list)."""
    return [
        {"kind": c.kind, "value": c.value, "lines": list(c.lines), "page": c.page, "quote": c.quote}
        for c in clauses
    ]
