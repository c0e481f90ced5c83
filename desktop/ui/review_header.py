"""The head of the review: what is reviewed, its status, the outcome so far, what blocks approval,
and the status buttons (only those that apply now are shown)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.ui.labels import selectable_label
from desktop.ui.models.checklist_model import person
from desktop.ui.review_outcome import Outcome, outcome

STATUS_WORDS = {"draft": "Draft", "in-review": "In review", "approved": "Approved",
                "approved-with-conditions": "Approved with conditions", "rejected": "Rejected"}


def _label(parent: QWidget, name: str) -> QLabel:
    return selectable_label(parent, name)


class ReviewHeader(QWidget):
    """``status_requested(status)`` when a status button is pressed."""

    status_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = _label(self, self.tr("Delivery under review"))
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title.setFont(font)
        self.status = _label(self, self.tr("Review status"))
        self.outcome = _label(self, self.tr("Outcome so far"))
        self.blocks = _label(self, self.tr("What blocks approval"))
        self.buttons: dict[str, QPushButton] = {}
        for status, text in (("in-review", self.tr("Submit for approva&l")),
                             ("approved", self.tr("Approve and si&gn")),  # Alt+E is the Edit menu
                             ("approved-with-conditions", self.tr("Approve &with conditions")),
                             ("rejected", self.tr("Rejec&t review")),
                             ("draft", self.tr("&Send back"))):
            button = QPushButton(text, self)
            button.setAccessibleName(text.replace("&", ""))
            button.clicked.connect(lambda _c=False, s=status: self.status_requested.emit(s))
            self.buttons[status] = button
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        for button in self.buttons.values():
            top.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 4)
        layout.setSpacing(2)
        layout.addLayout(top)
        for label in (self.status, self.outcome, self.blocks):
            layout.addWidget(label)

    def show_review(self, review: dict[str, Any], rows: list[dict[str, Any]]) -> Outcome:
        """Describe ``review`` (a store dict) with the checklist ``rows``; returns its outcome."""
        delivery = review.get("delivery") or {}
        self.title.setText(" · ".join((
            delivery.get("vendor") or self.tr("vendor not named"),
            delivery.get("product") or self.tr("product not named"),
            self.tr("version {0}").format(delivery["version"]) if delivery.get("version")
            else self.tr("version not stated"))))
        status = review.get("status") or "draft"
        text = self.tr("Review #{0} — status: {1} ({2}) — prepared by {3}").format(
            review.get("id"), self.tr(STATUS_WORDS.get(status, status)), status,
            person(review.get("preparer")) or "?")
        if review.get("approver"):
            text += self.tr(", decided by {0}").format(person(review["approver"]))
        self.status.setText(text)
        result = outcome(review, rows)
        self.outcome.setText(self._outcome_text(result))
        self.blocks.setText(self._blocks_text(result, review))
        decided = status in ("approved", "approved-with-conditions", "rejected")
        self.buttons["in-review"].setText(self.tr("Reopen for revie&w") if decided else self.tr("Submit for approva&l"))
        self.buttons["in-review"].setAccessibleName(self.buttons["in-review"].text().replace("&", ""))
        self.buttons["in-review"].setEnabled(status != "in-review")
        self.buttons["in-review"].setVisible(status != "in-review")
        for key in ("approved", "approved-with-conditions", "rejected", "draft"):
            self.buttons[key].setEnabled(status == "in-review")
            self.buttons[key].setVisible(status == "in-review")
        if result.conditions:  # the store allows only an approval with conditions then
            self.buttons["approved"].setEnabled(False)
        self.buttons["approved"].setToolTip(self.tr("Items were accepted with conditions: approve with conditions.")
                                            if result.conditions else "")
        return result

    def _outcome_text(self, result: Outcome) -> str:
        names = (("accept", self.tr("accepted")), ("accept-with-conditions", self.tr("with conditions")),
                 ("reject", self.tr("rejected")), ("needs-info", self.tr("need information")))
        parts = [f"{result.decisions[key]} {word}" for key, word in names if result.decisions.get(key)]
        text = self.tr("Outcome so far: {0} of {1} items decided").format(result.decided, result.total)
        return text + (" (" + ", ".join(parts) + ")" if parts else "") + "."

    def _blocks_text(self, result: Outcome, review: dict[str, Any]) -> str:
        if result.state == "locked":
            return self.tr("Decided by {0}: the answers are read-only. Reopen for review to change them.").format(
                person(review.get("approver")) or "?")
        if result.state == "in-review":
            text = self.tr("Waiting for approval by a second reviewer who decided none of the items.")
        elif result.undecided:
            shown = ", ".join(result.undecided[:4]) + (" …" if len(result.undecided) > 4 else "")
            text = self.tr("Blocks approval: {0} item(s) without a decision ({1}).").format(
                len(result.undecided), shown)
        else:
            text = self.tr("Every item is decided: ready to submit for approval.")
        if result.needs_info:
            text += " " + self.tr("Waiting for information: {0}.").format(", ".join(result.needs_info))
        if result.rejected:
            text += " " + self.tr("Rejected items: {0}.").format(", ".join(result.rejected))
        if result.conditions:
            text += " " + self.tr("Items accepted with conditions allow only an approval with conditions.")
        return text
