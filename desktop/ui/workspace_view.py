"""The review workspace's inventory: component tree, details pane and the problems found."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.results import ScanResult
from desktop.ui.detail_pane import DetailPane
from desktop.ui.models.components_model import ComponentsModel
from desktop.ui.models.problems_model import ProblemsModel
from desktop.ui.models.table_base import ROW, SORT
from desktop.ui.review_data import all_problems


class WorkspaceView(QWidget):
    """Select a node to see its details; ``open_text`` asks for the text viewer."""

    open_text = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.components = ComponentsModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.components)
        self.proxy.setSortRole(SORT)
        self.problems = ProblemsModel(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.summary = QLabel("", self)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tree = QTreeView(self)
        self.tree.setModel(self.proxy)
        self.tree.setSortingEnabled(True)
        self.tree.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.tree.setAccessibleName(self.tr("Components and files of the delivery"))
        self.tree.setUniformRowHeights(True)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setStretchLastSection(False)
        self.tree.selectionModel().currentChanged.connect(self._on_current)
        self.tree.activated.connect(self._on_activated)
        self.details = DetailPane(self)
        self.details.open_text.connect(self.open_text)
        self.problems_label = QLabel(self.tr("Problems"), self)
        self.problems_view = QTableView(self)
        self.problems_view.setModel(self.problems)
        self.problems_view.setAccessibleName(self.tr("Problems found while reading the delivery"))
        self.problems_view.horizontalHeader().setStretchLastSection(True)
        self.problems_view.verticalHeader().setVisible(False)
        top = QSplitter(Qt.Orientation.Horizontal, self)
        top.addWidget(self.tree)
        top.addWidget(self.details)
        top.setStretchFactor(0, 3)
        top.setStretchFactor(1, 2)
        bottom = QWidget(self)
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.problems_label)
        bottom_layout.addWidget(self.problems_view)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(top)
        self.splitter.addWidget(bottom)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.splitter, 1)

    def set_scan(self, scan: ScanResult | None, lineage: dict[str, Any] | None = None) -> None:
        """Show a delivery's tree, expanded, with its problems listed."""
        self.components.set_scan(scan)
        self.details.lineage = lineage
        problems = all_problems(scan) if scan else []
        self.summary.setVisible(scan is not None)
        if scan is not None:
            self.summary.setText(self.tr("{0} ({1}) — {2} files in {3} components").format(
                scan.source_path, scan.source_kind, len(scan.files), len(scan.components)))
        self.problems.set_rows(problems)
        self.problems_label.setText(self.tr("Problems ({0})").format(len(problems)) if problems
                                    else self.tr("No problems found while reading the delivery."))
        self.problems_view.setVisible(bool(problems))
        if not problems:
            self.splitter.setSizes([10_000, 1])  # the tree takes the room the empty list would
        self.tree.expandAll()
        for column in range(1, self.components.columnCount()):
            self.tree.resizeColumnToContents(column)
        self.details.show_node(None)
        if scan is not None and self.proxy.rowCount():
            self.tree.setCurrentIndex(self.proxy.index(0, 0))

    def select_path(self, path: str) -> bool:
        """Select a file by path; False when it is not in the tree."""
        index = self.proxy.mapFromSource(self.components.index_of_path(path))
        if index.isValid():
            self.tree.setCurrentIndex(index)
        return index.isValid()

    def _on_current(self, current: Any, _previous: Any = None) -> None:
        node = current.data(ROW) if current.isValid() else None
        self.details.show_node(node, self.components.reasons(node) if node is not None else [])

    def _on_activated(self, index: Any) -> None:
        node = index.data(ROW)
        if getattr(node, "path", None) and (getattr(node, "text", None) or getattr(node, "pages", None)):
            self.open_text.emit(node.path)
