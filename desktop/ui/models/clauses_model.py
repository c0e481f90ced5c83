"""Clauses extracted from a text: kind, value, lines (and page), quote."""

from __future__ import annotations

from typing import Any

from desktop.ui.models.table_base import Col, RowsTableModel


def _value(c: Any) -> str:
    value = c.value
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items() if v not in (None, ""))
    return "" if value in (None, True) else str(value)


def _where(c: Any) -> str:
    lines = f"{c.lines[0]}-{c.lines[1]}"
    return f"p. {c.page}, {lines}" if c.page else lines


class ClausesModel(RowsTableModel):
    """Rows are :class:`desktop.core.checks.clauses.Clause` objects."""

    COLUMNS = (
        Col("Clause", lambda c: c.kind.replace("_", " ")),
        Col("Value", _value),
        Col("Lines", _where, sort=lambda c: (c.page or 0, c.lines[0])),
        Col("Quote", lambda c: c.quote, tip=lambda c: c.quote),
    )
