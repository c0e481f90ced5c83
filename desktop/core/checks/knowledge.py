"""The license knowledge base: facts per LicenseDB key, each backed by evidence in the reference text.

One YAML file per key under ``resources/knowledge/<key>.yaml``.  :func:`load_knowledge` checks the
shape of every file strictly (a bad file raises :class:`KnowledgeError` naming the file and the
field); :func:`check_evidence` checks that each cited line range exists in the reference text and
contains its quote.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from desktop import paths
from desktop.core.checks.knowledge_schema import (
    FACT_NAMES,
    NOT_STATED,
    Evidence,
    Fact,
    KnowledgeError,
    LicenseFacts,
    parse_document,
)

__all__ = [
    "FACT_NAMES", "NOT_STATED", "Evidence", "Fact", "KnowledgeError", "LicenseFacts",
    "check_evidence", "facts_to_json", "knowledge_dir", "knowledge_files", "knowledge_version",
    "load_knowledge", "load_knowledge_file",
]
MAX_FILE_BYTES = 256 * 1024
_WHITESPACE = re.compile(r"\s+")


def knowledge_dir() -> Path:
    """The bundled knowledge folder (``resources/knowledge``)."""
    return paths.resources_dir() / "knowledge"


def knowledge_files(directory: Path | None = None) -> list[Path]:
    """The knowledge YAML files of a folder, sorted by name."""
    folder = knowledge_dir() if directory is None else directory
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.yaml") if p.is_file())


def knowledge_version(directory: Path | None = None) -> str:
    """A short hash over the names and contents of the knowledge files (memos record it)."""
    digest = hashlib.sha256()
    for path in knowledge_files(directory):
        digest.update(path.name.encode("utf-8") + b"\0")
        digest.update(path.read_bytes().replace(b"\r\n", b"\n") + b"\0")
    return digest.hexdigest()[:16]


def __getattr__(name: str) -> Any:
    # KNOWLEDGE_VERSION is computed on first use so importing this module reads no files.
    if name == "KNOWLEDGE_VERSION":
        return knowledge_version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def load_knowledge(directory: Path | None = None, cache_dir: Path | None = None) -> dict[str, LicenseFacts]:
    """Load and validate every knowledge file; raises KnowledgeError naming the bad file and field.

    The parsed files are kept in ``cache_dir`` (default: the app's cache folder) by content.
    """
    from desktop.core.checks.knowledge_cache import documents

    files = knowledge_files(directory)
    raw = {path.name: _read(path) for path in files}
    if cache_dir is None:
        cache_dir = paths.cache_dir()
    parsed = documents(raw, lambda name, data: _parse_yaml(name, data), cache_dir)
    loaded: dict[str, LicenseFacts] = {}
    for path in files:
        facts = parse_document(parsed[path.name], path)
        loaded[facts.key] = facts
    return loaded


def load_knowledge_file(path: Path) -> LicenseFacts:
    """Load and validate one knowledge file."""
    return parse_document(_parse_yaml(path.name, _read(path)), path)


def _read(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise KnowledgeError(f"{path.name}: the file is larger than {MAX_FILE_BYTES} bytes")
        return path.read_bytes()
    except OSError as exc:
        raise KnowledgeError(f"{path.name}: cannot be read ({exc})") from exc


def _parse_yaml(name: str, data: bytes) -> Any:
    try:
        return yaml.load(data.decode("utf-8"), Loader=_UniqueKeyLoader)
    except UnicodeDecodeError as exc:
        raise KnowledgeError(f"{name}: cannot be read ({exc})") from exc
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"{name}: is not valid YAML ({exc})") from exc


def check_evidence(facts: LicenseFacts, reference_text: str,
                   meta: Mapping[str, Any] | None = None) -> list[str]:
    """Problems with the evidence of one key: ranges outside the text, quotes not found in their range.

    Quotes are matched after collapsing every run of whitespace to one space.  Metadata evidence is
    checked against ``meta`` (the reference front matter) when it is given.
    """
    problems: list[str] = []
    lines = reference_text.split("\n")
    for fact in facts.facts.values():
        for item in fact.evidence:
            where = f"{facts.path.name}: {fact.name}"
            if item.source in ("metadata", "osi-list"):
                if meta is not None:
                    problems += _check_metadata(where, item, meta)
                if item.source == "osi-list" and item.quote not in osi_approved_ids():
                    problems.append(f"{where}: {item.quote!r} is not on the OSI list "
                                    f"(resources/licenses/osi_approved.json)")
                continue
            assert item.lines is not None
            first, last = item.lines
            if last > len(lines):
                problems.append(f"{where}: lines {first}-{last} are outside the reference text "
                                f"of {facts.key} ({len(lines)} lines)")
                continue
            excerpt = _collapse("\n".join(lines[first - 1:last]))
            if _collapse(item.quote) not in excerpt:
                problems.append(f"{where}: the quote {item.quote!r} is not in lines {first}-{last} "
                                f"of the reference text of {facts.key}")
    return problems


@functools.cache
def osi_approved_ids() -> frozenset[str]:
    """SPDX identifiers on the OSI's approved list (``resources/licenses/osi_approved.json``)."""
    path = paths.resources_dir() / "licenses" / "osi_approved.json"
    return frozenset(json.loads(path.read_text(encoding="utf-8"))["spdx"])


def facts_to_json(facts: LicenseFacts) -> dict[str, Any]:
    """A JSON-ready dict of one key's facts and their evidence."""
    return {
        "key": facts.key,
        "name": facts.name,
        "family": facts.family,
        "kind": facts.kind,
        "facts": {
            fact.name: {
                "value": fact.value,
                "summary": fact.summary,
                "evidence": [_evidence_to_json(item) for item in fact.evidence],
            }
            for fact in facts.facts.values()
        },
    }


def _evidence_to_json(item: Evidence) -> dict[str, Any]:
    if item.source in ("metadata", "osi-list"):
        return {"source": item.source, "field": item.field, "quote": item.quote}
    assert item.lines is not None
    return {"source": "text", "lines": list(item.lines), "quote": item.quote}


def _collapse(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


def _check_metadata(where: str, item: Evidence, meta: Mapping[str, Any]) -> list[str]:
    field = item.field or ""
    if field not in meta or meta[field] is None:
        actual = "absent"
    elif isinstance(meta[field], bool):
        actual = "true" if meta[field] else "false"
    else:
        actual = str(meta[field])
    if item.quote.strip().lower() == actual.strip().lower():
        return []
    return [f"{where}: metadata field {field!r} is {actual!r}, not {item.quote!r}"]


# --- YAML loading -------------------------------------------------------------------------------

class _UniqueKeyLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """A safe loader that refuses a mapping with the same key twice (a silently lost fact)."""


def _construct_unique_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode,
                              deep: bool = False) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)  # type: ignore[no-untyped-call]
        if isinstance(key, (str, int, float, bool)) and key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
                                 _construct_unique_mapping)
