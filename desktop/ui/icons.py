"""Icons drawn as plain SVG files in ``resources/icons`` (no .qrc), cached per name."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from desktop import paths

ROLE_ICONS = {
    "weights": "role-weights", "tokenizer": "role-tokenizer", "config": "role-config",
    "code": "role-code", "license": "role-license", "notice": "role-license",
    "model_card": "role-model-card", "agreement": "role-agreement", "data": "role-data",
    "docs": "role-docs", "archive": "role-archive", "other": "role-other",
}
COMPONENT_ICONS = {
    "model": "role-weights", "code": "role-code", "data": "role-data", "docs": "role-docs",
    "agreements": "role-agreement", "licenses": "role-license",
}
LEVELS = ("block", "high", "medium", "low", "info")


@cache
def icon(name: str) -> QIcon:
    """The icon ``resources/icons/<name>.svg`` (an empty icon when the file is missing)."""
    path = paths.resources_dir() / "icons" / f"{name}.svg"
    return QIcon(str(path)) if path.is_file() else QIcon()


def role_icon(role: str) -> QIcon:
    """The icon of a file role (weights, code, license, ...)."""
    return icon(ROLE_ICONS.get(role, "role-other"))


def component_icon(kind: str) -> QIcon:
    """The icon of a component kind (model, code, data, docs, agreements, licenses)."""
    return icon(COMPONENT_ICONS.get(kind, "folder"))


def level_icon(level: str | None) -> QIcon:
    """A coloured risk marker for a finding level; empty for no level."""
    return icon(f"level-{level}") if level in LEVELS else QIcon()
