"""Find (Ctrl+F) in file names and delivered texts, notes per file, the discussion thread of each
checklist item between preparer and approver (audited), and the in-app guide."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from test_checklist import start_review
from test_summary_history import approved_review

from desktop.core.store import open_store

LEFT = Qt.MouseButton.LeftButton
CTRL = Qt.KeyboardModifier.ControlModifier
ADA, BOB = "Ada Lovelace <ada@firm.example>", "Bob Approver <bob@firm.example>"


def test_ctrl_f_finds_file_names_and_text_lines_and_opens_them(qtbot, sample_window) -> None:  # type: ignore[no-untyped-def]
    window = sample_window
    tools = window.tools
    assert not tools.find_dock.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_F, CTRL)
    assert tools.find_dock.isVisible()
    qtbot.waitUntil(tools.search.query.hasFocus, timeout=5_000)
    qtbot.keyClicks(tools.search.query, "notice")
    qtbot.waitUntil(lambda: tools.search.hits.rowCount() > 2, timeout=5_000)
    hits = tools.search.hits.rows()
    assert (hits[0].kind, hits[0].path) == ("name", "NOTICE")  # the inventory's names come first
    text_hit = hits[1]
    assert text_hit.kind == "text" and "notice" in text_hit.snippet.lower() and text_hit.line
    assert "place(s)" in tools.search.count.text() and str(len(hits)) in tools.search.count.text()

    qtbot.keyClick(tools.search.query, Qt.Key.Key_Return)  # the file name: selected in the inventory
    assert window.review.currentWidget() is window.review.inventory
    assert tools.selected_path() == "NOTICE"

    qtbot.keyClick(tools.search.query, Qt.Key.Key_Return)  # the next place: a line of a delivered text
    viewer = window.review.viewer
    assert text_hit.path in viewer.document.title
    assert viewer.focus_lines == (text_hit.line, text_hit.line)
    cursor_line = viewer.text.textCursor().blockNumber() + 1
    assert cursor_line == text_hit.line

    tools.search.query.clear()
    qtbot.keyClicks(tools.search.query, "no such words anywhere")
    assert tools.search.search() == [] and tools.search.count.text() == "0 place(s)"
    qtbot.keyClick(tools.search.query, Qt.Key.Key_Escape)
    assert not tools.find_dock.isVisible()


def test_notes_on_the_selected_file_are_kept_audited_and_locked_once_approved(  # type: ignore[no-untyped-def]
        qtbot, sample_window, sample_scan) -> None:
    window = sample_window
    tools, notes = window.tools, window.tools.notes
    assert not notes.editor.isEnabled()  # no review yet: nothing to keep notes with
    review_id = start_review(qtbot, window)
    window.review.setCurrentWidget(window.review.inventory)
    assert window.review.inventory.select_path("NOTICE")
    window.findChild(type(tools.notes_dock), "dock_file_notes").toggleViewAction().trigger()
    assert tools.notes_dock.isVisible()
    assert notes.heading.text() == "Notes on NOTICE" and notes.editor.isEnabled()
    notes.editor.setFocus()
    qtbot.keyClicks(notes.editor, "Vendor confirmed by email that this NOTICE is complete.")
    with qtbot.waitSignal(notes.added, timeout=5_000):
        qtbot.mouseClick(notes.post_button, LEFT)
    assert "Vendor confirmed by email" in notes.browser.toPlainText()
    assert "Ada Lovelace" in notes.browser.toPlainText()
    assert notes.editor.toPlainText() == ""

    window.review.inventory.select_path("LICENSE")  # another file: its own (empty) notes
    assert notes.heading.text() == "Notes on LICENSE" and notes.entries == []
    window.review.inventory.select_path("NOTICE")
    assert [n["text"] for n in notes.entries] == ["Vendor confirmed by email that this NOTICE is complete."]

    with open_store(window._store_url) as store:
        event = store.history(entity="file_note")[-1]
        assert (event["actor"], event["new"]["path"], event["new"]["review"]) == (ADA, "NOTICE", review_id)
        assert store.audit_verify().ok

    approved = approved_review(window._store_url, sample_scan, version="2.0")
    window.open_review(approved)
    window.review.setCurrentWidget(window.review.inventory)
    window.review.inventory.select_path("NOTICE")
    assert notes.heading.text() == "Notes on NOTICE" and notes.entries == []
    assert not notes.editor.isEnabled() and not notes.post_button.isEnabled()
    assert "read-only" in notes.message.text()


def test_item_thread_between_preparer_and_approver(qtbot, sample_window) -> None:  # type: ignore[no-untyped-def]
    window = sample_window
    thread = window.tools.thread
    review_id = start_review(qtbot, window)
    window.tools.thread_dock.show()
    view = window.review.checklist
    assert thread.key == view.current_item() == "weights_coverage"
    assert "Terms cover the weights" in thread.heading.text()
    thread.editor.setFocus()
    qtbot.keyClicks(thread.editor, "Do the Apache terms reach the weights file?")
    with qtbot.waitSignal(thread.added, timeout=5_000):
        qtbot.keyClick(thread.editor, Qt.Key.Key_Return, CTRL)
    window.prefs = replace(window.prefs, reviewer=BOB)  # the approver answers in the same thread
    thread.editor.setFocus()
    qtbot.keyClicks(thread.editor, "Yes: the model card says so.")
    qtbot.mouseClick(thread.post_button, LEFT)
    text = thread.browser.toPlainText()
    assert text.index("Ada Lovelace") < text.index("Do the Apache") < text.index("Bob Approver") \
        < text.index("Yes: the model card")

    view.go_to(4)  # another item has its own thread
    assert thread.key == view.current_item() and thread.entries == []
    view.go_to(0)
    assert [c["author"] for c in thread.entries] == [ADA, BOB]
    with open_store(window._store_url) as store:
        assert [(e["actor"], e["new"]["item"]) for e in store.history(entity="comment")] == [
            (ADA, "weights_coverage"), (BOB, "weights_coverage")]
        assert [c["text"] for c in store.get_review(review_id)["comments"]] == [
            "Do the Apache terms reach the weights file?", "Yes: the model card says so."]
    thread.editor.setPlainText("   ")
    assert thread.post() is None  # nothing typed, nothing stored


def test_guide_from_the_help_menu_and_from_each_checklist_item(qtbot, sample_window) -> None:  # type: ignore[no-untyped-def]
    window = sample_window
    tools = window.tools
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    assert tools.guide_action in help_menu.actions()
    tools.guide_action.trigger()
    dialog = tools.help_dialog
    qtbot.waitExposed(dialog)
    guide = dialog.browser.toPlainText()
    for heading in ("What each check means", 'What "safe" means for model files', "How four-eyes approval works"):
        assert heading in guide
    assert dialog.browser.verticalScrollBar().value() == 0
    dialog.close()

    start_review(qtbot, window)
    view = window.review.checklist
    view.go_to(view.items.rowCount() - 1)  # the last item: far down the guide
    last = view.current_item()
    window.tools.thread_dock.show()
    qtbot.mouseClick(tools.thread.help_button, LEFT)
    qtbot.waitExposed(dialog)
    assert dialog.section == last
    qtbot.waitUntil(lambda: dialog.browser.verticalScrollBar().value() > 0, timeout=5_000)
    dialog.close()

    view.go_to(0)
    item_help = next(a for a in view.item_list.actions() if a.text() == "Help on this item")
    assert view.item_list.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu
    item_help.trigger()
    assert dialog.isVisible() and dialog.section == "weights_coverage"
    dialog.close()
    view.item_list.setFocus()
    QTest.keyClick(view.item_list, Qt.Key.Key_F1)  # F1 on the checklist: the current item
    assert dialog.isVisible() and dialog.section == "weights_coverage"


def test_search_hits_model_passes_the_model_tester(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    from desktop.core.results import FileEntry
    from desktop.core.text_search import find_in_delivery
    from desktop.ui.models.search_hits_model import SearchHitsModel

    model = SearchHitsModel()
    model.set_rows(find_in_delivery([FileEntry("LICENSE", 1, "a" * 64, text="grant\nno grant")], "grant"))
    assert model.rowCount() == 2 and model.index(1, 1).data() == 2
    qtmodeltester.check(model)
