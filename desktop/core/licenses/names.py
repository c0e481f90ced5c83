"""Resolve what people write for a license (SPDX ids, names, Hub ids) to library keys."""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field

from desktop.core.licenses.catalog import HUB_IDS
from desktop.core.licenses.library import Library, Reference

_NAME_WORD = re.compile(r"[a-z0-9]+(?:\.[0-9]+)*")
_VERSION = re.compile(r"v\d+(?:\.\d+)*")
_OPEN_RAIL = re.compile(r"\bopen[\s-]+rail")
_NAME_STOP = frozenset({"the", "version", "license", "licence", "licenses", "agreement", "v", "ver",
                        "a", "an", "terms", "of", "and", "conditions", "this", "our"})


@functools.lru_cache(maxsize=65536)  # a statement is tried word run by word run, and runs repeat
def name_key(text: str) -> str:
    """A loose comparison key for a license name ("Apache License, Version 2.0" -> "apache 2")."""
    out = []
    # "++" tells CreativeML OpenRAIL++-M from OpenRAIL-M: keep it as a word before punctuation goes;
    # "Open RAIL" and "OpenRAIL" are one spelling (LicenseDB itself writes both)
    lowered = _OPEN_RAIL.sub("openrail", text.lower())
    for word in _NAME_WORD.findall(lowered.replace("licence", "license").replace("++", " plusplus ")):
        if word in _NAME_STOP:
            continue
        if _VERSION.fullmatch(word):
            word = word[1:]
        while word.endswith(".0") and word.count(".") >= 1:
            word = word[:-2]
        out.append(word)
    return " ".join(out)


@dataclass
class NameIndex:
    """Lookups from SPDX ids, keys and names to references."""

    spdx: dict[str, Reference]
    keys: dict[str, Reference]
    names: dict[str, Reference]
    sorted_names: list[str] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self.sorted_names = sorted(self.names)

    def by_spdx(self, identifier: str) -> Reference | None:
        ident = identifier.strip().lower()
        return self.spdx.get(ident) or self.keys.get(ident)

    def by_name(self, text: str) -> Reference | None:
        """The reference named by ``text`` (exact loose name, or a unique longer name it starts)."""
        key = name_key(text)
        if not key:
            return None
        if key in self.names:
            return self.names[key]
        if len(key.split()) < 2:
            return None
        # names starting with "key " sit together in sorted order, before "key!" (" " < "!")
        first = bisect.bisect_left(self.sorted_names, key + " ")
        last = bisect.bisect_left(self.sorted_names, key + "!", lo=first)
        longer = {self.names[name].key: self.names[name] for name in self.sorted_names[first:last]}
        return next(iter(longer.values())) if len(longer) == 1 else None


def name_index(library: Library) -> NameIndex:
    """Build (once per library) the name lookups; deprecated and unknown keys are left out."""
    cached = library.memo.get("__names__")
    if isinstance(cached, NameIndex):
        return cached
    spdx: dict[str, Reference] = {}
    keys: dict[str, Reference] = {}
    names: dict[str, Reference] = {}
    for ref in library.references:
        if ref.unknown:
            continue
        keys.setdefault(ref.key.lower(), ref)
        if ref.deprecated:
            continue
        for ident in (ref.spdx, *ref.other_spdx):
            spdx.setdefault(ident.lower(), ref)
        for name in (ref.name, ref.short_name):
            names.setdefault(name_key(name), ref)
    for ref in library.references:  # SPDX ids used as names ("MIT", "Apache-2.0")
        if not ref.deprecated and not ref.unknown:
            names.setdefault(name_key(ref.spdx), ref)
    index = NameIndex(spdx, keys, names)
    library.memo["__names__"] = index
    return index


@dataclass(frozen=True)
class Resolved:
    """A declared or written license id resolved to a reference, or only to a family."""

    ref: Reference | None
    family: str
    how: str


def resolve_declared(library: Library, value: str) -> Resolved:
    """Resolve a declared license (Hub id, SPDX id, key or name) as carefully as possible."""
    text = value.strip()
    lowered = text.lower()
    index = name_index(library)
    if lowered in HUB_IDS:
        key, family = HUB_IDS[lowered]
        ref = library.by_key.get(key) if key else None
        return Resolved(ref, family if ref is None else ref.family, "hub-id")
    ref = index.by_spdx(text) or index.by_name(text)
    if ref is not None:
        return Resolved(ref, ref.family, "id")
    return Resolved(None, "unknown", "unresolved")
