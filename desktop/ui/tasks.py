"""The only thread code of the UI: run a core job off the GUI thread.

Ownership rules that keep this crash-free: the worker and its thread are referenced from the
owner until the thread has *ended*; they are released by a slot that runs on the GUI thread
(a lambda connected to ``QThread.finished`` would run on the worker thread), which waits for
the thread to exit before deleting it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot

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
    """Lives on the GUI thread (a child of the application, not of the owner, so it outlives a
    deleted owner); releases the thread and worker once the thread ended."""

    def __init__(self, owner: QObject, thread: QThread, worker: JobWorker) -> None:
        super().__init__(QCoreApplication.instance())
        self.owner, self.thread, self.worker = owner, thread, worker

    @Slot()
    def release(self) -> None:
        self.thread.wait()
        _LIVE.discard(self)
        owner = self.owner
        if shiboken6.isValid(owner):
            owner._jobs = [(t, w) for t, w in getattr(owner, "_jobs", []) if t is not self.thread]  # type: ignore[attr-defined]
        self.thread.deleteLater()
        self.deleteLater()


# Every job whose thread has not been released yet. Threads have no Qt parent: deleting the widget
# that started a job (a window closed mid-redline, a dialog closed mid-connection-test) can never
# destroy a running QThread, which Qt answers with abort().
_LIVE: set[_JobHandle] = set()


def start_job(owner: QObject, worker: JobWorker) -> QThread:
    """Move ``worker`` to a new thread started on behalf of ``owner`` and start it."""
    thread = QThread()
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    for signal in (worker.finished, worker.cancelled, worker.failed):
        signal.connect(thread.quit)
    handle = _JobHandle(owner, thread, worker)
    _LIVE.add(handle)
    thread.finished.connect(handle.release)
    owner._jobs = [*getattr(owner, "_jobs", []), (thread, worker)]  # type: ignore[attr-defined]
    thread.start()
    return thread


def stop_jobs(root: QObject) -> None:
    """Cancel every job started by ``root`` or one of its descendants and wait until each ended."""
    for handle in list(_LIVE):
        if _descends_from(handle.owner, root):
            handle.worker.token.cancel()
            handle.thread.quit()
            handle.thread.wait()


def _descends_from(obj: QObject | None, root: QObject) -> bool:
    while obj is not None and shiboken6.isValid(obj):
        if obj is root:
            return True
        obj = obj.parent()
    return False


def running_jobs() -> int:
    """How many job threads are still running (tests check that none outlives its test)."""
    return sum(1 for handle in _LIVE if handle.thread.isRunning())
