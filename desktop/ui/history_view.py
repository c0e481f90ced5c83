"""All reviews: search and filters, open one, compare two versions of a delivery."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.models.reviews_model import ReviewsModel
from desktop.ui.models.table_base import ROW, SORT

STATUSES = ("draft", "in-review", "approved", "approved-with-conditions", "rejected", "needs-info")


class HistoryView(QWidget):
    """``open_review(id)`` and ``compare_reviews(old_id, new_id)`` are handled by the window."""

    open_review = Signal(int)
    compare_reviews = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store: Any = None
        self.reviews = ReviewsModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.reviews)
        self.proxy.setSortRole(SORT)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Search vendor, product, license, people, purpose…"))
        self.search.setAccessibleName(self.tr("Search reviews"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.status = QComboBox(self)
        self.status.setAccessibleName(self.tr("Filter by status"))
        self.status.addItem(self.tr("Any status"), "")
        for status in STATUSES:
            self.status.addItem(status, status)
        self.status.currentIndexChanged.connect(lambda _i: self.refresh())
        self.license = QLineEdit(self)
        self.license.setPlaceholderText(self.tr("License key"))
        self.license.setAccessibleName(self.tr("Filter by license key"))
        self.license.editingFinished.connect(self.refresh)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setAccessibleName(self.tr("Reviews"))
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.activated.connect(lambda i: self.open_review.emit(int(i.data(ROW)["id"])))
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.open_button = QPushButton(self.tr("&Open review"), self)
        self.open_button.clicked.connect(self._open_selected)
        self.compare_button = QPushButton(self.tr("&Compare selected"), self)
        self.compare_button.setToolTip(self.tr("Select two reviews of the same delivery to compare them"))
        self.compare_button.clicked.connect(self._compare_selected)
        self.since_approved_button = QPushButton(self.tr("Changes since last &approved"), self)
        self.since_approved_button.clicked.connect(self._compare_with_approved)
        self.message = QLabel("", self)
        self.message.setWordWrap(True)
        self._layout()
        self._update_buttons()

    def _layout(self) -> None:
        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        status_label = QLabel(self.tr("&Status:"), self)
        status_label.setBuddy(self.status)
        filters.addWidget(status_label)
        filters.addWidget(self.status, 1)
        license_label = QLabel(self.tr("&License:"), self)
        license_label.setBuddy(self.license)
        filters.addWidget(license_label)
        filters.addWidget(self.license, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.compare_button)
        buttons.addWidget(self.since_approved_button)
        buttons.addWidget(self.message, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def set_store(self, store: Any) -> None:
        self.store = store
        self.refresh()

    def refresh(self) -> None:
        """Query the store with the status and license filters (text search filters locally)."""
        if self.store is None:
            return
        filters = {"status": self.status.currentData() or None,
                   "license_key": self.license.text().strip() or None}
        self.reviews.set_rows(self.store.search(**{k: v for k, v in filters.items() if v}))
        self.table.resizeColumnsToContents()
        self._update_buttons()

    def selected(self) -> list[dict[str, Any]]:
        """The selected reviews, oldest first."""
        rows = {i.row(): i.data(ROW) for i in self.table.selectionModel().selectedRows()}
        return sorted(rows.values(), key=lambda r: r["id"])

    def select_ids(self, ids: list[int]) -> None:
        """Select the rows of these review ids (for keyboard users and tests alike)."""
        selection = self.table.selectionModel()
        selection.clearSelection()
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(ROW)["id"] in ids:
                selection.select(index, selection.SelectionFlag.Select | selection.SelectionFlag.Rows)

    def _update_buttons(self) -> None:
        chosen = self.selected()
        self.open_button.setEnabled(len(chosen) == 1)
        self.compare_button.setEnabled(len(chosen) == 2)
        self.since_approved_button.setEnabled(len(chosen) == 1)

    def _open_selected(self) -> None:
        chosen = self.selected()
        if len(chosen) == 1:
            self.open_review.emit(int(chosen[0]["id"]))

    def _compare_selected(self) -> None:
        chosen = self.selected()
        if len(chosen) == 2:
            self.compare_reviews.emit(int(chosen[0]["id"]), int(chosen[1]["id"]))

    def _compare_with_approved(self) -> None:
        chosen = self.selected()
        if len(chosen) != 1 or self.store is None:
            return
        current = chosen[0]
        earlier = last_approved_before(self.store, current)
        if earlier is None:
            self.message.setText(self.tr("No earlier approved review of this delivery."))
            return
        self.message.clear()
        self.compare_reviews.emit(earlier, int(current["id"]))


def last_approved_before(store: Any, review: dict[str, Any]) -> int | None:
    """The newest approved review of the same vendor and product made before ``review`` (a row of
    ``Store.search``, or the ``delivery`` part of ``Store.get_review`` with its ``id``)."""
    earlier = [r for r in store.search(vendor=review.get("vendor"), product=review.get("product"))
               if r["id"] < review["id"] and r["status"] in ("approved", "approved-with-conditions")]
    return int(max(earlier, key=lambda r: r["id"])["id"]) if earlier else None
