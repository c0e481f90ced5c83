"""The review workspace: the review first, then inventory, all files, text viewer and summary as tabs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import QHeaderView, QLabel, QStackedWidget, QTableView, QTabWidget, QVBoxLayout, QWidget

from desktop.core.results import FileEntry, ScanResult
from desktop.ui import evidence
from desktop.ui.checklist_view import ChecklistView
from desktop.ui.models.files_model import FilesModel
from desktop.ui.obligations_view import ObligationsView
from desktop.ui.review_data import level_counts, worst_level
from desktop.ui.review_form import ReviewForm
from desktop.ui.summary_view import SummaryView
from desktop.ui.text_viewer import TextViewer
from desktop.ui.workspace_view import WorkspaceView

CHECKLIST, INVENTORY, FILES, TEXT, SUMMARY = range(5)
REVIEW_TAB = CHECKLIST


class ReviewPage(QTabWidget):
    """Holds the open delivery; ``start_review`` asks the window to create the review."""

    start_review = Signal(object)

    def __init__(self, identity: Callable[[], str], library: Callable[[], Any],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scan: ScanResult | None = None
        self._library = library
        self.inventory = WorkspaceView(self)
        self.files = FilesModel(self)
        files_proxy = QSortFilterProxyModel(self)
        files_proxy.setSourceModel(self.files)
        self.files_view = QTableView(self)
        self.files_view.setModel(files_proxy)
        self.files_view.setSortingEnabled(True)
        self.files_view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.files_view.setAccessibleName(self.tr("Files of the delivery"))
        self.files_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.files_view.horizontalHeader().setStretchLastSection(True)
        self.viewer = TextViewer(self)
        self.form = ReviewForm(self)
        self.form.start_requested.connect(self.start_review)
        self.checklist = ChecklistView(identity, self)
        self.checklist.evidence.show_text = self.show_in
        self.checklist.findings = lambda: self.scan.findings if self.scan else []
        self._documents: dict[str, tuple[Any, FileEntry | None]] = {}
        self.checklist_stack = QStackedWidget(self)
        self.checklist_stack.addWidget(self.form)
        self.checklist_stack.addWidget(self.checklist)
        self.summary = SummaryView(self)
        self.message = QLabel("", self)
        self.message.setWordWrap(True)
        text_page = QWidget(self)
        text_layout = QVBoxLayout(text_page)
        text_layout.setContentsMargins(4, 4, 4, 4)
        text_layout.addWidget(self.viewer, 1)
        text_layout.addWidget(self.message)
        for widget, title in ((self.checklist_stack, self.tr("Review")), (self.inventory, self.tr("Inventory")),
                              (self.files_view, self.tr("All files")), (text_page, self.tr("Text viewer")),
                              (self.summary, self.tr("Summary"))):
            self.addTab(widget, title)
        for n in range(self.count()):
            self.setTabToolTip(n, self.tr("Ctrl+{0}").format(n + 1))
        self.inventory.open_text.connect(self.open_path)
        self.checklist.evidence_activated.connect(self.open_evidence)
        self.summary.evidence_activated.connect(self.open_evidence)
        self.checklist.status_changed.connect(lambda _s: self.refresh_summary())
        self.currentChanged.connect(lambda index: index == SUMMARY and self.refresh_summary())
        self.obligations = ObligationsView(identity, self)   # the register, its own tab (last)
        self.addTab(self.obligations, self.tr("Obligations"))
        self.obligations.evidence_activated.connect(self.open_evidence)
        self.checklist.status_changed.connect(lambda _s: self.obligations.reload())

    def set_scan(self, scan: ScanResult, lineage: dict[str, Any] | None = None) -> None:
        """Show a freshly scanned (or stored) delivery; the checklist waits for a review."""
        self.scan = scan
        self._documents.clear()
        self.inventory.set_scan(scan, lineage)
        self.files.set_entries(scan.files)
        self.files_view.resizeColumnsToContents()
        self.refresh_summary()
        self.checklist_stack.setCurrentWidget(self.form)
        self.obligations.clear()
        name = scan.source_path.rstrip("/\\").replace("\\", "/").rsplit("/", 1)[-1]
        self.form.prefill(name, overview=self._overview(scan))
        self.setCurrentIndex(REVIEW_TAB)
        self.form.vendor.setFocus(Qt.FocusReason.OtherFocusReason)  # keyboard users start typing at once

    def _overview(self, scan: ScanResult) -> str:
        counts = level_counts(scan.findings)
        levels = ", ".join(f"{n} {level}" for level, n in counts.items() if n)
        worst = worst_level(scan.findings)
        return self.tr("{0} files in {1} components. The scan suggests an answer for {2} checklist items "
                       "({3}); the most serious is {4}. Start the review to decide each one beside its "
                       "evidence.").format(len(scan.files), len(scan.components), len(scan.findings),
                                            levels or self.tr("none"), worst or self.tr("none"))

    def show_review(self, store: Any, review_id: int, checklist: Any) -> None:
        """Walk through review ``review_id``."""
        self.checklist.set_review(store, review_id, checklist)
        self.checklist_stack.setCurrentWidget(self.checklist)
        self.checklist.item_list.setFocus(Qt.FocusReason.OtherFocusReason)
        self.obligations.set_review(store, review_id)
        self.refresh_summary()

    def refresh_summary(self) -> None:
        checklist = self.checklist._checklist
        titles = {i.id: i.title for i in checklist.items} if checklist else {}
        active = self.checklist.review_id is not None and self.checklist_stack.currentWidget() is self.checklist
        status = self.checklist.review.get("status") if active else None
        answers = [r["answer"] for r in self.checklist.items.rows()] if active else None
        self.summary.set_scan(self.scan, titles, status, answers)

    # -- the text viewer ---------------------------------------------------------------------
    def entry(self, path: str) -> FileEntry | None:
        return next((f for f in self.scan.files if f.path == path), None) if self.scan else None

    def document(self, path: str) -> tuple[Any, FileEntry | None]:
        """The viewer document of a delivered file or ``reference:<key>`` (None when no text is kept)."""
        if path not in self._documents:
            if path.startswith(evidence.REFERENCE_PREFIX):
                key = path[len(evidence.REFERENCE_PREFIX):]
                self._documents[path] = (evidence.reference_document(key, self._library()), None)
            else:
                entry = self.entry(path)
                self._documents[path] = (evidence.document_for(entry) if entry else None, entry)
        return self._documents[path]

    def show_in(self, viewer: TextViewer, path: str, lines: tuple[int, int] | None = None,
                page: int | None = None, marks: list[tuple[int, int]] | None = None) -> str | None:
        """Show ``path`` in ``viewer`` at ``lines``; None when shown, else why its text is not available."""
        doc, entry = self.document(path)
        if doc is None:
            return self.tr("The text of {0} is not available (only license-bearing files "
                           "of a delivery scanned in this session keep their text).").format(path)
        if viewer.document is not None and viewer.document.title == doc.title and (lines or marks is not None):
            viewer.show_lines(lines, page, marks)
        else:
            viewer.show_document(doc, lines, page, marks)
            if entry is not None and any(m.get("modified") for m in entry.licenses):
                lib = self._library
                viewer.compute_redline(viewer.redline_job(lambda: evidence.redlines(entry, lib())))
        return None

    def open_path(self, path: str, lines: tuple[int, int] | None = None, page: int | None = None) -> bool:
        """Show a file (or ``reference:<key>``) in the text viewer, at ``lines`` when given."""
        self.setCurrentIndex(TEXT)
        problem = self.show_in(self.viewer, path, lines, page)
        self.message.setText(problem or "")
        return problem is None

    def open_evidence(self, item: dict[str, Any]) -> None:
        """Open the text viewer at one piece of evidence."""
        path, lines, page = evidence.evidence_target(item)
        if path:
            self.open_path(path, lines, page)

    def focus_current(self) -> None:
        widget = self.currentWidget()
        if widget is not None:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
