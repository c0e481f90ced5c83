"""Checklists: the items a reviewer decides on, loaded from YAML (firm folder first)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from desktop import paths
from desktop.core.resource_yaml import load_resource

DECISIONS = ("accept", "accept-with-conditions", "reject", "needs-info")


class ChecklistError(ValueError):
    """A checklist file that cannot be used, with the file and the problem named."""


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    title: str
    question: str
    guidance: str
    rule: str
    decisions: tuple[str, ...]


@dataclass(frozen=True)
class Checklist:
    name: str
    version: str
    title: str
    items: tuple[ChecklistItem, ...]
    source: str

    def item(self, item_id: str) -> ChecklistItem:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.items)


def builtin_dir() -> Path:
    return paths.resources_dir() / "checklists"


def checklist_path(name: str = "default", firm_dir: Path | None = None) -> Path:
    """The file for checklist ``name``: the firm folder's copy wins over the built-in one."""
    for folder in (firm_dir, builtin_dir()):
        if folder is not None and (folder / f"{name}.yaml").is_file():
            return folder / f"{name}.yaml"
    raise ChecklistError(f"no checklist named {name!r} in {firm_dir or ''} or {builtin_dir()}")


def load_checklist(name: str = "default", firm_dir: Path | None = None) -> Checklist:
    """Load and validate a checklist by name."""
    return parse_checklist(checklist_path(name, firm_dir))


def parse_checklist(path: Path) -> Checklist:
    try:
        data = load_resource(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ChecklistError(f"{path}: cannot be read ({exc})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise ChecklistError(f"{path}: a checklist needs a mapping with an 'items' list")
    default_decisions = tuple(data.get("decisions") or DECISIONS)
    items, seen = [], set()
    for n, raw in enumerate(data["items"], 1):
        if not isinstance(raw, dict):
            raise ChecklistError(f"{path}: item {n} is not a mapping")
        missing = [k for k in ("id", "title", "question") if not raw.get(k)]
        if missing:
            raise ChecklistError(f"{path}: item {n} lacks {', '.join(missing)}")
        if raw["id"] in seen:
            raise ChecklistError(f"{path}: item id {raw['id']!r} appears twice")
        seen.add(raw["id"])
        decisions = tuple(raw.get("decisions") or default_decisions)
        unknown = set(decisions) - set(DECISIONS)
        if unknown:
            raise ChecklistError(f"{path}: item {raw['id']!r} has unknown decisions {sorted(unknown)}")
        items.append(ChecklistItem(str(raw["id"]), str(raw["title"]), str(raw["question"]),
                                   str(raw.get("guidance", "")), str(raw.get("rule", raw["id"])), decisions))
    return Checklist(str(data.get("name", path.stem)), str(data.get("version", "1")),
                     str(data.get("title", path.stem)), tuple(items), str(path))
