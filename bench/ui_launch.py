"""Launch time: process start until the main window is shown and the event loop ran once.

    .venv/bin/python bench/ui_launch.py [--runs 7]

Each run starts a fresh interpreter (offscreen Qt, private data folder) that calls
``desktop.app.run_gui([])``; a zero-delay timer queued before the loop starts reports the wall
clock once the window is up and the loop processes its first events.  Target: median < 1.5 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 1.5

CHILD = """
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
def ready():
    shown = [w for w in app.topLevelWidgets() if isinstance(w, QMainWindow) and w.isVisible()]
    print("READY", time.time(), len(shown), flush=True)
    app.quit()
QTimer.singleShot(0, ready)
from desktop.app import run_gui
sys.exit(run_gui([]))
"""


def one_run(data_dir: str) -> float:
    """Seconds from spawning the process to the window being interactive."""
    return seconds_to_ready([sys.executable, "-c", CHILD], data_dir)


def seconds_to_ready(cmd: list[str], data_dir: str) -> float:
    """Run ``cmd`` (offscreen, private data folder); seconds until it prints ``READY <time> 1``."""
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
           "AIREVIEW_DATA_DIR": data_dir}
    started = time.time()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, check=False, timeout=60)
    ready = [line.split() for line in proc.stdout.splitlines() if line.startswith("READY")]
    if proc.returncode != 0 or not ready or ready[0][2] != "1":
        raise SystemExit(f"launch failed ({proc.returncode}): {proc.stderr.strip()[-800:]}")
    return float(ready[0][1]) - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="aireview-launch-") as data:
        one_run(data)  # warm the OS file cache and byte-code caches, as a second launch would
        times = [one_run(data) for _ in range(args.runs)]
    median = statistics.median(times)
    print(f"launch to interactive window: median {median:.3f} s, min {min(times):.3f} s, "
          f"max {max(times):.3f} s over {len(times)} runs (target < {TARGET_SECONDS} s)")
    return 0 if median < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
