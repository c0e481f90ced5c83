"""Plain-text labels the reviewer can select and copy (quotes, paths, summaries)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget


def selectable_label(parent: QWidget, name: str = "", text: str = "") -> QLabel:
    """A wrapping, selectable plain-text label with an accessible name."""
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setAccessibleName(name)
    return label
