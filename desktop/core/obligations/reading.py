"""Small readings of a delivered text around a cited clause: when a threshold is measured, what
happens when it is crossed, and clauses the rules do not report (registration, marking modified
files, passing use restrictions on).  Every reading comes back as grounded evidence or not at all.
"""

from __future__ import annotations

import re
from typing import Any

from desktop.core.evidence import Evidence, EvidenceMismatch, lines_of, locate

_I = re.IGNORECASE
MEASURED = re.compile(
    r"\bon\s+the\s+[\w\s.\-]{0,40}?release\s+date\b"
    r"|\bin\s+the\s+(?:preceding|previous|last|prior)\s+(?:\w+\s+){0,2}?(?:calendar\s+month|month|"
    r"calendar\s+year|fiscal\s+year|year|twelve\s+\(?12\)?\s+months|12\s+months)s?\b"
    r"|\b(?:per|each|in\s+any)\s+(?:calendar\s+)?(?:month|year)\b", _I)
CROSSED = re.compile(
    r"\b(?:you\s+)?(?:must|shall)\s+(?:first\s+)?(?:request|obtain|apply\s+for|seek|contact|notify)\b[^.;]{0,300}"
    r"|\b(?:you\s+)?(?:are|is|will\s+be)\s+not\s+(?:authori[sz]ed|permitted|licensed|granted)\b[^.;]{0,300}"
    r"|\bthis\s+(?:license|agreement)\s+(?:will\s+|shall\s+)?terminat\w*[^.;]{0,100}", _I)
NOTICE_WORDS = re.compile(r"\b(?:following|this)\s+notice\s*:?\s*[\"\u201c](?P<t>[^\"\u201d]{10,300})[\"\u201d]", _I)
MODIFIED = re.compile(
    r"\bmodified\s+files\s+to\s+carry\s+prominent\s+notices[^.;]{0,80}"
    r"|\bprominent\s+notices?\s+stating\s+that\s+you\s+(?:have\s+)?(?:changed|modified)[^.;]{0,80}"
    r"|\bindicate\s+if\s+changes\s+were\s+made\b", _I)
REGISTRATION = re.compile(
    r"\b(?:register|registration)\b[^.;]{0,160}?\bcommercial\w*\b[^.;]{0,60}"
    r"|\bcommercial\w*\b[^.;]{0,160}?\b(?:register|registration)\b[^.;]{0,60}"
    r"|\bapply\s+(?:to\s+[\w\s]{1,30}?\s+)?for\s+a\s+commercial\s+licen[cs]e\b[^.;]{0,80}", _I)
FLOW_DOWN = (   # tried in order: the clearest wording of a duty to pass use restrictions on first
    re.compile(r"\b(?:use-based\s+restrictions|use\s+restrictions)\b[^.;]{0,120}?\benforceable\s+provision\b"
               r"[^.;]{0,160}", _I),
    re.compile(r"\b(?:include|incorporate|pass\s+on)\b[^.;]{0,100}?\b(?:use\s+restrictions|use-based\s+"
               r"restrictions|acceptable\s+use\s+polic\w+|these\s+restrictions)\b[^.;]{0,160}", _I),
    re.compile(r"\b(?:notify|inform)\b[^.;]{0,60}?\b(?:subsequent|downstream)\s+users?\b[^.;]{0,80}", _I),
)


def grounded(path: str, text: str, quote: str, within: tuple[int, int] | None = None) -> dict[str, Any] | None:
    """Evidence (scan-JSON form) for ``quote`` where it is in ``text``, or None."""
    quote = " ".join(quote.split()).strip(" ,;:")
    span = locate(text, quote, within)
    if span is None:
        return None
    try:
        return Evidence.found(path, text, span, quote).to_json()
    except EvidenceMismatch:
        return None


_LEAD = re.compile(r"^(?:(?:and|or)\s+)?(?:\(?[a-z0-9]{1,3}[.)]\s+)?", _I)
SENTENCE_LIMIT = 500


def find_clause(path: str, text: str, pattern: re.Pattern[str]) -> dict[str, Any] | None:
    """The sentence of ``text`` holding the first match of ``pattern``, as grounded evidence (the
    match alone when the sentence is very long)."""
    flat = " ".join(text.split())
    match = pattern.search(flat)
    if match is None or "trademark" in match.group(0).lower():
        return None
    start = max(flat.rfind(mark, 0, match.start()) for mark in (". ", "; ", ": "))
    ends = [e for e in (flat.find(mark, match.end()) for mark in (". ", "; ")) if e >= 0]
    end = min(ends) + 1 if ends else len(flat)
    sentence = _LEAD.sub("", flat[start + 2 if start >= 0 else 0:end].strip())
    quote = sentence if match.group(0) in sentence and len(sentence) <= SENTENCE_LIMIT else match.group(0)
    return grounded(path, text, quote) or grounded(path, text, match.group(0))


def sentence_of(text: str, lines: tuple[int, int], quote: str) -> str:
    """The sentence of ``text`` around ``quote`` at ``lines`` (whitespace collapsed; '' if not found)."""
    first, last = lines
    window = " ".join(lines_of(text, (max(1, first - 6), last + 6)).split())
    at = window.lower().find(" ".join(quote.split()).lower())
    if at < 0:
        return ""
    start = max(window.rfind(". ", 0, at), window.rfind(".\n", 0, at))
    end = window.find(". ", at + len(quote))
    return window[start + 1 if start >= 0 else 0:end + 1 if end >= 0 else len(window)].strip()


def whole_sentence(path: str, text: str, evidence: dict[str, Any]) -> dict[str, Any] | None:
    """The whole sentence around one cited clause of a delivered text, grounded (None when not found
    or longer than :data:`SENTENCE_LIMIT`)."""
    lines = evidence.get("lines")
    if evidence.get("origin", "delivered") != "delivered" or not lines:
        return None
    sentence = sentence_of(text, (int(lines[0]), int(lines[-1])), str(evidence.get("quote") or ""))
    if not sentence or len(sentence) > SENTENCE_LIMIT:
        return None
    return grounded(path, text, _LEAD.sub("", sentence), (max(1, int(lines[0]) - 6), int(lines[-1]) + 6))


def read_around(path: str, text: str, evidence: dict[str, Any], pattern: re.Pattern[str],
                limit: int = 1) -> list[dict[str, Any]]:
    """What ``pattern`` finds in the sentence of one cited clause (up to ``limit`` places), grounded
    near it; empty when the sentence does not say (or the evidence is not a delivered text with lines)."""
    lines = evidence.get("lines")
    if evidence.get("origin", "delivered") != "delivered" or not lines:
        return []
    sentence = sentence_of(text, (int(lines[0]), int(lines[-1])), str(evidence.get("quote") or ""))
    near = (max(1, int(lines[0]) - 6), int(lines[-1]) + 6)
    found = [grounded(path, text, m.group(0), near) for m in pattern.finditer(sentence)]
    return [e for e in found if e is not None][:limit]
