"""Thread-safe progress accounting for scans, rate-limited before it reaches a callback."""

from __future__ import annotations

import threading
import time

from desktop.core.jobs import Progress, Report

MIN_INTERVAL = 0.05  # seconds between reports, except the final one


class ProgressTracker:
    """Counts files and bytes from several worker threads and reports snapshots."""

    def __init__(self, report: Report, files_total: int = 0, bytes_total: int = 0) -> None:
        self._report = report
        self._lock = threading.Lock()
        self.files_total = files_total
        self.bytes_total = bytes_total
        self._estimated = files_total > 0
        self.files_done = 0
        self.bytes_done = 0
        self.current = ""
        self._last = 0.0

    def discovered(self, size: int) -> None:
        """A member was found; grows the totals when they were not estimated up front."""
        if self._estimated:
            return
        with self._lock:
            self.files_total += 1
            self.bytes_total += max(size, 0)

    def started(self, name: str) -> None:
        self.current = name
        self._maybe_report()

    def add_bytes(self, n: int) -> None:
        with self._lock:
            self.bytes_done += n
        self._maybe_report()

    def file_done(self) -> None:
        with self._lock:
            self.files_done += 1
        self._maybe_report()

    def finish(self) -> None:
        with self._lock:
            self.files_total = max(self.files_total, self.files_done)
            self.bytes_total = max(self.bytes_total, self.bytes_done)
        self._emit()

    def _maybe_report(self) -> None:
        now = time.monotonic()
        if now - self._last >= MIN_INTERVAL:
            self._last = now
            self._emit()

    def _emit(self) -> None:
        with self._lock:
            snapshot = Progress(self.files_done, max(self.files_total, self.files_done),
                                self.bytes_done, max(self.bytes_total, self.bytes_done), self.current)
        self._report(snapshot)
