"""The main window: open a delivery, scan it off the GUI thread, list its files."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.jobs import CancelToken, Progress, Report
from desktop.core.results import ScanResult
from desktop.ui.models.files_model import FilesModel
from desktop.ui.tasks import JobWorker, start_job

ScanJob = Callable[[Path, Report, CancelToken], ScanResult]


class MainWindow(QMainWindow):
    """Lists the opened delivery's files; scanning runs in a worker thread."""

    scan_finished = Signal(object)

    def __init__(self, scan_job: ScanJob, sample_path: Callable[[], Path] | None = None) -> None:
        super().__init__()
        self._scan_job = scan_job
        self._sample_path = sample_path
        self._worker: JobWorker | None = None
        self.result: ScanResult | None = None
        self.setWindowTitle(self.tr("AI Review Desk"))
        self.resize(1100, 700)
        self.files = FilesModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.files)
        self.proxy.setSortRole(Qt.ItemDataRole.DisplayRole)
        self._build()

    def _build(self) -> None:
        central = QWidget(self)
        layout = QVBoxLayout(central)
        self.summary = QLabel(self.tr("Open a model folder, a bundle or the sample delivery."), central)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = QTableView(central)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setAccessibleName(self.tr("Files of the delivery"))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        bar = QHBoxLayout()
        self.progress = QProgressBar(central)
        self.progress.setAccessibleName(self.tr("Scan progress"))
        self.progress_label = QLabel("", central)
        self.cancel_button = QPushButton(self.tr("Cancel"), central)
        self.cancel_button.clicked.connect(self.cancel_scan)
        for w in (self.progress, self.progress_label, self.cancel_button):
            bar.addWidget(w)
            w.setVisible(False)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(bar)
        self.setCentralWidget(central)
        menu = self.menuBar().addMenu(self.tr("&File"))
        self._action(menu, self.tr("Open model &folder…"), QKeySequence.StandardKey.Open,
                     self.choose_folder)
        self._action(menu, self.tr("Open &bundle…"), None, self.choose_bundle)
        if self._sample_path is not None:
            self._action(menu, self.tr("Open &sample delivery"), None,
                         lambda: self.open_delivery(self._sample_path()))  # type: ignore[misc]
        self._action(menu, self.tr("&Quit"), QKeySequence.StandardKey.Quit, self.close)

    def _action(self, menu: Any, text: str, key: Any, slot: Callable[[], None]) -> QAction:
        action = QAction(text, self)
        if key is not None:
            action.setShortcut(key)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Open model folder"))
        if folder:
            self.open_delivery(Path(folder))

    def choose_bundle(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open bundle"), "",
            self.tr("Bundles (*.zip *.tar *.tar.gz *.tgz *.tar.bz2 *.tar.xz *.pdf *.docx);;All files (*)"))
        if name:
            self.open_delivery(Path(name))

    def open_delivery(self, path: Path) -> None:
        """Scan ``path`` in a worker thread; the table fills when it finishes."""
        if self._worker is not None:
            return
        self.summary.setText(self.tr("Scanning {0}…").format(path))
        worker = JobWorker(partial(self._scan_job, path))
        worker.progress.connect(self._on_progress)
        worker.finished.connect(self._on_finished)
        worker.cancelled.connect(lambda: self._on_stopped(self.tr("Scan cancelled.")))
        worker.failed.connect(lambda msg: self._on_stopped(self.tr("Could not open: {0}").format(msg)))
        self._worker = worker
        self._show_progress(True)
        start_job(self, worker)

    def cancel_scan(self) -> None:
        if self._worker is not None:
            self._worker.token.cancel()

    def _show_progress(self, visible: bool) -> None:
        for w in (self.progress, self.progress_label, self.cancel_button):
            w.setVisible(visible)
        self.progress.setRange(0, 0 if visible else 1)

    def _on_progress(self, p: Progress) -> None:
        if p.bytes_total:
            self.progress.setRange(0, 1000)
            self.progress.setValue(int(1000 * p.bytes_done / p.bytes_total))
        self.progress_label.setText(self.tr("{0}/{1} files — {2}").format(
            p.files_done, p.files_total, p.current))

    def _on_finished(self, result: ScanResult) -> None:
        self._worker = None
        self._show_progress(False)
        self.result = result
        self.files.set_entries(result.files)
        self.table.resizeColumnsToContents()
        problems = sum(len(f.problems) for f in result.files) + len(result.problems)
        self.summary.setText(self.tr("{0} — {1} files, fingerprint {2}, {3} problems").format(
            result.source_path, len(result.files), result.fingerprint[:16], problems))
        self.scan_finished.emit(result)

    def _on_stopped(self, message: str) -> None:
        self._worker = None
        self._show_progress(False)
        self.summary.setText(message)
