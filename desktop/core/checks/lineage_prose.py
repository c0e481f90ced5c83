"""Base models named only in prose: a card saying what the model was trained from, a license applying
another model's license conditions to the weights.

Read only when no card field, adapter config or GGUF key names a base.  Strict on purpose: the sentence
must be about this model (its name, or "this model"), or be a license text applying another model's
license to the weights; news about other models, benchmark tables and "based on <framework>" are not
lineage.  Every base found keeps the line and the words that name it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from desktop.core.licenses.statements import plain_prose
from desktop.core.results import FileEntry

_TRAINED_FROM = re.compile(
    r"(?P<subject>\b[\w.\-]+|\b[Tt]his\s+model|\b[Tt]he\s+model)\s+(?:is|was|has\s+been)\s+"
    r"(?:(?:further|continually|continuously|first|then|also)\s+)?"
    r"(?P<verb>pre-?trained|fine-?tuned|trained|distilled|initiali[sz]ed|quantized|merged|derived)\s+"
    r"(?P<prep>from|on|upon|off)\s+(?:(?:an?|the)\s+)?(?:(?:intermediate|pre-?trained|base|original)\s+)*"
    r"(?:(?:checkpoint|version|weights)\s+of\s+(?:the\s+)?)?(?P<name>[\w./-]*[\w])")
_APPLIES_TO_WEIGHTS = re.compile(r"(?i)\bappl(?:y|ies)\s+to\s+(?:the\s+)?(?:model\s+)?(?:weights|parameters)")
_LICENSE_CONDITIONS = re.compile(
    r"(?P<name>\b[A-Z][\w.\-]*(?:\s\d[\w.]*)?)\s+licen[cs]e\s+(?:conditions|terms)\b"
    r"(?:\s*\((?P<paren>[^)\n]{0,200})\))?")
_RELATIONS = {"fine": "fine-tune", "dist": "distillation", "quan": "quantized", "merg": "merge"}
_NOT_NAMES = frozenset({
    "scratch", "top", "data", "datasets", "dataset", "tokens", "text", "code", "it", "this", "that", "these",
    "the", "such", "other", "same", "its", "their", "our", "your", "original", "applicable", "respective",
    "mit", "apache", "bsd", "gpl", "lgpl", "agpl", "mpl", "cc", "creative", "all", "any", "each",
})
_HEADING = re.compile(r"^\s*(?:#+\s*|\d+(?:\.\d+)*\.?\s+)?(?P<text>.{3,100}?)\s*$")


@dataclass(frozen=True)
class ProseBase:
    """A base model a delivered text names in prose."""

    name: str
    path: str
    line: int
    quote: str                     # the words that name it, as they stand in the delivered line
    relation: str | None           # what the sentence says was done to it, when it says
    license_phrase: str | None     # the license the same text states for it (license texts only)
    in_license: bool               # named by a license text as applying to the weights


def prose_bases(files: list[FileEntry], names: list[str]) -> list[ProseBase]:
    """Base models named in the prose of cards, docs and license texts (see the module doc)."""
    own = {_key(n) for n in names if _key(n)}
    found: list[ProseBase] = []
    for entry in files:
        if not entry.text or entry.pages is not None:
            continue
        if entry.role in ("model_card", "docs"):
            own_here = own | _title_keys(entry.text)
            found += _trained_from(entry, own_here)
        elif entry.role in ("license", "agreement"):
            found += _applied_licenses(entry)
    seen: set[str] = set()
    out = []
    for base in found:
        if _key(base.name) not in seen:
            seen.add(_key(base.name))
            out.append(base)
    return out


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.rsplit("/", 1)[-1].lower())


def _title_keys(text: str) -> set[str]:
    """The model's name as the card's first level-one heading gives it (when it is one word)."""
    match = re.search(r"(?m)^#\s+([\w.\-]+)\s*$", text[:20_000])
    return {_key(match.group(1))} if match else set()


def _trained_from(entry: FileEntry, own: set[str]) -> list[ProseBase]:
    out = []
    for n, line in enumerate(plain_prose(entry.text or "").split("\n"), 1):
        for match in _TRAINED_FROM.finditer(line):
            subject, name = match["subject"], match["name"].rstrip(".")
            about_this = subject.lower().split()[-1] == "model" or _key(subject) in own
            if not about_this or not _looks_like_model(name) or _key(name) in own:
                continue
            if match["prep"].lower() in ("on", "upon") and "/" not in name:
                continue  # "trained on X" names data far more often than a model
            relation = _RELATIONS.get(match["verb"].lower()[:4], "fine-tune" if "train" in match["verb"].lower()
                                      else None)
            out.append(ProseBase(name, entry.path, n, name, relation, None, False))
    return out


def _applied_licenses(entry: FileEntry) -> list[ProseBase]:
    """"<Model> license conditions (...) also apply to the model weights": each such model is a base."""
    out = []
    lines = (entry.text or "").split("\n")
    for n, line in enumerate(lines, 1):
        if not _APPLIES_TO_WEIGHTS.search(line):
            continue
        for match in _LICENSE_CONDITIONS.finditer(line):
            name = match["name"]
            if name.lower() in _NOT_NAMES or not _looks_like_model(name, strict=False):
                continue
            full = _heading_name(lines, n, name)
            paren = match["paren"] or ""
            phrase = next((p.strip() for p in paren.split(",") if p.strip() and "://" not in p), None)
            out.append(ProseBase(full, entry.path, n, match.group(0).split("(")[0].strip(), None,
                                 phrase or f"{name} license", True))
    return out


def _heading_name(lines: list[str], n: int, name: str) -> str:
    """The fuller name a heading just above gives ``name`` ("EVA" under a heading naming "EVA-CLIP2")."""
    for k in range(n - 2, max(-1, n - 7), -1):
        heading = _HEADING.match(lines[k]) if 0 <= k < len(lines) else None
        if heading is None or not re.search(r"(?i)licen[cs]e", heading["text"]):
            continue
        for token in re.findall(r"[\w.\-]+", heading["text"]):
            if token.lower().startswith(name.lower()) and len(token) > len(name):
                return token.rstrip(".")
    return name


def _looks_like_model(name: str, strict: bool = True) -> bool:
    """A model name, not a word: a Hub id, or a name with a capital or digit and no stop word."""
    bare = name.rsplit("/", 1)[-1]
    if len(bare) < 2 or not bare[0].isalpha() or bare.lower() in _NOT_NAMES:
        return False
    if "/" in name:
        return True
    has_mark = any(c.isdigit() for c in bare) or "-" in bare
    return bool(re.search(r"[A-Z]", bare)) and (has_mark or not strict)
