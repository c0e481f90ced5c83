"""Launch time of the frozen app: process start until its window is interactive.

    python packaging/build.py && python bench/frozen_launch.py [--runs 7] [--exe dist/AIReviewDesk/aireview]

Runs the bundle with ``--quit-when-ready`` (offscreen Qt, a private data folder): the app prints
the wall clock once its window is shown and the event loop has processed its first events.
Target (packaging issue): median < 2 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from ui_launch import seconds_to_ready

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 2.0


def one_run(exe: Path, data_dir: str) -> float:
    return seconds_to_ready([str(exe), "--quit-when-ready"], data_dir)


def main() -> int:
    default = ROOT / "dist" / "AIReviewDesk" / ("aireview.exe" if sys.platform == "win32" else "aireview")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--exe", type=Path, default=default)
    args = parser.parse_args()
    if not args.exe.is_file():
        raise SystemExit(f"{args.exe} not found: build it first with python packaging/build.py")
    with tempfile.TemporaryDirectory(prefix="aireview-frozen-launch-") as data:
        first = one_run(args.exe, data)  # first run: creates the data folder and the database
        times = [one_run(args.exe, data) for _ in range(args.runs)]
    median = statistics.median(times)
    print(f"frozen app launch to interactive window: first run {first:.3f} s; then median {median:.3f} s, "
          f"min {min(times):.3f} s, max {max(times):.3f} s over {len(times)} runs (target < {TARGET_SECONDS} s)")
    return 0 if median < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
