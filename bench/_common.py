"""Shared helpers for the bench scripts: output folder, timing a command, peak RSS of a child."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"


def out_dir(name: str) -> Path:
    path = OUT / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def aireview(*args: str) -> list[str]:
    """The command line that runs ``aireview`` with this interpreter."""
    return [sys.executable, "-m", "desktop", *args]


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, str]:
    """Run ``cmd`` to completion; return wall seconds and its stdout (fails loudly)."""
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env or os.environ.copy(), cwd=ROOT)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.strip()}")
    return elapsed, proc.stdout


def peak_rss_mb(cmd: list[str]) -> tuple[float, float]:
    """Run ``cmd`` in a fresh process; return (wall seconds, its peak RSS in MB)."""
    code = ("import resource, subprocess, sys, time\n"
            "t=time.perf_counter(); r=subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
            "w=time.perf_counter()-t\n"
            "print(w, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)")
    out = subprocess.run([sys.executable, "-c", code, *cmd], capture_output=True, text=True, cwd=ROOT,
                         check=True).stdout.split()
    if out[2] != "0":
        raise SystemExit(f"{' '.join(cmd)} failed with exit {out[2]}")
    return float(out[0]), int(out[1]) / 1024.0


def sparse_file(path: Path, size: int) -> Path:
    if not path.exists() or path.stat().st_size != size:
        with open(path, "wb") as f:
            f.truncate(size)
    return path


def self_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
