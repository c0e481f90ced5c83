"""Where `aireview scan` spends its time: the per-stage split of one in-process scan.

    .venv/bin/python bench/scan_stages.py FOLDER [--helpers] [--profile OUT.pstats]

Runs ``scan_path`` as ``aireview scan`` does (default options) with timers wrapped around
the stage entry points, and prints one JSON line: wall seconds, process CPU seconds, and per
stage the summed wall seconds of its calls and the summed CPU seconds of the calling threads
(scan workers run in parallel, so stage walls can add up to more than the scan's wall):
read (format readers: PDF text, model cards ...), identify (license identification),
clauses (clause extraction, done as each text is read), checks (findings, clauses excluded).
The CLI hands whole files to a helper process, whose work no timer here could see, so this
scan runs without helpers (``--helpers`` keeps them: then the stages show the main process
only, and the helper's CPU is given apart).  ``--profile`` also writes a cProfile of the scan.
Runs against whichever ``desktop`` package comes first on sys.path (the bench uses that to time
an older checkout).
"""

from __future__ import annotations

import functools
import json
import os
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

_WALL: dict[str, float] = defaultdict(float)
_CPU: dict[str, float] = defaultdict(float)
_CALLS: dict[str, int] = defaultdict(int)
_LOCK = threading.Lock()
_ACTIVE = threading.local()


def _timed(stage: str, func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        outer = getattr(_ACTIVE, "stage", None)
        _ACTIVE.stage = stage
        wall0, cpu0 = time.perf_counter(), time.thread_time()
        try:
            return func(*args, **kwargs)
        finally:
            wall, cpu = time.perf_counter() - wall0, time.thread_time() - cpu0
            _ACTIVE.stage = outer
            with _LOCK:
                _WALL[stage] += wall
                _CPU[stage] += cpu
                _CALLS[stage] += 1
                if outer is not None:          # a nested stage is not counted twice
                    _WALL[outer] -= wall
                    _CPU[outer] -= cpu
    return wrapper


def instrument() -> None:
    """Wrap the entry point of each stage (module attributes the scan looks up at call time)."""
    from desktop.core import formats
    from desktop.core.checks import clauses, evaluate
    from desktop.core.licenses import helper

    formats.read_format = _timed("read", formats.read_format)
    helper.Identifier.__call__ = _timed("identify", helper.Identifier.__call__)
    clauses.extract_clauses = _timed("clauses", clauses.extract_clauses)  # looked up per text
    for name in ("evaluate_scan", "evaluate_with_files"):   # the scan's entry point, by release
        if hasattr(evaluate, name):
            setattr(evaluate, name, _timed("checks", getattr(evaluate, name)))


def main(argv: list[str]) -> int:
    folder = Path(argv[0])
    instrument()
    if "--helpers" not in argv:
        from desktop.core.licenses import helper

        helper.MIN_FILES = 10 ** 9  # every stage in this process, where the timers are
    from desktop.core.scan import scan_path

    profiler = None
    if "--profile" in argv:
        import cProfile
        profiler = cProfile.Profile()
    cpu0, wall0 = time.process_time(), time.perf_counter()
    if profiler is not None:
        profiler.enable()
    result = scan_path(folder)
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(argv[argv.index("--profile") + 1])
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    children = os.times()
    stages = {s: {"wall": round(_WALL[s], 2), "cpu": round(_CPU[s], 2), "calls": _CALLS[s]}
              for s in ("read", "identify", "clauses", "checks")}
    print(json.dumps({"files": len(result.files), "wall": round(wall, 2), "cpu": round(cpu, 2),
                      "helper_cpu": round(children.children_user + children.children_system, 2),
                      "stages": stages}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
