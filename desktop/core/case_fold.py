"""Lower-cased text that a case-sensitive search can use in place of a case-blind one."""

from __future__ import annotations

import re
from collections.abc import Iterator

# Letters that match an ASCII letter case-blind in Python's re but do not lower-case to it
# (İ and ı match "i", ſ matches "s"; the Kelvin sign matches "k").
CASE_ODD = ("\u0130", "\u0131", "\u017f", "\u212a")


def lowered_in_place(text: str) -> str | None:
    """``text.lower()`` when every character keeps its offset and letters fold as the case-blind
    search of an ASCII pattern folds them, else None: a lower-case pattern searched case-sensitively
    in it finds what the case-blind pattern finds in ``text``, at the same offsets, several times faster."""
    lowered = text.lower()
    if len(lowered) != len(text) or any(odd in text for odd in CASE_ODD):  # four fast substring scans
        return None
    return lowered


class CaseBlind:
    """A lower-case pattern matched ignoring case: searched case-sensitively in the
    :func:`lowered_in_place` text when there is one (same matches, same offsets, several times
    faster), else case-blind in the text itself.  Offsets index the given text; read what matched
    from it (in lowered text a match holds lower-case letters)."""

    def __init__(self, pattern: str) -> None:
        self._blind = re.compile(pattern, re.IGNORECASE)
        self._lower = re.compile(pattern)

    def _pattern_and_text(self, text: str) -> tuple[re.Pattern[str], str]:
        lowered = lowered_in_place(text)
        return (self._blind, text) if lowered is None else (self._lower, lowered)

    def search(self, text: str) -> re.Match[str] | None:
        pattern, searched = self._pattern_and_text(text)
        return pattern.search(searched)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        pattern, searched = self._pattern_and_text(text)
        return pattern.finditer(searched)
