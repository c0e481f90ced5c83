"""The firm library: the firm's own reference texts, in the LicenseDB file format."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

_KEY = re.compile(r"^[a-z0-9][a-z0-9.+_-]{0,99}$")


def save_firm_reference(firm_dir: Path, key: str, name: str, text: str, *,
                        family: str | None = None, category: str = "Proprietary Free",
                        spdx: str | None = None) -> Path:
    """Write ``text`` as ``<key>.LICENSE`` in the firm library and return its path.

    The next :func:`load_library` call with this ``firm_dir`` rebuilds the index and matches
    the text like a built-in reference, marked as a firm reference.
    """
    if not _KEY.match(key):
        raise ValueError(f"'{key}' is not a usable reference key (lower-case letters, digits, . + _ -)")
    meta = {"key": key, "short_name": name, "name": name, "category": category}
    if family:
        meta["family"] = family
    if spdx:
        meta["spdx_license_key"] = spdx
    firm_dir.mkdir(parents=True, exist_ok=True)
    path = firm_dir / f"{key}.LICENSE"
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True)
    body = text.replace("\r\n", "\n").lstrip("\ufeff")
    path.write_text(f"---\n{front}---\n\n{body}", encoding="utf-8")
    return path
