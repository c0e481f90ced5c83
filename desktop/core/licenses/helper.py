"""Identify license texts on a second core: a forked helper process shares the loaded library.

Matching is pure Python and numpy work that holds the GIL, so threads cannot share it out.
A large scan started from a single-threaded program (the CLI) on a platform whose default
start method is ``fork`` (Linux) forks helper processes before its threads start; they
inherit the library already in memory (no second load) and take license texts while the
scan's own threads identify the rest. Everywhere else, and for small scans, everything runs
in-process: results are identical either way.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from desktop.core.licenses.entry import TEXT_ROLES, identify_entry
from desktop.core.licenses.identify import identify_text
from desktop.core.licenses.library import Library
from desktop.core.results import FileEntry

MIN_FILES = 100  # below this a helper is not worth its start
MAX_HELPERS = 3
# Identified once before the fork, so the helpers inherit the tables the library builds on first
# use (names, families, word counts ...) instead of each building them again.
WARM_UP_KEY = "apache-2.0"
WARM_UP_NOTICE = "\n\nLicensed under the MIT License.\nSPDX-License-Identifier: MIT\n"

_INHERITED: Library | None = None  # the library of a helper process (set before the fork)


def _adopt(library: Library) -> None:
    global _INHERITED
    _INHERITED = library


def _identify_in_helper(entry: FileEntry) -> list[dict[str, Any]]:
    assert _INHERITED is not None
    return identify_entry(entry, _INHERITED)


def _can_fork() -> bool:
    """Linux, called from the main thread of a program with no other thread (the CLI, not the GUI)."""
    if not sys.platform.startswith("linux") or threading.active_count() != 1 \
            or threading.current_thread() is not threading.main_thread():
        return False
    return multiprocessing.get_start_method(allow_none=True) in (None, "fork")


def _warm_up(library: Library) -> None:
    """Fill the library's lazily built tables (the helpers inherit them; results do not change)."""
    text = library.text(WARM_UP_KEY) if WARM_UP_KEY in library.by_key else ""
    identify_text(text + WARM_UP_NOTICE, library)


class Identifier:
    """``identify(entry)`` for a scan: the scan JSON ``licenses`` list of one file.

    Call :meth:`close` when the scan ends (it stops the helpers, if any).
    """

    def __init__(self, library: Library, *, files_expected: int = 0) -> None:
        self._library = library
        self._lock = threading.Lock()
        self._in_flight = 0
        self._helpers = 0
        self._pool: ProcessPoolExecutor | None = None
        if files_expected >= MIN_FILES and _can_fork():
            self._start(max(1, min(MAX_HELPERS, (os.cpu_count() or 1) - 1)))

    @property
    def helpers(self) -> int:
        """How many helper processes are running."""
        return self._helpers if self._pool is not None else 0

    def _start(self, helpers: int) -> None:
        _warm_up(self._library)
        try:
            pool = ProcessPoolExecutor(max_workers=helpers, mp_context=multiprocessing.get_context("fork"),
                                       initializer=_adopt, initargs=(self._library,))
            pool.submit(int).result()  # fork now, while this program has a single thread
        except (OSError, BrokenProcessPool):
            return
        self._pool, self._helpers = pool, helpers

    def __call__(self, entry: FileEntry) -> list[dict[str, Any]]:
        pool = self._pool
        if pool is None or entry.role not in TEXT_ROLES or not (entry.text or entry.pages):
            return identify_entry(entry, self._library)
        with self._lock:
            send = self._in_flight < self._helpers
            self._in_flight += send
        if not send:
            return identify_entry(entry, self._library)
        try:
            return pool.submit(_identify_in_helper, entry).result()
        except BrokenProcessPool:  # a helper died (killed, out of memory): carry on in-process
            self._pool = None
            return identify_entry(entry, self._library)
        finally:
            with self._lock:
                self._in_flight -= 1

    def close(self) -> None:
        """Stop the helper processes."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
