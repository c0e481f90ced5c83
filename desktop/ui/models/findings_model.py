"""Findings of a delivery: level (with a risk marker), checklist item, summary, evidence."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from desktop.ui.icons import level_icon
from desktop.ui.models.table_base import Col, RowsTableModel
from desktop.ui.review_data import level_rank


def _evidence(f: dict[str, Any]) -> str:
    """Each file cited, once (a finding often quotes several lines of one file)."""
    return "; ".join(dict.fromkeys(str(e.get("path", "")) for e in f.get("evidence") or []))


class FindingsModel(RowsTableModel):
    """Rows are the scan's finding dicts (with the item's ``title`` when the checklist is known)."""

    COLUMNS = (
        Col("Level", lambda f: f.get("level", ""), sort=lambda f: level_rank(f.get("level"))),
        Col("Checklist item", lambda f: f.get("title") or f.get("check", ""), tip=lambda f: f.get("check")),
        Col("Summary", lambda f: f.get("summary", ""), tip=lambda f: f.get("summary", "")),
        Col("Evidence", _evidence),
    )

    def extra_data(self, row: Any, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return level_icon(row.get("level"))
        return None
