"""File > Open Recent: the reviews and deliveries opened last, rebuilt each time it opens."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMenu, QWidget


def recent_label(row: dict[str, Any]) -> str:
    """``#3 Acme acme-7b 1.1 — approved`` for a review, the path for a delivery."""
    if row.get("kind") == "review":
        name = " ".join(str(x) for x in (row.get("vendor"), row.get("product"), row.get("version")) if x)
        return f"#{row['id']} {name} — {row.get('status', '')}"
    return str(row.get("path", ""))


class RecentMenu(QMenu):
    """``chosen(row)`` with a row of ``rows()``; ``cleared`` when the user empties the list."""

    chosen = Signal(object)
    cleared = Signal()

    def __init__(self, rows: Callable[[], list[dict[str, Any]]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Open &Recent"))
        self._rows = rows
        self.aboutToShow.connect(self.rebuild)
        self.rebuild()

    def rebuild(self) -> None:
        """List the recent rows now (reviews first, then folders and bundles)."""
        self.clear()
        rows = self._rows()
        for n, row in enumerate(rows, 1):
            text = recent_label(row).replace("&", "&&")
            action = self.addAction(f"&{n} {text}" if n < 10 else text)
            action.setData(row)
            action.triggered.connect(lambda _c=False, r=row: self.chosen.emit(r))
        if not rows:
            self.addAction(self.tr("No recent deliveries")).setEnabled(False)
            return
        self.addSeparator()
        self.addAction(self.tr("&Clear menu")).triggered.connect(lambda _c=False: self.cleared.emit())
