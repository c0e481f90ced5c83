"""Render each main view of the sample delivery to PNG, at 1280x800 and at 200% scaling.

    .venv/bin/python bench/screenshots.py            # both scales -> bench/out/screenshots/
    .venv/bin/python bench/screenshots.py --scale 2  # one scale (run in its own process)

Each scale runs in a child process (QT_SCALE_FACTOR must be set before Qt starts), offscreen,
with a private data folder and review database.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "screenshots"
SIZE = (1280, 800)


def _wait(app, condition, timeout: float = 120.0) -> None:  # type: ignore[no-untyped-def]
    import time
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise SystemExit("timed out waiting for the window")
        app.processEvents()
        time.sleep(0.01)


def render(scale: str) -> list[Path]:
    """Drive the real window through every view and save one PNG per view."""
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from desktop import app as desktop_app
    from desktop.ui.main_window import MainWindow
    from desktop.ui.review_page import CHECKLIST, FILES, INVENTORY, SUMMARY

    qt = QApplication.instance() or QApplication([sys.argv[0]])
    qt.setApplicationName("AI Review Desk")
    data = Path(os.environ["AIREVIEW_DATA_DIR"])
    settings = QSettings(str(data / "ui.ini"), QSettings.Format.IniFormat)
    window = MainWindow(desktop_app.scan_job, desktop_app.sample_path,
                        store_url=f"sqlite:///{data / 'reviews.db'}", data_dir=data, settings=settings)
    window.resize(*SIZE)
    window.show()
    out = OUT / f"{scale}x"
    out.mkdir(parents=True, exist_ok=True)
    shots: list[Path] = []

    def shot(name: str, widget=None) -> None:  # type: ignore[no-untyped-def]
        for _ in range(5):
            qt.processEvents()
        path = out / f"{name}.png"
        (widget or window).grab().save(str(path))
        shots.append(path)

    shot("01-welcome")
    results: list[object] = []
    window.scan_finished.connect(results.append)
    window.open_delivery(desktop_app.sample_path())
    _wait(qt, lambda: results)
    window.review.setCurrentIndex(INVENTORY)
    window.review.inventory.select_path("LICENSE")
    shot("02-inventory")
    window.review.setCurrentIndex(FILES)
    shot("03-all-files")
    window.review.open_path("LICENSE", (67, 69))
    shot("04-text-viewer")
    window.review.setCurrentIndex(CHECKLIST)
    shot("05-start-review")
    window.review.form.vendor.setText("Example Vendor Ltd")
    window.review.form.purpose.setText("internal chatbot")
    window.review.form.start_button.click()
    checklist = window.review.checklist
    checklist.editor.decision_buttons["accept-with-conditions"].setChecked(True)
    checklist.editor.rationale.setPlainText("The Apache text grants rights in the work; weights are the work.")
    checklist.editor.conditions.setPlainText("Keep the NOTICE file with every copy.")
    checklist.flush()
    shot("06-checklist")
    window.review.setCurrentIndex(SUMMARY)
    shot("07-summary")
    window.show_history()
    shot("08-history")
    window.show_welcome()
    shot("09-welcome-recent")
    dialog = window.open_settings()
    shot("10-settings", dialog)
    dialog.reject()
    about = window.open_about()
    shot("11-about", about)
    about.reject()
    window.close()
    return shots


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=("1", "2"), help="render one scale in this process")
    args = parser.parse_args()
    if args.scale:
        for path in render(args.scale):
            print(path.relative_to(ROOT))
        return 0
    for scale in ("1", "2"):
        with tempfile.TemporaryDirectory(prefix="aireview-shots-") as data:
            env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
                   "QT_SCALE_FACTOR": scale, "AIREVIEW_DATA_DIR": data, "HF_HUB_OFFLINE": "1",
                   "AIREVIEW_REVIEWER": "Ada Lovelace <ada@firm.example>"}
            subprocess.run([sys.executable, __file__, "--scale", scale], env=env, check=True, cwd=ROOT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
