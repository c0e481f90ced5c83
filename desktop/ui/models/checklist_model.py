"""The checklist items of a review with their current decision, for the jump list."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from desktop.ui.icons import level_icon
from desktop.ui.models.table_base import Col, RowsTableModel

DECISION_LABELS = {
    "accept": "Accept", "accept-with-conditions": "Accept with conditions", "reject": "Reject",
    "needs-info": "Needs information",
}


class ChecklistModel(RowsTableModel):
    """Rows are dicts ``{"item": ChecklistItem, "answer": store answer dict}``."""

    COLUMNS = (
        Col("Item", lambda r: r["item"].title, tip=lambda r: r["item"].question),
        Col("Decision", lambda r: DECISION_LABELS.get(r["answer"].get("decision"), "—")),
    )

    def extra_data(self, row: Any, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return level_icon(row["answer"].get("suggested_level"))
        return None

    def update_answer(self, item_id: str, answer: dict[str, Any]) -> None:
        """Refresh one item's answer after it was saved."""
        for n, row in enumerate(self._rows):
            if row["item"].id == item_id:
                row["answer"] = {**row["answer"], **answer}
                self.dataChanged.emit(self.index(n, 0), self.index(n, len(self.COLUMNS) - 1))
