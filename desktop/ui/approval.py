"""Approving is signing: the approver opens their signing identity (passphrase) to approve, and
countersigns the preparer's memo with the same certificate.

The store compares people by certificate (four eyes, maker-checker), so a decision taken here
carries the certificate proven by its passphrase, not a typed name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication

from desktop.core.settings import Settings
from desktop.ui.choosers import Choosers

DECIDED = ("approved", "approved-with-conditions", "rejected")


def _tr(text: str) -> str:
    return QCoreApplication.translate("Approval", text)


def open_signing_identity(parent: Any, choosers: Choosers, prefs: Settings, title: str) -> Any:
    """The reviewer's signing identity opened with its passphrase, or None (told why)."""
    from desktop.core.memo.identity import IdentityError, open_identity

    if not prefs.has_identity():
        choosers.tell(parent, title, _tr(
            "This needs your signing identity: set it up with File > Your identity…"))
        return None
    p12 = Path(prefs.signing_identity)
    passphrase = choosers.secret(parent, title, _tr("Passphrase of {0}:").format(p12.name))
    if passphrase is None:
        return None
    try:
        return open_identity(p12, passphrase)
    except (IdentityError, OSError) as exc:
        choosers.tell(parent, title, str(exc))
        return None


def as_reviewer(opened: Any) -> Any:
    """The store identity of an opened signing identity: its certificate's holder."""
    from desktop.core.store import Identity

    info = opened.info
    return Identity(info.name, info.email.lower(), info.cert_fingerprint)


def certified_reviewer(parent: Any, choosers: Choosers, prefs: Settings) -> Any:
    """Who approves: the holder of the reviewer's certificate (passphrase asked), or None."""
    opened = open_signing_identity(parent, choosers, prefs, _tr("Approve review"))
    return None if opened is None else as_reviewer(opened)


def memo_to_countersign(review: dict[str, Any]) -> Path | None:
    """The newest memo of the review signed by its preparer whose file still exists."""
    for memo in reversed(review.get("memos", [])):
        path = memo.get("path")
        if memo.get("signer") == review.get("preparer") and path and Path(path).is_file():
            return Path(path)
    return None


def countersigned_name(memo: Path) -> Path:
    """Where the countersigned copy goes: next to the memo, ``<name>-approved.pdf``."""
    return memo.with_name(f"{memo.stem}-approved{memo.suffix}")
