"""The scanner's work folder: leftovers of a scan that was killed are swept on the next scan."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

STALE_AFTER = 24 * 3600  # seconds: no live scan leaves its spool untouched this long
LEFTOVER_PREFIXES = ("intake-", "tmp")  # intake's private folders, spooled archive members


def sweep_stale(work_dir: Path, max_age: float = STALE_AFTER, now: float | None = None) -> list[str]:
    """Remove spool folders and files older than ``max_age`` from ``work_dir``; return their names."""
    now = time.time() if now is None else now
    removed = []
    try:
        entries = list(os.scandir(work_dir))
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.startswith(LEFTOVER_PREFIXES):
            continue
        try:
            if now - entry.stat(follow_symlinks=False).st_mtime < max_age:
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                os.unlink(entry.path)
            removed.append(entry.name)
        except OSError:
            continue
    return removed
