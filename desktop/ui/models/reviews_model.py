"""Stored reviews as the history lists them (the dicts of ``Store.search``)."""

from __future__ import annotations

from desktop.ui.models.table_base import Col, RowsTableModel


class ReviewsModel(RowsTableModel):
    """Rows are review summaries: id, vendor, product, version, status, licenses, people, dates."""

    COLUMNS = (
        Col("Review", lambda r: r["id"]),
        Col("Vendor", lambda r: r.get("vendor") or ""),
        Col("Product", lambda r: r.get("product") or ""),
        Col("Version", lambda r: r.get("version") or ""),
        Col("Status", lambda r: r.get("status") or ""),
        Col("Licenses", lambda r: ", ".join(r.get("licenses") or [])),
        Col("Purpose", lambda r: r.get("purpose") or "", tip=lambda r: r.get("purpose") or None),
        Col("Preparer", lambda r: r.get("preparer") or ""),
        Col("Approver", lambda r: r.get("approver") or ""),
        Col("Created", lambda r: (r.get("created_at") or "")[:16].replace("T", " ")),
    )
