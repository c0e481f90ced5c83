"""Wires the desktop app: arguments, paths, the scan job and the main window."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path


def parse_gui_args(argv: Sequence[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="aireview", description="Open the AI Review Desk window.")
    p.add_argument("path", nargs="?", type=Path, help="delivery to open")
    p.add_argument("--sample", action="store_true", help="open the bundled sample delivery")
    p.add_argument("--data-dir", type=Path, help="use this folder for the app's data")
    # Diagnostics for launch-time benchmarks: print when the window is interactive, then quit.
    p.add_argument("--quit-when-ready", action="store_true", help=argparse.SUPPRESS)
    return p.parse_args(list(argv))


def run_gui(argv: Sequence[str]) -> int:
    """Start Qt and show the main window (optionally on a delivery or the sample)."""
    args = parse_gui_args(argv)
    if args.data_dir:
        os.environ["AIREVIEW_DATA_DIR"] = str(args.data_dir)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from desktop import __version__
    from desktop.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("AI Review Desk")
    app.setOrganizationName("AIReviewDesk")
    app.setApplicationVersion(__version__)
    window = MainWindow(scan_job, sample_path)
    window.show()
    QTimer.singleShot(0, window.load_recent_reviews)
    if args.quit_when_ready:
        QTimer.singleShot(0, lambda: _report_ready(app, window))
    elif args.sample:
        window.open_delivery(sample_path())
    elif args.path:
        window.open_delivery(args.path)
    return app.exec()


def _report_ready(app: object, window: object) -> None:
    """The event loop is running and the window is visible: print the wall clock and quit."""
    import time

    print("READY", time.time(), int(window.isVisible()), flush=True)  # type: ignore[attr-defined]
    app.quit()  # type: ignore[attr-defined]


def scan_job(path: Path, report, cancel):  # type: ignore[no-untyped-def]
    """The scan the window runs in its worker thread, with the firm files of the preferences."""
    from desktop import paths
    from desktop.core.scan import ScanOptions, scan_path
    from desktop.ui.preferences import load_preferences

    prefs = load_preferences(paths.data_dir())
    options = ScanOptions(policy=prefs.path("policy_file"), checklist_dir=prefs.path("checklist_folder"),
                          firm_dir=prefs.path("reference_folder"))
    return scan_path(path, report=report, cancel=cancel, options=options)


def sample_path() -> Path:
    """The sample delivery, assembled in the data folder on first use."""
    from desktop import paths
    from desktop.core.sample import build_sample

    return build_sample(paths.data_dir() / "sample-delivery", paths.resources_dir() / "sample_delivery")
