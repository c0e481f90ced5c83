"""Short license statements: SPDX-License-Identifier tags and "Licensed under ..." notices."""

from __future__ import annotations

import re
from dataclasses import dataclass

from license_expression import ExpressionError, Licensing

from desktop.core.licenses.library import Library, Reference
from desktop.core.licenses.names import name_index

_SPDX_TAG = re.compile(r"SPDX-License-Identifier\s*:\s*(?P<expr>[^\n\r*]{1,300})", re.IGNORECASE)
_NOTICE = re.compile(
    r"\b(?:licen[cs]ed|released|distributed|made\s+available|available|provided|governed|covered|"
    r"published|offered|subject)\s+(?:\w+\s+){0,2}?(?:under|by|to)\s+(?:the\s+)?"
    r"(?:(?:terms|conditions)\s+(?:(?:and|&)\s+conditions\s+)?of\s+(?:the\s+)?)?"
    r"(?P<name>[^\n;:()\[\]<>\"“”]{2,120})", re.IGNORECASE)
_NAME_END = re.compile(r"\.(?:\s|$)|,\s*(?:and|you|which|see|as|with|unless|except|or\s+the)\b|\s{2,}|$")
_LATER = re.compile(r"\b(?:or\s+(?:\(at\s+your\s+option\)\s+)?any\s+later\s+version|or[\s-]+later)\b",
                    re.IGNORECASE)
_GENERIC = frozenset({"license", "same license", "following license", "license agreement"})
_LICENSING = Licensing()
MAX_SCAN_CHARS = 2_000_000


@dataclass(frozen=True)
class ShortForm:
    """A license named by a tag or a notice: the reference, where, and what was written."""

    ref: Reference | None
    source: str  # spdx-tag | notice
    line: int
    written: str
    start: int  # character offsets in the scanned text
    end: int


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def spdx_tags(library: Library, text: str) -> list[ShortForm]:
    """Every symbol of every SPDX-License-Identifier expression (AND/OR/WITH decomposed)."""
    index = name_index(library)
    found: list[ShortForm] = []
    for tag in _SPDX_TAG.finditer(text[:MAX_SCAN_CHARS]):
        expr = tag.group("expr").strip().rstrip("*/-#>;\"'").strip()
        try:
            parsed = _LICENSING.parse(expr, validate=False)
            symbols = _LICENSING.license_symbols(parsed, unique=True, decompose=True) \
                if parsed is not None else []
        except (ExpressionError, TypeError, ValueError, AttributeError):
            symbols = []
        line = _line_of(text, tag.start())
        for symbol in symbols:
            ref = index.by_spdx(str(symbol.key))
            found.append(ShortForm(ref, "spdx-tag", line, str(symbol.key), tag.start(), tag.end()))
    return found


def _resolve_name(library: Library, phrase: str, tail: str) -> tuple[Reference | None, str]:
    index = name_index(library)
    end = _NAME_END.search(phrase)
    phrase = phrase[:end.start()] if end else phrase
    words = phrase.split()[:12]
    for size in range(len(words), 0, -1):
        candidate = " ".join(words[:size]).strip(" ,")
        if candidate.lower() in _GENERIC:
            return None, candidate
        ref = index.by_spdx(candidate) or index.by_name(candidate)
        if ref is not None:
            plus = library.by_key.get(ref.key + "-plus")
            if plus is not None and _LATER.search(phrase + " " + tail):
                ref = plus
            return ref, candidate
    return None, " ".join(words)


def notices(library: Library, text: str) -> list[ShortForm]:
    """"Licensed under the X" style statements whose X names a library license."""
    found: list[ShortForm] = []
    scanned = text[:MAX_SCAN_CHARS]
    for notice in _NOTICE.finditer(scanned):
        tail = scanned[notice.end():notice.end() + 200]
        ref, written = _resolve_name(library, notice.group("name"), tail)
        if ref is not None:
            found.append(ShortForm(ref, "notice", _line_of(scanned, notice.start()), written,
                                   notice.start(), notice.end()))
    return found
