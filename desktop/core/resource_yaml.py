"""Our own YAML resources (knowledge, identities, tables) read with libyaml's safe loader when present."""

from __future__ import annotations

from typing import Any

import yaml

_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_resource(text: str) -> Any:
    """The data of a YAML resource file we ship (safe: plain data only)."""
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader
