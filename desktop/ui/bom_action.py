"""File > Export AI-BOM…: the open review's CycloneDX 1.6 AI-BOM, as ``aireview memo export``
writes it, saved where the reviewer chooses (the documents folder by default)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from desktop.ui.choosers import Choosers, documents_dir

JSON_FILTER = "CycloneDX JSON (*.cdx.json *.json);;All files (*)"


def _tr(text: str) -> str:
    return QCoreApplication.translate("BomAction", text)


def export_bom(parent: QWidget, choosers: Choosers, store: Any, review_id: int | None) -> Path | None:
    """Ask where, then write the BOM of review ``review_id``; the path written, or None (told why)."""
    from desktop.core.memo import snapshot as snapshots
    from desktop.core.memo.bom_export import BomError, save_cyclonedx
    from desktop.core.memo.file_names import bom_file_name
    from desktop.core.store import StoreError

    title = _tr("Export AI-BOM")
    if store is None or review_id is None:
        choosers.tell(parent, title, _tr("Start or open a review of this delivery before exporting its AI-BOM."))
        return None
    try:
        snap = snapshots.from_store(store, review_id)
    except (snapshots.SnapshotProblem, StoreError) as exc:
        choosers.tell(parent, title, str(exc))
        return None
    default = documents_dir() / bom_file_name(snap.get("delivery") or {})
    target = choosers.save_file(parent, title, _tr(JSON_FILTER), str(default))
    if target is None:
        return None
    try:
        written = save_cyclonedx(snap, Path(target))
    except BomError as exc:
        choosers.tell(parent, title, _tr("The AI-BOM was not written: {0}").format(exc))
        return None
    choosers.tell(parent, title, _tr("AI-BOM written to {0} (CycloneDX 1.6, {1} files).").format(
        written, len(snap["scan"]["files"])))
    return written
