"""The checklist walk-through: one item at a time (Back / Next, or jump from the list),
answers saved as typed (debounced), and the review's status with the four-eyes rule."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.store import StoreError
from desktop.ui.answer_editor import AnswerEditor
from desktop.ui.models.checklist_model import ChecklistModel

SAVE_DELAY_MS = 300
DECIDED = ("approved", "approved-with-conditions", "rejected")


class ChecklistView(QWidget):
    """``saved(item)`` after each stored answer; ``status_changed(status)`` after a status change."""

    saved = Signal(str)
    status_changed = Signal(str)
    evidence_activated = Signal(object)

    def __init__(self, identity: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._identity = identity
        self.certify: Callable[[], Any] | None = None  # who approves, proven (None: typed identity)
        self.store: Any = None
        self.review_id: int | None = None
        self.review: dict[str, Any] = {}
        self._checklist: Any = None
        self._precedents: list[dict[str, Any]] = []
        self._current = -1
        self._dirty = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.flush)
        self.items = ChecklistModel(self)
        self.item_list = QTableView(self)
        self.item_list.setModel(self.items)
        self.item_list.setAccessibleName(self.tr("Checklist items"))
        self.item_list.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.item_list.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.item_list.verticalHeader().setVisible(False)
        self.item_list.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.item_list.selectionModel().currentRowChanged.connect(lambda cur, _prev: self.go_to(cur.row()))
        self.editor = AnswerEditor(self)
        self.editor.changed.connect(self._on_changed)
        self.editor.evidence_activated.connect(self.evidence_activated)
        self.editor.precedent_accepted.connect(self._accept_precedent)
        self.editor.save_precedent.connect(self._save_precedent)
        self.back_button = QPushButton(self.tr("« &Back"), self)
        self.back_button.setAccessibleName(self.tr("Previous item"))
        self.back_button.clicked.connect(lambda: self.go_to(self._current - 1))
        self.next_button = QPushButton(self.tr("&Next »"), self)
        self.next_button.setAccessibleName(self.tr("Next item"))
        self.next_button.clicked.connect(lambda: self.go_to(self._current + 1))
        QShortcut(QKeySequence("Ctrl+PgDown"), self, lambda: self.go_to(self._current + 1))
        QShortcut(QKeySequence("Ctrl+PgUp"), self, lambda: self.go_to(self._current - 1))
        self.position = QLabel("", self)
        self._build_status_bar()
        self._layout()

    def _build_status_bar(self) -> None:
        self.status_label = QLabel("", self)
        self.status_label.setWordWrap(True)
        self.status_label.setAccessibleName(self.tr("Review status"))
        self.status_message = QLabel("", self)
        self.status_message.setWordWrap(True)
        self.status_buttons: dict[str, QPushButton] = {}
        for status, text in (("in-review", self.tr("Submit for approva&l")),
                             ("approved", self.tr("Approv&e")),
                             ("approved-with-conditions", self.tr("Approve &with conditions")),
                             ("rejected", self.tr("Rejec&t review")),
                             ("draft", self.tr("&Send back"))):
            button = QPushButton(text, self)
            button.setAccessibleName(text.replace("&", ""))
            button.clicked.connect(lambda _c=False, s=status: self.set_status(s))
            self.status_buttons[status] = button

    def _layout(self) -> None:
        nav = QHBoxLayout()
        nav.addWidget(self.back_button)
        nav.addWidget(self.position, 1, Qt.AlignmentFlag.AlignCenter)
        nav.addWidget(self.next_button)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.editor, 1)
        right_layout.addLayout(nav)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.item_list)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([320, 960])
        self.item_list.setWordWrap(False)
        status = QHBoxLayout()
        status.addWidget(self.status_label, 1)
        for button in self.status_buttons.values():
            status.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(status)
        layout.addWidget(self.status_message)
        layout.addWidget(splitter, 1)

    # -- loading ------------------------------------------------------------------------------
    def set_review(self, store: Any, review_id: int, checklist: Any) -> None:
        """Show review ``review_id`` of ``store`` with the items of ``checklist``."""
        self.flush()
        self.store, self.review_id, self._checklist = store, review_id, checklist
        self.reload()
        self.go_to(0)

    def reload(self) -> None:
        """Read the review again from the store (answers, status, precedents)."""
        assert self.store is not None
        assert self.review_id is not None
        self.review = self.store.get_review(self.review_id)
        self._precedents = self.store.precedents_for(self.review_id)
        answers = {a["item"]: a for a in self.review["answers"]}
        known = {i.id: i for i in self._checklist.items} if self._checklist else {}
        rows = [{"item": known.get(item) or _fallback_item(item), "answer": answers[item]}
                for item in answers]
        self.items.set_rows(rows)
        self.item_list.resizeColumnToContents(1)
        self._show_status()

    def _show_status(self) -> None:
        r = self.review
        text = self.tr("Review #{0} — status: {1} — prepared by {2}").format(
            r.get("id"), r.get("status"), r.get("preparer") or "?")
        if r.get("approver"):
            text += self.tr(", decided by {0}").format(r["approver"])
        self.status_label.setText(text)
        status = r.get("status")
        decided = status in ("approved", "approved-with-conditions", "rejected")
        submit = self.tr("Reopen for revie&w") if decided else self.tr("Submit for approva&l")
        self.status_buttons["in-review"].setText(submit)
        self.status_buttons["in-review"].setEnabled(status != "in-review")
        for key in ("approved", "approved-with-conditions", "rejected", "draft"):
            self.status_buttons[key].setEnabled(status == "in-review")

    def go_to(self, row: int) -> None:
        """Show item ``row`` (saving the current one first)."""
        if not 0 <= row < self.items.rowCount():
            return
        if row != self._current:
            self.flush()
        self._current = row
        data = self.items.row(row)
        self.editor.load(data["item"], data["answer"], self._precedents)
        self.editor.set_save_state(self.tr("Saved") if data["answer"].get("decision") else "")
        self.position.setText(self.tr("Item {0} of {1}").format(row + 1, self.items.rowCount()))
        self.back_button.setEnabled(row > 0)
        self.next_button.setEnabled(row < self.items.rowCount() - 1)
        index = self.items.index(row, 0)
        if self.item_list.currentIndex().row() != row:
            self.item_list.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)

    def current_item(self) -> str | None:
        return self.editor.item_id

    # -- saving -------------------------------------------------------------------------------
    def _on_changed(self) -> None:
        self._dirty = True
        self.editor.set_save_state(self.tr("Unsaved changes…"))
        self._timer.start()

    def flush(self) -> bool:
        """Save the current answer now if it changed; True when it is saved (or unchanged)."""
        self._timer.stop()
        if not self._dirty or self.store is None or self.editor.item_id is None:
            return not self._dirty
        values = self.editor.values()
        item = self.editor.item_id
        if values["decision"] is None:
            self.editor.set_save_state(self.tr("Not saved: choose a decision."))
            return False
        try:
            answer = self.store.answer(self.review_id, item, values["decision"], values["rationale"],
                                       reviewer=self._identity(), conditions=values["conditions"])
        except (StoreError, ValueError) as exc:
            self.editor.set_save_state(self.tr("Not saved: {0}").format(exc))
            return False
        self._dirty = False
        self.items.update_answer(item, answer)
        self.editor.show_answered(answer)
        self.editor.set_save_state(self.tr("Saved"))
        self.status_message.clear()  # a refusal shown earlier no longer describes the review
        self.saved.emit(item)
        return True

    def _accept_precedent(self, precedent_id: int) -> None:
        try:
            answer = self.store.accept_precedent(self.review_id, precedent_id, reviewer=self._identity())
        except StoreError as exc:
            self.editor.set_save_state(self.tr("Not saved: {0}").format(exc))
            return
        self._dirty = False
        self.reload()
        self.go_to(next((n for n in range(self.items.rowCount())
                         if self.items.row(n)["item"].id == answer["item"]), self._current))
        self.saved.emit(answer["item"])

    def _save_precedent(self) -> None:
        if not self.flush() or self.editor.item_id is None:
            return
        try:
            keys = self.review.get("licenses") or []
            self.store.save_precedent(self.review_id, self.editor.item_id, reviewer=self._identity(),
                                      license_key=keys[0] if len(keys) > 1 else None)
        except StoreError as exc:
            self.editor.set_save_state(self.tr("Precedent not saved: {0}").format(exc))
            return
        self.editor.set_save_state(self.tr("Saved as a precedent."))

    def set_status(self, status: str) -> bool:
        """Change the review's status as the current reviewer; the store enforces four eyes."""
        if not self.flush() and self._dirty:
            self.status_message.setText(self.tr("Save or complete the current answer first."))
            return False
        reviewer = self._identity()
        if status in DECIDED and self.certify is not None:
            reviewer = self.certify()  # approving is signing: the certificate's passphrase
            if reviewer is None:
                self.status_message.setText(self.tr("Not changed: approving needs your signing identity."))
                return False
        try:
            self.store.set_status(self.review_id, status, reviewer=reviewer)
        except (StoreError, ValueError) as exc:
            self.status_message.setText(str(exc))
            return False
        self.status_message.clear()
        self.reload()
        self.status_changed.emit(status)
        return True


def _fallback_item(item_id: str) -> Any:
    from desktop.core.checks.checklist import DECISIONS, ChecklistItem

    return ChecklistItem(item_id, item_id.replace("_", " ").capitalize(), "", "", item_id, DECISIONS)
