"""Short license statements: SPDX-License-Identifier tags, "Licensed under ..." notices and the
other prose shapes of :mod:`desktop.core.licenses.statements`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from license_expression import ExpressionError, Licensing

from desktop.core.case_fold import lowered_in_place
from desktop.core.licenses.library import Library, Reference
from desktop.core.licenses.names import name_index
from desktop.core.licenses.statements import Unresolved, plain_prose, resolve_statement

_SPDX_TAG = re.compile(r"SPDX-License-Identifier\s*:\s*(?P<expr>[^\n\r*]{1,300})", re.IGNORECASE)
_NOTICE_VERBS = (
    r"licen[cs]ed|releas(?:ed|ing|es?)|distributed|made\s+available|available|provided|governed|covered|"
    r"published|offered|subject|falls?|adherence|adhere|bound|open[- ]sourced?|in\s+accordance"
)
_NOTICE = re.compile(
    r"\b(?P<verb>" + _NOTICE_VERBS + r")\s+"
    r"(?:\w+\s+){0,3}?(?P<prep>under|by|to|with)\s+(?:(?:the|a|an)\s+)?(?:(?:permissive|open[- ]source)\s+)?"
    r"(?:(?:terms|conditions)\s+(?:(?:and|&)\s+conditions\s+)?of\s+(?:the\s+)?)?"
    r"(?=(?P<name>[^\n;:()\[\]<>\"“”]{2,120}))", re.IGNORECASE)  # a lookahead: statements may overlap
# "By" names a license only after these verbs ("governed by the X License"); after the others it names
# an author ("released by Intel", "provided by NVIDIA"), never the terms.
_BY_TERMS = frozenset({"governed", "covered", "bound"})
# Where a notice can start: its verb in the lower-cased text (every start, overlapping ones too).
# Searching lower-case text case-sensitively is several times faster than the case-blind search.
_NOTICE_START = re.compile(r"(?=(?:" + _NOTICE_VERBS + r")\s)")
_NAME_END = re.compile(r"\.(?:\s|$)|,\s*(?:and|you|which|see|as|with|unless|except|or\s+the)\b|\s{2,}|$")
_LATER = re.compile(r"\b(?:or\s+(?:\(at\s+your\s+option\)\s+)?any\s+later\s+version|or[\s-]+later)\b",
                    re.IGNORECASE)
_GENERIC = frozenset({"license", "same license", "following license", "license agreement"})
# Other shapes: (pattern, strict).  Strict shapes accept only ids and exact versioned names.
_LABEL = re.compile(r"^[ \t>|#*+-]*licen[cs]es?[ \t]*:[ \t]*(?P<name>[^\n|]{1,200})", re.IGNORECASE | re.MULTILINE)
_WHERE_FOUND = r"(?:can\s+be\s+found|is\s+available|is\s+published)"
_FOUND_AT = re.compile(_WHERE_FOUND)  # a text without these words is not searched for the last shape
# The first four shapes start with their literal word and check the word boundary before it looking
# back ("licen(?<!\wlicen)" is "\blicen"): the regex engine then jumps from one occurrence of the
# word to the next instead of trying every position of the text (same matches, 10-30 times faster).
_SHAPES = (  # (pattern, mode): strict = ids and exact versioned names; named = no unknown names
    (re.compile(r"licen(?<!\wlicen)[cs]ed\s+(?:as\s+)?(?P<name>[A-Za-z][\w.+]*(?:-[\w.+]+)+)"), "strict"),
    (re.compile(r"[ia](?<!\w[ia])(?:(?<=i)s|(?<=a)re)\s+(?:licen[cs]ed\s+)?(?:under\s+)?(?:the\s+)?"
                r"(?P<name>[A-Z][^\n;:()<>\"“”]{1,80})"), "strict"),
    (re.compile(r"LICEN(?<!\wLICEN)[CS]E[\w.-]*\s*\((?P<name>[^()\n]{2,80})\)"), "named"),
    (re.compile(r"under(?<!\wunder)\s+(?:(?:the|a|an)\s+)?(?=(?P<name>[^\n;:()<>\"“”]{2,120}))"), "named"),
    (re.compile(r"^[ \t]*(?:\d+[.)]|[-*+])[ \t]+[\w.@/-]+[ \t]+[-–—:][ \t]+(?P<name>[^\n]{2,120})", re.MULTILINE),
     "named"),
    (re.compile(r"^[ \t]*[-*+][ \t]+(?P<name>[^:\n]{2,60}?licen[cs]e)[ \t]*:", re.IGNORECASE | re.MULTILINE), "named"),
    (re.compile(r"\b(?:[Tt]he\s+)?(?P<name>(?:[A-Z][\w.+-]*\s+){1,6}Licen[cs]e(?:\s+Agreement)?)\s+"
                + _WHERE_FOUND), "any"),
)
_REFER = re.compile(r"\brefer\s+to\s+(?:the\s+)?licen[cs]e\s*:?\s*(?P<name>https?://[^\s)>\]]+)", re.IGNORECASE)
# Case-blind searches are tried only on texts holding a word they need, lower-cased: none of these
# letters has another character that matches it case-blind (as "ſ" matches "s" and "ı" "i")
_REFER_WORD = "refer"
_SPDX_WORD = "pdx-l"
_LABEL_GENERIC = frozenset({"other", "unknown", "n/a", "na", "none", "tbd", "custom", "see", "see below",
                            "see license", "license"})
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
    unresolved: Unresolved | None = None  # a family without its version, or a name to identify


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def spdx_tags(library: Library, text: str) -> list[ShortForm]:
    """Every symbol of every SPDX-License-Identifier expression (AND/OR/WITH decomposed)."""
    index = name_index(library)
    found: list[ShortForm] = []
    if _SPDX_WORD not in text[:MAX_SCAN_CHARS].lower():
        return found
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


def _cut(phrase: str) -> str:
    end = _NAME_END.search(phrase)
    return phrase[:end.start()] if end else phrase


def _resolve_name(library: Library, phrase: str, tail: str, *, strict: bool = False
                  ) -> tuple[Reference | None, Unresolved | None, str]:
    phrase = _cut(phrase)
    words = phrase.split()[:12]
    for size in range(len(words), 0, -1):
        if " ".join(words[:size]).strip(" ,").lower() in _GENERIC:
            return None, None, " ".join(words[:size])
    ref, unresolved, written = resolve_statement(library, phrase, strict=strict)
    if ref is not None:
        plus = library.by_key.get(ref.key + "-plus")
        if plus is not None and _LATER.search(phrase + " " + tail):
            ref = plus
    return ref, unresolved, written


def _label_value(library: Library, value: str) -> tuple[Reference | None, Unresolved | None, str]:
    """A label field's value: a name at its start, else the first name inside it, else the value."""
    value = _cut(value.strip()).strip(" .")
    words = value.split()
    for start in range(min(len(words), 12)):
        ref, unresolved, written = resolve_statement(library, " ".join(words[start:]))
        if ref is not None or (unresolved is not None and (start == 0 or unresolved.family != "unknown")):
            return ref, unresolved, written
    short = value.lower().strip(" .")
    if words and len(words) <= 4 and short not in _LABEL_GENERIC and words[0][:1].isupper():
        return None, Unresolved("unknown", f"the license field says '{value}', which names no license "
                                           "in the library"), value
    return None, None, value


def notices(library: Library, text: str) -> list[ShortForm]:
    """License statements in prose whose name resolves to a key, a family or a name to identify."""
    found: list[ShortForm] = []
    scanned = plain_prose(text[:MAX_SCAN_CHARS])

    def add(match: re.Match[str], resolved: tuple[Reference | None, Unresolved | None, str]) -> None:
        ref, unresolved, written = resolved
        if ref is not None or unresolved is not None:
            start = scanned.find(written, match.start("name")) if written else -1
            start = start if start >= 0 else match.start("name")
            found.append(ShortForm(ref, "notice", _line_of(scanned, match.start()), written,
                                   start, start + len(written), unresolved))

    lowered = lowered_in_place(scanned)
    for notice in _notices_in(scanned, lowered):
        if notice.group("prep").lower() == "by" and notice.group("verb").lower() not in _BY_TERMS:
            continue  # who made or published it, not under what terms
        add(notice, _resolve_name(library, notice.group("name"), scanned[notice.end():notice.end() + 200]))
    for label in _LABEL.finditer(scanned):
        add(label, _label_value(library, label.group("name")))
    for pattern, mode in _SHAPES if _FOUND_AT.search(scanned) else _SHAPES[:-1]:
        for shape in pattern.finditer(scanned):
            resolved = _resolve_name(library, shape.group("name"), "", strict=mode == "strict")
            if mode == "named" and resolved[1] is not None and resolved[1].family == "unknown":
                continue
            add(shape, resolved)
    for refer in _REFER.finditer(scanned) if _REFER_WORD in (lowered or scanned.lower()) else ():
        url = refer.group("name").rstrip(".,;")
        add(refer, (None, Unresolved("unknown", f"the license is given only as a link: {url}"), url))
    return _one_per_line(found)


def _notices_in(text: str, lowered: str | None) -> Iterator[re.Match[str]]:
    """The matches of ``_NOTICE.finditer(text)``, tried only where a notice verb starts in ``lowered``
    (:func:`lowered_in_place` of ``text``)."""
    if lowered is None:
        yield from _NOTICE.finditer(text)  # lower-casing moved characters: no shortcut
        return
    resume = 0
    for start in _NOTICE_START.finditer(lowered):
        if start.start() < resume:
            continue
        found = _NOTICE.match(text, start.start())
        if found is not None:
            resume = found.end()
            yield found


def _one_per_line(found: list[ShortForm]) -> list[ShortForm]:
    """Named forms win over unresolved ones on the same words; repeats of one name collapse."""
    named = [(f.start, f.end) for f in found if f.ref is not None]
    kept: dict[tuple[int, str], ShortForm] = {}
    for form in found:  # the verb shapes come first and carry the fullest name
        if form.ref is None and any(a < form.end and form.start < b for a, b in named):
            continue
        what = form.ref.key if form.ref is not None else form.written.lower()
        kept.setdefault((form.line, what), form)
    return list(kept.values())
