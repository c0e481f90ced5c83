"""Find (Ctrl+F): a phrase in the inventory's file names and in the delivered texts.

Typing searches (after a short pause); Enter or a double-click opens the chosen place: a file
name selects the file in the inventory, a text line opens the file in the text viewer at that
line (``open_hit`` carries the :class:`desktop.core.text_search.Hit`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QTableView, QVBoxLayout, QWidget

from desktop.core.results import FileEntry
from desktop.core.text_search import Hit, find_in_delivery
from desktop.ui.models.search_hits_model import SearchHitsModel
from desktop.ui.models.table_base import ROW

SEARCH_DELAY_MS = 200


class SearchBar(QWidget):
    """``files`` gives the open delivery's files (empty when none is open)."""

    open_hit = Signal(object)
    closed = Signal()  # Escape: the window hides the bar

    def __init__(self, files: Callable[[], Sequence[FileEntry]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._files = files
        self.query = QLineEdit(self)
        self.query.setPlaceholderText(self.tr("Find in file names and delivered texts"))
        self.query.setAccessibleName(self.tr("Find in the delivery"))
        self.query.setClearButtonEnabled(True)
        self.count = QLabel("", self)
        self.hits = SearchHitsModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.hits)
        self.table.setAccessibleName(self.tr("Places found"))
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.activated.connect(self._open_index)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.search)
        self.query.textChanged.connect(lambda _t: self._timer.start())
        self.query.returnPressed.connect(self.open_next)
        QShortcut(QKeySequence(QKeySequence.StandardKey.FindNext), self, self.open_next)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.closed.emit)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        top = QHBoxLayout()
        top.addWidget(self.query, 1)
        top.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)

    def start(self, text: str | None = None) -> None:
        """Focus the query (all of it selected, to type over); ``text`` replaces it."""
        if text is not None:
            self.query.setText(text)
        self.query.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.query.selectAll()

    def search(self) -> list[Hit]:
        """Search now; the hits are listed and returned."""
        self._timer.stop()
        query = self.query.text()
        found = find_in_delivery(self._files(), query) if query.strip() else []
        self.hits.set_rows(found)
        self.table.resizeColumnsToContents()
        if not query.strip():
            self.count.clear()
        elif not self._files():
            self.count.setText(self.tr("Open a delivery first."))
        else:
            self.count.setText(self.tr("%n place(s)", "", len(found)))
        return found

    def open_next(self) -> None:
        """Open the hit after the current one (the first after a new search)."""
        if self._timer.isActive() or not self.hits.rowCount():
            self.search()
        if not self.hits.rowCount():
            return
        row = (self.table.currentIndex().row() + 1) % self.hits.rowCount()
        index = self.hits.index(row, 0)
        self.table.setCurrentIndex(index)
        self._open_index(index)

    def _open_index(self, index: object) -> None:
        hit = index.data(ROW) if hasattr(index, "data") else None  # type: ignore[union-attr]
        if hit is not None:
            self.open_hit.emit(hit)
