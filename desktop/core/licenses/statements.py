"""License statements in prose: the shapes vendors write besides "licensed under the X License".

Model cards, READMEs and notices name their license inside markdown links, in label fields
("**License:** ..."), after other verbs ("falls under", "requires adherence to"), as a bare id
("licensed `cc-by-nc-sa-4.0`"), after a file name ("LICENSE.core (Apache 2.0)"), or as a link only
("refer to license: <URL>").  A name may also lack its version ("the Gemma Terms of Use") or name a
license the library does not hold ("the Databricks Open Model License"): those are reported as a
family with "version not stated" and its candidates, or as a name to identify, never as a guess.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

from desktop.core.licenses.catalog import HUB_IDS
from desktop.core.licenses.identities import Identity, load_identities
from desktop.core.licenses.library import Library, Reference
from desktop.core.licenses.names import name_index, name_key

_FRONT_MATTER = re.compile(r"\A(---[ \t]*\n.*?\n)(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_LINK = re.compile(r"!?\[([^\]\n]{0,300})\]\(\s*<?([^)\s>]{0,500})>?(?:\s+\"[^\"\n]*\")?\s*\)")
# Every branch starts with its character (the look-behinds follow the "*"), so the engine skips
# to the next "*", "_" or "`" instead of trying each branch at every position.
_EMPHASIS = re.compile(r"\*\*|__|`|\*(?<![\w*]\*)(?=\w)|\*(?<=\w\*)(?![\w*])")
_LICENSE_WORD = re.compile(r"^(?:licen[cs]es?|agreement|terms)$", re.IGNORECASE)
_NAMED_LICENSE = re.compile(
    r"^(?P<name>(?:[\w.+&/'-]+\s+){0,7}?(?:licen[cs]e(?:\s+agreement)?|terms\s+of\s+use|"
    r"terms\s+and\s+conditions|agreement))\b", re.IGNORECASE)
_GENERIC_FIRST = frozenset({
    "the", "this", "that", "these", "those", "such", "same", "said", "your", "our", "its", "their", "his",
    "her", "a", "an", "any", "each", "every", "other", "another", "original", "applicable", "relevant",
    "following", "above", "below", "respective", "separate", "corresponding", "specific", "own",
    "individual", "appropriate", "license", "licence", "agreement", "terms", "open", "source", "software",
    "commercial", "custom", "new", "full", "entire", "whole", "complete", "standard", "default", "legal",
    "model", "code", "weights", "project", "repository", "dataset", "data", "content", "end", "user",
    "permissive", "proprietary", "all", "see", "which", "under", "with", "in", "of", "for", "by", "and",
    "or", "to", "on", "as", "at", "from", "if", "is", "are", "be", "no", "not", "note", "please",
})
_TRAILING = frozenset({"and", "or", "the", "for", "with", "of", "in", "by", "to", "a", "an", "as", "at", "on"})
_LEADING = frozenset({"the", "a", "an", "permissive", "open-source", "standard"})
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_VERSION_TOKEN = re.compile(r"^\d[\d.]*$")


def plain_prose(text: str) -> str:
    """The text with front matter blanked, markdown links reduced to their labels and emphasis dropped.

    Line breaks are kept, so a line number in the result is the line in ``text``.
    """
    front = _FRONT_MATTER.match(text)
    if front:
        text = "\n" * front.group(0).count("\n") + text[front.end():]

    def label(match: re.Match[str]) -> str:
        return match.group(1).strip() or match.group(2)

    if "](" in text:  # every link has it
        text = _LINK.sub(label, text)
    if "*" in text or "__" in text or "`" in text:  # every emphasis mark has one of these
        text = _EMPHASIS.sub("", text)
    return text.replace("[", "").replace("]", "")


@dataclass(frozen=True)
class Unresolved:
    """A statement whose name the library cannot pin to one key: its family, and why."""

    family: str
    reason: str
    candidates: tuple[str, ...] = ()


def _version_free(key: str) -> str:
    return " ".join(word for word in key.split() if not _VERSION_TOKEN.match(word))


def _family_table(library: Library) -> dict[str, list[Reference]]:
    """Version-free name keys -> references whose names differ from them only by version or date."""
    cached = library.memo.get("__families__")
    if isinstance(cached, dict):
        return cached
    table: dict[str, list[Reference]] = {}
    for ref in library.references:
        if ref.deprecated or ref.unknown or ref.exception:
            continue
        for name in {ref.name, ref.short_name, ref.spdx}:
            key = name_key(name)
            free = _version_free(key)
            if free and free != key:
                bucket = table.setdefault(free, [])
                if ref not in bucket:
                    bucket.append(ref)
    library.memo["__families__"] = table
    return table


def family_of_name(library: Library, written: str) -> Unresolved | None:
    """The family a license name belongs to when it names no key: version missing or not held."""
    key = name_key(written)
    free = _version_free(key)
    refs = _family_table(library).get(free) if free else None
    if not refs:
        return None
    candidates = tuple(sorted(ref.key for ref in refs))
    families = {ref.family for ref in refs}
    family = families.pop() if len(families) == 1 else free.split()[0]
    versions = [word for word in key.split() if _VERSION_TOKEN.match(word)]
    if versions:
        reason = (f"'{written}' names version {' '.join(versions)}, which the library does not hold; "
                  f"candidates: {', '.join(candidates)}")
    else:
        reason = f"'{written}' states no version (version not stated); candidates: {', '.join(candidates)}"
    return Unresolved(family, reason, candidates)


def _creative_commons(written: str) -> Unresolved | None:
    """"a Creative Commons license", "the non-commercial CC license": the family, never a version."""
    key = name_key(written)
    if not re.search(r"\b(?:creative commons|cc)\b", key) or any(_VERSION_TOKEN.match(w) for w in key.split()):
        return None
    family = "cc-by-nc" if re.search(r"\b(?:nc|non commercial|noncommercial)\b", key) else "cc"
    return Unresolved(family, f"'{written}' names a Creative Commons license without its kind or version "
                              "(version not stated)")


def unknown_license_name(written: str) -> Unresolved | None:
    """A capitalised license name the library does not hold ("Roboflow Enterprise License")."""
    match = _NAMED_LICENSE.match(written.strip())
    if match is None:
        return None
    words = match.group("name").split()
    head = [w for w in words if not _LICENSE_WORD.match(w) and w.lower() not in ("of", "use", "and", "conditions")]
    if not head or head[0].lower().strip("'\"") in _GENERIC_FIRST:
        return None
    if not all(w[0].isupper() or w[0].isdigit() for w in head if w.lower() not in ("of", "and", "the", "for")):
        return None
    name = match.group("name")
    return Unresolved("unknown", f"'{name}' names a license the library does not hold")


@functools.cache
def _identity_names() -> dict[str, tuple[Identity, ...]]:
    """Name keys of the identities' titles (also without the licensor's first word when a version stays)."""
    names: dict[str, list[Identity]] = {}
    for identity in load_identities():
        for title in identity.titles:
            key = name_key(title)
            variants = [key]
            tail = key.split(" ", 1)[1] if " " in key else ""
            if len(tail.split()) >= 2 and any(_VERSION_TOKEN.match(w) for w in tail.split()):
                variants.append(tail)
            for variant in variants:
                if len(variant.split()) >= 2 and identity not in names.setdefault(variant, []):
                    names[variant].append(identity)
    return {key: tuple(found) for key, found in names.items()}


def _by_name(library: Library, key: str) -> Reference | None:
    """The reference a name key names exactly, or the one longer name it starts when only a year follows.

    "Llama 3.2 Community License" names "Llama 3.2 Community License Agreement 2024", but "Tencent
    Hunyuan" does not name "Tencent Hunyuan 3D 2.0 Community License Agreement": a version left out
    is not guessed.
    """
    index = name_index(library)
    if not key:
        return None
    if key in index.names:
        return index.names[key]
    if len(key.split()) < 2:
        return None
    longer = {}
    for name in index.sorted_names[bisect.bisect_left(index.sorted_names, key + " "):]:
        if not name.startswith(key + " "):
            break
        extra = name[len(key) + 1:].split()
        if all(_YEAR.match(word) for word in extra):
            longer[index.names[name].key] = index.names[name]
    return next(iter(longer.values())) if len(longer) == 1 else None


_RESOLVED_LIMIT = 20_000  # remembered phrases per library (statements repeat across files)


def resolve_statement(library: Library, phrase: str, *, strict: bool = False
                      ) -> tuple[Reference | None, Unresolved | None, str]:
    """What a stated license name resolves to: a reference, a family/unknown name, or nothing.

    Tries the longest leading run of words first.  ``strict`` accepts only ids and exact names that
    carry a version (for loose shapes such as "The dataset is CC BY NC 4.0").  Answers are
    remembered per library: the same phrase resolves the same way.
    """
    words = phrase.split()[:12]
    remembered = library.memo.setdefault("__resolved_statements__", {})
    key = (" ".join(words), strict)
    answer = remembered.get(key)
    if answer is None:
        answer = _resolve_statement(library, words, strict)
        if len(remembered) < _RESOLVED_LIMIT:
            remembered[key] = answer
    return answer


def _resolve_statement(library: Library, words: list[str], strict: bool
                       ) -> tuple[Reference | None, Unresolved | None, str]:
    index = name_index(library)
    while len(words) > 1 and words[0].lower() in _LEADING:
        words = words[1:]
    phrase = " ".join(words)
    for size in range(len(words), 0, -1):
        candidate = " ".join(words[:size]).strip(" ,.;:")
        if not candidate or words[size - 1].lower().strip(",.;:") in _TRAILING:
            continue
        lowered = candidate.lower()
        if lowered in HUB_IDS and HUB_IDS[lowered][0] is not None and not strict:
            ref = library.by_key.get(HUB_IDS[lowered][0] or "")
            if ref is not None:
                return ref, None, candidate
        ref = index.by_spdx(candidate)
        if ref is None:
            key = name_key(candidate)
            ref = index.names.get(key) if strict else _by_name(library, key)
            if strict and ref is not None and not any(_VERSION_TOKEN.match(w) for w in key.split()):
                ref = None
        if ref is not None:
            return ref, None, candidate
    if strict:
        return None, None, phrase
    for size in range(len(words), 0, -1):
        candidate = " ".join(words[:size]).strip(" ,.;:")
        named = _identity_names().get(name_key(candidate), ()) if size > 1 else ()
        if len(named) == 1:
            return None, Unresolved(named[0].family, f"'{candidate}' names {named[0].name}, an AI license the "
                                    f"library does not hold; its delivered text is named by identity "
                                    f"{named[0].id}", (named[0].id,)), candidate
        if named:
            ids = tuple(sorted(i.id for i in named))
            return None, Unresolved(named[0].family, f"'{candidate}' states no edition (version not stated); "
                                    f"candidates: {', '.join(ids)}", ids), candidate
    for size in range(len(words), 0, -1):
        candidate = " ".join(words[:size]).strip(" ,.;:")
        rest = words[size:size + 1]
        said = any(_LICENSE_WORD.match(w.strip(",.;:")) for w in words[:size])
        if not candidate or (rest and not said and not _LICENSE_WORD.match(rest[0].strip(",.;:"))):
            continue
        found = family_of_name(library, candidate) or _creative_commons(candidate)
        if found is not None:
            named = words[:size + 1] if rest and _LICENSE_WORD.match(rest[0].strip(",.;:")) else words[:size]
            return None, found, " ".join(named).strip(" ,.;:")
    unknown = unknown_license_name(phrase)
    if unknown is not None:
        written = _NAMED_LICENSE.match(phrase.strip())
        return None, unknown, written.group("name") if written else phrase
    return None, None, phrase
