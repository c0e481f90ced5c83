"""Which differences between a text and its reference are not changes (SPDX matching guidelines).

A match that is not word for word its reference is ``modified`` only when some difference falls
outside these allowances (SPDX License List Matching Guidelines, applied to normalised words;
case, whitespace, punctuation, bullets, list numbering, spelling variants and http/https are
already folded by ``normalize.py``):

- replaceable text SPDX marks in the license's template (holders, years, "Software" or
  "Materials", placeholders such as ``<year>`` or ``<name of author>``), its optional parts,
  its title and its copyright notice; known per reference from resources/licenses/spdx_spans.json
  (positions and fingerprints, no license words), which also lists where SPDX's published text
  itself has other words than the reference (``variants``);
- a word split or joined ("sub license" / "sublicense", "non exclusive" / "nonexclusive");
- "copyright holder" / "copyright owner";
- copyright statements and the lines continuing them; years (other numbers are terms);
- placeholder words replaced by a name ("the author" / "ISC") and names replaced by names;
- words of a URL (a path that moved, a trailing part);
- the license's own title line, and an "end of terms" line closing the reference.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.core.licenses.differences import spelled_words
from desktop.core.licenses.exact import copyright_lines
from desktop.core.licenses.library import Library, Reference
from desktop.core.licenses.match import Alignment, words_in_share
from desktop.core.licenses.normalize import Words, words_of

Op = tuple[str, int, int, int, int]  # (tag, ref_a, ref_b, text_a, text_b)

REPLACEABLE = frozenset({"alt", "copyright", "title"})
MAX_NAME_WORDS = 8  # a name put in place of a placeholder ("the author" -> "the open group")
MAX_TITLE_WORDS = 16
MAX_CONTINUATION_WORDS = 12  # a line after a copyright line that still belongs to the notice
PLACEHOLDERS = frozenset(
    "the a an author authors owner owners holder holders copyright copyrights organization organisation "
    "name names of year years yyyy yy date dates and or its his her their contributors contributor "
    "developer developers company entity licensor licensors fullname institution university regents "
    "your my our project party program software this that email address url".split())
ORGANISATION = frozenset(
    "inc ltd llc gmbh corp corporation company co limited foundation university regents trustees institute "
    "group project team technologies technology laboratories labs systems association consortium".split())
FUNCTION = frozenset("the a an of and or its his her their your my our this that".split())
OPERATIVE = frozenset(
    "not no nor never only except without unless shall must may will liable responsible warranty "
    "warranties permitted prohibited granted sell commercial".split())
END_WORDS = frozenset("end of the terms and conditions license licence agreement back to commons deed "
                      "footer appendix".split())
URL_WORDS = frozenset("http www org com net html htm php txt".split())
_YEAR = re.compile(r"(?:19|20)\d\d")
_NOTICE = re.compile(r"\bcopyright\s+(?:\(c\)\s*|©\s*)?(?:19|20)\d\d\b", re.IGNORECASE)
MAX_NOTICE_CHARS = 160


def variant_digest(words: Sequence[str]) -> str:
    """A short fingerprint of a run of normalised words (SPDX's words where they differ)."""
    return hashlib.blake2b(" ".join(words).encode(), digest_size=6).hexdigest()


def reference_digest(words: Sequence[str]) -> str:
    """A short fingerprint of a reference's normalised words (a stale spans entry is ignored)."""
    return hashlib.blake2b(" ".join(words).encode(), digest_size=8).hexdigest()


@dataclass
class Spans:
    """SPDX's replaceable and optional spans of one reference, by word position."""

    marks: list[str]
    inserts: dict[int, int]
    variants: dict[tuple[int, int], set[str]]


def spans_file() -> Path:
    """resources/licenses/spdx_spans.json (written by bench/spdx_spans.py)."""
    from desktop import paths

    return paths.resources_dir() / "licenses" / "spdx_spans.json"


def load_spans(path: Path | None = None) -> dict[str, Any]:
    """The raw spans file (empty when absent)."""
    path = path or spans_file()
    try:
        return dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return {}


def spans_of(library: Library, ref: Reference) -> Spans | None:
    """The SPDX spans of ``ref``, or None when SPDX has no template for it (or it is stale)."""
    table = library.memo.setdefault("__spans__", {})
    if ref.key in table:
        return table[ref.key]
    raw = library.memo.get("__spans_file__")
    if raw is None:
        raw = library.memo["__spans_file__"] = load_spans()
    entry = raw.get(ref.key)
    found = None
    if entry:
        spelled = spelled_words(library)
        words = [spelled[int(i)] for i in library.ids(ref)]
        if entry.get("words") == reference_digest(words):
            marks = [""] * len(words)
            for start, end, kind in entry["spans"]:
                marks[start:end] = [kind] * (end - start)
            variants: dict[tuple[int, int], set[str]] = {}
            for start, end, digest in entry["variants"]:
                variants.setdefault((start, end), set()).add(digest)
            found = Spans(marks, {p: n for p, n in entry["inserts"]}, variants)
    table[ref.key] = found
    return found


def vocabulary_words(library: Library) -> frozenset[int]:
    """Word ids used by at least 2% of the references: license vocabulary, not names."""
    return words_in_share(library, 50)


def _title_like(line: str) -> bool:
    """A short line in capitals or title case, not a sentence."""
    words = re.findall(r"[^\W\d_][\w'-]*", line)
    if not words or len(words) > MAX_TITLE_WORDS // 2 or line.rstrip().endswith((".", ":", ";", ",")):
        return False
    return all(w[0].isupper() or w.lower() in _SMALL for w in words)


_SMALL = frozenset("a an and of the for to in on with or by at v".split())


def _title_length(library: Library, ref: Reference) -> int:
    """Number of words in the reference's title: its first lines while they are title-like."""
    titles = library.memo.setdefault("__titles__", {})
    if ref.key not in titles:
        count = 0
        lines = [line for line in library.text(ref.key).splitlines() if line.strip()]
        for line in lines[:3]:
            if not _title_like(line):
                break
            count += len(words_of(line))
        titles[ref.key] = count if count <= MAX_TITLE_WORDS else 0
    return int(titles[ref.key])


def _notice_lines(library: Library, text: str, words: Words) -> set[int]:
    """Copyright lines of ``text`` and the short lines of names directly continuing them."""
    marked = copyright_lines(text)
    raw = text.split("\n")
    for line in set(words.lines):  # "WordNet 3.0 Copyright 2006 by Princeton University."
        if 0 < line <= len(raw) and len(raw[line - 1]) <= MAX_NOTICE_CHARS and _NOTICE.search(raw[line - 1]):
            marked.add(line)
    if not marked:
        return marked
    per_line: dict[int, list[str]] = {}
    for word, line in zip(words.words, words.lines, strict=True):
        per_line.setdefault(line, []).append(word)
    vocabulary, terms = library.vocabulary, vocabulary_words(library)

    def names(line: int) -> bool:
        found = per_line[line]
        named = sum(vocabulary.get(w, 0) not in terms or w in ORGANISATION or w.isdigit() for w in found)
        return len(found) <= MAX_CONTINUATION_WORDS and 2 * named >= len(found) and not set(found) & OPERATIVE

    found = set(marked)
    for line in sorted(marked):
        nxt = line + 1
        while nxt in per_line and nxt not in found and names(nxt):
            found.add(nxt)
            nxt += 1
    return found


@dataclass
class _Context:
    library: Library
    alignment: Alignment
    ref_words: list[str]
    words: Words
    spans: Spans | None
    text: str
    common: frozenset[int]
    title: int
    first_line: int
    _notice: set[int] | None = None
    _raw_lines: list[str] | None = None

    @property
    def notice(self) -> set[int]:
        """Lines of the text's copyright notices (worked out on first use)."""
        if self._notice is None:
            self._notice = _notice_lines(self.library, self.text, self.words)
        return self._notice

    @property
    def raw_lines(self) -> list[str]:
        if self._raw_lines is None:
            self._raw_lines = self.text.split("\n")
        return self._raw_lines


def _is_name(ctx: _Context, words: list[str]) -> bool:
    """Words that are a name or a year, not license vocabulary (other numbers are terms).

    A name's words are rare in the library (``vocabulary_words``: used by under 2% of the
    references: "ISC", "Lucent", "Samba"), organisation words ("Inc", "University") or
    placeholders; "research" for "academic" or "personal" for "internal" is a change of terms.
    """
    vocabulary = ctx.library.vocabulary
    return all(_YEAR.fullmatch(w) if w[0].isdigit() else (vocabulary.get(w, 0) not in ctx.common
                                                          or w in PLACEHOLDERS or w in ORGANISATION)
               for w in words)


def _by_spans(ctx: _Context, op: Op, ref: list[str], text: list[str]) -> bool:
    spans = ctx.spans
    if spans is None:
        return False
    _, ra, rb, ta, tb = op
    if (ra, rb) in spans.variants and variant_digest(text) in spans.variants[(ra, rb)]:
        return True
    marks = spans.marks[ra:rb]
    if rb > ra and all(marks):
        if tb == ta:
            return True
        return bool(REPLACEABLE & set(marks)) and tb - ta <= 3 * (rb - ra) + 12 and not set(text) & OPERATIVE
    if rb == ra:
        if ra in spans.inserts and tb - ta <= 2 * spans.inserts[ra] + 6 and not set(text) & OPERATIVE:
            return True
        near = {spans.marks[i] for i in (ra - 1, ra) if 0 <= i < len(spans.marks)}
        return bool(near & REPLACEABLE) and tb - ta <= MAX_NAME_WORDS and not set(text) & OPERATIVE
    return False


def _generic(ctx: _Context, op: Op, ref: list[str], text: list[str]) -> bool:
    _, ra, rb, ta, tb = op
    both = ref + text
    if ref and text and "".join(ref) == "".join(text):
        return True  # a word split or joined
    if set(both) & OPERATIVE:
        return False  # a negation, a condition or a grant is never formatting
    if set(both) <= {"holder", "holders", "owner", "owners"}:
        return True
    if both and all(_YEAR.fullmatch(w) for w in both):
        return True  # years
    if not (ref and text) and any(_YEAR.fullmatch(w) for w in both) and \
            all(w.isdigit() and (len(w) <= 2 or _YEAR.fullmatch(w)) for w in both):
        return True  # a date and time stamp ("2004/05/11 23:57:57")
    lines = ctx.words.lines
    if text and all(lines[i] in ctx.notice for i in range(ta, tb)) and _is_name(ctx, ref):
        return True  # a copyright statement
    for side, other in ((ref, text), (text, ref)):
        if side and set(side) <= PLACEHOLDERS and set(side) - FUNCTION and len(other) <= MAX_NAME_WORDS \
                and not set(other) & OPERATIVE and _is_name(ctx, other):
            return True  # a placeholder filled in (or left as it was written in the template)
    if sorted(both) == ["the", "this"]:
        return True  # "the Software" / "this software"
    if ref and text and len(ref) <= 3 and len(text) <= 3 and _is_name(ctx, ref) and _is_name(ctx, text):
        return True  # one name for another
    before = ctx.ref_words[max(0, ra - 4):ra] + ctx.words.words[max(0, ta - 4):ta]
    if len(ref) <= 4 and len(text) <= 4 and (URL_WORDS & set(before) or set(both) <= URL_WORDS):
        return True  # inside a URL
    if not ref and text[:1] in (["http"], ["www"]) and len(text) <= 2 * MAX_NAME_WORDS:
        return True  # a URL added
    if text and len(ref) <= 4 and _in_url(ctx, ta, tb):
        return True
    if not ref and len(text) == 1 and text[0].isdigit() and len(text[0]) <= 2 and _line_edge(ctx, ta):
        return True  # a section number (a heading's, or one closing a line that normalising dropped)
    if rb <= ctx.title and all(lines[i] <= ctx.first_line + 1 for i in range(ta, tb)):
        return True  # the license's own title line
    if text == [] and rb == len(ctx.ref_words) and set(ref) <= END_WORDS:
        return True  # an "end of terms" line
    return not ref and text and all(lines[i] <= ctx.first_line for i in range(ta, tb)) and \
        len(text) <= MAX_TITLE_WORDS and ra <= ctx.title  # words added to the title


def _line_text(ctx: _Context, line: int) -> str:
    lines = ctx.raw_lines
    return lines[line - 1] if 0 < line <= len(lines) else ""


def _in_url(ctx: _Context, ta: int, tb: int) -> bool:
    """True when the text words [ta, tb) are all on one line and words of a URL written there.

    A markdown link repeats its URL's words as its label: "[considerations for licensors](http://
    wiki.creativecommons.org/Considerations_for_licensors)".
    """
    line = ctx.words.lines[ta]
    if ctx.words.lines[tb - 1] != line:
        return False
    in_urls = {w for url in _URL.finditer(_line_text(ctx, line)) for w in words_of(url.group(0)).words}
    return bool(in_urls) and set(ctx.words.words[ta:tb]) <= in_urls


def _line_edge(ctx: _Context, ta: int) -> bool:
    """True when text word ``ta`` is the first or the last word of its line."""
    lines = ctx.words.lines
    line = lines[ta]
    return (ta == 0 or lines[ta - 1] != line) or (ta + 1 == len(lines) or lines[ta + 1] != line)


_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'\]]+", re.IGNORECASE)


def _reference_words(library: Library, ref: Reference) -> list[str]:
    """The normalised words of ``ref`` (kept for the last few references used)."""
    cache = library.memo.setdefault("__reference_words__", {})
    found = cache.get(ref.index)
    if found is None:
        if len(cache) >= 64:
            cache.clear()
        spelled = spelled_words(library)
        found = cache[ref.index] = list(map(spelled.__getitem__, library.id_list(ref)))
    return found


def real_changes(library: Library, alignment: Alignment, words: Words, text: str) -> list[Op]:
    """The differences of ``alignment`` (missing head and tail included) that are real changes."""
    ref = alignment.ref
    ids = library.ids(ref)
    ref_words = _reference_words(library, ref)
    ops: list[Op] = [op for op in alignment.ops if op[0] != "equal"]
    if alignment.ref_start > 0:
        ops.insert(0, ("delete", 0, alignment.ref_start, alignment.start, alignment.start))
    if alignment.ref_end < len(ids):
        ops.append(("delete", alignment.ref_end, len(ids), alignment.end, alignment.end))
    if not ops:
        return []
    ctx = _Context(library, alignment, ref_words, words, spans_of(library, ref), text,
                   vocabulary_words(library), _title_length(library, ref),
                   words.lines[min(alignment.start, len(words.lines) - 1)] if words.lines else 0)
    groups: list[list[Op]] = []
    for op in ops:  # adjacent insert and delete make one replacement
        if groups and groups[-1][-1][2] == op[1] and groups[-1][-1][4] == op[3]:
            groups[-1].append(op)
        else:
            groups.append([op])
    real: list[Op] = []
    for group in groups:
        whole: Op = ("replace" if len(group) > 1 else group[0][0], group[0][1], group[-1][2], group[0][3],
                     group[-1][4])
        if _allowed(ctx, whole):
            continue
        for op in group if len(group) > 1 else [whole]:
            if len(group) > 1 and _allowed(ctx, op):
                continue
            parts = _by_line(ctx, op)  # the redline keeps only the lines that really changed
            real += [part for part in parts if len(parts) == 1 or not _allowed(ctx, part)]
    return real


def _by_line(ctx: _Context, op: Op) -> list[Op]:
    """``op`` cut where its text words change line (the reference words stay with the first part)."""
    tag, ra, rb, ta, tb = op
    lines = ctx.words.lines
    cuts = [i for i in range(ta + 1, tb) if lines[i] != lines[i - 1]]
    if not cuts:
        return [op]
    bounds = [ta, *cuts, tb]
    parts: list[Op] = [(tag, ra, rb, bounds[0], bounds[1])]
    parts += [("insert", rb, rb, a, b) for a, b in zip(bounds[1:-1], bounds[2:], strict=True)]
    return parts


def _allowed(ctx: _Context, op: Op) -> bool:
    _, ra, rb, ta, tb = op
    ref_part, text_part = ctx.ref_words[ra:rb], ctx.words.words[ta:tb]
    return _by_spans(ctx, op, ref_part, text_part) or _generic(ctx, op, ref_part, text_part)


__all__ = ["Op", "load_spans", "spans_file", "real_changes", "reference_digest", "variant_digest"]
