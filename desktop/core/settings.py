"""The reviewer's preferences (identity, firm files and folders), kept as JSON in the data folder.

Qt-free: the settings dialog edits a :class:`Preferences` and saves it; the database URL is
kept by the store itself (``desktop.core.store.save_database_url``).
"""

from __future__ import annotations

import getpass
import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path

FILE_NAME = "preferences.json"


@dataclass
class Preferences:
    """What a reviewer sets once: who they are and where the firm's files live."""

    reviewer: str = ""
    policy_file: str = ""
    reference_folder: str = ""
    checklist_folder: str = ""
    templates_folder: str = ""
    firm_name: str = ""

    def identity(self) -> str:
        """The reviewer label used for decisions: the preference, the environment, the login."""
        if self.reviewer.strip():
            return self.reviewer.strip()
        from desktop.core.store import identity_from_env

        env = identity_from_env()
        if env is not None:
            return str(env)
        try:
            return getpass.getuser() or "Reviewer"
        except (OSError, KeyError):
            return "Reviewer"

    def path(self, name: str) -> Path | None:
        """One of the path preferences as a Path, or None when unset."""
        value = str(getattr(self, name) or "").strip()
        return Path(value) if value else None


def load_preferences(data_dir: Path) -> Preferences:
    """The saved preferences; defaults when the file is missing or unreadable."""
    try:
        raw = json.loads((data_dir / FILE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Preferences()
    if not isinstance(raw, dict):
        return Preferences()
    known = {f.name for f in fields(Preferences)}
    return Preferences(**{k: str(v) for k, v in raw.items() if k in known and v is not None})


def save_preferences(prefs: Preferences, data_dir: Path) -> None:
    """Write the preferences (a temporary file, then renamed over the old one)."""
    target = data_dir / FILE_NAME
    temp = target.with_suffix(".tmp")
    temp.write_text(json.dumps(asdict(prefs), indent=2), encoding="utf-8")
    temp.replace(target)
