"""Checklist walk-through: start a review, keyboard navigation, saved as typed, evidence,
precedents, and the four-eyes approval."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from desktop.core.store import open_store
from desktop.ui.review_page import CHECKLIST, TEXT

LEFT = Qt.MouseButton.LeftButton
ALT = Qt.KeyboardModifier.AltModifier


def start_review(qtbot, window, purpose: str = "internal chatbot") -> int:  # type: ignore[no-untyped-def]
    window.show_review_tab(CHECKLIST)
    form = window.review.form
    form.vendor.clear()
    form.purpose.clear()
    form.vendor.setFocus()
    qtbot.keyClicks(form.vendor, "Example Vendor Ltd")
    qtbot.keyClicks(form.purpose, purpose)
    with qtbot.waitSignal(window.review_opened, timeout=10_000) as blocker:
        qtbot.keyClick(form.purpose, Qt.Key.Key_Return)
    return int(blocker.args[0])


def test_walk_the_checklist_by_keyboard_and_save_as_typed(qtbot, sample_window) -> None:  # type: ignore[no-untyped-def]
    window = sample_window
    review_id = start_review(qtbot, window)
    view = window.review.checklist
    assert window.review.currentIndex() == CHECKLIST
    assert view.position.text() == "Item 1 of 12"
    assert view.current_item() == "weights_coverage"
    assert view.editor.suggested.text().startswith("Suggested answer: info: The weights are covered by Apache License 2.0")
    view.item_list.setFocus()
    # Mnemonics "animate" the click: the button fires about 100 ms after the key.
    qtbot.keyClick(view.item_list, Qt.Key.Key_N, ALT)  # &Next
    qtbot.waitUntil(lambda: view.current_item() == "use_restrictions", timeout=20_000)
    qtbot.keyClick(view.item_list, Qt.Key.Key_B, ALT)  # &Back
    qtbot.waitUntil(lambda: view.current_item() == "weights_coverage", timeout=20_000)
    qtbot.keyClick(view.item_list, Qt.Key.Key_Down)  # the jump list follows the arrow keys
    assert view.current_item() == "use_restrictions"
    qtbot.keyClick(view.item_list, Qt.Key.Key_Up)
    # Decide by keyboard: Alt+C chooses "Accept with conditions", then type the texts.
    qtbot.keyClick(view.item_list, Qt.Key.Key_C, ALT)
    qtbot.waitUntil(view.editor.decision_buttons["accept-with-conditions"].isChecked, timeout=20_000)
    assert "Unsaved" in view.editor.save_state.text()
    view.editor.rationale.setFocus()
    qtbot.keyClicks(view.editor.rationale, "Weights ship with the Apache text")
    view.editor.conditions.setFocus()
    with qtbot.waitSignal(view.saved, timeout=20_000) as blocker:
        qtbot.keyClicks(view.editor.conditions, "Keep NOTICE")
    assert blocker.args == ["weights_coverage"]
    assert view.editor.save_state.text() == "Saved"
    assert "Ada Lovelace" in view.editor.answered_by.text()
    with open_store(window._store_url) as store:
        answer = next(a for a in store.get_review(review_id)["answers"] if a["item"] == "weights_coverage")
    assert answer["decision"] == "accept-with-conditions"
    assert answer["rationale"] == "Weights ship with the Apache text"
    assert answer["conditions"] == "Keep NOTICE"
    assert view.items.index(0, 1).data() == "Accept with conditions"


def test_missing_rationale_is_shown_not_saved_and_navigation_flushes(qtbot, sample_window) -> None:  # type: ignore[no-untyped-def]
    window = sample_window
    start_review(qtbot, window)
    view = window.review.checklist
    view.go_to(2)
    qtbot.mouseClick(view.editor.decision_buttons["accept"], LEFT)
    assert not view.flush()
    assert view.editor.save_state.text() == "Not saved: A decision needs a rationale."
    view.editor.rationale.setFocus()
    qtbot.keyClicks(view.editor.rationale, "No governing law: the firm accepts that.")
    saved: list[object] = []
    view.saved.connect(lambda *args: saved.append(args))
    qtbot.mouseClick(view.next_button, LEFT)
    assert saved, "navigation saves at once, before the autosave timer"
    assert view.current_item() == "derivative_status"
    assert view.items.index(2, 1).data() == "Accept"


def test_jump_list_shows_the_evidence_beside_the_item_and_f8_steps_through_quotes(qtbot, sample_window) -> None:  # type: ignore[no-untyped-def]
    window = sample_window
    start_review(qtbot, window)
    view = window.review.checklist
    row = next(r for r in range(view.items.rowCount()) if view.items.row(r)["item"].id == "commercial_use")
    qtbot.mouseClick(view.item_list.viewport(), LEFT, pos=view.item_list.visualRect(view.items.index(row, 0)).center())
    assert view.current_item() == "commercial_use"
    assert window.review.currentIndex() == CHECKLIST  # the evidence is beside the question, not on another tab
    pane = view.evidence
    first, second = pane.quotes[0], pane.quotes[1]
    assert first["path"] == "LICENSE"
    assert pane.viewer.document.title == "LICENSE"
    assert pane.viewer.cursor_line() == first["lines"][0]
    assert tuple(first["lines"]) == pane.viewer.focus_lines
    assert tuple(second["lines"]) in pane.viewer.marks  # every quote of the document is marked
    assert pane.position.text() == "Quote 1 of 2"
    a, b = first["lines"]
    assert pane.where.text() == (f"Delivered file LICENSE, line {a}" if a == b else f"Delivered file LICENSE, lines {a}–{b}")
    assert "Why: info: commercial use is allowed." == view.editor.why.text()
    view.item_list.setFocus()
    qtbot.keyClick(view.item_list, Qt.Key.Key_F8)
    assert pane.position.text() == "Quote 2 of 2"
    assert pane.viewer.cursor_line() == second["lines"][0]
    qtbot.keyClick(view.item_list, Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)
    assert pane.position.text() == "Quote 1 of 2"


def signing_identity(folder: Path, name: str, email: str) -> Any:
    """A real signing identity (passphrase ``pw-123456``) in ``folder``."""
    from desktop.core.memo.identity import create_identity

    return create_identity(name, email, "pw-123456", folder / f"{email.split('@')[0]}.p12")


def act_as(window: Any, info: Any) -> None:
    """The window's reviewer becomes the holder of ``info`` (as the first-run step saves it)."""
    window.prefs = replace(window.prefs, reviewer=f"{info.name} <{info.email}>",
                           signing_identity=str(info.path), signing_fingerprint=info.cert_fingerprint)


def test_four_eyes_approval_and_send_back(qtbot, sample_window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    window = sample_window
    ada = signing_identity(tmp_path, "Ada Lovelace", "ada@firm.example")
    bob = signing_identity(tmp_path, "Bob Approver", "bob@firm.example")
    act_as(window, ada)
    review_id = start_review(qtbot, window)
    view = window.review.checklist
    for row in range(view.items.rowCount()):
        view.go_to(row)
        view.editor.decision_buttons["accept"].setChecked(True)
        view.editor.rationale.setPlainText(f"Reviewed item {row + 1}.")
        assert view.flush()
    with qtbot.waitSignal(view.status_changed, timeout=20_000):
        qtbot.mouseClick(view.status_buttons["in-review"], LEFT)
    assert "in-review" in view.status_label.text()
    window.choosers.answers["secret"] = "pw-123456"
    qtbot.mouseClick(view.status_buttons["approved"], LEFT)
    assert "four-eyes" in view.status_message.text()
    # a typed second name does not make a second person: approving opens the certificate
    window.prefs = replace(window.prefs, reviewer="Bob Approver <bob@firm.example>")
    qtbot.mouseClick(view.status_buttons["approved"], LEFT)
    assert "four-eyes" in view.status_message.text()
    act_as(window, bob)
    view.go_to(0)
    assert "Ada Lovelace" in view.editor.answered_by.text()  # the approver sees who decided
    with qtbot.waitSignal(view.status_changed, timeout=20_000):
        qtbot.mouseClick(view.status_buttons["draft"], LEFT)  # send back
    assert "draft" in view.status_label.text()
    act_as(window, ada)
    qtbot.mouseClick(view.status_buttons["in-review"], LEFT)
    act_as(window, bob)
    window.choosers.answers["secret"] = "wrong"
    qtbot.mouseClick(view.status_buttons["approved"], LEFT)
    assert "passphrase" in window.choosers.messages[-1]
    assert "approving needs your signing identity" in view.status_message.text()
    window.choosers.answers["secret"] = "pw-123456"
    with qtbot.waitSignal(view.status_changed, timeout=20_000):
        qtbot.mouseClick(view.status_buttons["approved"], LEFT)
    with open_store(window._store_url) as store:
        review = store.get_review(review_id)
        status = [e for e in store.history(review_id=review_id) if e["action"] == "status"][-1]
    assert review["status"] == "approved"
    assert review["approver"] == "Bob Approver <bob@firm.example>"
    assert status["actor"] == f"Bob Approver <bob@firm.example> [cert {bob.cert_fingerprint}]"
    assert "approved" in window.review.summary.status.text()


def test_submit_names_undecided_items_by_title_until_they_are_decided(qtbot, sample_window) -> None:  # type: ignore[no-untyped-def]
    window = sample_window
    start_review(qtbot, window)
    view = window.review.checklist
    for row in range(1, view.items.rowCount()):
        view.go_to(row)
        view.editor.decision_buttons["accept"].setChecked(True)
        view.editor.rationale.setPlainText(f"Reviewed item {row + 1}.")
        assert view.flush()
    qtbot.mouseClick(view.status_buttons["in-review"], LEFT)
    message = view.status_message.text()
    assert "cannot be submitted for approval" in message and "Terms cover the weights" in message
    assert "weights_coverage" not in message
    assert "draft" in view.status_label.text()
    view.go_to(0)
    view.editor.decision_buttons["accept"].setChecked(True)
    view.editor.rationale.setPlainText("Reviewed item 1.")
    assert view.flush()
    assert view.status_message.text() == ""
    with qtbot.waitSignal(view.status_changed, timeout=20_000):
        qtbot.mouseClick(view.status_buttons["in-review"], LEFT)
    assert "in-review" in view.status_label.text()


def test_precedents_are_offered_and_can_be_used(qtbot, sample_window, sample_scan) -> None:  # type: ignore[no-untyped-def]
    window = sample_window
    start_review(qtbot, window, purpose="Internal chatbot")
    view = window.review.checklist
    view.editor.decision_buttons["accept"].setChecked(True)
    view.editor.rationale.setPlainText("Apache-2.0 is fine for our chatbot.")
    qtbot.mouseClick(view.editor.keep_precedent, LEFT)
    assert view.editor.save_state.text() == "Saved as a precedent."
    window.show_scan(sample_scan)
    start_review(qtbot, window, purpose="internal   CHATBOT")
    assert view.editor.precedents.rowCount() == 1
    assert view.editor.use_precedent.isEnabled()
    with qtbot.waitSignal(view.saved, timeout=20_000):
        qtbot.mouseClick(view.editor.use_precedent, LEFT)
    assert view.editor.decision_buttons["accept"].isChecked()
    assert "precedent" in view.editor.answered_by.text()
