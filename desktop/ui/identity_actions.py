"""Signing identities from the Settings dialog: create one (a local CA and certificate) or import a .p12."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication

from desktop.ui.choosers import Choosers

P12_FILTER = "PKCS#12 identities (*.p12 *.pfx);;All files (*)"


def _tr(text: str) -> str:
    return QCoreApplication.translate("IdentityActions", text)


def identities_summary() -> str:
    """One line per identity in the user's identities folder (or a hint when there is none)."""
    from desktop.core.memo.identity import IdentityError, list_identities

    try:
        found = list_identities()
    except IdentityError as exc:
        return str(exc)
    if not found:
        return _tr("No signing identity yet: create one or import the firm's .p12.")
    return "\n".join(Path(str(i["path"])).name + (_tr(" (with its CA certificate)") if i.get("ca") else "")
                     for i in found)


def create_identity_flow(parent: Any, choosers: Choosers, reviewer: str,
                         folder: Path | None = None) -> Any:
    """Create a signing identity for ``reviewer`` ("Name <email>"), protected by a passphrase;
    returns its ``IdentityInfo`` (path, holder, certificate fingerprint) or None."""
    from desktop.core.memo.identity import IdentityError, create_identity
    from desktop.core.store import parse_identity

    title = _tr("Create signing identity")
    try:
        who = parse_identity(reviewer)
    except ValueError as exc:
        choosers.tell(parent, title, str(exc))
        return None
    if not who.email:
        choosers.tell(parent, title, _tr("Enter the reviewer as \"Name <email>\" first."))
        return None
    first = choosers.secret(parent, title, _tr("Passphrase that protects the signing key:"))
    if not first:
        return None
    if choosers.secret(parent, title, _tr("The same passphrase again:")) != first:
        choosers.tell(parent, title, _tr("The two passphrases differ; nothing was created."))
        return None
    try:
        out = folder / f"{who.email.split('@')[0]}.p12" if folder is not None else None
        info = create_identity(who.name, who.email, first, out)
    except (IdentityError, OSError) as exc:
        choosers.tell(parent, title, str(exc))
        return None
    message = _tr("Created {0}\nCertificate fingerprint (SHA-256): {1}\n"
                  "Keep the passphrase safe: it cannot be recovered.")
    choosers.tell(parent, title, message.format(info.path, info.cert_fingerprint))
    return info


def import_identity_flow(parent: Any, choosers: Choosers, folder: Path | None = None) -> Any:
    """Import the firm's own .p12 into the identities folder (the passphrase opens it once to
    check); returns its ``IdentityInfo`` or None."""
    from desktop.core.memo.identity import IdentityError, import_identity

    title = _tr("Import signing identity")
    source = choosers.open_file(parent, title, P12_FILTER, "")
    if source is None:
        return None
    passphrase = choosers.secret(parent, title, _tr("Passphrase of {0}:").format(Path(source).name))
    if passphrase is None:
        return None
    try:
        info = import_identity(Path(source), passphrase, folder)
    except (IdentityError, OSError) as exc:
        choosers.tell(parent, title, str(exc))
        return None
    choosers.tell(parent, title, _tr("Imported {0} for {1} <{2}>.").format(info.path, info.name, info.email))
    return info
