"""A table of the delivery's files: path, role, format, size, SHA-256, licenses, problems."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt

from desktop.core.results import FileEntry

ROW = Qt.ItemDataRole.UserRole + 1
_ROOT = QModelIndex()


@dataclass(frozen=True)
class Col:
    title: str
    get: Callable[[FileEntry], Any]


def _licenses(entry: FileEntry) -> str:
    """Each license found in the file named once (a text can state the same license on several lines)."""
    return ", ".join(dict.fromkeys(str(m.get("name") or m.get("key") or "needs identification")
                                   for m in entry.licenses))


COLUMNS = (
    Col("Path", lambda f: f.path),
    Col("Role", lambda f: f.role),
    Col("Format", lambda f: f.format),
    Col("Size", lambda f: f.size),
    Col("SHA-256", lambda f: f.sha256 or ""),
    Col("Licenses", _licenses),
    Col("Problems", lambda f: "; ".join(p.message for p in f.problems)),
)


class FilesModel(QAbstractTableModel):
    """Rows are :class:`FileEntry` objects; ``ROW`` returns the entry itself."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[FileEntry] = []

    def rowCount(self, parent: QModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == ROW:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[index.column()].get(row)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == len(COLUMNS) - 1:
            return "\n".join(p.message for p in row.problems) or None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section].title
        return None

    def set_entries(self, entries: list[FileEntry]) -> None:
        self.beginResetModel()
        self._rows = list(entries)
        self.endResetModel()

    def entry(self, row: int) -> FileEntry:
        return self._rows[row]
