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


# System libraries Qt's X11 plugin needs that minimal Linux installs may lack (Debian package names).
X11_LIBRARIES = {"xcb-cursor": "libxcb-cursor0", "xcb-icccm": "libxcb-icccm4", "xcb-keysyms": "libxcb-keysyms1",
                 "xkbcommon-x11": "libxkbcommon-x11-0"}


def display_problem() -> str | None:
    """On Linux, why no window can open (no display, or missing X11 libraries); else None."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM") not in (None, "", "xcb"):
        return None
    if os.environ.get("WAYLAND_DISPLAY") and not os.environ.get("QT_QPA_PLATFORM"):
        return None
    if not os.environ.get("DISPLAY"):
        return ("no display to open a window on (DISPLAY is not set); the subcommands (aireview scan, "
                "review, memo, verify, ...) run without one")
    import ctypes.util

    missing = [pkg for lib, pkg in X11_LIBRARIES.items() if ctypes.util.find_library(lib) is None]
    if missing:
        return ("Qt needs these X11 libraries to open a window: " + ", ".join(missing)
                + f" (Debian/Ubuntu: sudo apt-get install {' '.join(missing)})")
    return None


def run_gui(argv: Sequence[str]) -> int:
    """Start Qt and show the main window (optionally on a delivery or the sample)."""
    args = parse_gui_args(argv)
    problem = display_problem()
    if problem is not None:
        print(f"aireview: {problem}", file=sys.stderr)
        return 2
    if args.data_dir:
        os.environ["AIREVIEW_DATA_DIR"] = str(args.data_dir)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from desktop.core.licenses.library import reference_dir

    reference_dir()  # a missing reference library is a SetupError: one line naming the fix, exit 2
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
    if not args.quit_when_ready:
        QTimer.singleShot(0, window.ensure_identity)  # first run: name, email, signing identity
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
    """The scan the window runs in its worker thread, with the firm files of the settings (the
    same options ``aireview scan`` and ``aireview review create`` use)."""
    from desktop import paths
    from desktop.core.scan import scan_path
    from desktop.core.settings import load_settings

    options = load_settings(paths.data_dir()).scan_options()
    return scan_path(path, report=report, cancel=cancel, options=options)


def sample_path() -> Path:
    """The sample delivery, assembled in the data folder on first use."""
    from desktop import paths
    from desktop.core.sample import build_sample

    return build_sample(paths.data_dir() / "sample-delivery", paths.resources_dir() / "sample_delivery")
