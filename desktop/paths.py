"""Where the app keeps its data, cache and bundled files (dev checkout or frozen)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "AIReviewDesk"
APP_AUTHOR = "AIReviewDesk"


def bundle_root() -> Path:
    """The folder holding ``resources/`` and ``templates/``: the repo root, or PyInstaller's."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    return bundle_root() / "resources"


def templates_dir() -> Path:
    return bundle_root() / "templates"


def data_dir() -> Path:
    """Per-user data folder (database, identities); ``AIREVIEW_DATA_DIR`` overrides it."""
    override = os.environ.get("AIREVIEW_DATA_DIR")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def cache_dir() -> Path:
    """Per-user cache folder (license index, spooled archive members)."""
    override = os.environ.get("AIREVIEW_CACHE_DIR")
    path = Path(override) if override else Path(platformdirs.user_cache_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def work_dir() -> Path:
    """The app's own temporary folder (spooled nested archives); lives in the cache."""
    path = cache_dir() / "work"
    path.mkdir(parents=True, exist_ok=True)
    return path
