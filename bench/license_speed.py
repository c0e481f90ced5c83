"""Speed: `aireview scan` vs `scancode --license -n 2` on the same ~650 license files, side by side.

    .venv/bin/python bench/license_speed.py [--files N] [--scancode PATH] [--runs N] [--no-scancode]

ScanCode comes from its own venv (bench/out/scancode-venv, created on first run with
`scancode-toolkit` and `pluggy<1.6`); --scancode points at an existing executable instead.
Also times the license engine alone (warm library) on the same files. `aireview scan` runs
--runs times (default 3; the best wall time counts, process start included); each command's
CPU seconds (user + system, children included) and the load average are printed too, since
other work on the machine slows wall times. --no-scancode skips ScanCode (no ratio printed).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent.parent), str(Path(__file__).resolve().parent)]

from _common import aireview, out_dir  # noqa: E402
from license_accuracy import read_case  # noqa: E402
from license_corpus import LISTED_KEYS, generate  # noqa: E402


def scancode_executable(explicit: str | None) -> Path:
    """An installed ScanCode CLI, creating bench/out/scancode-venv when needed."""
    if explicit:
        return Path(explicit)
    venv = out_dir("scancode-venv")
    exe = venv / "bin" / "scancode"
    if not exe.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "scancode-toolkit", "pluggy<1.6"],
                       check=True)
    return exe


def corpus(files: int) -> Path:
    folder = out_dir("license-speed") / f"corpus-{files}"
    manifest = folder / "manifest.json"
    if not manifest.exists():
        generate(folder, list(LISTED_KEYS), prose_files=30)
        rows = json.loads(manifest.read_text())
        for row in rows[files:]:
            (folder / row["path"]).unlink()
        manifest.write_text(json.dumps(rows[:files]))
    return folder


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system of the command and its children) of one run."""
    cpu0, t0 = _children_cpu(), time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env=os.environ.copy())
    return time.perf_counter() - t0, _children_cpu() - cpu0


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def engine_only(folder: Path) -> tuple[int, float]:
    from desktop.core.licenses import identify_text, load_library
    library = load_library()
    rows = json.loads((folder / "manifest.json").read_text())
    t0 = time.perf_counter()
    for row in rows:
        text, pages = read_case(folder / row["path"])
        identify_text(text, library, pages=pages)
    return len(rows), time.perf_counter() - t0


def main(argv: list[str]) -> int:
    files = int(argv[argv.index("--files") + 1]) if "--files" in argv else 650
    explicit = argv[argv.index("--scancode") + 1] if "--scancode" in argv else None
    folder = corpus(files)
    count = len(list(folder.glob("*"))) - 1
    runs = int(argv[argv.index("--runs") + 1]) if "--runs" in argv else 3
    print(f"load average before: {load()} ({os.cpu_count()} cores)")
    n, seconds = engine_only(folder)
    print(f"engine alone: {n} files in {seconds:.1f}s ({n / seconds:.1f} files/s)")
    timings = [timed(aireview("scan", str(folder), "--json")) for _ in range(runs)]
    scan, scan_cpu = min(timings)
    print(f"aireview scan: {count} files in {scan:.1f}s ({count / scan:.1f} files/s), {scan_cpu:.1f} s CPU; "
          f"all runs: {', '.join(f'{w:.1f}s' for w, _ in timings)}")
    if "--no-scancode" in argv:
        print("scancode: not run (--no-scancode), no ratio")
        return 0
    exe = scancode_executable(explicit)
    out = out_dir("license-speed") / "scancode.json"
    sc, sc_cpu = timed([str(exe), "--license", "-n", "2", "--json-pp", str(out), str(folder)])
    print(f"scancode --license -n 2: {count} files in {sc:.1f}s ({count / sc:.1f} files/s), {sc_cpu:.1f} s CPU")
    print(f"speed ratio (scancode / aireview scan): {sc / scan:.1f}x wall (target >= 20x), "
          f"{sc_cpu / scan_cpu:.1f}x CPU")
    print(f"load average after: {load()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
