"""One checklist item: question, guidance, suggested answer and evidence, the decision form,
and the matching precedents beside it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.icons import level_icon
from desktop.ui.models.evidence_model import EvidenceModel
from desktop.ui.models.precedents_model import PrecedentsModel
from desktop.ui.models.table_base import ROW


def _label(parent: QWidget, text: str = "", bold: bool = False) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if bold:
        font = label.font()
        font.setBold(True)
        label.setFont(font)
    return label


class PlainEdit(QPlainTextEdit):
    """A plain text box where Tab moves focus (keyboard users must be able to leave it)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)


class AnswerEditor(QWidget):
    """Edits one answer; ``changed`` fires on every edit, ``evidence_activated`` on a click."""

    changed = Signal()
    evidence_activated = Signal(object)
    precedent_accepted = Signal(int)
    save_precedent = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self.item_id: str | None = None
        self.title = _label(self, bold=True)
        self.question = _label(self)
        self.guidance = _label(self)
        self.suggested_icon = QLabel(self)
        self.suggested = _label(self)
        self.suggested.setAccessibleName(self.tr("Suggested answer"))
        self.evidence = EvidenceModel(self)
        self.evidence_view = QTableView(self)
        self.evidence_view.setModel(self.evidence)
        self.evidence_view.setAccessibleName(self.tr("Evidence for the suggested answer"))
        self.evidence_view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.evidence_view.verticalHeader().setVisible(False)
        self.evidence_view.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.evidence_view.activated.connect(lambda i: self.evidence_activated.emit(i.data(ROW)))
        self.evidence_view.clicked.connect(lambda i: self.evidence_activated.emit(i.data(ROW)))
        self.decisions = QButtonGroup(self)
        self.decision_buttons: dict[str, QRadioButton] = {}
        decision_box = QHBoxLayout()
        for key, text in (("accept", self.tr("&Accept")),
                          ("accept-with-conditions", self.tr("Accept with &conditions")),
                          ("reject", self.tr("Re&ject")),
                          ("needs-info", self.tr("Needs &information"))):
            button = QRadioButton(text, self)
            button.setAccessibleName(text.replace("&", ""))
            self.decisions.addButton(button)
            self.decision_buttons[key] = button
            decision_box.addWidget(button)
        decision_box.addStretch(1)
        self.decisions.buttonToggled.connect(self._on_edit)
        self.rationale = PlainEdit(self)
        self.rationale.setAccessibleName(self.tr("Rationale"))
        self.rationale.setPlaceholderText(self.tr("Why this decision (required)"))
        self.rationale.textChanged.connect(self._on_edit)
        self.conditions = PlainEdit(self)
        self.conditions.setAccessibleName(self.tr("Conditions"))
        self.conditions.setPlaceholderText(self.tr("Conditions of the acceptance"))
        self.conditions.textChanged.connect(self._on_edit)
        self.answered_by = _label(self)
        self.save_state = _label(self)
        self.save_state.setAccessibleName(self.tr("Save state"))
        self._build_precedents()
        self._layout(decision_box)

    def _build_precedents(self) -> None:
        self.precedents = PrecedentsModel(self)
        self.precedent_view = QTableView(self)
        self.precedent_view.setModel(self.precedents)
        self.precedent_view.setAccessibleName(self.tr("Matching precedents"))
        self.precedent_view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.precedent_view.verticalHeader().setVisible(False)
        self.precedent_view.horizontalHeader().setStretchLastSection(True)
        self.use_precedent = QPushButton(self.tr("&Use this precedent"), self)
        self.use_precedent.setAccessibleName(self.tr("Use the selected precedent as the answer"))
        self.use_precedent.clicked.connect(self._accept_precedent)
        self.keep_precedent = QPushButton(self.tr("Save as &precedent"), self)
        self.keep_precedent.setAccessibleName(self.tr("Save this decision as a precedent"))
        self.keep_precedent.clicked.connect(self.save_precedent)

    def _layout(self, decision_box: QHBoxLayout) -> None:
        suggested_row = QHBoxLayout()
        suggested_row.addWidget(self.suggested_icon, 0, Qt.AlignmentFlag.AlignTop)
        suggested_row.addWidget(self.suggested, 1)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        rationale_label = QLabel(self.tr("&Rationale:"), self)
        rationale_label.setBuddy(self.rationale)
        conditions_label = QLabel(self.tr("C&onditions:"), self)
        conditions_label.setBuddy(self.conditions)
        form.addRow(self.tr("Decision:"), decision_box)
        form.addRow(rationale_label, self.rationale)
        form.addRow(conditions_label, self.conditions)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        for w in (self.title, self.question, self.guidance):
            left_layout.addWidget(w)
        left_layout.addLayout(suggested_row)
        left_layout.addWidget(self.evidence_view, 2)
        left_layout.addLayout(form, 3)
        left_layout.addWidget(self.answered_by)
        left_layout.addWidget(self.save_state)
        side = QGroupBox(self.tr("Precedents"), self)
        side_layout = QVBoxLayout(side)
        side_layout.addWidget(self.precedent_view, 1)
        side_buttons = QHBoxLayout()
        side_buttons.addWidget(self.use_precedent)
        side_buttons.addWidget(self.keep_precedent)
        side_layout.addLayout(side_buttons)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([700, 260])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    def load(self, item: Any, answer: dict[str, Any], precedents: list[dict[str, Any]]) -> None:
        """Show ``item`` (a ChecklistItem) with its stored ``answer`` and matching precedents."""
        self._loading = True
        try:
            self.item_id = item.id
            self.title.setText(item.title)
            self.question.setText(item.question)
            self.guidance.setText(item.guidance)
            self.suggested.setText(self.tr("Suggested: {0}").format(answer.get("suggested") or self.tr("none")))
            self.suggested_icon.setPixmap(level_icon(answer.get("suggested_level")).pixmap(16, 16))
            self.evidence.set_rows(answer.get("evidence") or [])
            self.evidence_view.resizeColumnToContents(0)
            self.evidence_view.resizeColumnToContents(1)
            self.decisions.setExclusive(False)
            for key, button in self.decision_buttons.items():
                button.setChecked(key == answer.get("decision"))
            self.decisions.setExclusive(True)
            self.rationale.setPlainText(answer.get("rationale") or "")
            self.conditions.setPlainText(answer.get("conditions") or "")
            self.show_answered(answer)
            mine = [p for p in precedents if p.get("item") == item.id]
            self.precedents.set_rows(mine)
            self.use_precedent.setEnabled(bool(mine))
        finally:
            self._loading = False

    def show_answered(self, answer: dict[str, Any]) -> None:
        """Who decided and when (what the approver reads), and carried-over/precedent marks."""
        if answer.get("answered_by"):
            text = self.tr("Decided by {0} at {1}").format(
                answer["answered_by"], (answer.get("answered_at") or "")[:16].replace("T", " "))
            if answer.get("carried_over"):
                text += self.tr(" (carried over from the previous review)")
            if answer.get("precedent"):
                text += self.tr(" (from precedent {0})").format(answer["precedent"])
        else:
            text = self.tr("Not decided yet.")
        self.answered_by.setText(text)

    def values(self) -> dict[str, Any]:
        """The form as typed: decision (or None), rationale, conditions."""
        decision = next((k for k, b in self.decision_buttons.items() if b.isChecked()), None)
        return {"decision": decision, "rationale": self.rationale.toPlainText().strip(),
                "conditions": self.conditions.toPlainText().strip() or None}

    def set_save_state(self, text: str) -> None:
        self.save_state.setText(text)

    def _on_edit(self, *_args: Any) -> None:
        if not self._loading:
            self.changed.emit()

    def _accept_precedent(self) -> None:
        index = self.precedent_view.currentIndex()
        row = index.data(ROW) if index.isValid() else (self.precedents.row(0) if self.precedents.rowCount() else None)
        if row is not None:
            self.precedent_accepted.emit(int(row["id"]))
