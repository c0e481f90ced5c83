"""Responsiveness figures that used to be timing limits inside unit tests, measured here instead.

    .venv/bin/python bench/responsiveness.py [--runs 3]

- cancel latency of a core scan hashing two 8 GiB sparse files (target < 1 s), and of a scan of
  the 301-file license mix of ``license_speed.py``, cancelled a third of the way through, while a
  helper process reads files (Linux; target < 1 s);
- in the window (offscreen Qt): the longest GUI-thread gap while a 16 GiB file is hashed
  (a 10 ms timer; target < 100 ms) and the time from the Cancel click to ``scan_stopped``
  (target < 1 s);
- hostile inputs: 5 MB of clause-trigger text (target < 2 s), a YAML alias bomb in a model card
  (< 1 s), a GGUF header claiming 2^60 keys (< 0.5 s).

Each figure is the worst of ``--runs`` runs; the load average is printed with them, since other
work on a 2-core machine slows every figure.
"""

from __future__ import annotations

import argparse
import io
import itertools
import os
import struct
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from _common import sparse_file  # noqa: E402


def core_cancel_seconds(folder: Path, work: Path) -> float:
    """Seconds from ``cancel()`` to the scan thread ending, once hashing has started."""
    from desktop.core.jobs import CancelToken
    from desktop.core.scan import ScanOptions, scan_path

    token, started = CancelToken(), threading.Event()

    def report(p) -> None:  # type: ignore[no-untyped-def]
        if p.bytes_done > 0:
            started.set()

    def run() -> None:
        try:
            scan_path(folder, report=report, cancel=token, options=ScanOptions(work_dir=work, identify=False))
        except BaseException:  # noqa: BLE001 - Cancelled is the expected end
            pass

    thread = threading.Thread(target=run)
    thread.start()
    started.wait(60)
    t0 = time.perf_counter()
    token.cancel()
    thread.join(60)
    return time.perf_counter() - t0


def helper_cancel_seconds(folder: Path, work: Path) -> float:
    """Seconds from ``cancel()`` to ``scan_path`` returning, for a scan large enough to fork a helper
    (run from this single-threaded program, as the CLI runs it; cancelled from the progress report)."""
    from desktop.core.jobs import Cancelled, CancelToken
    from desktop.core.scan import ScanOptions, scan_path

    token, cancelled_at = CancelToken(), []

    def report(p) -> None:  # type: ignore[no-untyped-def]
        if p.files_done >= 100 and not cancelled_at:
            cancelled_at.append(time.perf_counter())
            token.cancel()

    try:
        scan_path(folder, report=report, cancel=token, options=ScanOptions(work_dir=work))
    except Cancelled:
        pass
    return time.perf_counter() - cancelled_at[0] if cancelled_at else float("nan")


def window_figures(folder: Path, data: Path) -> tuple[float, float]:
    """(longest GUI-thread gap while hashing, seconds from the Cancel click to scan_stopped)."""
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from desktop import app
    from desktop.ui.choosers import Choosers
    from desktop.ui.main_window import MainWindow

    qapp = QApplication.instance() or QApplication([])
    (data / "preferences.json").write_text('{"reviewer": "Bench <bench@example.org>"}', encoding="utf-8")
    window = MainWindow(app.scan_job, app.sample_path, store_url=f"sqlite:///{data / 'reviews.db'}",
                        data_dir=data, choosers=Choosers(),
                        settings=QSettings(str(data / "ui.ini"), QSettings.Format.IniFormat))
    window.show()
    ticks: list[float] = []
    hashing_from: list[float] = []
    stopped: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    window.progress.valueChanged.connect(
        lambda v: hashing_from.append(time.perf_counter()) if v > 0 and not hashing_from else None)
    window.scan_stopped.connect(lambda *_a: stopped.append(time.perf_counter()))
    timer.start()
    window.open_delivery(folder)
    deadline = time.perf_counter() + 120
    while not (window.progress.value() >= 63 and len(ticks) > 100) and time.perf_counter() < deadline:
        qapp.processEvents()
        time.sleep(0.002)
    clicked = time.perf_counter()
    window.cancel_scan()
    while not stopped and time.perf_counter() < deadline:
        qapp.processEvents()
        time.sleep(0.001)
    while getattr(window, "_jobs", []) and time.perf_counter() < deadline:
        qapp.processEvents()
        time.sleep(0.01)
    timer.stop()
    during = [t for t in ticks if hashing_from and hashing_from[0] <= t <= clicked]
    gap = max((b - a for a, b in itertools.pairwise(during)), default=float("nan"))
    window.close()
    window.deleteLater()
    qapp.processEvents()
    return gap, (stopped[0] - clicked) if stopped else float("inf")


def hostile_seconds() -> dict[str, float]:
    """Seconds for each hostile input the readers must end on quickly."""
    from desktop.core.checks.clauses import extract_clauses
    from desktop.core.formats import read_format

    figures: dict[str, float] = {}
    chunk = ("governed by the laws of You may not use the outputs rights are not granted in Aaaa "
             "exclusive venue in the courts of X monthly active users more than . . . "
             "If you institute a claim include \u201c")
    t0 = time.perf_counter()
    extract_clauses(chunk * (5_000_000 // len(chunk)))
    figures["clauses, 5 MB of trigger words (target 2 s)"] = time.perf_counter() - t0
    levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 10):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        levels.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 9) + "]")
    card = ("---\n" + "\n".join(levels) + "\n---\n").encode()
    t0 = time.perf_counter()
    read_format("markdown", io.BytesIO(card), len(card), "README.md")
    figures["model card alias bomb (target 1 s)"] = time.perf_counter() - t0
    key = b"general.architecture"
    gguf = (b"GGUF" + struct.pack("<IQQ", 3, 0, 2**60) + struct.pack("<Q", len(key)) + key
            + struct.pack("<I", 8) + struct.pack("<Q", 5) + b"llama")
    t0 = time.perf_counter()
    read_format("gguf", io.BytesIO(gguf), len(gguf), "model.gguf")
    figures["GGUF claiming 2^60 keys (target 0.5 s)"] = time.perf_counter() - t0
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="aireview-resp-") as tmp:
        base = Path(tmp)
        os.environ.setdefault("AIREVIEW_DATA_DIR", str(base / "appdata"))
        big = base / "big"
        big.mkdir()
        for i in range(2):
            sparse_file(big / f"w{i}.bin", 8 << 30)
        work = base / "work"
        work.mkdir()
        from license_speed import mix_corpus

        mix = mix_corpus(300)  # before any thread starts: the scan forks its helper only then
        helper_cancels = [helper_cancel_seconds(mix, work) for _ in range(args.runs)]
        cancels = [core_cancel_seconds(big, work) for _ in range(args.runs)]
        print(f"core scan cancel latency: worst {max(cancels) * 1000:.0f} ms of {args.runs} (target < 1000 ms)")
        print(f"301-file scan with a helper process, cancel latency: worst {max(helper_cancels) * 1000:.0f} ms "
              f"of {args.runs} (target < 1000 ms)")
        gaps, clicks = [], []
        for run in range(args.runs):
            data = base / f"data{run}"
            data.mkdir()
            gap, click = window_figures(big, data)
            gaps.append(gap)
            clicks.append(click)
        print(f"window: longest GUI-thread gap while hashing: worst {max(gaps) * 1000:.0f} ms "
              f"(target < 100 ms); Cancel click to stopped: worst {max(clicks) * 1000:.0f} ms (target < 1000 ms)")
        worst: dict[str, float] = {}
        for _ in range(args.runs):
            for name, seconds in hostile_seconds().items():
                worst[name] = max(worst.get(name, 0.0), seconds)
        for name, seconds in worst.items():
            print(f"{name}: worst {seconds:.3f} s")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
