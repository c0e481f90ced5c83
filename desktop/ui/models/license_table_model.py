"""The delivery's license table: component, license and the facts a reviewer compares."""

from __future__ import annotations

from desktop.ui.models.table_base import Col, RowsTableModel


def _text(name: str) -> Col:
    return Col(name, lambda r, n=name: r.get(n, ""), tip=lambda r, n=name: r.get(n) or None)


class LicenseTableModel(RowsTableModel):
    """Rows come from :func:`desktop.ui.review_data.license_rows`."""

    COLUMNS = (
        Col("Component", lambda r: r["component"]),
        Col("License", lambda r: r["license"], tip=lambda r: r.get("spdx") or r["key"]),
        Col("Covers weights", lambda r: r.get("covers_weights", ""),
            tip=lambda r: r.get("covers_weights") or None),
        Col("Commercial use and thresholds", lambda r: r.get("commercial_use", ""),
            tip=lambda r: r.get("commercial_use") or None),
        Col("Use restrictions", lambda r: r.get("use_restrictions", ""),
            tip=lambda r: r.get("use_restrictions") or None),
        Col("Jurisdiction", lambda r: r.get("jurisdiction", ""),
            tip=lambda r: r.get("jurisdiction") or None),
        Col("Derivative status", lambda r: r.get("derivatives", ""),
            tip=lambda r: r.get("derivatives") or None),
    )
