"""`aireview` with no subcommand starts the window (offscreen here) and reaches its event loop."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_window_starts_and_reports_ready(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "AIREVIEW_DATA_DIR": str(tmp_path / "data")}
    out = subprocess.run([sys.executable, "-m", "desktop", "--quit-when-ready"], capture_output=True,
                         text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    ready = [line.split() for line in out.stdout.splitlines() if line.startswith("READY")]
    assert ready and ready[0][2] == "1", out.stdout
    assert (tmp_path / "data").is_dir(), "the first run creates the data folder"


def test_no_display_is_a_clear_message_not_a_qt_abort(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["AIREVIEW_DATA_DIR"] = str(tmp_path / "data")
    out = subprocess.run([sys.executable, "-m", "desktop", "--sample"], capture_output=True, text=True,
                         env=env, timeout=120)
    if not sys.platform.startswith("linux"):
        return
    assert out.returncode == 2
    assert out.stderr.strip().splitlines() == [
        "aireview: no display to open a window on (DISPLAY is not set); the subcommands (aireview scan, "
        "review, memo, verify, ...) run without one"]
