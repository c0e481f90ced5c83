"""Progress reporting and cooperative cancellation for long core jobs."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass


class Cancelled(Exception):
    """Raised inside a job when its cancel token was triggered."""


class CancelToken:
    """A thread-safe flag a job checks between units of work."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        """Raise :class:`Cancelled` once :meth:`cancel` has been called."""
        if self._event.is_set():
            raise Cancelled


@dataclass(frozen=True)
class Progress:
    """A snapshot of a job's progress (totals may grow while archives are read)."""

    files_done: int
    files_total: int
    bytes_done: int
    bytes_total: int
    current: str = ""


Report = Callable[[Progress], None]


def no_report(_: Progress) -> None:
    """A progress callback that ignores progress."""
