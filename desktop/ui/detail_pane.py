"""Details of the selected node: size, hash, format metadata, licenses, problems and lineage."""

from __future__ import annotations

import json
from html import escape
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPushButton, QTextBrowser, QVBoxLayout, QWidget

from desktop.core.results import Component, FileEntry
from desktop.ui.review_data import human_size

MAX_METADATA_CHARS = 400


def _value(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= MAX_METADATA_CHARS else text[:MAX_METADATA_CHARS] + "…"


class DetailPane(QWidget):
    """A read-only rich text of the node; ``open_text`` asks the viewer to show a file."""

    open_text = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._entry: FileEntry | None = None
        self.lineage: dict[str, Any] | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.browser = QTextBrowser(self)
        self.browser.setAccessibleName(self.tr("Details of the selected item"))
        self.browser.setOpenLinks(False)
        self.open_button = QPushButton(self.tr("Open &text"), self)
        self.open_button.setAccessibleName(self.tr("Open the file in the text viewer"))
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(lambda: self._entry and self.open_text.emit(self._entry.path))
        layout.addWidget(self.browser, 1)
        layout.addWidget(self.open_button)

    def show_node(self, node: Component | FileEntry | None, reasons: list[str] | None = None) -> None:
        """Describe a component or a file (None clears the pane), with why it carries its risk marker."""
        self._entry = node if isinstance(node, FileEntry) else None
        self.open_button.setEnabled(bool(self._entry and (self._entry.text or self._entry.pages)))
        if node is None:
            self.browser.clear()
        else:
            html = self._component_html(node) if isinstance(node, Component) else self._file_html(node)
            self.browser.setHtml(html.replace("</h3>", "</h3>" + self._reasons_html(reasons), 1))

    def _reasons_html(self, reasons: list[str] | None) -> str:
        if not reasons:
            return ""
        items = "".join(f"<li>{escape(r)}</li>" for r in reasons)
        return f"<h4>{escape(self.tr('Why the risk marker'))}</h4><ul>{items}</ul>"

    def _rows(self, rows: list[tuple[str, str]]) -> str:
        cells = "".join(f"<tr><th align='left' valign='top'>{escape(k)}</th>"
                        f"<td>{escape(v)}</td></tr>" for k, v in rows)
        return f"<table cellspacing='4'>{cells}</table>"

    def _component_html(self, comp: Component) -> str:
        html = f"<h3>{escape(comp.name)}</h3>" + self._rows([
            (self.tr("Kind"), comp.kind), (self.tr("Files"), str(len(comp.files))),
            (self.tr("Size"), human_size(comp.bytes))])
        if comp.kind == "model" and self.lineage:
            html += self._lineage_html()
        return html

    def _lineage_html(self) -> str:
        assert self.lineage is not None
        bases = self.lineage.get("base_models") or []
        rows = [(self.tr("Relation"), str(self.lineage.get("relation") or self.tr("none stated")))]
        rows += [(self.tr("Base model"), _value(b.get("hub_id") or b)) for b in bases]
        if not bases:
            rows.append((self.tr("Base model"), self.tr("none named")))
        return f"<h4>{escape(self.tr('Lineage'))}</h4>" + self._rows(rows)

    def _names_note(self, match: dict) -> str:
        """Other names of the same text and the words that decide, when a text has several names."""
        if match.get("shared_with"):
            return self.tr("; the same text is also {0}: {1}").format(
                ", ".join(match["shared_with"]), match.get("deciding_words") or "")
        if match.get("decided"):
            return self.tr("; named {0} by the words \u201c{1}\u201d").format(match["decided"],
                                                                           match.get("deciding_words") or "")
        return ""

    def _file_html(self, entry: FileEntry) -> str:
        rows = [(self.tr("Role"), entry.role), (self.tr("Format"), entry.format),
                (self.tr("Size"), f"{human_size(entry.size)} ({entry.size:,} bytes)"),
                (self.tr("SHA-256"), entry.sha256 or self.tr("not hashed"))]
        html = f"<h3>{escape(entry.path)}</h3>" + self._rows(rows)
        if entry.licenses:
            html += f"<h4>{escape(self.tr('Licenses'))}</h4>" + self._rows([
                (str(m.get("name") or m.get("nearest") or self.tr("needs identification")),
                 self.tr("{0}, found by {1}, score {2}{3}{4}").format(
                     m.get("status", ""), m.get("source", ""), m.get("score", ""),
                     self.tr(", lines {0}-{1}").format(*m["lines"]) if m.get("lines") else "",
                     self._names_note(m)))
                for m in entry.licenses])
        if entry.metadata:
            html += f"<h4>{escape(self.tr('Format metadata'))}</h4>" + self._rows(
                [(str(k), _value(v)) for k, v in list(entry.metadata.items())[:60]])
        if entry.problems:
            items = "".join(f"<li>{escape(p.message)}</li>" for p in entry.problems)
            html += f"<h4>{escape(self.tr('Problems'))}</h4><ul>{items}</ul>"
        return html
