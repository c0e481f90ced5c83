"""Drag and drop of a delivery anywhere on the window: a folder or an archive dropped on any
widget of it (a table, a text box, the tabs) opens, instead of the widget taking the text."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QObject
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QWidget

BUNDLE_SUFFIXES = (".zip", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".pdf", ".docx")
DRAG_EVENTS = (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop)


def delivery_paths(mime: QMimeData) -> list[Path]:
    """The dropped local folders and archives (other files are not deliveries)."""
    paths = [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]
    return [p for p in paths if p.is_dir() or p.name.lower().endswith(BUNDLE_SUFFIXES)]


class DropFilter(QObject):
    """Installed on the application; acts only for widgets of ``window``."""

    def __init__(self, window: QWidget, open_path: Callable[[Path], object]) -> None:
        super().__init__(window)
        self._window, self._open = window, open_path
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() not in DRAG_EVENTS or not isinstance(watched, QWidget) \
                or watched.window() is not self._window:
            return False
        assert isinstance(event, QDropEvent)
        paths = delivery_paths(event.mimeData())
        if not paths:
            return False
        event.setDropAction(event.proposedAction())
        event.accept()
        if event.type() == QEvent.Type.Drop:
            self._open(paths[0])
        return True
