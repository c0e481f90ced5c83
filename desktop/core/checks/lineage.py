"""Model lineage: base models and their relation, from cards, configs, adapters and GGUF metadata."""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from desktop import paths
from desktop.core.checks.lineage_prose import prose_bases
from desktop.core.resource_yaml import load_resource
from desktop.core.results import FileEntry

HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")
HUB_URL = re.compile(r"^https?://(?:www\.)?huggingface\.co/([\w.-]+/[\w.-]+)")
RELATIONS = {"adapter": "adapter", "merge": "merge", "quantized": "quantized", "finetune": "fine-tune",
             "fine-tune": "fine-tune", "distillation": "distillation", "distilled": "distillation"}


@dataclass(frozen=True)
class BaseModelRow:
    """One row of the well-known base model table."""

    match: str
    license: str | None
    family: str | None
    name: str | None
    note: str


@dataclass
class BaseModel:
    """A base model the delivery names, with where it was named and what license it carries."""

    id: str
    sources: list[dict[str, Any]] = field(default_factory=list)
    license: str | None = None
    family: str | None = None
    license_name: str | None = None
    note: str | None = None

    @property
    def known(self) -> bool:
        return self.family is not None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "license": self.license, "family": self.family,
                "license_name": self.license_name, "known": self.known, "note": self.note,
                "sources": self.sources}


@dataclass
class Lineage:
    base_models: list[BaseModel]
    relation: str | None
    relation_source: dict[str, Any] | None
    names: list[dict[str, str]]

    def to_json(self) -> dict[str, Any]:
        return {"base_models": [b.to_json() for b in self.base_models], "relation": self.relation,
                "relation_source": self.relation_source, "names": self.names}


def table_path() -> Path:
    return paths.resources_dir() / "lineage" / "base_models.yaml"


@lru_cache(maxsize=4)
def load_base_model_table(path: Path | None = None) -> tuple[BaseModelRow, ...]:
    """The table of well-known base model ids (resources/lineage/base_models.yaml)."""
    rows = load_resource((path or table_path()).read_text(encoding="utf-8")) or []
    return tuple(BaseModelRow(str(r["match"]), r.get("license"), r.get("family"), r.get("name"),
                              str(r["note"])) for r in rows)


def lookup_base_model(hub_id: str, table: tuple[BaseModelRow, ...] | None = None) -> BaseModelRow | None:
    """The table row for ``hub_id`` (case-insensitive glob), or None when it is unknown."""
    for row in table or load_base_model_table():
        if fnmatch.fnmatchcase(hub_id.lower(), row.match.lower()):
            return row
    return None


def lookup_by_name(name: str, table: tuple[BaseModelRow, ...] | None = None) -> BaseModelRow | None:
    """The row whose Hub-id pattern, without its organisation, matches a bare model name ("DeepSeek-V2")."""
    for row in table or load_base_model_table():
        if fnmatch.fnmatchcase(name.lower(), row.match.rsplit("/", 1)[-1].lower()):
            return row
    return None


def hub_id_from(value: Any) -> str | None:
    """A Hub id from an id or a huggingface.co URL; None for local paths and other strings."""
    if not isinstance(value, str):
        return None
    text = value.strip().rstrip("/")
    url = HUB_URL.match(text)
    if url:
        return url.group(1)
    if HUB_ID.match(text) and not text.startswith((".", "/")):
        return text
    return None


def extract_lineage(files: list[FileEntry], source_name: str = "") -> Lineage:
    """Collect base models, the relation and the model's own names from every source."""
    found: dict[str, BaseModel] = {}
    relation: str | None = None
    relation_source: dict[str, Any] | None = None
    names: list[dict[str, str]] = []

    def add(hub: str | None, path: str, fld: str, raw: Any) -> None:
        if not hub:
            return
        model = found.setdefault(hub.lower(), BaseModel(id=hub))
        model.sources.append({"path": path, "field": fld, "value": str(raw)})

    for entry in files:
        meta = entry.metadata
        name = entry.path.rsplit("/", 1)[-1]
        if entry.role == "model_card":
            for value in meta.get("base_model") or []:
                add(hub_id_from(value) or str(value), entry.path, "base_model", value)
            rel = meta.get("base_model_relation")
            if isinstance(rel, str) and rel.lower() in RELATIONS:
                relation, relation_source = RELATIONS[rel.lower()], {"path": entry.path,
                                                                     "field": "base_model_relation"}
            if meta.get("model_name"):
                names.append({"name": str(meta["model_name"]), "path": entry.path, "field": "model_name"})
        elif name == "adapter_config.json":
            value = meta.get("base_model_name_or_path")
            add(hub_id_from(value), entry.path, "base_model_name_or_path", value)
            if relation is None:
                relation, relation_source = "adapter", {"path": entry.path, "field": "peft_type"}
        elif name == "config.json":
            value = meta.get("_name_or_path")
            if value:
                names.append({"name": str(value), "path": entry.path, "field": "_name_or_path"})
        elif entry.format == "gguf":
            _gguf_lineage(entry, add, names)
    if relation is None:
        quantized = [f for f in files if f.format == "gguf" and gguf_value(f, "file_type") not in (None, 0, 1)]
        if quantized and found:
            relation, relation_source = "quantized", {"path": quantized[0].path, "field": "general.file_type"}
    # Prose (a card's "trained from X", a license applying X's terms to the weights) only when no field did.
    if not found:
        # the model's own names; config _name_or_path often holds the parent's id, so it is not one
        own = [n["name"] for n in names if n["field"] != "_name_or_path"] + ([source_name] if source_name else [])
        for base in prose_bases(files, own):
            add(base.name, base.path, "license text" if base.in_license else "prose", base.name)
            found[base.name.lower()].sources[-1].update(
                {"line": base.line, "quote": base.quote, "license_phrase": base.license_phrase})
            if relation is None and base.relation:
                relation, relation_source = base.relation, {"path": base.path, "field": "prose", "line": base.line}
    # config.json _name_or_path names a parent only when no stronger source named one.
    if not found:
        for item in names:
            hub = hub_id_from(item["name"]) if item["field"] == "_name_or_path" else None
            if hub:
                add(hub, item["path"], "_name_or_path (hint)", item["name"])
    if source_name:
        names.append({"name": source_name, "path": "", "field": "delivery name"})
    for model in found.values():
        row = lookup_base_model(model.id) or (lookup_by_name(model.id) if "/" not in model.id else None)
        if row is not None:
            model.license, model.family, model.note = row.license, row.family, row.note
            model.license_name = row.name
    return Lineage(list(found.values()), relation, relation_source, names)


def gguf_value(entry: FileEntry, key: str) -> Any:
    """A ``general.*`` GGUF key from the reader's metadata (``key`` without the prefix)."""
    general = entry.metadata.get("general") or {}
    return general.get(f"general.{key}", general.get(key))


def _gguf_lineage(entry: FileEntry, add: Any, names: list[dict[str, str]]) -> None:
    count = gguf_value(entry, "base_model.count") or 0
    for n in range(min(int(count), 64) if isinstance(count, int) else 0):
        url = gguf_value(entry, f"base_model.{n}.repo_url")
        hub = hub_id_from(url)
        if hub is None:
            org, nm = gguf_value(entry, f"base_model.{n}.organization"), gguf_value(entry, f"base_model.{n}.name")
            hub = f"{org}/{nm}" if org and nm else nm
            add(hub, entry.path, f"general.base_model.{n}.name", hub)
        else:
            add(hub, entry.path, f"general.base_model.{n}.repo_url", url)
    if gguf_value(entry, "name"):
        names.append({"name": str(gguf_value(entry, "name")), "path": entry.path, "field": "general.name"})
