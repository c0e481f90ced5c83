"""One text, several names: say which name the file's words decide, or that they do not.

Some licenses are published under several names with the same text (GFDL "only", "or later",
"invariants" and "no invariants"; OFL with or without a Reserved Font Name; GPL "only" and
"or later"; a license and its "with exception" name when the exception's words are elsewhere);
others are near-identical siblings (BSD-4-Clause and its University of California form, MPL-1.1
and NPL-1.1, Python 2.0 and 2.0.1, bzip2 1.0.5 and 1.0.6). resources/licenses/shared_names.json
lists, per group, each name and the kinds of words that decide for it. The most specific name
whose words are all in the file wins; when no deciding words are there the match carries every
name and "the name is not in the file", never one of them as a confident answer.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.core.licenses.library import Library, Reference

NOT_IN_FILE = "the name is not in the file"
MAX_QUOTE = 120


@dataclass(frozen=True)
class Group:
    names: dict[str, tuple[str, ...]]  # SPDX id -> names of the patterns that decide for it
    outside: bool  # deciding words are looked for outside the matched text (a notice)


@dataclass(frozen=True)
class NameVerdict:
    """The names a matched text may carry, and what the file says about them."""

    names: list[str]  # every name of the group, the decided one first when there is one
    decided: str | None
    deciding_words: str  # quotes from the file, or NOT_IN_FILE
    ref: Reference | None  # the reference of the decided name when it is another one


def names_file() -> Path:
    """resources/licenses/shared_names.json."""
    from desktop import paths

    return paths.resources_dir() / "licenses" / "shared_names.json"


def _table(library: Library) -> tuple[dict[str, re.Pattern[str]], dict[str, Group]]:
    found = library.memo.get("__shared_names__")
    if found is None:
        try:
            raw: dict[str, Any] = json.loads(names_file().read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raw = {}
        patterns = {name: re.compile(p, re.IGNORECASE) for name, p in raw.get("patterns", {}).items()}
        groups: dict[str, Group] = {}
        for entry in raw.get("groups", []):
            group = Group({n: tuple(p) for n, p in entry["names"].items()}, entry.get("where") == "outside")
            for name in group.names:
                groups[name.lower()] = group
        found = library.memo["__shared_names__"] = (patterns, groups)
    return found


def _by_spdx(library: Library) -> dict[str, Reference]:
    found = library.memo.get("__by_spdx__")
    if found is None:
        found = {}
        for ref in library.references:
            if ref.matchable:
                for spdx in (ref.spdx, *ref.other_spdx):
                    found.setdefault(spdx.lower(), ref)
        library.memo["__by_spdx__"] = found
    return found


def _own_name(ref: Reference, group: Group) -> str | None:
    names = {n.lower(): n for n in group.names}
    return next((names[s.lower()] for s in (ref.spdx, *ref.other_spdx) if s.lower() in names), None)


def name_verdict(library: Library, ref: Reference, text: str,
                 regions: list[tuple[int, int]]) -> NameVerdict | None:
    """What the file ``text`` says about the name of ``ref``'s matched text (None: one name only).

    ``regions`` are the first and last lines of every license text found in the file; for groups
    decided by a notice the deciding words are looked for outside all of them (a license's own
    body, or another's, is no notice).
    """
    patterns, groups = _table(library)
    group = next((groups[s.lower()] for s in (ref.spdx, *ref.other_spdx) if s.lower() in groups), None)
    if group is None:
        return None
    own = _own_name(ref, group)
    if group.outside and own is not None and group.names[own]:
        return None  # the reference's own words (its notice) were matched: the name is decided
    where = text
    if group.outside and regions:
        kept = text.split("\n")
        for first, last in regions:
            kept[first - 1:last] = [""] * (last - first + 1)
        where = "\n".join(kept)
    quotes: dict[str, str] = {}
    for kinds in group.names.values():
        for kind in kinds:
            if kind not in quotes and kind in patterns:
                hit = patterns[kind].search(where)
                if hit:
                    quotes[kind] = " ".join(hit.group(0).split())[:MAX_QUOTE]
    satisfied = [n for n, kinds in group.names.items() if all(k in quotes for k in kinds)]
    most = max((len(group.names[n]) for n in satisfied), default=0)
    best = [n for n in satisfied if len(group.names[n]) == most]
    names = list(group.names)
    if most == 0 or len(best) != 1:
        deciding = "; ".join(dict.fromkeys(quotes[k] for n in best for k in group.names[n])) if most else ""
        return NameVerdict(names, None, deciding or NOT_IN_FILE, None)
    decided = best[0]
    deciding = "; ".join(quotes[k] for k in group.names[decided])
    other = _by_spdx(library).get(decided.lower())
    names.remove(decided)
    return NameVerdict([decided, *names], decided, deciding, other if other is not None and other is not ref else None)
