"""The import progress strip: files and bytes, the current file, time left, and Cancel."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QSizePolicy, QWidget

from desktop.core.jobs import Progress
from desktop.ui.review_data import human_size


def _duration(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}" if seconds >= 60 else f"{seconds} s"


class ImportPanel(QWidget):
    """Shows a running import; ``cancel_requested`` fires when the reviewer clicks Cancel."""

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._started = 0.0
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        self.bar = QProgressBar(self)
        self.bar.setAccessibleName(self.tr("Import progress"))
        self.bar.setMinimumWidth(180)
        self.bar.setMaximumWidth(320)
        self.label = QLabel("", self)
        self.label.setAccessibleName(self.tr("Import status"))
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setAccessibleName(self.tr("Cancel the import"))
        self.cancel_button.clicked.connect(self.cancel_requested)
        layout.addWidget(self.bar)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.cancel_button)

    def begin(self, what: str) -> None:
        """Show the strip for a new import of ``what``."""
        self._started = time.monotonic()
        self.bar.setRange(0, 0)
        self.label.setText(self.tr("Opening {0}…").format(what))
        self.cancel_button.setEnabled(True)
        self.setVisible(True)

    def update_progress(self, p: Progress) -> None:
        """Show one progress snapshot (the core already rate-limits them)."""
        if p.bytes_total > 0:
            self.bar.setRange(0, 1000)
            self.bar.setValue(int(1000 * min(p.bytes_done, p.bytes_total) / p.bytes_total))
        left = ""
        elapsed = time.monotonic() - self._started
        if p.bytes_total and p.bytes_done and elapsed > 0.5:
            rate = p.bytes_done / elapsed
            left = self.tr(" — about {0} left").format(_duration((p.bytes_total - p.bytes_done) / rate))
        self.label.setText(self.tr("{0}/{1} files, {2} of {3} — {4}{5}").format(
            p.files_done, p.files_total, human_size(p.bytes_done), human_size(p.bytes_total),
            p.current, left))

    def cancelling(self) -> None:
        self.cancel_button.setEnabled(False)
        self.label.setText(self.tr("Cancelling…"))

    def end(self) -> None:
        self.setVisible(False)
