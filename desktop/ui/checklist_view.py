"""The review: a header (what is reviewed, outcome so far, what blocks approval), the checklist down
the left, the selected item's question, suggestion and decision in the middle, and its evidence on
the right.  Answers are saved as typed (debounced); a decision that cannot be saved is never dropped
silently: leaving it asks first."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.core.store import StoreError
from desktop.ui.answer_editor import AnswerEditor
from desktop.ui.checklist_list import ChecklistList
from desktop.ui.evidence_pane import EvidencePane
from desktop.ui.models.checklist_model import ChecklistModel
from desktop.ui.review_header import ReviewHeader
from desktop.ui.review_outcome import LOCKED

SAVE_DELAY_MS = 300
DECIDED = LOCKED
# ask(title, text, options) -> the option chosen (None when the dialog was closed)
Ask = Callable[[str, str, list[str]], "str | None"]


class ChecklistView(QWidget):
    """``saved(item)`` after each stored answer; ``status_changed(status)`` after a status change."""

    saved = Signal(str)
    status_changed = Signal(str)
    evidence_activated = Signal(object)

    def __init__(self, identity: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._identity = identity
        self.certify: Callable[[], Any] | None = None  # who approves, proven (None: typed identity)
        self.findings: Callable[[], list[dict[str, Any]]] = lambda: []  # the scan's, with their reasons
        self.ask: Ask | None = None  # how to ask before leaving an unsaved decision
        self.store: Any = None
        self.review_id: int | None = None
        self.review: dict[str, Any] = {}
        self._checklist: Any = None
        self._precedents: list[dict[str, Any]] = []
        self._current = -1
        self._dirty = False
        self._error = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.flush)
        self.header = ReviewHeader(self)
        self.header.status_requested.connect(self.set_status)
        self.status_label, self.status_buttons = self.header.status, self.header.buttons
        self.status_message = QLabel("", self)
        self.status_message.setWordWrap(True)
        self.status_message.setAccessibleName(self.tr("Status message"))
        self.status_message.setVisible(False)
        self.items = ChecklistModel(self)
        self.item_list = ChecklistList(self.items, self)
        self.item_list.selectionModel().currentRowChanged.connect(lambda cur, _prev: self.go_to(cur.row()))
        self.editor = AnswerEditor(self)
        self.editor.changed.connect(self._on_changed)
        self.editor.precedent_accepted.connect(self._accept_precedent)
        self.editor.save_precedent.connect(self._save_precedent)
        self.evidence = EvidencePane(self)
        self.back_button = QPushButton(self.tr("« &Back"), self)
        self.back_button.setAccessibleName(self.tr("Previous item"))
        self.back_button.clicked.connect(lambda: self.go_to(self._current - 1))
        self.next_button = QPushButton(self.tr("&Next »"), self)
        self.next_button.setAccessibleName(self.tr("Next item"))
        self.next_button.clicked.connect(lambda: self.go_to(self._current + 1))
        for key, slot in (("Ctrl+PgDown", lambda: self.go_to(self._current + 1)),
                          ("Ctrl+PgUp", lambda: self.go_to(self._current - 1)),
                          ("F8", lambda: self.evidence.step(1)), ("Shift+F8", lambda: self.evidence.step(-1))):
            QShortcut(QKeySequence(key), self, slot).setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.position = QLabel("", self)
        self._layout()

    def _layout(self) -> None:
        nav = QHBoxLayout()
        nav.addWidget(self.back_button)
        nav.addWidget(self.position, 1, Qt.AlignmentFlag.AlignCenter)
        nav.addWidget(self.next_button)
        scroll = QScrollArea(self)
        scroll.setWidget(self.editor)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        middle = QWidget(self)
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.addWidget(scroll, 1)
        middle_layout.addLayout(nav)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        for n, (widget, stretch) in enumerate(((self.item_list, 2), (middle, 3), (self.evidence, 3))):
            self.splitter.addWidget(widget)
            self.splitter.setStretchFactor(n, stretch)
        self.splitter.setSizes([250, 375, 375])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.header)
        layout.addWidget(self.status_message)
        layout.addWidget(self.splitter, 1)
        self.setTabOrder(self.item_list, self.editor.decision_buttons["accept"])

    # -- loading ------------------------------------------------------------------------------
    def set_review(self, store: Any, review_id: int, checklist: Any) -> None:
        """Show review ``review_id`` of ``store`` with the items of ``checklist``."""
        self.flush()
        self._dirty = False
        self.store, self.review_id, self._checklist = store, review_id, checklist
        self._current = -1
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
        self._show_status()

    def _show_status(self) -> None:
        self.header.show_review(self.review, self.items.rows())
        status = self.review.get("status")
        self.editor.set_read_only(status in DECIDED, self.tr(
            "This review is {0}: its answers are shown read-only.").format(status))

    def go_to(self, row: int) -> None:
        """Show item ``row``; an unsaved decision is saved first, or kept (asking) when it cannot be."""
        if not 0 <= row < self.items.rowCount():
            return
        if row != self._current and not self.may_leave():
            self._select(self._current)
            return
        self._current = row
        data = self.items.row(row)
        self.editor.load(data["item"], data["answer"], self._precedents, self._why(data))
        saved = data["answer"].get("decision") and not self.editor.read_only
        self.editor.set_save_state(self.tr("Saved") if saved else "")
        self.evidence.set_evidence(data["answer"].get("evidence") or [])
        self.position.setText(self.tr("Item {0} of {1}").format(row + 1, self.items.rowCount()))
        self.back_button.setEnabled(row > 0)
        self.next_button.setEnabled(row < self.items.rowCount() - 1)
        self._select(row)

    def _select(self, row: int) -> None:
        if row >= 0 and self.item_list.currentIndex().row() != row:
            self.item_list.selectionModel().setCurrentIndex(
                self.items.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)

    def _why(self, data: dict[str, Any]) -> str:
        """The reasons of the findings that set this item's suggested level."""
        item, level = data["item"].id, data["answer"].get("suggested_level")
        mine = [f for f in [*self.findings(), *(self.review.get("findings") or [])] if f.get("check") == item]
        reasons = [str(f.get("why")) for f in mine if f.get("why") and f.get("level") == level] \
            or [str(f.get("why")) for f in mine if f.get("why")]
        return "; ".join(dict.fromkeys(reasons))

    def may_leave(self) -> bool:
        """True when the current item may be left: saved, unchanged, or its change discarded."""
        if not self._dirty or self.flush():
            return True
        keep, discard = self.tr("Keep editing"), self.tr("Discard the change")
        title = self.editor.title.text()
        text = self.tr("The decision on \u201c{0}\u201d is not saved: {1}\n\nKeep editing to complete it, "
                       "or discard the change and go on.").format(title, self._error)
        choice = self.ask(self.tr("Decision not saved"), text, [keep, discard]) if self.ask else None
        if choice == discard:
            self._dirty = False
            self.items.update_answer(self.editor.item_id or "", {"unsaved": False})
            return True
        self.editor.set_save_state(self.tr("Not saved: {0} Complete it or discard it before leaving.")
                                   .format(self._error))
        self.editor.rationale.setFocus()
        return False

    def _tell(self, text: str) -> None:
        """A message about the review's status (hidden when there is none)."""
        self.status_message.setText(text)
        self.status_message.setVisible(bool(text))

    def current_item(self) -> str | None:
        return self.editor.item_id

    # -- saving -------------------------------------------------------------------------------
    def _on_changed(self) -> None:
        self._dirty = True
        self.editor.set_save_state(self.tr("Unsaved changes…"))
        if self.editor.item_id:
            self.items.update_answer(self.editor.item_id, {"unsaved": True})
        self._timer.start()

    def flush(self) -> bool:
        """Save the current answer now if it changed; True when it is saved (or unchanged)."""
        self._timer.stop()
        if not self._dirty or self.store is None or self.editor.item_id is None:
            return not self._dirty
        values = self.editor.values()
        item = self.editor.item_id
        if values["decision"] is None:
            self._error = self.tr("choose a decision.")
            self.editor.set_save_state(self.tr("Not saved: choose a decision."))
            return False
        try:
            answer = self.store.answer(self.review_id, item, values["decision"], values["rationale"],
                                       reviewer=self._identity(), conditions=values["conditions"])
        except (StoreError, ValueError) as exc:
            self._error = str(exc)
            self.editor.set_save_state(self.tr("Not saved: {0}").format(exc))
            return False
        self._dirty = False
        self.items.update_answer(item, {**answer, "unsaved": False})
        self.editor.show_answered(answer)
        self.editor.set_save_state(self.tr("Saved"))
        self._tell("")  # a refusal shown earlier no longer describes the review
        self.header.show_review(self.review, self.items.rows())
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
        self._current = -1
        self.go_to(max(0, self.items.row_of(answer["item"])))
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
            self._tell(self.tr("Save or complete the current answer first."))
            return False
        reviewer = self._identity()
        if status in DECIDED and self.certify is not None:
            reviewer = self.certify()  # approving is signing: the certificate's passphrase
            if reviewer is None:
                self._tell(self.tr("Not changed: approving needs your signing identity."))
                return False
        try:
            self.store.set_status(self.review_id, status, reviewer=reviewer)
        except (StoreError, ValueError) as exc:
            self._tell(str(exc))
            return False
        self._tell("")
        current = self._current
        self.reload()
        self._current = -1
        self.go_to(max(0, current))
        self.status_changed.emit(status)
        return True


def _fallback_item(item_id: str) -> Any:
    from desktop.core.checks.checklist import DECISIONS, ChecklistItem

    return ChecklistItem(item_id, item_id.replace("_", " ").capitalize(), "", "", item_id, DECISIONS)
