"""A table model over a list of plain rows, with its columns declared once by the subclass."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QObject, Qt

ROW = Qt.ItemDataRole.UserRole + 1
SORT = Qt.ItemDataRole.UserRole + 2
_ROOT = QModelIndex()


@dataclass(frozen=True)
class Col:
    """One column: its header (translated in the model's context) and how to read a row."""

    title: str
    get: Callable[[Any], Any]
    sort: Callable[[Any], Any] | None = None
    tip: Callable[[Any], Any] | None = None


class RowsTableModel(QAbstractTableModel):
    """Rows are core objects (dataclasses or dicts); ``ROW`` returns the row itself."""

    COLUMNS: ClassVar[tuple[Col, ...]] = ()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def rowCount(self, parent: QModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        col = self.COLUMNS[index.column()]
        if role == ROW:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            value = col.get(row)
            return "" if value is None else str(value) if not isinstance(value, int | float) else value
        if role == SORT:
            return (col.sort or col.get)(row)
        if role == Qt.ItemDataRole.ToolTipRole and col.tip is not None:
            return col.tip(row)
        return self.extra_data(row, index.column(), role)

    def extra_data(self, row: Any, column: int, role: int) -> Any:
        """Subclasses add icons or alignment here."""
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(self.COLUMNS):
            return QCoreApplication.translate(type(self).__name__, self.COLUMNS[section].title)
        return None

    def set_rows(self, rows: Sequence[Any]) -> None:
        """Replace every row."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, index: int) -> Any:
        """The row object at ``index``."""
        return self._rows[index]

    def rows(self) -> list[Any]:
        return list(self._rows)
