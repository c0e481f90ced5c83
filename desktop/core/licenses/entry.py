"""Licenses of one scanned file, by role: full texts, code headers, declared metadata."""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from typing import Any

from desktop.core.licenses.identify import LicenseMatch, identify_text, identify_words, named, unnamed
from desktop.core.licenses.library import Library
from desktop.core.licenses.names import resolve_declared
from desktop.core.licenses.normalize import Words, words_of
from desktop.core.licenses.packages import is_package_file, package_license_values
from desktop.core.results import FileEntry

TEXT_ROLES = frozenset({"license", "notice", "model_card", "agreement", "docs"})
HEADER_CHARS = 12_000
HEADER_LINES = 300
MEMO_SIZE = 512
_COMMENT = re.compile(r"^\s*(?:#|//|/\*|\*|--|;|%|'|!|rem\b|::|<!--|\"\"\"|'''|\{-|\(\*)", re.IGNORECASE)
_LICENSE_HINT = re.compile(r"licen[cs]|permission|warrant|redistribut|copyright", re.IGNORECASE)
_LICENSE_WORDS = re.compile(
    r"\b(?:licen[cs]\w*|permission|permitted|warrant\w*|redistribut\w*|liabilit\w*|liable|"
    r"merchantability|sublicense|conditions|copyright|damages)\b", re.IGNORECASE)
_STRIP_MARKERS = re.compile(r"^\s*(?:#+|//+|/\*+|\*+/?|--|;+|%+|<!--|-->|\"\"\"|''')", re.MULTILINE)


def code_header(text: str) -> str:
    """The leading comment block of a source file (blank lines and shebang included)."""
    lines = text[:HEADER_CHARS].split("\n")[:HEADER_LINES]
    kept: list[str] = []
    in_block = False
    for line in lines:
        stripped = line.strip()
        if in_block:
            kept.append(line)
            if "*/" in stripped or stripped.endswith(('"""', "'''", "-}", "*)", "-->")):
                in_block = False
            continue
        if not stripped or stripped.startswith("#!") or _COMMENT.match(line):
            kept.append(line)
            opens = stripped.startswith(("/*", '"""', "'''", "{-", "(*", "<!--"))
            closes = len(stripped) > 3 and ("*/" in stripped[2:] or stripped.endswith(
                ('"""', "'''", "-}", "*)", "-->")))
            in_block = opens and not closes
            continue
        break
    return "\n".join(kept)


def _looks_like_license_text(header: str) -> bool:
    hits = len(_LICENSE_WORDS.findall(header))
    return hits >= 4 and len(header) >= 300


def _code_licenses(text: str, library: Library) -> list[LicenseMatch]:
    header = code_header(text)
    if not _LICENSE_HINT.search(header):
        tagged = "SPDX-License-Identifier" in text[:HEADER_CHARS]
        if not tagged:
            return []
        header = text[:HEADER_CHARS]
    plain = _STRIP_MARKERS.sub("", header)
    if not _looks_like_license_text(plain):
        # Short forms only (tags, notices): the same header recurs across a code tree, so memoise.
        short = library.memo.setdefault("__short_headers__", OrderedDict())
        found = short.get(plain)
        if found is None:
            found = identify_words(Words([], []), library, scanned=plain)
            short[plain] = found
            while len(short) > MEMO_SIZE:
                short.popitem(last=False)
        return found
    words = words_of(plain)
    digest = hashlib.blake2b(" ".join(words.words).encode() + repr(words.lines).encode(),
                             digest_size=16).hexdigest()
    memo = library.memo.setdefault("__headers__", OrderedDict())
    found = memo.get(digest)
    if found is None:
        found = identify_words(words, library, scanned=plain)
        memo[digest] = found
        while len(memo) > MEMO_SIZE:
            memo.popitem(last=False)
    return found


def _declared_values(entry: FileEntry) -> list[tuple[str, str]]:
    meta = entry.metadata or {}
    values: list[tuple[str, str]] = []

    def add(field: str, value: Any) -> None:
        if isinstance(value, str) and value.strip():
            values.append((field, value.strip()[:300]))
        elif isinstance(value, list):
            for item in value[:20]:
                add(field, item)

    add("license", meta.get("license"))
    general = meta.get("general")
    if isinstance(general, dict):
        add("general.license", general.get("license"))
    header = meta.get("metadata")
    if isinstance(header, dict):
        add("license", header.get("license"))
        add("modelspec.license", header.get("modelspec.license"))
    return values


def declared_licenses(entry: FileEntry, library: Library) -> list[LicenseMatch]:
    """What the file's metadata declares (model card front matter, GGUF, safetensors)."""
    meta = entry.metadata or {}
    found: list[LicenseMatch] = []
    for field, value in _declared_values(entry):
        resolved = resolve_declared(library, value)
        name = meta.get("license_name") if value.lower() == "other" else None
        if resolved.ref is None and isinstance(name, str) and name.strip():
            resolved = resolve_declared(library, name)
            value = f"other: {name.strip()}"
        common = {"score": 1.0, "coverage": None, "source": "declared", "written": value}
        if resolved.ref is not None:
            found.append(named(resolved.ref, modified=False, **common))
            continue
        link = meta.get("license_link")
        reason = f"{field} '{value}' does not name a license in the library"
        if resolved.how == "hub-id":
            reason = (f"{field} '{value}' names the {resolved.family} family "
                      "without a version the library holds")
        if value.startswith("other: "):
            reason = f"declared but unidentified: {reason}"
        if isinstance(link, str) and link.strip():
            reason += f"; license_link points to {link.strip()[:200]}"
        found.append(unnamed(None, resolved.family, reason, **common))
    return found


def entry_matches(entry: FileEntry, library: Library) -> list[LicenseMatch]:
    """Every license of one scanned file (text, short forms, declared)."""
    found: list[LicenseMatch] = []
    if entry.role in TEXT_ROLES and (entry.text or entry.pages):
        found = identify_text(entry.text or "", library, pages=entry.pages)
    elif entry.role == "code" and entry.text:
        found = list(_code_licenses(entry.text, library))
        if is_package_file(entry.path):
            found += package_licenses(entry, library)
    return found + declared_licenses(entry, library)


def package_licenses(entry: FileEntry, library: Library) -> list[LicenseMatch]:
    """What a code package's metadata declares (``source: declared``, ``written`` says where)."""
    found: list[LicenseMatch] = []
    name = entry.path.rsplit("/", 1)[-1]
    for field, value in package_license_values(entry.path, entry.text or ""):
        resolved = resolve_declared(library, value)
        common = {"score": 1.0, "coverage": None, "source": "declared", "written": f"{name}: {field} = {value}"}
        if resolved.ref is not None:
            found.append(named(resolved.ref, modified=False, **common))
        else:
            found.append(unnamed(None, resolved.family, f"{name} declares '{value}', which names no license "
                                 "in the library", **common))
    return found


def identify_entry(entry: FileEntry, library: Library) -> list[dict[str, Any]]:
    """The scan JSON ``licenses`` list of one file; cheap for files that cannot carry a license."""
    return [m.to_json() for m in entry_matches(entry, library)]
