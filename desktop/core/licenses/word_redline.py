"""Word redline between two delivered versions of a text (a license, a notice, a model card).

Unlike :mod:`desktop.core.licenses.differences`, which aligns a file with a *reference* text of
the library (normalised words), this compares two delivered texts word for word as written: a
changed comma or capital counts, since the vendor's wording is what binds.  Words are runs of
non-space characters; a change of line breaks or spacing alone is no change.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

WORD = re.compile(r"\S+")
# Above this many words per side difflib's junk heuristic keeps the comparison quick.
EXACT_LIMIT = 20_000
MAX_CONTEXT_WORDS = 12


@dataclass(frozen=True)
class Word:
    text: str
    line: int


def words_of(text: str) -> list[Word]:
    """The words of ``text`` with the (1-based) line each starts on."""
    words: list[Word] = []
    line, last = 1, 0
    for match in WORD.finditer(text):
        line += text.count("\n", last, match.start())
        last = match.start()
        words.append(Word(match.group(), line))
    return words


@dataclass(frozen=True)
class RedlineOp:
    """One run of the redline: ``equal``, ``insert`` (new words), ``delete`` (old words gone) or
    ``replace``; ``old``/``new`` are the words as written, lines where the run starts."""

    op: str
    old: str
    new: str
    old_line: int | None
    new_line: int | None

    def to_json(self) -> dict[str, Any]:
        return {"op": self.op, "old": self.old, "new": self.new,
                "old_line": self.old_line, "new_line": self.new_line}


@dataclass(frozen=True)
class Redline:
    """The whole redline and how many words were inserted and deleted."""

    ops: tuple[RedlineOp, ...]
    inserted: int
    deleted: int

    @property
    def changed(self) -> bool:
        return bool(self.inserted or self.deleted)

    def to_json(self) -> dict[str, Any]:
        return {"inserted": self.inserted, "deleted": self.deleted,
                "ops": [op.to_json() for op in self.ops]}


def _join(words: list[Word]) -> str:
    return " ".join(w.text for w in words)


def _line(words: list[Word], start: int) -> int | None:
    return words[start].line if start < len(words) else (words[-1].line if words else None)


def word_redline(old_text: str, new_text: str, context: int | None = MAX_CONTEXT_WORDS) -> Redline:
    """The words deleted from ``old_text`` and inserted in ``new_text``, in text order.

    ``context`` shortens long unchanged runs to that many words on each side of a change
    (``"…"`` marks the cut); ``None`` keeps every word.
    """
    old, new = words_of(old_text), words_of(new_text)
    junk = max(len(old), len(new)) > EXACT_LIMIT
    matcher = difflib.SequenceMatcher(None, [w.text for w in old], [w.text for w in new],
                                      autojunk=junk)
    ops: list[RedlineOp] = []
    inserted = deleted = 0
    codes = matcher.get_opcodes()
    for n, (tag, a1, a2, b1, b2) in enumerate(codes):
        old_words, new_words = old[a1:a2], new[b1:b2]
        if tag == "equal":
            text = _shorten(old_words, context, first=n == 0, last=n == len(codes) - 1)
            ops.append(RedlineOp("equal", text, text, _line(old, a1), _line(new, b1)))
            continue
        deleted += len(old_words)
        inserted += len(new_words)
        ops.append(RedlineOp(tag, _join(old_words), _join(new_words), _line(old, a1), _line(new, b1)))
    return Redline(tuple(ops), inserted, deleted)


def _shorten(words: list[Word], context: int | None, *, first: bool, last: bool) -> str:
    if context is None:
        return _join(words)
    head = 0 if first else context
    tail = 0 if last else context
    if len(words) <= head + tail + 1:
        return _join(words)
    parts = [_join(words[:head])] if head else []
    parts.append("…")
    if tail:
        parts.append(_join(words[-tail:]))
    return " ".join(parts)
