"""The obligations tab: the register of the open review, owner/status editing, quotes, read-only."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop.core.store import Store, open_store
from desktop.ui.models.obligations_model import ObligationsModel
from desktop.ui.obligations_view import ObligationsView
from desktop.ui.review_page import CHECKLIST, TEXT

ADA = "Ada Lovelace <ada@firm.example>"
BOB = "Bob Marley <bob@firm.example>"


@pytest.fixture
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    opened = open_store(f"sqlite:///{tmp_path / 'reviews.db'}")
    yield opened
    opened.close()


@pytest.fixture
def view(qtbot, store: Store, sample_scan):  # type: ignore[no-untyped-def]
    review = store.create_review(sample_scan, reviewer=ADA, vendor="Example Vendor Ltd.", purpose="chatbot")
    widget = ObligationsView(lambda: BOB)
    qtbot.addWidget(widget)
    widget.set_review(store, review)
    widget.resize(900, 600)
    widget.show()
    return widget


def test_model_passes_the_model_tester(qtmodeltester, store: Store, sample_scan) -> None:  # type: ignore[no-untyped-def]
    review = store.create_review(sample_scan, reviewer=ADA)
    model = ObligationsModel()
    model.set_rows(store.obligations(review))
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    assert model.index(0, 0).data() == "Notice file" and model.index(0, 3).data() == "Open"
    assert model.index_of("modified_files:apache-2.0") == 1


def test_owner_and_status_are_saved_to_the_store(qtbot, view: ObligationsView, store: Store) -> None:  # type: ignore[no-untyped-def]
    assert view.model.rowCount() == 2 and view.current()["kind"] == "notice_file"
    assert "exact text" in view.text.text()
    assert any(r["path"] == "NOTICE" for r in view.evidence.rows())
    view.owner.clear()
    qtbot.keyClicks(view.owner, "Release engineering")
    view.status.setCurrentIndex(view.status.findData("accepted"))
    qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    row = store.obligations(view.review_id)[0]
    assert (row["owner"], row["status"], row["decided_by"]) == ("Release engineering", "accepted", BOB)
    assert view.model.index(0, 3).data() == "Accepted" and view.message.text() == "Saved."


def test_not_applicable_needs_a_reason(qtbot, view: ObligationsView, store: Store) -> None:  # type: ignore[no-untyped-def]
    view.table.selectRow(1)
    assert view.current()["kind"] == "modified_files"
    view.status.setCurrentIndex(view.status.findData("not-applicable"))
    assert view.save() is False
    assert "needs the reason" in view.message.text()
    assert store.obligations(view.review_id)[1]["status"] == "open"
    qtbot.keyClicks(view.reason, "We ship the files unchanged")
    assert view.save() is True
    assert view.model.index(1, 3).data() == "Not applicable: We ship the files unchanged"
    assert view.current()["kind"] == "modified_files"   # the selection stays on the saved row


def test_quotes_open_the_text_viewer(qtbot, view: ObligationsView) -> None:  # type: ignore[no-untyped-def]
    index = view.evidence.index(len(view.evidence.rows()) - 1, 0)
    with qtbot.waitSignal(view.evidence_activated) as blocker:
        view.quotes.activated.emit(index)
    assert blocker.args[0]["path"] == "NOTICE" and blocker.args[0]["lines"] == [1, 4]


def test_a_decided_review_is_read_only(view: ObligationsView, store: Store) -> None:  # type: ignore[no-untyped-def]
    for answer in store.get_review(view.review_id)["answers"]:
        store.answer(view.review_id, answer["item"], "reject", "not for us", reviewer=ADA)
    store.set_status(view.review_id, "rejected", reviewer=BOB)
    view.reload()
    assert view.read_only and "read-only" in view.message.text()
    assert not view.save_button.isEnabled() and not view.owner.isEnabled()
    assert not view.rebuild_button.isEnabled()


def test_the_window_shows_the_register_of_a_new_review(qtbot, sample_window) -> None:  # type: ignore[no-untyped-def]
    window = sample_window
    window.show_review_tab(CHECKLIST)
    form = window.review.form
    form.vendor.clear()
    qtbot.keyClicks(form.vendor, "Example Vendor Ltd")
    qtbot.keyClicks(form.purpose, "internal chatbot")
    with qtbot.waitSignal(window.review_opened, timeout=10_000):
        qtbot.keyClick(form.purpose, Qt.Key.Key_Return)
    page = window.review
    tab = page.indexOf(page.obligations)
    assert page.tabText(tab) == "Obligations"
    assert [r["kind"] for r in page.obligations.model.rows()] == ["notice_file", "modified_files"]
    page.setCurrentIndex(tab)
    notice = next(r for r in page.obligations.evidence.rows() if r["path"] == "NOTICE")
    page.obligations.evidence_activated.emit(notice)
    assert page.currentIndex() == TEXT
