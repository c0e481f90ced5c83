"""The "Export memo…" and "Countersign memo…" flows.

Choices (identity, passphrase, file) are asked on the GUI thread; rendering, signing and writing
run in a worker (:mod:`desktop.ui.tasks`), and the GUI thread records the memo in the store when
the worker has finished (workers share no database session).  :class:`MemoRun` emits ``done``
with the written path, or None when the memo was not written (the reason was told).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot
from PySide6.QtWidgets import QWidget

from desktop.core.settings import Settings
from desktop.ui.choosers import Choosers, documents_dir
from desktop.ui.tasks import JobWorker, start_job


def _tr(text: str) -> str:
    return QCoreApplication.translate("MemoAction", text)


class MemoRun(QObject):
    """One memo job in a worker thread; records the memo and tells the reviewer when it ends."""

    done = Signal(object)

    def __init__(self, window: QWidget, choosers: Choosers, store: Any, review_id: int,
                 title: str) -> None:
        super().__init__(window)
        self._window, self._choosers, self._store = window, choosers, store
        self._review_id, self._title = review_id, title

    def start(self, job: Callable[[], Any]) -> None:
        """Run ``job`` (returns an ExportedMemo) off the GUI thread."""
        self.worker = JobWorker(lambda _report, _cancel: job())
        self.worker.finished.connect(self._finished)
        self.worker.failed.connect(self._failed)
        self.worker.cancelled.connect(lambda: self._failed(_tr("cancelled")))
        start_job(self._window, self.worker)

    @Slot(object)
    def _finished(self, memo: Any) -> None:
        from desktop.core.memo.export import record_memo
        from desktop.core.store import StoreError

        try:
            record_memo(self._store, self._review_id, memo)
        except StoreError as exc:
            self._choosers.tell(self._window, self._title, _tr(
                "The memo was written to {0} but could not be recorded: {1}").format(memo.path, exc))
        else:
            self._choosers.tell(self._window, self._title,
                                _tr("Memo written to {0}.").format(memo.path))
        self.done.emit(memo.path)

    @Slot(str)
    def _failed(self, message: str) -> None:
        self._choosers.tell(self._window, self._title,
                            _tr("The memo was not written: {0}").format(message))
        self.done.emit(None)


def _export(snapshot: Any, p12: Path, passphrase: str, out: Path, templates: Path | None) -> Any:
    from desktop.core.memo.export import export_memo as write_memo
    from desktop.core.memo.identity import open_identity
    from desktop.pdf import html_to_pdf

    return write_memo(snapshot, open_identity(p12, passphrase), out, html_to_pdf,
                      firm_templates=templates)


def _countersign(memo: Path, p12: Path, passphrase: str, approver: str | None) -> Any:
    from desktop.core.memo.export import check_countersigner, countersign_memo
    from desktop.core.memo.identity import open_identity, trust_roots

    opened = open_identity(p12, passphrase)
    check_countersigner(approver, opened)
    return countersign_memo(memo, opened, memo.with_name(f"{memo.stem}-approved{memo.suffix}"),
                            trust=trust_roots())


def default_memo_path(snapshot: Any) -> str:
    """``vendor-product-version-review-memo.pdf`` in the user's documents folder."""
    from desktop.core.memo.file_names import memo_file_name

    return str(documents_dir() / memo_file_name(snapshot.get("delivery") or {}))


def export_memo(parent: QWidget, choosers: Choosers, store: Any, review_id: int | None,
                firm_name: str = "", templates: Path | None = None, privilege: str = "",
                prefs: Settings | None = None) -> MemoRun | None:
    """Start exporting the signed memo of the review; None when it cannot start (told why)."""
    title = _tr("Export memo")
    if store is None or review_id is None:
        choosers.tell(parent, title, _tr("Start a review of this delivery before exporting a memo."))
        return None
    from desktop.core.memo import snapshot as snapshots
    from desktop.core.memo.identity import list_identities

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
    own = prefs.signing_identity if prefs is not None and prefs.has_identity() else ""
    identities = [own] if own else [i["path"] for i in list_identities()]
    if not identities:
        choosers.tell(parent, title, _tr(
            "No signing identity is set up: set yours up with File > Your identity…"))
        return None
    chosen = identities[0] if len(identities) == 1 else choosers.choice(
        parent, title, _tr("Sign with:"), identities)
    if not chosen:
        return None
    passphrase = choosers.secret(parent, title, _tr("Passphrase of {0}:").format(Path(chosen).name))
    if passphrase is None:
        return None
    out = choosers.save_file(parent, title, _tr("PDF files (*.pdf)"), default_memo_path(snap))
    if out is None:
        return None
    run = MemoRun(parent, choosers, store, review_id, title)
    run.start(partial(_export, snap, Path(chosen), passphrase, Path(out), templates))
    return run


def countersign_memo(parent: QWidget, choosers: Choosers, store: Any, review_id: int | None,
                     prefs: Settings) -> MemoRun | None:
    """Start adding the approver's signature to the preparer's memo of the review."""
    from desktop.ui.approval import memo_to_countersign

    title = _tr("Countersign memo")
    if store is None or review_id is None:
        choosers.tell(parent, title, _tr("Open an approved review first."))
        return None
    review = store.get_review(review_id)
    memo = memo_to_countersign(review)
    if memo is None:
        choosers.tell(parent, title, _tr(
            "Review {0} has no memo signed by its preparer yet: the preparer exports it first.")
            .format(review_id))
        return None
    if not prefs.has_identity():
        choosers.tell(parent, title, _tr(
            "This needs your signing identity: set it up with File > Your identity…"))
        return None
    passphrase = choosers.secret(parent, title, _tr("Passphrase of {0}:").format(
        Path(prefs.signing_identity).name))
    if passphrase is None:
        return None
    run = MemoRun(parent, choosers, store, review_id, title)
    run.start(partial(_countersign, memo, Path(prefs.signing_identity), passphrase,
                      review.get("approver")))
    return run
