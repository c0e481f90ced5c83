"""The start page: open a folder, a bundle or the sample, or pick up a recent review."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.icons import icon
from desktop.ui.models.table_base import ROW, Col, RowsTableModel


def _recent_label(r: dict[str, Any]) -> str:
    if r.get("kind") == "review":
        name = " ".join(x for x in (r.get("vendor"), r.get("product"), r.get("version")) if x)
        return f"#{r['id']} {name} — {r.get('status', '')}"
    return str(r.get("path", ""))


class RecentModel(RowsTableModel):
    """Recent reviews (from the store) and recently opened paths (UI state)."""

    COLUMNS = (Col("Recent", _recent_label),)


class WelcomeView(QWidget):
    """Buttons for the four ways in, and the recent list (activate a row to open it)."""

    open_folder = Signal()
    open_bundle = Signal()
    open_sample = Signal()
    open_recent = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(48, 32, 48, 32)
        title = QLabel(self.tr("AI Review Desk"), self)
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        title.setFont(font)
        subtitle = QLabel(self.tr("Review an AI model delivery offline: open a model folder or a "
                                  "bundle (archive, PDF, DOCX), or drop one onto this window."), self)
        subtitle.setWordWrap(True)
        buttons = QHBoxLayout()
        self.folder_button = QPushButton(icon("folder"), self.tr("Open model fol&der…"), self)
        self.bundle_button = QPushButton(icon("role-archive"), self.tr("Open &bundle…"), self)
        self.sample_button = QPushButton(icon("role-weights"), self.tr("Open &sample delivery"), self)
        for button, signal, name in (
                (self.folder_button, self.open_folder, self.tr("Open model folder")),
                (self.bundle_button, self.open_bundle, self.tr("Open bundle")),
                (self.sample_button, self.open_sample, self.tr("Open sample delivery"))):
            button.setAccessibleName(name)
            button.clicked.connect(signal)
            button.setMinimumHeight(40)
            buttons.addWidget(button)
        buttons.addStretch(1)
        box = QGroupBox(self.tr("Recent reviews"), self)
        box_layout = QVBoxLayout(box)
        self.recent = RecentModel(self)
        self.recent_view = QListView(box)
        self.recent_view.setModel(self.recent)
        self.recent_view.setAccessibleName(self.tr("Recent reviews"))
        self.recent_view.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.recent_view.activated.connect(lambda i: self.open_recent.emit(i.data(ROW)))
        self.empty_label = QLabel(self.tr("No reviews yet."), box)
        box_layout.addWidget(self.recent_view)
        box_layout.addWidget(self.empty_label)
        outer.addWidget(title)
        outer.addWidget(subtitle)
        outer.addSpacing(16)
        outer.addLayout(buttons)
        outer.addSpacing(16)
        outer.addWidget(box, 1)
        outer.setAlignment(Qt.AlignmentFlag.AlignTop)

    def set_recent(self, rows: list[dict[str, Any]]) -> None:
        """Show recent reviews and paths (dicts with ``kind`` review or path)."""
        self.recent.set_rows(rows)
        self.empty_label.setVisible(not rows)
