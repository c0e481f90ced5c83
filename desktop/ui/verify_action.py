"""The "Verify memo…" flow: check a signed memo's signatures and, if asked, re-hash its delivery."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject

from desktop.core.jobs import CancelToken, Report
from desktop.ui.choosers import BUNDLE_FILTER, Choosers
from desktop.ui.tasks import JobWorker, start_job

PDF_FILTER = "Signed memos (*.pdf);;All files (*)"


def _tr(text: str) -> str:
    return QCoreApplication.translate("VerifyAction", text)


def choose_memo_and_delivery(parent: Any, choosers: Choosers) -> tuple[Path, Path | None] | None:
    """Ask for the memo, then whether (and against what) to compare the delivery; None if cancelled."""
    memo = choosers.open_file(parent, _tr("Verify memo"), PDF_FILTER, "")
    if memo is None:
        return None
    only, folder, bundle = (_tr("Signatures only"), _tr("Also compare with a delivery folder…"),
                            _tr("Also compare with a delivery bundle…"))
    answer = choosers.choice(parent, _tr("Verify memo"), _tr("Check the delivery the memo names as well?"),
                             [only, folder, bundle])
    if answer is None:
        return None
    if answer == folder:
        delivery = choosers.folder(parent, _tr("Delivery folder"), "")
        return (Path(memo), Path(delivery)) if delivery else None
    if answer == bundle:
        delivery = choosers.open_file(parent, _tr("Delivery bundle"), BUNDLE_FILTER, "")
        return (Path(memo), Path(delivery)) if delivery else None
    return Path(memo), None


def verify_job(memo: Path, delivery: Path | None) -> Callable[[Report, CancelToken], dict[str, Any]]:
    """The work for a worker thread: verify against the user's trusted CAs, re-hash with progress."""
    def job(report: Report, cancel: CancelToken) -> dict[str, Any]:
        from desktop.core.memo.identity import trust_roots
        from desktop.core.memo.verify import UnusableMemo, verify_memo
        from desktop.core.scan import ScanOptions, scan_path

        def rescan(path: Path) -> dict[str, str]:
            result = scan_path(path, report=report, cancel=cancel,
                               options=ScanOptions(identify=False, findings=False))
            return {f.path: f.sha256 or "" for f in result.files}

        try:
            return verify_memo(memo, trust=trust_roots(), delivery=delivery, rescan=rescan)
        except UnusableMemo as exc:
            return {"valid": False, "unusable": str(exc), "signatures": [], "problems": []}
    return job


def describe(report: dict[str, Any], memo: Path) -> str:
    """The verification in sentences, in this order: document intact or changed; signed by whom
    and whether that signer is in this firm's trust list; delivery identical or what changed."""
    from desktop.core.memo.verify import minute

    if report.get("unusable"):
        return _tr("{0} cannot be checked: {1}").format(memo.name, report["unusable"])
    verdict = report["verdict"]
    lines = [{"intact": _tr("{0}: the document is intact (not changed since it was signed)."),
              "changed": _tr("{0}: the document was CHANGED after signing."),
              "unsigned": _tr("{0}: the document is NOT signed.")}[verdict["document"]].format(memo.name)]
    for signer in verdict["signers"]:
        trust = (_tr("in this firm's trust list") if signer["in_trust_list"]
                 else _tr("NOT in this firm's trust list"))
        lines.append(_tr("Signed by {0} ({1}) at {2}; the signer is {3}.").format(
            signer["signer"], signer["field"], minute(signer["signing_time"]), trust))
    delivery = report.get("delivery")
    if delivery is None:
        lines.append(_tr("The delivery was not compared."))
    elif delivery.get("identical"):
        lines.append(_tr("The delivery is identical to the one reviewed."))
    else:
        for key, label in (("changed", _tr("changed")), ("added", _tr("added")), ("removed", _tr("removed"))):
            if delivery.get(key):
                lines.append(_tr("Delivery files {0}: {1}").format(label, ", ".join(map(str, delivery[key][:20]))))
    for problem in report.get("problems", []):
        lines.append(f"- {problem.get('message')}")
    return "\n".join(lines)


class VerifyRun(QObject):
    """One verification in a worker thread, reported through the window's import strip and a message."""

    def __init__(self, window: Any, memo: Path, delivery: Path | None) -> None:
        super().__init__(window)
        self._window, self._memo = window, memo
        worker = JobWorker(verify_job(memo, delivery))
        # Bound methods, not lambdas: they must run on the GUI thread.
        worker.progress.connect(self._on_progress)
        worker.finished.connect(self._on_finished)
        worker.failed.connect(self._on_failed)
        worker.cancelled.connect(self._on_cancelled)
        window._worker = worker  # the strip's Cancel button stops it; no scan starts meanwhile
        window.import_panel.begin(_tr("Verifying {0}").format(memo.name))
        window.summary.setText(_tr("Verifying {0}…").format(memo))
        start_job(window, worker)

    def _on_progress(self, progress: Any) -> None:
        self._window.import_panel.update_progress(progress)

    def _done(self, text: str) -> None:
        self._window._worker = None
        self._window.import_panel.end()
        self._window.summary.setText(text.splitlines()[0])
        self._window.choosers.tell(self._window, _tr("Verify memo"), text)
        self._window.verify_finished.emit(text)

    def _on_finished(self, report: dict[str, Any]) -> None:
        self._done(describe(report, self._memo))

    def _on_failed(self, message: str) -> None:
        self._done(_tr("{0} could not be verified: {1}").format(self._memo.name, message))

    def _on_cancelled(self) -> None:
        self._done(_tr("Verification of {0} was cancelled.").format(self._memo.name))
