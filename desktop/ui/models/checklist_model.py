"""The checklist items of a review for the list down the left: title, suggested level, decision, who."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt

from desktop.ui.icons import level_icon
from desktop.ui.models.table_base import Col, RowsTableModel

DECISION_LABELS = {
    "accept": "Accept", "accept-with-conditions": "Accept with conditions", "reject": "Reject",
    "needs-info": "Needs information",
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("ChecklistModel", text)


def person(label: str | None) -> str:
    """A reviewer label ``Name <email> [cert …]`` shortened to the name."""
    return (label or "").split("<", 1)[0].split("[", 1)[0].strip()


def decision_text(answer: dict[str, Any]) -> str:
    """``Accept — Ada Lovelace`` (or ``Not decided``), with a mark for an unsaved change."""
    decision = answer.get("decision")
    text = _tr(DECISION_LABELS[decision]) if decision in DECISION_LABELS else _tr("Not decided")
    if decision and answer.get("answered_by"):
        text += " — " + person(answer["answered_by"])
    if answer.get("unsaved"):
        text += " " + _tr("(unsaved change)")
    return text


def summary_line(row: dict[str, Any]) -> str:
    """The list's second line: suggested level, decision and who decided it."""
    level = row["answer"].get("suggested_level") or _tr("no finding")
    return _tr("Suggested {0} · {1}").format(level, decision_text(row["answer"]))


class ChecklistModel(RowsTableModel):
    """Rows are dicts ``{"item": ChecklistItem, "answer": store answer dict}``.

    Column 0 carries two lines (the title, then level · decision · who) so a narrow list shows
    everything without truncating; the other columns give each value on its own.
    """

    COLUMNS = (
        Col("Item", lambda r: f"{r['item'].title}\n{summary_line(r)}", tip=lambda r: r["item"].question),
        Col("Decision", lambda r: DECISION_LABELS.get(r["answer"].get("decision"), "—")),
        Col("Suggested", lambda r: r["answer"].get("suggested_level") or ""),
        Col("Decided by", lambda r: person(r["answer"].get("answered_by"))),
    )

    def extra_data(self, row: Any, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return level_icon(row["answer"].get("suggested_level"))
        if role == Qt.ItemDataRole.AccessibleTextRole and column == 0:
            return f"{row['item'].title}. {summary_line(row)}"
        return None

    def update_answer(self, item_id: str, answer: dict[str, Any]) -> None:
        """Refresh one item's answer after it was saved (or marked unsaved)."""
        for n, row in enumerate(self._rows):
            if row["item"].id == item_id:
                row["answer"] = {**row["answer"], **answer}
                self.dataChanged.emit(self.index(n, 0), self.index(n, len(self.COLUMNS) - 1))

    def row_of(self, item_id: str) -> int:
        """The row of ``item_id`` (-1 when absent)."""
        return next((n for n, r in enumerate(self._rows) if r["item"].id == item_id), -1)
