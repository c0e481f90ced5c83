"""Lower-cased text that a case-sensitive search can use in place of a case-blind one."""

from __future__ import annotations

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
