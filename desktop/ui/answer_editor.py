"""One checklist item: the question, the suggested answer with the reason that set its level, the
decision form, and the matching precedents (folded away, offered only when there are some)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.icons import level_icon
from desktop.ui.labels import selectable_label
from desktop.ui.models.checklist_model import person
from desktop.ui.models.precedents_model import PrecedentsModel
from desktop.ui.models.table_base import ROW


def _label(parent: QWidget, text: str = "", bold: bool = False, name: str = "") -> QLabel:
    label = selectable_label(parent, name, text)
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
        self.setMinimumHeight(self.fontMetrics().lineSpacing() * 3 + 12)


class AnswerEditor(QWidget):
    """Edits one answer; ``changed`` fires on every edit."""

    changed = Signal()
    precedent_accepted = Signal(int)
    save_precedent = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self.read_only = False
        self.item_id: str | None = None
        self.title = _label(self, bold=True, name=self.tr("Checklist item"))
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.title.setFont(font)
        self.question = _label(self, name=self.tr("Question"))
        self.guidance = _label(self, name=self.tr("Guidance"))
        self.guidance.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.suggested_icon = QLabel(self)
        self.suggested = _label(self, name=self.tr("Suggested answer"))
        self.why = _label(self, name=self.tr("Why this level"))
        self.decisions = QButtonGroup(self)
        self.decision_buttons: dict[str, QRadioButton] = {}
        decision_grid = QGridLayout()
        for n, (key, text) in enumerate((("accept", self.tr("&Accept")),
                                         ("accept-with-conditions", self.tr("Accept with &conditions")),
                                         ("reject", self.tr("Re&ject")),
                                         ("needs-info", self.tr("Needs &information")))):
            button = QRadioButton(text, self)
            button.setAccessibleName(text.replace("&", ""))
            self.decisions.addButton(button)
            self.decision_buttons[key] = button
            decision_grid.addWidget(button, n // 2, n % 2, Qt.AlignmentFlag.AlignLeft)
        self.decisions.buttonToggled.connect(self._on_edit)
        self.rationale = PlainEdit(self)
        self.rationale.setAccessibleName(self.tr("Rationale"))
        self.rationale.setPlaceholderText(self.tr("Why this decision (required)"))
        self.rationale.textChanged.connect(self._on_edit)
        self.conditions = PlainEdit(self)
        self.conditions.setAccessibleName(self.tr("Conditions"))
        self.conditions.setPlaceholderText(self.tr("Conditions of the acceptance"))
        self.conditions.textChanged.connect(self._on_edit)
        self.answered_by = _label(self, name=self.tr("Who decided"))
        self.save_state = _label(self, bold=True, name=self.tr("Save state"))
        self.locked = _label(self, name=self.tr("Read-only"))
        self.locked.setVisible(False)
        self._build_precedents()
        self._layout(decision_grid)

    def _build_precedents(self) -> None:
        self.precedents = PrecedentsModel(self)
        self.precedent_toggle = QToolButton(self)
        self.precedent_toggle.setCheckable(True)
        self.precedent_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.precedent_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.precedent_toggle.setAccessibleName(self.tr("Show matching precedents"))
        self.precedent_toggle.toggled.connect(self.show_precedents)
        self.precedent_box = QFrame(self)
        self.precedent_box.setFrameShape(QFrame.Shape.StyledPanel)
        self.precedent_view = QTableView(self.precedent_box)
        self.precedent_view.setModel(self.precedents)
        self.precedent_view.setAccessibleName(self.tr("Matching precedents"))
        self.precedent_view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.precedent_view.setWordWrap(True)
        self.precedent_view.verticalHeader().setVisible(False)
        self.precedent_view.horizontalHeader().setStretchLastSection(True)
        self.use_precedent = QPushButton(self.tr("&Use this precedent"), self.precedent_box)
        self.use_precedent.setAccessibleName(self.tr("Use the selected precedent as the answer"))
        self.use_precedent.clicked.connect(self._accept_precedent)
        box = QVBoxLayout(self.precedent_box)
        box.setContentsMargins(4, 4, 4, 4)
        box.addWidget(self.precedent_view, 1)
        box.addWidget(self.use_precedent, 0, Qt.AlignmentFlag.AlignRight)
        self.precedent_box.setVisible(False)
        self.keep_precedent = QPushButton(self.tr("Save as &precedent"), self)
        self.keep_precedent.setAccessibleName(self.tr("Save this decision as a precedent"))
        self.keep_precedent.clicked.connect(self.save_precedent)

    def _layout(self, decision_grid: QGridLayout) -> None:
        suggested_box = QFrame(self)
        suggested_box.setFrameShape(QFrame.Shape.StyledPanel)
        suggested_row = QHBoxLayout(suggested_box)
        suggested_row.addWidget(self.suggested_icon, 0, Qt.AlignmentFlag.AlignTop)
        column = QVBoxLayout()
        column.addWidget(self.suggested)
        column.addWidget(self.why)
        suggested_row.addLayout(column, 1)
        rationale_label = QLabel(self.tr("&Rationale:"), self)
        rationale_label.setBuddy(self.rationale)
        conditions_label = QLabel(self.tr("C&onditions:"), self)
        conditions_label.setBuddy(self.conditions)
        state_row = QHBoxLayout()
        state_row.addWidget(self.save_state, 1)
        state_row.addWidget(self.keep_precedent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 4, 0)
        for widget in (self.title, self.question, self.guidance, suggested_box, self.locked):
            layout.addWidget(widget)
        layout.addWidget(QLabel(self.tr("Decision:"), self))
        layout.addLayout(decision_grid)
        layout.addLayout(state_row)  # saved or not, right under the decision
        layout.addWidget(rationale_label)
        layout.addWidget(self.rationale, 2)
        layout.addWidget(conditions_label)
        layout.addWidget(self.conditions, 1)
        layout.addWidget(self.answered_by)
        layout.addWidget(self.precedent_toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.precedent_box, 2)

    def load(self, item: Any, answer: dict[str, Any], precedents: list[dict[str, Any]],
             why: str = "") -> None:
        """Show ``item`` (a ChecklistItem) with its stored ``answer``, the reason ``why`` its level
        was suggested, and the precedents matching it."""
        self._loading = True
        try:
            self.item_id = item.id
            self.title.setText(item.title)
            self.question.setText(item.question)
            self.guidance.setText(item.guidance)
            self.guidance.setVisible(bool(item.guidance))
            level = answer.get("suggested_level")
            self.suggested.setText(self.tr("Suggested answer: {0}").format(answer.get("suggested") or self.tr("none")))
            self.suggested_icon.setPixmap(level_icon(level).pixmap(16, 16))
            self.why.setText(self.tr("Why: {0}").format(why) if why else "")
            self.why.setVisible(bool(why))
            self.decisions.setExclusive(False)
            for key, button in self.decision_buttons.items():
                button.setChecked(key == answer.get("decision"))
            self.decisions.setExclusive(True)
            self.rationale.setPlainText(answer.get("rationale") or "")
            self.conditions.setPlainText(answer.get("conditions") or "")
            self.show_answered(answer)
            mine = [p for p in precedents if p.get("item") == item.id]
            self.precedents.set_rows(mine)
            self.precedent_view.resizeColumnsToContents()
            self.precedent_toggle.setText(self.tr("Precedents ({0})").format(len(mine)))
            self.precedent_toggle.setVisible(bool(mine))
            self.precedent_toggle.setChecked(bool(mine))  # unfolded when there is something to propose
            self.show_precedents(self.precedent_toggle.isChecked())
            self.use_precedent.setEnabled(bool(mine) and not self.read_only)
        finally:
            self._loading = False

    def show_precedents(self, shown: bool) -> None:
        """Unfold (or fold) the precedents proposed for this item."""
        shown = shown and self.precedents.rowCount() > 0
        self.precedent_box.setVisible(shown)
        self.precedent_toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)

    def set_read_only(self, locked: bool, reason: str = "") -> None:
        """A decided review: every control shows its value and none can change it."""
        self.read_only = locked
        for button in self.decision_buttons.values():
            button.setEnabled(not locked)
        self.rationale.setReadOnly(locked)
        self.conditions.setReadOnly(locked)
        self.keep_precedent.setEnabled(not locked)
        self.use_precedent.setEnabled(not locked and self.precedents.rowCount() > 0)
        self.locked.setText(reason)
        self.locked.setVisible(locked and bool(reason))

    def show_answered(self, answer: dict[str, Any]) -> None:
        """Who decided and when (what the approver reads), and carried-over/precedent marks."""
        if answer.get("answered_by"):
            text = self.tr("Decided by {0} at {1}").format(
                person(answer["answered_by"]) or answer["answered_by"],
                (answer.get("answered_at") or "")[:16].replace("T", " "))
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
        if not self._loading and not self.read_only:
            self.changed.emit()

    def _accept_precedent(self) -> None:
        index = self.precedent_view.currentIndex()
        row = index.data(ROW) if index.isValid() else (self.precedents.row(0) if self.precedents.rowCount() else None)
        if row is not None:
            self.precedent_accepted.emit(int(row["id"]))
