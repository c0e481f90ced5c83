"""The obligations register of the open review: what the company must do, its owner and status."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.obligations import STATUS_TITLES, Status
from desktop.core.store import StoreError
from desktop.core.store.reviews import LOCKED_STATUSES
from desktop.ui.models.evidence_model import EvidenceModel
from desktop.ui.models.obligations_model import ObligationsModel
from desktop.ui.models.table_base import ROW


MAX_COLUMN = 220   # pixels


class ObligationsView(QWidget):
    """The register (table), the selected obligation's quotes and its owner/status editor.

    ``evidence_activated(dict)`` asks the page to open the text viewer at a quote.
    """

    evidence_activated = Signal(object)

    def __init__(self, identity: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._identity = identity
        self.store: Any = None
        self.review_id: int | None = None
        self.read_only = False
        self.model = ObligationsModel(self)
        self.table = self._table(self.model, self.tr("Obligations register"))
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())
        self.evidence = EvidenceModel(self)
        self.quotes = self._table(self.evidence, self.tr("Where the terms say it"))
        self.quotes.activated.connect(lambda i: self.evidence_activated.emit(i.data(ROW)))
        self.text = QLabel("", self)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.owner = QLineEdit(self)
        self.owner.setPlaceholderText(self.tr("Team or person who carries it out"))
        self.owner.setAccessibleName(self.tr("Owner"))
        self.status = QComboBox(self)
        self.status.setAccessibleName(self.tr("Status"))
        for status in Status:
            self.status.addItem(self.tr(STATUS_TITLES[status]), str(status))
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText(self.tr("Why it does not apply (needed for Not applicable)"))
        self.reason.setAccessibleName(self.tr("Reason"))
        self.save_button = QPushButton(self.tr("&Save obligation"), self)
        self.save_button.clicked.connect(self.save)
        self.rebuild_button = QPushButton(self.tr("Re&build from findings"), self)
        self.rebuild_button.setToolTip(self.tr("Add duties the findings show that the register lacks; "
                                               "decided obligations are kept as they are"))
        self.rebuild_button.clicked.connect(self.rebuild)
        self.message = QLabel("", self)
        self.message.setWordWrap(True)
        self._layout()
        self._show_current()

    def _table(self, model: Any, name: str) -> QTableView:
        table = QTableView(self)
        table.setModel(model)
        table.setAccessibleName(name)
        table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        table.setWordWrap(True)
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        table.horizontalHeader().setStretchLastSection(True)
        return table

    def _layout(self) -> None:
        form = QFormLayout()
        form.addRow(self.tr("&Owner:"), self.owner)
        form.addRow(self.tr("S&tatus:"), self.status)
        form.addRow(self.tr("&Reason:"), self.reason)
        for label, field in ((form.labelForField(self.owner), self.owner),
                             (form.labelForField(self.status), self.status),
                             (form.labelForField(self.reason), self.reason)):
            if isinstance(label, QLabel):
                label.setBuddy(field)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        buttons.addWidget(self.rebuild_button)
        detail = QWidget(self)
        side = QVBoxLayout(detail)
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(self.text)
        side.addWidget(self.quotes, 1)
        side.addLayout(form)
        side.addLayout(buttons)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.table)
        split.addWidget(detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(split, 1)
        layout.addWidget(self.message)

    # -- data --------------------------------------------------------------------------------
    def set_review(self, store: Any, review_id: int) -> None:
        """Show the register of review ``review_id``."""
        self.store, self.review_id = store, review_id
        self.reload()

    def clear(self) -> None:
        """No review open (a new delivery waits for one)."""
        self.store, self.review_id = None, None
        self.model.set_rows([])
        self.message.setText("")
        self._show_current()

    def reload(self, keep: str | None = None) -> None:
        """Read the register again (after a change here or a status change of the review)."""
        if self.store is None or self.review_id is None:
            return
        status = self.store.get_review(self.review_id)["status"]
        self.read_only = status in LOCKED_STATUSES
        keep = keep or (self.current() or {}).get("key")
        self.model.set_rows(self.store.obligations(self.review_id))
        self._fit_columns()
        row = self.model.index_of(keep) if keep else -1
        if self.model.rowCount():
            self.table.selectRow(max(row, 0))
        self.message.setText(self.tr("The review is {0}: its obligations are read-only.").format(status)
                             if self.read_only else
                             self.tr("The register is empty: no obligation was read from the terms that apply "
                                     "(a review created before the register existed: Rebuild from findings).")
                             if not self.model.rowCount() else "")
        self._show_current()

    def _fit_columns(self) -> None:
        """Columns as wide as their contents, but none so wide the text column is squeezed."""
        self.table.resizeColumnsToContents()
        for column in range(self.model.columnCount() - 1):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), MAX_COLUMN))
        self.table.resizeRowsToContents()

    def current(self) -> dict[str, Any] | None:
        index = self.table.currentIndex()
        return index.data(ROW) if index.isValid() else None

    def _show_current(self) -> None:
        row = self.current()
        self.text.setText(row["text"] if row else "")
        self.evidence.set_rows(row["evidence"] if row else [])
        self.quotes.resizeColumnsToContents()
        self.owner.setText((row or {}).get("owner") or "")
        self.status.setCurrentIndex(max(0, self.status.findData((row or {}).get("status") or "open")))
        self.reason.setText((row or {}).get("reason") or "")
        editable = row is not None and not self.read_only
        for widget in (self.owner, self.status, self.reason, self.save_button):
            widget.setEnabled(editable)
        self.rebuild_button.setEnabled(self.store is not None and not self.read_only)

    def save(self) -> bool:
        """Record the owner, status and reason of the selected obligation (audited)."""
        row = self.current()
        if row is None or self.store is None or self.review_id is None:
            return False
        try:
            self.store.set_obligation(self.review_id, row["key"], reviewer=self._identity(),
                                      owner=self.owner.text(), status=self.status.currentData(),
                                      reason=self.reason.text())
        except (StoreError, ValueError) as exc:
            self.message.setText(str(exc))
            return False
        self.reload(row["key"])
        self.message.setText(self.tr("Saved."))
        return True

    def rebuild(self) -> bool:
        """Bring the register up to date with the delivery's findings and kept texts."""
        if self.store is None or self.review_id is None:
            return False
        try:
            self.store.refresh_obligations(self.review_id, reviewer=self._identity())
        except (StoreError, ValueError) as exc:
            self.message.setText(str(exc))
            return False
        self.reload()
        self.message.setText(self.tr("The register was rebuilt from the findings."))
        return True
