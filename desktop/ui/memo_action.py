"""The "Export memo…" flow: pick a signing identity, its passphrase and a file, then export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from desktop.ui.choosers import Choosers


def _tr(text: str) -> str:
    return QCoreApplication.translate("MemoAction", text)


def export_memo(parent: QWidget, choosers: Choosers, store: Any, review_id: int | None,
                firm_name: str = "", templates: Path | None = None, privilege: str = "") -> Path | None:
    """Export and record a signed memo of the review; tells the reviewer why when it cannot."""
    title = _tr("Export memo")
    if store is None or review_id is None:
        choosers.tell(parent, title, _tr("Start a review of this delivery before exporting a memo."))
        return None
    try:
        from desktop.core.memo import snapshot as snapshots
        from desktop.core.memo.export import MemoError, record_memo
        from desktop.core.memo.export import export_memo as write_memo
        from desktop.core.memo.identity import IdentityError, list_identities, open_identity
        from desktop.pdf import html_to_pdf
    except ImportError as exc:  # the memo module is optional in partial builds
        choosers.tell(parent, title, _tr("Memo export is not available in this build ({0}).").format(exc))
        return None
    try:
        snap = snapshots.from_store(store, review_id, firm_name=firm_name or None, privilege=privilege or None)
    except snapshots.SnapshotProblem as exc:
        choosers.tell(parent, title, str(exc))
        return None
    if not snapshots.is_final(snap):
        choosers.tell(parent, title, _tr(
            "Review {0} is {1}; a memo can be exported once the review is approved, approved with "
            "conditions or rejected.").format(review_id, snap["review"]["status"]))
        return None
    identities = [i["path"] for i in list_identities()]
    if not identities:
        choosers.tell(parent, title, _tr(
            "No signing identity is set up. Create one with \"aireview identity create\" first."))
        return None
    chosen = identities[0] if len(identities) == 1 else choosers.choice(
        parent, title, _tr("Sign with:"), identities)
    if not chosen:
        return None
    passphrase = choosers.secret(parent, title, _tr("Passphrase of {0}:").format(Path(chosen).name))
    if passphrase is None:
        return None
    out = choosers.save_file(parent, title, _tr("PDF files (*.pdf)"), f"review-{review_id}-memo.pdf")
    if out is None:
        return None
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        identity = open_identity(Path(chosen), passphrase)
        memo = write_memo(snap, identity, out, html_to_pdf, firm_templates=templates)
        record_memo(store, review_id, memo)
    except (MemoError, IdentityError, OSError, ValueError) as exc:
        choosers.tell(parent, title, _tr("The memo was not exported: {0}").format(exc))
        return None
    finally:
        QGuiApplication.restoreOverrideCursor()
    choosers.tell(parent, title, _tr("Memo written to {0}.").format(memo.path))
    return memo.path
