"""Word-level differences between a matched text region and its reference, for the UI."""

from __future__ import annotations

from typing import Any

from desktop.core.licenses.library import Library
from desktop.core.licenses.match import Alignment
from desktop.core.licenses.normalize import Words

MAX_OPS = 500
MAX_WORDS_PER_OP = 200


def spelled_words(library: Library) -> list[str]:
    """Word id -> the normalised word (index 0 is the empty word), built once per library."""
    spelled = library.memo.get("__spelled__")
    if spelled is None:
        spelled = [""] * (len(library.vocabulary) + 1)
        for word, index in library.vocabulary.items():
            spelled[index] = word
        library.memo["__spelled__"] = spelled
    return spelled


def _join(words: list[str]) -> str:
    text = " ".join(words[:MAX_WORDS_PER_OP])
    return text + (" ..." if len(words) > MAX_WORDS_PER_OP else "")


def differences(library: Library, alignment: Alignment, words: Words,
                ops: list[tuple[str, int, int, int, int]] | None = None) -> list[dict[str, Any]]:
    """Ops ``{"op": insert|delete|replace, "ref": ..., "text": ..., "line": n}`` in text order.

    ``ref`` holds the reference words missing or replaced, ``text`` the words of the file that
    were added or put instead; ``line`` is the file line where the change sits. Words are
    normalised (lower case, no punctuation), as they were compared. ``ops`` replaces the
    alignment's own differences (the real changes only, see ``allowances.py``).
    """
    spelled = spelled_words(library)
    ref_ids = library.ids(alignment.ref)
    raw = [op for op in (alignment.ops if ops is None else ops) if op[0] != "equal"]
    merged: list[list[Any]] = []
    for tag, ra, rb, ta, tb in raw:
        last = merged[-1] if merged else None
        if last is not None and last[4] == ta and last[2] == ra and {last[0], tag} <= {"insert", "delete",
                                                                                        "replace"}:
            last[2], last[4] = rb, tb
            last[0] = "insert" if last[1] == rb else "delete" if last[3] == tb else "replace"
        else:
            merged.append([tag, ra, rb, ta, tb])
    ops: list[dict[str, Any]] = []
    n = len(words.words)
    for tag, ra, rb, ta, tb in merged[:MAX_OPS]:
        line = words.lines[min(max(ta, 0), n - 1)] if n else 0
        ops.append({"op": tag, "ref": _join([spelled[int(i)] for i in ref_ids[ra:rb]]),
                    "text": _join(words.words[ta:tb]), "line": line})
    return ops
