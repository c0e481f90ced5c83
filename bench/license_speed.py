"""Speed: `aireview scan` vs `scancode --license -n 2` on the same delivery mix, side by side.

    .venv/bin/python bench/license_speed.py [--files N] [--runs N] [--scancode-runs N] [--scancode PATH]
                                            [--no-scancode] [--plain] [--code DIR]

The corpus is the realistic mix of ``bench/license_mix.py`` (license texts in every corpus
variant, 10% PDFs printed by Qt, 10% model cards and READMEs; default 300 files), or with
--plain the older corpus of ``license_corpus.py`` (its hand-written PDFs extract fast).
Prints the per-stage split of one in-process scan (``scan_stages.py``: read, identify,
clauses, checks), byte-compiles the package (as installing a wheel does), then times
`aireview scan --json` --runs times (default 3) and ScanCode --scancode-runs times (default 1;
after an untimed warm-up on one file, so its index is built), interleaved (our runs spread
before, between and after ScanCode's: the machine's speed drifts over minutes), with process
start included and CPU seconds counting children; each side's best wall time and best CPU
time count.  Then our peak RSS and the ratios against the targets
(>= 20x wall, >= 25x CPU, peak RSS < 300 MB).  --code DIR runs another checkout's
``desktop`` package (an export of an older commit) with this bench, for
before/after figures.  Other work on the machine slows wall times: the load average is printed.

ScanCode comes from its own venv (bench/out/scancode-venv, created on first run with
`scancode-toolkit` and `pluggy<1.6`); --scancode points at an existing executable instead.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent.parent), str(Path(__file__).resolve().parent)]

from _common import ROOT, out_dir  # noqa: E402
from license_corpus import LISTED_KEYS, generate  # noqa: E402
from license_mix import generate as generate_mix  # noqa: E402

TARGET_WALL = 20.0
TARGET_CPU = 25.0
TARGET_RSS_MB = 300.0
BENCH = Path(__file__).resolve().parent


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


def plain_corpus(files: int) -> Path:
    folder = out_dir("license-speed") / f"corpus-{files}"
    manifest = folder / "manifest.json"
    if not manifest.exists():
        generate(folder, list(LISTED_KEYS), prose_files=30)
        rows = json.loads(manifest.read_text())
        for row in rows[files:]:
            (folder / row["path"]).unlink()
        manifest.write_text(json.dumps(rows[:files]))
    return folder


def mix_corpus(files: int) -> Path:
    folder = out_dir("license-speed") / f"mix-{files}"
    if not (folder / "manifest.json").exists():
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        generate_mix(folder, files)
    return folder


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _env(code: Path) -> dict[str, str]:
    env = os.environ.copy()
    if code != ROOT:
        env["PYTHONPATH"] = str(code)
    return env


def timed(cmd: list[str], code: Path = ROOT) -> tuple[float, float]:
    """Wall and CPU seconds (user + system of the command and its children) of one run."""
    cpu0, t0 = _children_cpu(), time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_env(code), cwd=code)
    return time.perf_counter() - t0, _children_cpu() - cpu0


def peak_rss_mb(cmd: list[str], code: Path) -> float:
    """Peak RSS of ``cmd`` and its children (the license helper), measured in a fresh process."""
    probe = ("import resource, subprocess, sys\n"
             "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)\n"
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", probe, *cmd], capture_output=True, text=True, check=True,
                         env=_env(code), cwd=code).stdout
    return int(out.split()[-1]) / 1024.0


def stages(folder: Path, code: Path) -> dict:
    out = subprocess.run([sys.executable, str(BENCH / "scan_stages.py"), str(folder)], capture_output=True,
                         text=True, check=True, env=_env(code), cwd=code).stdout
    return json.loads(out.strip().splitlines()[-1])


def byte_compile(code: Path) -> None:
    """Write the package's bytecode first, as installing a wheel does (ScanCode's venv has its own):
    a machine with PYTHONDONTWRITEBYTECODE set would otherwise time source compilation on every run."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(code / "desktop")], check=True,
                   stdout=subprocess.DEVNULL)


def scancode_command(explicit: str | None, folder: Path) -> list[str]:
    """ScanCode's command on ``folder``, after an untimed run on one file (which builds its index)."""
    exe = scancode_executable(explicit)

    def command(out: Path, target: Path) -> list[str]:
        return [str(exe), "--license", "-n", "2", "--json-pp", str(out), str(target)]

    warm = out_dir("license-speed") / "scancode-warm"
    warm.mkdir(exist_ok=True)
    (warm / "LICENSE").write_text("Permission is hereby granted, free of charge, to any person.\n")
    subprocess.run(command(warm / "out.json", warm / "LICENSE"), check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return command(out_dir("license-speed") / "scancode.json", folder)


def order_of(runs: int, sc_runs: int) -> list[str]:
    """The run order: our runs spread evenly before, between and after ScanCode's ("A" ours, "S" ScanCode),
    so both sides sample the same stretch of the machine's speed, which drifts over minutes."""
    groups = sc_runs + 1
    order: list[str] = []
    for group in range(groups):
        order += ["A"] * (runs // groups + (1 if group < runs % groups else 0))
        if group < sc_runs:
            order.append("S")
    return order


def interleaved(ours: Callable[[], tuple[float, float]], theirs: Callable[[], tuple[float, float]],
                runs: int, sc_runs: int) -> tuple[list[tuple[float, float]], list[tuple[float, float]]]:
    """(our timings, ScanCode's timings), run in :func:`order_of`."""
    timings: dict[str, list[tuple[float, float]]] = {"A": [], "S": []}
    for side in order_of(runs, sc_runs):
        timings[side].append(ours() if side == "A" else theirs())
    return timings["A"], timings["S"]


def best(timings: list[tuple[float, float]]) -> tuple[float, float]:
    """The best wall time and the best CPU time of a side's runs (each may come from another run)."""
    return min(w for w, _ in timings), min(c for _, c in timings)


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def _verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def main(argv: list[str]) -> int:
    files = int(argv[argv.index("--files") + 1]) if "--files" in argv else (650 if "--plain" in argv else 300)
    runs = int(argv[argv.index("--runs") + 1]) if "--runs" in argv else 3
    explicit = argv[argv.index("--scancode") + 1] if "--scancode" in argv else None
    code = Path(argv[argv.index("--code") + 1]).resolve() if "--code" in argv else ROOT
    folder = plain_corpus(files) if "--plain" in argv else mix_corpus(files)
    rows = json.loads((folder / "manifest.json").read_text())
    count = len(rows) + 1                    # the manifest is scanned too
    kinds: dict[str, int] = {}
    for row in rows:
        kinds[row.get("kind", row.get("variant", "?"))] = kinds.get(row.get("kind", row.get("variant", "?")), 0) + 1
    print(f"corpus: {folder} ({count} files: {', '.join(f'{n} {k}' for k, n in sorted(kinds.items()))})")
    print(f"code: {code}")
    print(f"load average before: {load()} ({os.cpu_count()} cores)")
    byte_compile(code)
    split = stages(folder, code)
    print(f"in-process scan (no helper process, so every stage is timed): {split['wall']:.1f}s wall, "
          f"{split['cpu']:.1f}s CPU")
    print("  stage      calls   wall(s)  CPU(s)   (wall summed over worker threads)")
    for name, figures in split["stages"].items():
        print(f"  {name:<9} {figures['calls']:>6} {figures['wall']:>9.2f} {figures['cpu']:>7.2f}")
    command = [sys.executable, "-m", "desktop", "scan", str(folder), "--json"]
    sc_runs = 0 if "--no-scancode" in argv else \
        int(argv[argv.index("--scancode-runs") + 1]) if "--scancode-runs" in argv else 1
    sc_command = scancode_command(explicit, folder) if sc_runs else []
    timings, sc_timings = interleaved(lambda: timed(command, code), lambda: timed(sc_command), runs, sc_runs)
    scan, scan_cpu = best(timings)
    rss = peak_rss_mb(command, code)
    print(f"aireview scan: {count} files in {scan:.1f}s ({count / scan:.1f} files/s), {scan_cpu:.1f} s CPU, "
          f"peak RSS {rss:.0f} MB; all runs: {', '.join(f'{w:.1f}s/{c:.1f}s CPU' for w, c in timings)}")
    if not sc_runs:
        print("scancode: not run (--no-scancode), no ratio")
        return 0
    sc, sc_cpu = best(sc_timings)
    print(f"scancode --license -n 2: {count} files in {sc:.1f}s ({count / sc:.1f} files/s), {sc_cpu:.1f} s CPU; "
          f"all runs: {', '.join(f'{w:.1f}s/{c:.1f}s CPU' for w, c in sc_timings)}")
    print("(runs interleaved: " + " ".join(order_of(runs, sc_runs)) + "; best wall and best CPU of each side)")
    print(f"speed ratio (scancode / aireview scan): {sc / scan:.1f}x wall (target >= {TARGET_WALL:.0f}x: "
          f"{_verdict(sc / scan >= TARGET_WALL)}), {sc_cpu / scan_cpu:.1f}x CPU (target >= {TARGET_CPU:.0f}x: "
          f"{_verdict(sc_cpu / scan_cpu >= TARGET_CPU)}); peak RSS {rss:.0f} MB (target < {TARGET_RSS_MB:.0f} MB: "
          f"{_verdict(rss < TARGET_RSS_MB)})")
    print(f"load average after: {load()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
