"""Precedents the store proposes for the current item: decision, conditions, who, when."""

from __future__ import annotations

from desktop.ui.models.table_base import Col, RowsTableModel


class PrecedentsModel(RowsTableModel):
    """Rows are the proposal dicts of ``Store.precedents_for``."""

    COLUMNS = (
        Col("Decision", lambda p: p.get("decision") or ""),
        Col("License", lambda p: p.get("license_key") or ""),
        Col("Rationale", lambda p: p.get("rationale") or "", tip=lambda p: p.get("rationale") or None),
        Col("Conditions", lambda p: p.get("conditions") or ""),
        Col("Reviewer", lambda p: p.get("reviewer") or ""),
        Col("Review", lambda p: p.get("source_review") or ""),
    )
