"""The parsed knowledge files kept as JSON in the cache folder, keyed by their names and contents.

Parsing a hundred YAML files costs a second of CPU per scan; reading their JSON form costs a few
milliseconds.  The cache is only a faster way to the same documents: any change to any file gives
a new key, and every document is still validated by the schema after it is read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

CACHE_VERSION = "1"


def documents(raw: dict[str, bytes], parse: Callable[[str, bytes], Any],
              cache_dir: Path | None) -> dict[str, Any]:
    """Each file's parsed document (file name -> document), from the cache when it holds this set."""
    digest = hashlib.sha256(CACHE_VERSION.encode())
    for name in sorted(raw):
        digest.update(name.encode("utf-8") + b"\0" + hashlib.sha256(raw[name]).digest())
    path = cache_dir / f"knowledge-{digest.hexdigest()[:24]}.json" if cache_dir is not None else None
    if path is not None:
        try:
            cached = json.loads(path.read_text(encoding="utf-8"), object_hook=_revive)
            if isinstance(cached, dict) and sorted(cached) == sorted(raw):
                return cached
        except (OSError, ValueError):
            pass
    parsed = {name: parse(name, raw[name]) for name in sorted(raw)}
    if path is not None:
        _write(path, parsed)
    return parsed


def _write(path: Path, parsed: dict[str, Any]) -> None:
    """Write the cache atomically; a document JSON cannot hold as it is (non-text keys) is not cached."""
    try:
        text = json.dumps(parsed, default=_tag, ensure_ascii=False)
        if json.loads(text, object_hook=_revive) != parsed:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".knowledge-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, path)
    except (OSError, TypeError, ValueError):
        return


def _tag(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {"__datetime__": value.isoformat()}
    if isinstance(value, dt.date):
        return {"__date__": value.isoformat()}
    raise TypeError(f"not cached: {type(value).__name__}")


def _revive(item: dict[str, Any]) -> Any:
    if len(item) == 1 and "__date__" in item:
        return dt.date.fromisoformat(item["__date__"])
    if len(item) == 1 and "__datetime__" in item:
        return dt.datetime.fromisoformat(item["__datetime__"])
    return item
