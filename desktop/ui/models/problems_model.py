"""Problems found while reading a delivery (hostile members, unreadable files, limits)."""

from __future__ import annotations

from desktop.ui.models.table_base import Col, RowsTableModel


class ProblemsModel(RowsTableModel):
    """Rows are :class:`desktop.core.results.Problem` objects."""

    COLUMNS = (
        Col("Code", lambda p: p.code),
        Col("Problem", lambda p: p.message, tip=lambda p: p.message),
    )
