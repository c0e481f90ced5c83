"""Render every view of the sample delivery to PNG at 1024x640, 1440x900 and 200% (1024x640 logical).

    .venv/bin/python bench/screenshots.py                 # all three -> bench/out/screenshots/<size>/
    .venv/bin/python bench/screenshots.py --size 1024x640 --scale 1   # one, in this process

Each size runs in a child process (QT_SCALE_FACTOR must be set before Qt starts), offscreen, with a
private data folder and review database, and QWidget.grab() writes the PNGs.
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
RUNS = (("1024x640", "1"), ("1440x900", "1"), ("1024x640", "2"))


def _wait(app, condition, timeout: float = 120.0) -> None:  # type: ignore[no-untyped-def]
    import time
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise SystemExit("timed out waiting for the window")
        app.processEvents()
        time.sleep(0.01)


def render(size: str, scale: str) -> list[Path]:  # noqa: PLR0915 - one straight walk through the views
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
    (data / "preferences.json").write_text('{"reviewer": "Ada Lovelace <ada@firm.example>"}', encoding="utf-8")
    settings = QSettings(str(data / "ui.ini"), QSettings.Format.IniFormat)
    url = f"sqlite:///{data / 'reviews.db'}"
    window = MainWindow(desktop_app.scan_job, desktop_app.sample_path, store_url=url, data_dir=data,
                        settings=settings)
    window.choosers.choice = lambda *_a: None  # no modal dialog offscreen
    width, height = (int(v) for v in size.split("x"))
    window.resize(width, height)
    window.show()
    out = OUT / (f"{size}@{scale}x" if scale != "1" else size)
    out.mkdir(parents=True, exist_ok=True)
    shots: list[Path] = []

    def shot(name: str, widget=None) -> None:  # type: ignore[no-untyped-def]
        for _ in range(8):
            qt.processEvents()
        path = out / f"{name}.png"
        (widget or window).grab().save(str(path))
        shots.append(path)

    shot("01-welcome")
    bad = data / "broken.zip"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    stopped: list[object] = []
    window.scan_stopped.connect(stopped.append)
    window.open_delivery(bad)
    _wait(qt, lambda: stopped)
    shot("02-corrupt-archive")
    results: list[object] = []
    window.scan_finished.connect(results.append)
    window.open_delivery(desktop_app.sample_path())
    _wait(qt, lambda: results)
    shot("03-review-start")
    review = window.review
    review.form.vendor.setText("Example Vendor Ltd")
    review.form.version.setText("1.0")
    review.form.purpose.setText("internal chatbot")
    review.form.start_button.click()
    checklist = review.checklist
    shot("03b-review-first-item")  # the weights item opens on the sentence that ties weights to terms
    checklist.go_to(next(r for r in range(checklist.items.rowCount())
                         if checklist.items.row(r)["item"].id == "attribution"))
    shot("04-review-item-evidence")
    checklist.evidence.step(1)
    checklist.editor.decision_buttons["accept"].setChecked(True)
    shot("05-review-unsaved")
    checklist.editor.rationale.setPlainText("The NOTICE file ships with the weights.")
    checklist.flush()
    checklist.go_to(0)
    checklist.editor.decision_buttons["accept-with-conditions"].setChecked(True)
    checklist.editor.rationale.setPlainText("The Apache text grants rights in the work; weights are the work.")
    checklist.editor.conditions.setPlainText("Keep the NOTICE file with every copy.")
    checklist.flush()
    shot("06-review-decided")
    review.setCurrentIndex(INVENTORY)
    review.inventory.select_path("LICENSE")
    shot("07-inventory")
    review.setCurrentIndex(FILES)
    shot("08-all-files")
    review.open_path("LICENSE", (67, 69))
    shot("09-text-viewer")
    review.setCurrentIndex(SUMMARY)
    shot("10-summary")
    obligations = getattr(review, "obligations", None)
    if obligations is not None:
        review.setCurrentWidget(obligations)
        shot("11-obligations")
    _submit(url, window.review_id)
    window.open_review(window.review_id)
    review.setCurrentIndex(CHECKLIST)
    shot("12-review-in-review")
    _approve(url, window.review_id)
    window.open_review(window.review_id)
    review.setCurrentIndex(CHECKLIST)
    shot("13-review-approved-read-only")
    window.show_history()
    shot("14-history")
    window.show_welcome()
    shot("15-welcome-recent")
    dialog = window.open_settings()
    shot("16-settings", dialog)
    dialog.reject()
    about = window.open_about()
    shot("17-about", about)
    about.reject()
    window.close()
    return shots


ADA, BOB = "Ada Lovelace <ada@firm.example>", "Bob Approver <bob@firm.example>"


def _submit(url: str, review_id: int | None) -> None:
    """Decide the remaining items as the preparer and submit the review (store API)."""
    from desktop.core.store import open_store

    with open_store(url) as store:
        for answer in store.get_review(review_id)["answers"]:
            if not answer["decision"]:
                store.answer(review_id, answer["item"], "accept", "Checked against the delivered text.", reviewer=ADA)
        store.set_status(review_id, "in-review", reviewer=ADA)


def _approve(url: str, review_id: int | None) -> None:
    """Approve as a second reviewer (store API)."""
    from desktop.core.store import open_store

    with open_store(url) as store:
        store.set_status(review_id, "approved-with-conditions", reviewer=BOB)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", help="render one size (WxH) in this process")
    parser.add_argument("--scale", default="1", help="with --size: the QT_SCALE_FACTOR it runs under")
    args = parser.parse_args()
    if args.size:
        for path in render(args.size, args.scale):
            print(path.relative_to(ROOT))
        return 0
    for size, scale in RUNS:
        with tempfile.TemporaryDirectory(prefix="aireview-shots-") as data:
            env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
                   "QT_SCALE_FACTOR": scale, "AIREVIEW_DATA_DIR": data, "HF_HUB_OFFLINE": "1"}
            subprocess.run([sys.executable, __file__, "--size", size, "--scale", scale], env=env, check=True,
                           cwd=ROOT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
