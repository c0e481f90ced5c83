"""The license text viewer: matched span and clauses highlighted, PDF by page, redline tab.

Highlight colours are derived from the palette (light and dark themes alike).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from html import escape
from typing import Any

from PySide6.QtCore import QEvent, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QColor, QPalette, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.evidence import REFERENCE_PREFIX, Document
from desktop.ui.models.clauses_model import ClausesModel
from desktop.ui.models.table_base import ROW, SORT
from desktop.ui.tasks import JobWorker, start_job

RedlineJob = Callable[[Any, Any], list[dict[str, Any]]]


def tinted(palette: QPalette, role: QPalette.ColorRole, alpha: int) -> QColor:
    """A palette colour made translucent, so the text stays readable in light and dark themes."""
    color = QColor(palette.color(role))
    color.setAlpha(alpha)
    return color


class TextViewer(QWidget):
    """Shows one :class:`Document`; ``redline_ready`` fires when the redline tab is filled."""

    redline_ready = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document: Document | None = None
        self.focus_lines: tuple[int, int] | None = None
        self.marks: list[tuple[int, int]] = []  # every quoted span of this document (the focus is one)
        self.show_found = True  # also tint the license spans and clauses found (off: only the quotes)
        self._redline_worker: JobWorker | None = None
        self.title = QLabel(self.tr("No text open. Select a file and choose Open text, or click "
                                    "a piece of evidence."), self)
        self.title.setWordWrap(True)
        self.origin = QLabel(self.tr("Reference library text: not part of the delivery."), self)
        self.origin.setWordWrap(True)
        self.origin.setAccessibleName(self.tr("Where this text comes from"))
        self.origin.setAutoFillBackground(True)
        self.origin.setBackgroundRole(QPalette.ColorRole.ToolTipBase)
        self.origin.setForegroundRole(QPalette.ColorRole.ToolTipText)
        self.origin.setMargin(4)
        self.origin.setVisible(False)
        self.page_label = QLabel(self.tr("&Page:"), self)
        self.page = QSpinBox(self)
        self.page.setAccessibleName(self.tr("Page of the document"))
        self.page.setMinimum(1)
        self.page_label.setBuddy(self.page)
        self.page.valueChanged.connect(lambda _v: self._render())
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setAccessibleName(self.tr("Text of the file"))
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                          | Qt.TextInteractionFlag.TextSelectableByMouse)
        self.redline = QTextBrowser(self)
        self.redline.setAccessibleName(self.tr("Differences against the reference text"))
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.text, self.tr("Te&xt"))
        self.tabs.addTab(self.redline, self.tr("Re&dline"))
        self.tabs.setAccessibleName(self.tr("Text or redline"))
        self.clauses = ClausesModel(self)
        proxy = QSortFilterProxyModel(self)
        proxy.setSourceModel(self.clauses)
        proxy.setSortRole(SORT)
        self.clause_view = QTableView(self)
        self.clause_view.setModel(proxy)
        self.clause_view.setSortingEnabled(True)
        self.clause_view.sortByColumn(2, Qt.SortOrder.AscendingOrder)  # in the order of the text
        self.clause_view.setAccessibleName(self.tr("Clauses found in the text"))
        self.clause_view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.clause_view.verticalHeader().setVisible(False)
        self.clause_view.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.clause_view.activated.connect(self._on_clause)
        self.clause_view.clicked.connect(self._on_clause)
        bar = QHBoxLayout()
        bar.addWidget(self.title, 1)
        bar.addWidget(self.page_label)
        bar.addWidget(self.page)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.tabs)
        splitter.addWidget(self.clause_view)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.origin)
        layout.addWidget(splitter, 1)
        self._set_pages_visible(False)

    def _set_pages_visible(self, visible: bool) -> None:
        self.page_label.setVisible(visible)
        self.page.setVisible(visible)

    def set_clauses_visible(self, visible: bool) -> None:
        """Show or hide the table of clauses under the text (the review's evidence pane hides it)."""
        self.clause_view.setVisible(visible)

    def is_reference(self) -> bool:
        """True when the open text is the reference library's copy, not a delivered file."""
        return bool(self.document and self.document.title.startswith(REFERENCE_PREFIX))

    def show_document(self, document: Document, lines: tuple[int, int] | None = None,
                      page: int | None = None, marks: list[tuple[int, int]] | None = None) -> None:
        """Show a document, optionally scrolled to and marking ``lines`` (of ``page``); ``marks``
        are further quoted spans highlighted less strongly."""
        self.document = document
        self.focus_lines = lines
        self.marks = list(marks or [])
        self.origin.setVisible(self.is_reference())
        self.title.setText(document.title)
        self.clauses.set_rows(document.clauses)
        self.clause_view.resizeColumnsToContents()
        self._set_pages_visible(bool(document.pages))
        self.page.blockSignals(True)
        self.page.setMaximum(document.page_count)
        self.page.setValue(page or 1)
        self.page.blockSignals(False)
        self.redline.setHtml(self.tr("<p>The text matches its reference, or it has not been "
                                     "compared.</p>"))
        self.tabs.setCurrentIndex(0)
        self._render()

    def show_lines(self, lines: tuple[int, int], page: int | None = None,
                   marks: list[tuple[int, int]] | None = None) -> None:
        """Scroll to and mark ``lines`` of the open document (and turn to ``page``)."""
        self.focus_lines = lines
        if marks is not None:
            self.marks = list(marks)
        if page and self.document and self.document.pages:
            self.page.setValue(page)
        self._render()

    def current_page(self) -> int:
        return self.page.value() if self.document and self.document.pages else 1

    def _render(self) -> None:
        doc = self.document
        if doc is None:
            return
        self.text.setPlainText(doc.page_text(self.current_page()))
        palette = self.palette()
        selections = []
        page = self.current_page()
        if not doc.pages and self.show_found:
            for match in doc.licenses:
                if match.get("lines") and match.get("source") == "text":
                    selections.append(self._selection(match["lines"], tinted(
                        palette, QPalette.ColorRole.Highlight, 40)))
        for clause in doc.clauses if self.show_found else []:
            if doc.pages and clause.page != page:
                continue
            selections.append(self._selection(clause.lines, tinted(palette, QPalette.ColorRole.Link, 70)))
        for span in self.marks:
            selections.append(self._selection(span, tinted(palette, QPalette.ColorRole.Highlight, 80)))
        if self.focus_lines:
            selections.append(self._selection(self.focus_lines, tinted(
                palette, QPalette.ColorRole.Highlight, 130)))
        self.text.setExtraSelections(selections)
        if self.focus_lines:
            self._scroll_to(self.focus_lines[0])

    def changeEvent(self, event: QEvent) -> None:
        """The system switched light/dark: the highlights are tints of the palette, so redraw them."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.document is not None:
            self._render()

    def _selection(self, lines: Any, color: QColor) -> QTextEdit.ExtraSelection:
        first, last = int(lines[0]), int(lines[-1])
        document = self.text.document()
        start = document.findBlockByNumber(max(0, first - 1))
        end = document.findBlockByNumber(max(0, min(last, document.blockCount()) - 1))
        cursor = QTextCursor(start)
        cursor.setPosition(end.position() + max(0, end.length() - 1), QTextCursor.MoveMode.KeepAnchor)
        selection = QTextEdit.ExtraSelection()
        fmt = QTextCharFormat()
        fmt.setBackground(color)
        fmt.setProperty(QTextFormat.Property.FullWidthSelection, True)
        selection.format = fmt
        selection.cursor = cursor
        return selection

    def _scroll_to(self, line: int) -> None:
        block = self.text.document().findBlockByNumber(max(0, line - 1))
        cursor = QTextCursor(block)
        self.text.setTextCursor(cursor)
        self.text.centerCursor()

    def cursor_line(self) -> int:
        """The 1-based line the viewer's cursor is on (where it was scrolled to)."""
        return self.text.textCursor().blockNumber() + 1

    def _on_clause(self, index: Any) -> None:
        clause = index.data(ROW)
        if clause is not None:
            self.show_lines(tuple(clause.lines), clause.page)

    # -- redline ---------------------------------------------------------------------------
    def compute_redline(self, job: Callable[[Any, Any], list[dict[str, Any]]]) -> None:
        """Run ``job(report, cancel) -> redlines`` in a worker and fill the Redline tab."""
        worker = JobWorker(job)
        worker.finished.connect(self._on_redline)
        worker.failed.connect(self._on_redline_failed)  # a bound method runs on the GUI thread
        self._redline_worker = worker
        start_job(self, worker)

    def _on_redline(self, redlines: list[dict[str, Any]]) -> None:
        self._redline_worker = None
        self.set_redline(redlines)
        self.redline_ready.emit()

    def _on_redline_failed(self, message: str) -> None:
        self._redline_worker = None
        self.redline.setPlainText(self.tr("The redline could not be made: {0}").format(message))
        self.redline_ready.emit()

    def set_redline(self, redlines: list[dict[str, Any]]) -> None:
        """Show word differences of modified license texts against their references."""
        if not redlines:
            return
        palette = self.palette()
        removed = tinted(palette, QPalette.ColorRole.Link, 60).name(QColor.NameFormat.HexArgb)
        added = tinted(palette, QPalette.ColorRole.Highlight, 60).name(QColor.NameFormat.HexArgb)
        parts = []
        for red in redlines:
            parts.append(f"<h3>{escape(self.tr('{0}: modified text').format(red.get('name') or red.get('key')))}</h3>")
            rows = []
            for op in red["differences"]:
                ref = f"<s style='background:{removed}'>{escape(op.get('ref', ''))}</s>" if op.get("ref") else ""
                new = f"<u style='background:{added}'>{escape(op.get('text', ''))}</u>" if op.get("text") else ""
                rows.append(f"<tr><td valign='top'>{escape(self.tr('line {0}').format(op.get('line')))}</td>"
                            f"<td>{ref} {new}</td></tr>")
            parts.append("<table cellspacing='4'>" + "".join(rows) + "</table>")
        legend = escape(self.tr("Struck through: reference words missing or replaced. "
                                "Underlined: words of this file added or put instead."))
        self.redline.setHtml(f"<p>{legend}</p>" + "".join(parts))
        self.tabs.setTabText(1, self.tr("Re&dline ({0})").format(sum(len(r["differences"]) for r in redlines)))

    def redline_job(self, compute: Callable[[], list[dict[str, Any]]]) -> RedlineJob:
        """Wrap a plain computation as a job for :meth:`compute_redline`."""
        return partial(lambda fn, _report, _cancel: fn(), compute)
