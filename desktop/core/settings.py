"""Settings, in one home: who the reviewer is and where the firm's policy, checklist, reference
texts and memo templates live, kept as JSON in the data folder.

Loaded once by the CLI or ``app.py`` and passed down, so ``aireview scan``, ``aireview review``
and the window scan with the same policy and checklist, and a review's items come from the
checklist it is created with. The settings dialog edits a :class:`Settings` and saves it; the
database URL is kept by the store itself (``desktop.core.store.save_database_url``).
"""

from __future__ import annotations

import getpass
import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

FILE_NAME = "preferences.json"


@dataclass
class Settings:
    """What a reviewer sets once: who they are and where the firm's files live."""

    reviewer: str = ""
    policy_file: str = ""
    reference_folder: str = ""
    checklist_folder: str = ""
    templates_folder: str = ""
    firm_name: str = ""
    privilege_legend: str = ""       # printed at the top of every memo, e.g. "Privileged & Confidential"
    signing_identity: str = ""       # the reviewer's .p12 (set up at first run)
    signing_fingerprint: str = ""    # SHA-256 of its certificate, recorded with each decision

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

    def acting_identity(self) -> Any:
        """The reviewer as the store records them: name, email and signing certificate fingerprint."""
        from desktop.core.store import Identity, parse_identity

        who = parse_identity(self.identity())
        return Identity(who.name, who.email, self.signing_fingerprint.strip() or None)

    def has_identity(self) -> bool:
        """Whether the first-run identity step is done: a named reviewer with a signing identity."""
        return bool(self.reviewer.strip() and self.signing_identity.strip()
                    and Path(self.signing_identity).is_file())

    def path(self, name: str) -> Path | None:
        """One of the path preferences as a Path, or None when unset."""
        value = str(getattr(self, name) or "").strip()
        return Path(value) if value else None

    def scan_options(self, **overrides: Any) -> Any:
        """The :class:`~desktop.core.scan.ScanOptions` of this firm: its policy, checklist and texts."""
        from desktop.core.scan import ScanOptions

        values: dict[str, Any] = {"policy": self.path("policy_file"), "checklist_dir": self.path("checklist_folder"),
                                  "firm_dir": self.path("reference_folder")}
        values.update({k: v for k, v in overrides.items() if v is not None or k not in values})
        return ScanOptions(**values)

    def checklist(self) -> Any:
        """The checklist reviews are created with (the firm's ``default.yaml`` over the built-in one)."""
        from desktop.core.checks.checklist import load_checklist

        return load_checklist("default", self.path("checklist_folder"))

    def review_checklist(self) -> tuple[str, tuple[str, ...]]:
        """``(checklist id, item ids)`` for a new review: the id names the checklist and its version."""
        checklist = self.checklist()
        return f"{checklist.name}/{checklist.version}", checklist.ids

    def review_versions(self) -> dict[str, Any]:
        """The knowledge base and checklist versions a new review records, and the checklist's item
        titles and questions as worded now (memos print them)."""
        import hashlib

        from desktop.core.checks.knowledge import knowledge_version

        items = self.checklist()
        source = Path(items.source)
        checklist = hashlib.sha256(source.read_bytes().replace(b"\r\n", b"\n")).hexdigest()[:16]
        return {"knowledge_version": knowledge_version(), "checklist_version": checklist,
                "item_titles": {i.id: (i.title, i.question) for i in items.items}}

    def allow_self_approval(self) -> bool:
        """The firm policy's ``allow_self_approval`` (may the preparer approve?)."""
        from desktop.core.checks.policy import load_policy

        return load_policy(self.path("policy_file")).allow_self_approval


def load_settings(data_dir: Path) -> Settings:
    """The saved settings; defaults when the file is missing or unreadable."""
    try:
        raw = json.loads((data_dir / FILE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Settings()
    if not isinstance(raw, dict):
        return Settings()
    known = {f.name for f in fields(Settings)}
    return Settings(**{k: str(v) for k, v in raw.items() if k in known and v is not None})


def save_settings(prefs: Settings, data_dir: Path) -> None:
    """Write the settings (a temporary file, then renamed over the old one)."""
    target = data_dir / FILE_NAME
    temp = target.with_suffix(".tmp")
    temp.write_text(json.dumps(asdict(prefs), indent=2), encoding="utf-8")
    temp.replace(target)
