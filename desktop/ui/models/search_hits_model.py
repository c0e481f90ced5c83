"""Places a phrase was found in a delivery: file names and lines of the delivered texts."""

from __future__ import annotations

from desktop.ui.models.table_base import Col, RowsTableModel

class SearchHitsModel(RowsTableModel):
    """Rows are :class:`desktop.core.text_search.Hit` objects."""

    COLUMNS = (
        Col("File", lambda h: h.path, tip=lambda h: h.path),
        Col("Line", lambda h: h.line if h.line is not None else "", sort=lambda h: h.line or 0),
        Col("Found", lambda h: h.snippet, tip=lambda h: h.snippet),
    )
