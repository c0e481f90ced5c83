"""Whole-text fingerprints: a text whose normalised words equal a reference's needs no alignment.

Two fingerprints per text: of all its words (``whole``) and of its words outside copyright
lines (``bare``). Only WHOLE-text equality counts: a text that merely contains a reference (or
is contained in one) has another fingerprint and goes through the matcher. A ``bare`` hit is
only a candidate: the matcher confirms it with one alignment.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from desktop.core.case_fold import CaseBlind
from desktop.core.licenses.normalize import Words, is_copyright_line

_COPYRIGHT_HINT = CaseBlind(r"copyright|\(c\)|©|all rights reserved")


@dataclass(frozen=True)
class Fingerprints:
    """Digests of a text's words: all of them, and those outside copyright lines (None if none)."""

    whole: bytes
    bare: bytes | None


def digest(words: Sequence[str]) -> bytes:
    """A 16-byte digest of a word sequence."""
    return hashlib.blake2b(" ".join(words).encode("utf-8", "surrogatepass"), digest_size=16).digest()


def copyright_lines(text: str) -> set[int]:
    """1-based numbers of the copyright lines of a cleaned text (lines split on ``\\n``)."""
    found: set[int] = set()
    line, counted, last_start = 1, 0, -1
    for hint in _COPYRIGHT_HINT.finditer(text):
        line += text.count("\n", counted, hint.start())
        counted = hint.start()
        start = text.rfind("\n", 0, hint.start()) + 1
        if start == last_start:
            continue
        last_start = start
        end = text.find("\n", hint.start())
        if is_copyright_line(text[start:end if end != -1 else len(text)]):
            found.add(line)
    return found


def fingerprints(words: Words, text: str) -> Fingerprints:
    """Fingerprints of ``words``, which were read from the cleaned ``text``."""
    whole = digest(words.words)
    marked = copyright_lines(text)
    if not marked:
        return Fingerprints(whole, None)
    bare = [word for word, line in zip(words.words, words.lines, strict=True) if line not in marked]
    return Fingerprints(whole, digest(bare))
