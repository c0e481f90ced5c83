"""Evidence of a suggested answer: file, lines or page, and the quote."""

from __future__ import annotations

from typing import Any

from desktop.ui.models.table_base import Col, RowsTableModel


def _where(e: dict[str, Any]) -> str:
    lines = e.get("lines")
    if isinstance(lines, list | tuple) and len(lines) == 2:
        return str(lines[0]) if lines[0] == lines[1] else f"{lines[0]}-{lines[1]}"
    pages = e.get("pages") or e.get("page")
    if pages:
        return f"p. {pages[0] if isinstance(pages, list | tuple) else pages}"
    return ""


def _quote(e: dict[str, Any]) -> str:
    quote = str(e.get("quote") or e.get("note") or "")
    origin = e.get("origin")
    if origin == "reference":
        return f"[reference text, not delivered] {quote}"
    if origin == "scan":
        return f"[read by the scanner] {quote}"
    return quote


class EvidenceModel(RowsTableModel):
    """Rows are evidence dicts ``{path, lines|pages, quote}``."""

    COLUMNS = (
        Col("File", lambda e: e.get("path", "")),
        Col("Where", _where),
        Col("Quote", _quote, tip=lambda e: _quote(e) or None),
    )
