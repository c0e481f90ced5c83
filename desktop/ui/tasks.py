"""The only thread code of the UI: run a core job off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from desktop.core.jobs import Cancelled, CancelToken, Report


class JobWorker(QObject):
    """Runs ``job(report, cancel_token)`` in a worker thread and signals how it ended."""

    progress = Signal(object)
    finished = Signal(object)
    cancelled = Signal()
    failed = Signal(str)

    def __init__(self, job: Callable[[Report, CancelToken], Any]) -> None:
        super().__init__()
        self._job = job
        self.token = CancelToken()

    @Slot()
    def run(self) -> None:
        try:
            result = self._job(self.progress.emit, self.token)
        except Cancelled:
            self.cancelled.emit()
        except Exception as exc:  # shown to the user, never raised into Qt
            self.failed.emit(str(exc))
        else:
            self.finished.emit(result)


def start_job(owner: QObject, worker: JobWorker) -> QThread:
    """Move ``worker`` to a new thread owned by ``owner`` and start it."""
    thread = QThread(owner)
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    for signal in (worker.finished, worker.cancelled, worker.failed):
        signal.connect(thread.quit)
    thread.finished.connect(worker.deleteLater)
    thread.finished.connect(thread.deleteLater)
    owner._jobs = [*getattr(owner, "_jobs", []), (thread, worker)]  # type: ignore[attr-defined]
    thread.finished.connect(lambda: _forget(owner, thread))
    thread.start()
    return thread


def _forget(owner: QObject, thread: QThread) -> None:
    owner._jobs = [(t, w) for t, w in getattr(owner, "_jobs", []) if t is not thread]  # type: ignore[attr-defined]
