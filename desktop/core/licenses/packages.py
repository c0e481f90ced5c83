"""Licenses that code packages declare in their metadata (pyproject.toml, setup.cfg, package.json, Cargo.toml)."""

from __future__ import annotations

import configparser
import json
import re
import tomllib
from typing import Any

PACKAGE_FILES = frozenset({"pyproject.toml", "setup.cfg", "package.json", "cargo.toml"})
_OPERATORS = re.compile(r"\s+(?:OR|AND|WITH)\s+|[()]", re.IGNORECASE)
_CLASSIFIER = "License :: "


def is_package_file(name: str) -> bool:
    return name.rsplit("/", 1)[-1].lower() in PACKAGE_FILES


def package_license_values(name: str, text: str) -> list[tuple[str, str]]:
    """``(field, value)`` pairs of the license a package declares; [] when unreadable or silent."""
    base = name.rsplit("/", 1)[-1].lower()
    try:
        if base == "pyproject.toml":
            return _pyproject(tomllib.loads(text))
        if base == "cargo.toml":
            package = tomllib.loads(text).get("package") or {}
            return _expression("package.license", package.get("license"))
        if base == "package.json":
            return _package_json(json.loads(text))
        if base == "setup.cfg":
            parser = configparser.ConfigParser(interpolation=None)
            parser.read_string(text)
            value = parser.get("metadata", "license", fallback=None)
            return _expression("metadata.license", value)
    except (ValueError, TypeError, configparser.Error, AttributeError):
        return []
    return []


def _expression(field: str, value: Any) -> list[tuple[str, str]]:
    if not isinstance(value, str) or not value.strip():
        return []
    return [(field, part.strip()) for part in _OPERATORS.split(value.strip()[:300]) if part.strip()]


def _pyproject(data: dict[str, Any]) -> list[tuple[str, str]]:
    project = data.get("project") or {}
    license_ = project.get("license")
    found = _expression("project.license", license_.get("text") if isinstance(license_, dict) else license_)
    found += _expression("tool.poetry.license", ((data.get("tool") or {}).get("poetry") or {}).get("license"))
    for classifier in project.get("classifiers") or []:
        if isinstance(classifier, str) and classifier.startswith(_CLASSIFIER):
            found.append(("project.classifiers", classifier.rsplit("::", 1)[-1].strip()))
    return found


def _package_json(data: dict[str, Any]) -> list[tuple[str, str]]:
    found = _expression("license", data.get("license"))
    for item in data.get("licenses") or []:
        if isinstance(item, dict):
            found += _expression("licenses[].type", item.get("type"))
    return found
