"""The only thread code of the UI: run a core job off the GUI thread.

Ownership rules that keep this crash-free: the worker and its thread are referenced from the
owner until the thread has *ended*; they are released by a slot that runs on the GUI thread
(a lambda connected to ``QThread.finished`` would run on the worker thread), which waits for
the thread to exit before deleting it.
"""

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


class _JobHandle(QObject):
    """Lives on the owner's thread; releases the thread and worker once the thread ended."""

    def __init__(self, owner: QObject, thread: QThread, worker: JobWorker) -> None:
        super().__init__(owner)
        self._owner, self.thread, self.worker = owner, thread, worker

    @Slot()
    def release(self) -> None:
        self.thread.wait()
        owner = self._owner
        owner._jobs = [(t, w) for t, w in getattr(owner, "_jobs", []) if t is not self.thread]  # type: ignore[attr-defined]
        self.thread.deleteLater()
        self.deleteLater()


def start_job(owner: QObject, worker: JobWorker) -> QThread:
    """Move ``worker`` to a new thread owned by ``owner`` and start it."""
    thread = QThread(owner)
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    for signal in (worker.finished, worker.cancelled, worker.failed):
        signal.connect(thread.quit)
    handle = _JobHandle(owner, thread, worker)
    thread.finished.connect(handle.release)
    owner._jobs = [*getattr(owner, "_jobs", []), (thread, worker)]  # type: ignore[attr-defined]
    thread.start()
    return thread
