"""The delivery's summary: license table, findings by level, the checklist by suggested level and by
decision, overall status."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.results import ScanResult
from desktop.ui.findings_chart import FindingsChart
from desktop.ui.models.findings_model import FindingsModel
from desktop.ui.models.license_table_model import LicenseTableModel
from desktop.ui.models.table_base import ROW, SORT
from desktop.ui.review_data import LEVELS, level_counts, license_rows, worst_level

DECISION_ROWS = (("accept", "Accepted"), ("accept-with-conditions", "With conditions"), ("reject", "Rejected"),
                 ("needs-info", "Needs information"), ("undecided", "Not decided"))


def _table(parent: QWidget, model: Any, name: str) -> QTableView:
    view = QTableView(parent)
    view.setModel(model)
    view.setSortingEnabled(True)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setWordWrap(True)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setStretchLastSection(True)
    return view


class SummaryView(QWidget):
    """``export_memo`` fires when the reviewer asks for the memo; ``evidence_activated`` on a finding."""

    export_memo = Signal()
    evidence_activated = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = QLabel("", self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Overall status"))
        self.export_button = QPushButton(self.tr("E&xport memo…"), self)
        self.export_button.setAccessibleName(self.tr("Export memo"))
        self.export_button.clicked.connect(self.export_memo)
        self.licenses = LicenseTableModel(self)
        license_proxy = QSortFilterProxyModel(self)
        license_proxy.setSourceModel(self.licenses)
        self.license_view = _table(self, license_proxy, self.tr("License table"))
        self.findings = FindingsModel(self)
        self.findings_proxy = QSortFilterProxyModel(self)
        self.findings_proxy.setSourceModel(self.findings)
        self.findings_proxy.setSortRole(SORT)
        self.findings_proxy.setFilterKeyColumn(0)
        self.findings_view = _table(self, self.findings_proxy, self.tr("Findings"))
        self.findings_view.activated.connect(self._on_finding)
        self.findings_view.horizontalHeader().setStretchLastSection(False)
        self.findings_view.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.level_filter = QComboBox(self)
        self.level_filter.setAccessibleName(self.tr("Show findings of level"))
        self.level_filter.addItem(self.tr("All levels"), "")
        for level in LEVELS:
            self.level_filter.addItem(level, level)
        self.level_filter.currentIndexChanged.connect(self._filter_level)
        self.counts = QLabel("", self)
        self.counts.setWordWrap(True)
        self.chart = FindingsChart(self)
        self.chart.setAccessibleName(self.tr("Checklist items by suggested level"))
        self.decisions_chart = FindingsChart(self)
        self.decisions_chart.setAccessibleName(self.tr("Checklist items by decision"))
        self.decisions_label = QLabel(self.tr("Decisions so far"), self)
        self._layout()

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.status, 1)
        top.addWidget(self.export_button)
        license_box = QGroupBox(self.tr("Licenses"), self)
        QVBoxLayout(license_box).addWidget(self.license_view)
        findings_box = QGroupBox(self.tr("Findings by level"), self)
        findings_layout = QVBoxLayout(findings_box)
        filter_row = QHBoxLayout()
        level_label = QLabel(self.tr("&Level:"), findings_box)
        level_label.setBuddy(self.level_filter)
        filter_row.addWidget(level_label)
        filter_row.addWidget(self.level_filter)
        filter_row.addWidget(self.counts, 1)
        findings_layout.addLayout(filter_row)
        findings_layout.addWidget(self.findings_view)
        chart_box = QGroupBox(self.tr("Checklist items by suggested level"), self)
        charts = QWidget(chart_box)
        charts_layout = QVBoxLayout(charts)
        charts_layout.setContentsMargins(0, 0, 0, 0)
        charts_layout.addWidget(self.chart)
        charts_layout.addWidget(self.decisions_label)
        charts_layout.addWidget(self.decisions_chart)
        charts_layout.addStretch(1)
        scroll = QScrollArea(chart_box)
        scroll.setWidget(charts)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        QVBoxLayout(chart_box).addWidget(scroll)
        bottom = QSplitter(Qt.Orientation.Horizontal, self)
        bottom.addWidget(findings_box)
        bottom.addWidget(chart_box)
        bottom.setStretchFactor(0, 3)
        bottom.setStretchFactor(1, 2)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(license_box)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

    def set_scan(self, scan: ScanResult | None, titles: dict[str, str] | None = None,
                 review_status: str | None = None, answers: list[dict[str, Any]] | None = None) -> None:
        """Fill the tables and the charts; ``titles`` maps checklist item ids to their titles and
        ``answers`` are the review's (None before a review starts: the findings stand in)."""
        findings = scan.findings if scan else []
        self.licenses.set_rows(license_rows(scan) if scan else [])
        self.findings.set_rows([{**f, "title": (titles or {}).get(str(f.get("check")))} for f in findings])
        self.findings_view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.findings_view.resizeColumnToContents(0)
        self.findings_view.resizeColumnToContents(1)
        header = self.license_view.horizontalHeader()
        header.setMinimumSectionSize(80)
        header.setDefaultAlignment(Qt.AlignmentFlag(Qt.AlignmentFlag.AlignCenter.value | Qt.TextFlag.TextWordWrap.value))
        header.setMinimumHeight(header.fontMetrics().lineSpacing() * 2 + 10)  # room for a wrapped title
        self.license_view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.license_view.resizeColumnsToContents()
        for column in range(self.licenses.columnCount()):  # the facts share the width and wrap: none clips
            if column < 2:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
                header.resizeSection(column, min(header.sectionSize(column), 160))
            else:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.license_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        counts = level_counts(findings)
        self.counts.setText(", ".join(f"{n} {level}" for level, n in counts.items() if n))
        self.set_charts(findings, answers)
        self.set_status(worst_level(findings), review_status)

    def set_charts(self, findings: list[dict[str, Any]], answers: list[dict[str, Any]] | None) -> None:
        """Items per suggested level (findings per level before a review), and decisions so far."""
        if answers is None:
            per_level = level_counts(findings)
        else:
            per_level = level_counts([{"level": a.get("suggested_level")} for a in answers])
        self.chart.set_rows([(level, {level: per_level[level]}) for level in LEVELS])
        decided = {key: sum(1 for a in answers or [] if (a.get("decision") or "undecided") == key)
                   for key, _ in DECISION_ROWS}
        self.decisions_chart.set_rows([(self.tr(title), {key: decided[key]}) for key, title in DECISION_ROWS])
        self.decisions_label.setVisible(answers is not None)
        self.decisions_chart.setVisible(answers is not None)

    def set_status(self, worst: str | None, review_status: str | None) -> None:
        """The overall status line: the most serious finding and the review's status."""
        risk = self.tr("highest finding level: {0}").format(worst) if worst else self.tr("no findings")
        review = self.tr("review status: {0}").format(review_status) if review_status \
            else self.tr("no review started")
        self.status.setText(self.tr("Overall: {0}; {1}.").format(risk, review))

    def _filter_level(self) -> None:
        level = self.level_filter.currentData()
        self.findings_proxy.setFilterRegularExpression(f"^{level}$" if level else "")

    def _on_finding(self, index: Any) -> None:
        finding = index.data(ROW)
        evidence = (finding or {}).get("evidence") or []
        if evidence:
            self.evidence_activated.emit(evidence[0])
