"""The obligations register of a review: one row per obligation (a ``Store.obligations`` dict)."""

from __future__ import annotations

from typing import Any

from desktop.core.obligations import STATUS_TITLES, Status
from desktop.ui.models.table_base import Col, RowsTableModel


def status_label(row: dict[str, Any]) -> str:
    """The status as shown, with the reason of a not-applicable one."""
    status = str(row.get("status") or "open")
    label = STATUS_TITLES.get(Status(status), status) if status in tuple(Status) else status
    return f"{label}: {row['reason']}" if row.get("reason") else label


class ObligationsModel(RowsTableModel):
    """Rows are register dicts (key, title, license, text, owner, status, reason, evidence ...)."""

    COLUMNS = (
        Col("Obligation", lambda r: r.get("title") or r.get("kind")),
        Col("License", lambda r: r.get("license") or "unidentified terms"),
        Col("Owner", lambda r: r.get("owner") or ""),
        Col("Status", status_label),
        Col("What the company must do", lambda r: r.get("text"), tip=lambda r: r.get("text")),
    )

    def index_of(self, key: str) -> int:
        """The row of obligation ``key`` (-1 when absent)."""
        return next((n for n, r in enumerate(self.rows()) if r.get("key") == key), -1)
