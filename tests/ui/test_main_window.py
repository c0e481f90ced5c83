"""The main window scans off the GUI thread and lists the delivery's files."""

from __future__ import annotations

from pathlib import Path

from desktop import app
from desktop.core.results import FileEntry, Problem
from desktop.ui.main_window import MainWindow
from desktop.ui.models.files_model import ROW, FilesModel


def test_window_lists_sample_delivery_files(qtbot) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(app.scan_job, app.sample_path)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.scan_finished, timeout=60_000):
        window.open_delivery(app.sample_path())
    shown = {window.files.entry(r).path for r in range(window.files.rowCount())}
    assert {"model.safetensors", "README.md", "LICENSE", "config.json"} <= shown
    assert window.table.model().rowCount() == len(shown)
    assert "fingerprint" in window.summary.text()
    assert not window.progress.isVisible()


def test_cancel_button_stops_a_scan(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "big"
    folder.mkdir()
    with open(folder / "w.bin", "wb") as f:
        f.truncate(16 << 30)
    window = MainWindow(app.scan_job)
    qtbot.addWidget(window)
    window.show()
    window.open_delivery(folder)
    assert window.cancel_button.isVisible()
    worker = window._worker
    assert worker is not None
    with qtbot.waitSignal(worker.cancelled, timeout=5000):
        qtbot.mouseClick(window.cancel_button, qtbot_button())
    qtbot.waitUntil(lambda: window._worker is None and not window._jobs, timeout=5000)
    assert "cancelled" in window.summary.text()


def qtbot_button():  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_files_model_passes_model_tester(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = FilesModel()
    model.set_entries([
        FileEntry("a.safetensors", 10, "0" * 64, role="weights", format="safetensors"),
        FileEntry("b.zip!/x", 0, None, problems=[Problem("absolute-path", "b.zip!/x: absolute")]),
    ])
    qtmodeltester.check(model)
    assert model.index(1, 0).data(ROW).problems[0].code == "absolute-path"
    assert model.index(0, 1).data() == "weights"
