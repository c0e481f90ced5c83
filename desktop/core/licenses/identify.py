"""Identify the licenses of one text or one scanned file: full texts, short forms, declarations."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any

from desktop.core.licenses.allowances import real_changes
from desktop.core.licenses.differences import differences
from desktop.core.licenses.exact import fingerprints
from desktop.core.licenses.identities import (
    MAX_WORDS,
    MIN_WORDS,
    best_identity,
    names_an_identity,
    sketch,
    words_key,
)
from desktop.core.licenses.library import Library, Reference
from desktop.core.licenses.match import TWINS, UNTOLD, TextMatch, match_ids, realign
from desktop.core.licenses.normalize import Words, clean_text, page_words, words_of
from desktop.core.licenses.shared import NOT_IN_FILE, name_verdict
from desktop.core.licenses.short_forms import ShortForm, notices, spdx_tags

MAX_TEXT_CHARS = 4_000_000


@dataclass
class LicenseMatch:
    """One license found in a file, ready for the scan JSON (``to_json``) and the UI."""

    key: str | None
    spdx: str | None
    name: str | None
    family: str
    score: float
    coverage: float | None
    modified: bool
    status: str  # identified | modified | needs-identification
    source: str  # text | notice | spdx-tag | declared
    lines: tuple[int, int] | None = None
    pages: tuple[int, int] | None = None
    nearest: str | None = None
    reason: str = ""
    firm: bool = False
    written: str | None = None  # what a tag, notice or declaration literally said
    rivals: list[str] = field(default_factory=list)
    candidates: list[str] = field(default_factory=list)  # keys a versionless family name may mean
    shared_with: list[str] = field(default_factory=list)  # other names of the same text (SPDX ids)
    deciding_words: str | None = None  # the file's words that decide the name, or NOT_IN_FILE
    decided: str | None = None  # the name those words decide (an SPDX id)
    differences: list[dict[str, Any]] = field(default_factory=list, repr=False)
    text_match: TextMatch | None = field(default=None, repr=False, compare=False)
    identity: str | None = None  # an AI license the library lacks, named by resources/identities
    identity_source: str | None = None  # the repository, commit and path the identity was made from
    identity_lines: list[dict[str, Any]] = field(default_factory=list)  # its title/release lines found here

    def to_json(self) -> dict[str, Any]:
        """The dict stored in a file's ``licenses`` list."""
        out: dict[str, Any] = {
            "key": self.key, "spdx": self.spdx, "name": self.name, "family": self.family,
            "score": round(self.score, 4),
            "coverage": None if self.coverage is None else round(self.coverage, 4),
            "modified": self.modified, "status": self.status, "source": self.source}
        if self.pages is not None:
            out["pages"] = list(self.pages)
        elif self.lines is not None:
            out["lines"] = list(self.lines)
        if self.firm:
            out["firm"] = True
        if self.status == "needs-identification":
            out["nearest"] = self.nearest
            out["reason"] = self.reason
            if self.candidates:
                out["candidates"] = list(self.candidates)
        if self.shared_with:
            out["shared_with"] = list(self.shared_with)
        if self.deciding_words is not None:
            out["deciding_words"] = self.deciding_words
        if self.decided is not None:
            out["decided"] = self.decided
        if self.written is not None:
            out["written"] = self.written
        if self.identity is not None:
            out["identity"] = self.identity
            out["identity_source"] = self.identity_source
            out["identity_lines"] = list(self.identity_lines)
        return out


def named(ref: Reference, **fields: Any) -> LicenseMatch:
    """A match naming ``ref`` (status identified unless told otherwise)."""
    fields.setdefault("status", "identified")
    return LicenseMatch(key=ref.key, spdx=ref.spdx, name=ref.name, family=ref.family, firm=ref.firm,
                        **fields)


def unnamed(nearest: Reference | None, family: str, reason: str, **fields: Any) -> LicenseMatch:
    """An abstention: no key, the nearest reference and family, and why."""
    return LicenseMatch(key=None, spdx=None, name=None, family=family, status="needs-identification",
                        nearest=nearest.key if nearest else None, reason=reason, modified=False,
                        **fields)


def _region(match: TextMatch, words: Words) -> tuple[int, int]:
    a = match.alignment
    return words.lines[a.start], words.lines[max(a.start, a.end - 1)]


def _unchanged_rival(library: Library, match: TextMatch, ids: list[int], words: Words,
                     scanned: str) -> TextMatch | None:
    """A close rival of a modified match that the text copies without a real change, if any.

    The rival must hold at least as many of the text's words; the text is then that rival's
    (SPDX matching guidelines), not a modified copy of the other.
    """
    a = match.alignment
    for key in match.rivals:
        ref = library.by_key.get(key)
        aligned = realign(library, ref, ids, a.start, a.end) if ref is not None else None
        if aligned is not None and aligned.matched >= a.matched and not real_changes(library, aligned, words, scanned):
            return TextMatch(aligned, "identified", rivals=[a.ref.key, *(k for k in match.rivals if k != key)])
    return None


def _from_text_match(match: TextMatch, words: Words, page_starts: list[int] | None, library: Library,
                     scanned: str, regions: list[tuple[int, int]], ids: list[int]) -> LicenseMatch:
    changes = real_changes(library, match.alignment, words, scanned) if match.status == "modified" else []
    if changes and match.rivals:
        rival = _unchanged_rival(library, match, ids, words, scanned)
        if rival is not None:
            match, changes = rival, []
    a = match.alignment
    first, last = _region(match, words)
    where: dict[str, Any] = {"lines": (first, last)}
    if page_starts:
        where["pages"] = (bisect.bisect_right(page_starts, first), bisect.bisect_right(page_starts, last))
    common = {"score": a.score, "coverage": a.coverage, "source": "text", **where}
    if match.status == "needs-identification":
        found = unnamed(a.ref, a.ref.family, match.reason, text_match=match, rivals=match.rivals, **common)
        if match.reason.startswith((TWINS, UNTOLD)):  # identical texts, or siblings the words do not tell apart
            found.shared_with = [library.by_key[k].spdx for k in (a.ref.key, *match.rivals) if k in library.by_key]
            found.deciding_words = NOT_IN_FILE
        return found
    status = "modified" if changes else "identified"
    verdict = name_verdict(library, a.ref, scanned, regions)
    ref = verdict.ref if verdict is not None and verdict.ref is not None else a.ref
    result = named(ref, status=status, modified=bool(changes), rivals=match.rivals, text_match=match, **common)
    if changes:
        result.differences = differences(library, a, words, changes)
    if verdict is not None:
        result.deciding_words, result.decided = verdict.deciding_words, verdict.decided
        if verdict.decided is None:
            result.shared_with = [n for n in verdict.names if n.lower() != (ref.spdx or "").lower()]
    return result


def _short_form_match(form: ShortForm, page_starts: list[int] | None) -> LicenseMatch | None:
    if form.ref is None and form.unresolved is None:
        return None
    where: dict[str, Any] = {"lines": (form.line, form.line)}
    if page_starts:
        page = bisect.bisect_right(page_starts, form.line)
        where["pages"] = (page, page)
    if form.ref is None:
        assert form.unresolved is not None
        return unnamed(None, form.unresolved.family, form.unresolved.reason, score=0.0, coverage=None,
                       source=form.source, written=form.written,
                       candidates=list(form.unresolved.candidates), **where)
    return named(form.ref, score=1.0, coverage=None, modified=False, source=form.source,
                 written=form.written, **where)


def _covered(lines: list[int], spans: list[tuple[int, int]]) -> bool:
    """True when every line holding a word (``lines`` ascending) lies inside one of ``spans``."""
    merged: list[list[int]] = []
    for first, last in sorted(spans):
        if merged and first <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    i = 0
    for line in dict.fromkeys(lines):
        while i < len(merged) and merged[i][1] < line:
            i += 1
        if i == len(merged) or merged[i][0] > line:
            return False
    return True


WHOLE_TEXT_SIMILARITY = 0.8  # a whole file this close to an identity is that license, edits and all


def _library_sketch(library: Library, key: str):
    memo = library.memo.setdefault("__sketches__", {})
    if key not in memo:
        memo[key] = sketch(words_key(library.text(key)).split())
    return memo[key]


def _identity_match(words: Words, first: int, last: int, library: Library,
                    rival_key: str | None) -> LicenseMatch | None:
    pairs = [(w, line) for w, line in zip(words.words, words.lines, strict=True) if first <= line <= last][:MAX_WORDS]
    region = [w for w, _ in pairs]
    rival = _library_sketch(library, rival_key) if rival_key and rival_key in library.by_key else None
    hit = best_identity(region, rival=rival)
    if hit is None:
        return None
    ident = hit.identity
    said = []
    for line_words in hit.titles_found:
        wanted = line_words.split()
        at = next((i for i in range(len(region) - len(wanted) + 1) if region[i:i + len(wanted)] == wanted), None)
        if at is not None:
            said.append({"said": line_words, "lines": [pairs[at][1], pairs[at + len(wanted) - 1][1]]})
    # Like a firm reference, an identity's id is a key of ours, never a LicenseDB key
    return LicenseMatch(key=ident.id, spdx=f"LicenseRef-aireview-{ident.id}", name=ident.name,
                        family=ident.family, score=hit.similarity,
                        coverage=None, modified=hit.modified, status="modified" if hit.modified else "identified",
                        source="text", lines=(first, last), identity=ident.id, identity_source=ident.source,
                        rivals=[rival_key] if rival_key else [], identity_lines=said)


def named_by_identity(found: list[LicenseMatch], words: Words, library: Library) -> list[LicenseMatch]:
    """Texts the library only resembles, or does not hold, named by an AI license identity instead.

    A modified or unidentified text match is replaced when its words are closer to an identity than
    to the library text; a text with no match at all is tried whole.  A library text matched
    unmodified is kept.
    """
    if len(words.words) < MIN_WORDS:
        return found
    if any(m.status == "modified" for m in found) and not names_an_identity(words.words):
        return found  # a library text with edits, and no identity's title or release line: keep it
    if not any(m.source == "text" and m.status == "identified" for m in found):
        modified = sorted((m for m in found if m.status == "modified" and m.key and m.lines),
                          key=lambda m: m.lines[1] - m.lines[0] if m.lines else 0)  # type: ignore[operator]
        whole = _identity_match(words, words.lines[0], words.lines[-1], library,
                                modified[-1].key if modified else None)
        if whole is not None and whole.score >= WHOLE_TEXT_SIMILARITY:
            return [whole]
    out: list[LicenseMatch] = []
    for match in found:
        if match.source == "text" and match.lines and match.status != "identified" and match.pages is None:
            rival = match.key if match.status == "modified" else None
            named = _identity_match(words, match.lines[0], match.lines[1], library, rival)
            if named is not None:
                out.append(named)
                continue
        out.append(match)
    return out


def identify_words(words: Words, library: Library, *, scanned: str,
                   page_starts: list[int] | None = None) -> list[LicenseMatch]:
    """Full-text matches on ``words`` plus tags and notices in ``scanned`` outside those texts."""
    ids = list(map(library.vocabulary.get, words.words, repeat(0, len(words.words))))
    prints = fingerprints(words, scanned) if ids else None
    text_matches = match_ids(library, ids, prints)
    regions = [_region(m, words) for m in text_matches]
    found = [_from_text_match(m, words, page_starts, library, scanned, regions, ids) for m in text_matches]
    found = named_by_identity(found, words, library)
    spans = [m.lines for m in found if m.lines]
    if spans and _covered(words.lines, spans):
        return found  # a tag or notice starts with a word, and every word is inside a license text
    seen: set[tuple[str | None, str, int]] = set()
    for form in spdx_tags(library, scanned) + notices(library, scanned):
        if any(a <= form.line <= b for a, b in spans):
            continue
        short = _short_form_match(form, page_starts)
        what = short.key or (short.written or "").lower() if short is not None else None
        if short is not None and (what, short.source, form.line) not in seen:  # each statement, once per line
            seen.add((what, short.source, form.line))
            found.append(short)
    found.sort(key=lambda m: (m.lines or (0, 0))[0])
    return found


def identify_text(text: str, library: Library, *, pages: list[str] | None = None) -> list[LicenseMatch]:
    """Every license in a text (or in PDF ``pages``, one string per page)."""
    if pages is not None:
        words, starts = page_words(pages, max_chars=MAX_TEXT_CHARS)
        scanned = clean_text("\n".join(pages))[:MAX_TEXT_CHARS]
        return identify_words(words, library, scanned=scanned, page_starts=starts)
    scanned = clean_text(text[:MAX_TEXT_CHARS])
    return identify_words(words_of(scanned), library, scanned=scanned)
