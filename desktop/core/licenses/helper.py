"""Identify license texts on a second core: a forked helper process shares the loaded library.

Matching is pure Python and numpy work that holds the GIL, so threads cannot share it out.
A large scan started from a single-threaded program (the CLI) on a platform whose default
start method is ``fork`` (Linux) forks helper processes before its threads start; they
inherit the library already in memory (no second load) and take license texts (or, through
:meth:`Identifier.offload`, whole small files) while the scan's own threads do the rest.
Everywhere else, and for small scans, everything runs in-process: results are identical
either way.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from desktop.core.licenses.allowances import vocabulary_words
from desktop.core.licenses.differences import spelled_words
from desktop.core.licenses.entry import TEXT_ROLES, identify_entry
from desktop.core.licenses.identities import names_an_identity
from desktop.core.licenses.identify import identify_text
from desktop.core.licenses.library import Library
from desktop.core.results import FileEntry

MIN_FILES = 100  # below this a helper is not worth its start
MAX_HELPERS = 3
QUEUED_PER_HELPER = 4  # tasks handed to each helper at once: one running, the rest waiting their turn
# Identified once before the fork, so the helpers inherit the tables the library builds on first
# use (names, families, word counts ...) instead of each building them again.
WARM_UP_KEY = "apache-2.0"
WARM_UP_NOTICE = "\n\nLicensed under the MIT License.\nSPDX-License-Identifier: MIT\n"

_INHERITED: Library | None = None  # the library of a helper process (set before the fork)


def _adopt(library: Library) -> None:
    global _INHERITED
    _INHERITED = library


def identify_in_helper(entry: FileEntry) -> list[dict[str, Any]]:
    """In a helper process: ``identify_entry`` with the library it inherited."""
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
    vocabulary_words(library)  # tables a modified text needs: its differences and allowances
    spelled_words(library)
    names_an_identity([])


class Identifier:
    """``identify(entry)`` for a scan: the scan JSON ``licenses`` list of one file.

    Call :meth:`close` when the scan ends (it stops the helpers, if any).
    """

    def __init__(self, library: Library, *, files_expected: int = 0,
                 before_fork: Callable[[], None] | None = None) -> None:
        self._library = library
        self._before_fork = before_fork
        self._frozen = False
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

    @property
    def capacity(self) -> int:
        """How many tasks the helpers take at once (0 without helpers)."""
        return self.helpers * QUEUED_PER_HELPER

    def _start(self, helpers: int) -> None:
        _warm_up(self._library)
        if self._before_fork is not None:  # modules the helpers will use, imported once for all
            self._before_fork()
        gc.freeze()  # what exists now is shared with the helpers: no collection touches (copies) it
        self._frozen = True
        try:
            pool = ProcessPoolExecutor(max_workers=helpers, mp_context=multiprocessing.get_context("fork"),
                                       initializer=_adopt, initargs=(self._library,))
            pool.submit(int).result()  # fork now, while this program has a single thread
        except (OSError, BrokenProcessPool):
            return
        self._pool, self._helpers = pool, helpers

    def __call__(self, entry: FileEntry) -> list[dict[str, Any]]:
        if entry.role not in TEXT_ROLES or not (entry.text or entry.pages):
            return identify_entry(entry, self._library)
        future = self.offload(identify_in_helper, entry)
        if future is None:
            return identify_entry(entry, self._library)
        try:
            return future.result()
        except BrokenProcessPool:  # a helper died (killed, out of memory): carry on in-process
            return identify_entry(entry, self._library)

    def offload(self, func: Callable[..., Any], *args: Any) -> Future[Any] | None:
        """``func(*args)`` started in a helper when one has room, else None (run it here).

        ``func`` must be a module-level function; it identifies with :func:`identify_in_helper`.
        A helper that died leaves a :class:`BrokenProcessPool` in the future and no helpers after.
        """
        pool = self._pool
        if pool is None:
            return None
        with self._lock:
            if self._in_flight >= self._helpers * QUEUED_PER_HELPER:
                return None
            self._in_flight += 1
        try:
            future = pool.submit(func, *args)
        except (BrokenProcessPool, RuntimeError):
            self._pool = None
            self._done(None)
            return None
        future.add_done_callback(self._done)
        return future

    def _done(self, future: Future[Any] | None) -> None:
        with self._lock:
            self._in_flight -= 1
        if future is not None and not future.cancelled() and isinstance(future.exception(), BrokenProcessPool):
            self._pool = None

    def close(self) -> None:
        """Stop the helper processes."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        if self._frozen:  # the objects frozen for the helpers may be collected again
            self._frozen = False
            gc.unfreeze()
