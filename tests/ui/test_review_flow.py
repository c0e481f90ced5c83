"""Issue 18 A: review first, evidence beside the question, decisions that cannot be lost, layout at
1024x640, and failures reported in the window.  Real window, real SQLite store, keyboard and mouse."""

from __future__ import annotations

import zipfile
from pathlib import Path

from PySide6.QtCore import Qt
from test_checklist import start_review
from test_summary_history import approved_review

from desktop.core.store import open_store
from desktop.ui.main_window import REVIEW
from desktop.ui.review_page import CHECKLIST, FILES, INVENTORY, SUMMARY, TEXT
from desktop.ui.sort_arrows import SortArrowStyle

LEFT = Qt.MouseButton.LeftButton
ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def test_opening_a_delivery_lands_on_the_review_and_tabs_are_one_shortcut_away(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    with qtbot.waitSignal(window.scan_finished, timeout=60_000):
        qtbot.mouseClick(window.welcome.sample_button, LEFT)
    assert window.pages.currentIndex() == REVIEW
    assert window.review.currentIndex() == CHECKLIST
    assert window.review.tabText(CHECKLIST) == "Review"
    assert window.review.checklist_stack.currentWidget() is window.review.form
    for n, tab in enumerate((CHECKLIST, INVENTORY, FILES, TEXT, SUMMARY), 1):  # Ctrl+n is the n-th tab
        qtbot.keyClick(window, Qt.Key(Qt.Key.Key_0 + n), CTRL)
        assert window.review.currentIndex() == tab, n
    qtbot.keyClick(window, Qt.Key.Key_1, CTRL)
    start_review(qtbot, window)
    header = window.review.checklist.header
    assert header.title.text() == "Example Vendor Ltd · sample-delivery · version not stated"
    assert "draft" in header.status.text() and "Ada Lovelace" in header.status.text()
    assert header.outcome.text() == "Outcome so far: 0 of 12 items decided."
    assert header.blocks.text().startswith("Blocks approval: 12 item(s) without a decision (Terms cover the weights")
    view = window.review.checklist
    first = view.items.index(0, 0).data()
    assert first == "Terms cover the weights\nSuggested info · Not decided"  # level and decision in the list
    view.editor.decision_buttons["accept"].setChecked(True)
    view.editor.rationale.setPlainText("Apache text covers the weights.")
    assert view.flush()
    assert view.items.index(0, 0).data() == "Terms cover the weights\nSuggested info · Accept — Ada Lovelace"
    assert header.outcome.text() == "Outcome so far: 1 of 12 items decided (1 accepted)."
    assert header.buttons["in-review"].isVisible() and not header.buttons["approved"].isVisible()


def test_an_unsaved_decision_blocks_navigation_with_a_prompt(qtbot, sample_window) -> None:  # type: ignore[no-untyped-def]
    window = sample_window
    review_id = start_review(qtbot, window)
    view = window.review.checklist
    asked: list[tuple[str, str, list[str]]] = []
    window.choosers.choice = lambda _p, title, text, options: asked.append((title, text, options)) or options[0]
    view.item_list.setFocus()
    qtbot.keyClick(view.item_list, Qt.Key.Key_A, ALT)  # Accept, with no rationale
    qtbot.waitUntil(view.editor.decision_buttons["accept"].isChecked, timeout=20_000)
    assert view.items.index(0, 0).data().endswith("(unsaved change)")
    qtbot.keyClick(view.item_list, Qt.Key.Key_N, ALT)  # Next
    qtbot.waitUntil(lambda: bool(asked), timeout=20_000)
    title, text, options = asked[-1]
    assert title == "Decision not saved" and "needs a rationale" in text
    assert options == ["Keep editing", "Discard the change"]
    assert view.current_item() == "weights_coverage"  # "Keep editing" (the default) stays
    assert view.editor.decision_buttons["accept"].isChecked()
    assert "Not saved" in view.editor.save_state.text()
    assert view.item_list.currentIndex().row() == 0
    qtbot.keyClick(view.item_list, Qt.Key.Key_Down)  # the list cannot slip past it either
    assert view.current_item() == "weights_coverage" and len(asked) == 2
    window.choosers.choice = lambda _p, _t, _x, options: options[1]  # discard
    qtbot.mouseClick(view.next_button, LEFT)
    assert view.current_item() == "use_restrictions"
    with open_store(window._store_url) as store:
        answer = next(a for a in store.get_review(review_id)["answers"] if a["item"] == "weights_coverage")
    assert answer["decision"] is None
    assert not view.items.index(0, 0).data().endswith("(unsaved change)")


def test_an_approved_review_opens_without_error_and_read_only(qtbot, make_window, sample_scan) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    review_id = approved_review(window._store_url, sample_scan)
    window.load_recent_reviews()
    with qtbot.waitSignal(window.review_opened, timeout=20_000):
        window.open_review(review_id)
    view = window.review.checklist
    assert window.review.currentIndex() == CHECKLIST
    assert view.status_message.text() == ""
    assert not window.notice.isVisible()
    assert "error" not in window.summary.text().lower()
    assert "approved" in view.header.status.text()
    assert "read-only" in view.header.blocks.text()
    editor = view.editor
    assert not any(b.isEnabled() for b in editor.decision_buttons.values())
    assert editor.rationale.isReadOnly() and editor.conditions.isReadOnly()
    assert editor.locked.isVisibleTo(editor) and "read-only" in editor.locked.text()
    assert not editor.keep_precedent.isEnabled()
    assert editor.decision_buttons["accept"].isChecked() and editor.rationale.toPlainText() == "Checked."
    qtbot.keyClick(view.item_list, Qt.Key.Key_R, ALT)  # typing cannot change it either
    qtbot.mouseClick(view.next_button, LEFT)
    assert view.current_item() == "use_restrictions" and "Not saved" not in editor.save_state.text()
    assert [k for k, b in view.header.buttons.items() if b.isVisibleTo(view)] == ["in-review"]
    assert view.header.buttons["in-review"].text().replace("&", "") == "Reopen for review"


def test_reference_quotes_are_labelled_and_redline_is_a_tab_away(qtbot, sample_window) -> None:  # type: ignore[no-untyped-def]
    window = sample_window
    start_review(qtbot, window)
    pane = window.review.checklist.evidence
    pane.set_evidence([
        {"path": "LICENSE", "lines": [1, 1], "quote": "Apache License", "origin": "delivered"},
        {"path": "reference:apache-2.0", "lines": [1, 1], "quote": "Apache License", "origin": "reference"}])
    assert pane.where.text() == "Delivered file LICENSE, line 1"
    assert not pane.viewer.origin.isVisibleTo(pane)
    qtbot.keyClick(window.review.checklist.item_list, Qt.Key.Key_F8)
    assert pane.where.text().startswith("Reference library copy of apache-2.0, not a delivered file")
    assert pane.viewer.is_reference() and pane.viewer.origin.isVisibleTo(pane)
    assert pane.viewer.origin.text() == "Reference library text: not part of the delivery."
    assert pane.viewer.tabs.tabText(1).replace("&", "").startswith("Redline")
    qtbot.keyClick(pane.viewer.tabs, Qt.Key.Key_D, ALT)  # Re&dline
    assert pane.viewer.tabs.currentIndex() == 1


def test_precedents_fold_away_and_unfold_when_there_is_one(qtbot, sample_window, sample_scan) -> None:  # type: ignore[no-untyped-def]
    window = sample_window
    start_review(qtbot, window, purpose="Internal chatbot")
    editor = window.review.checklist.editor
    assert not editor.precedent_toggle.isVisibleTo(editor) and not editor.precedent_box.isVisibleTo(editor)
    editor.decision_buttons["accept"].setChecked(True)
    editor.rationale.setPlainText("Apache-2.0 is fine for our chatbot.")
    qtbot.mouseClick(editor.keep_precedent, LEFT)
    window.show_scan(sample_scan)
    start_review(qtbot, window, purpose="internal chatbot")
    assert editor.precedent_toggle.isVisibleTo(editor) and editor.precedent_toggle.text() == "Precedents (1)"
    assert editor.precedent_box.isVisibleTo(editor)
    qtbot.mouseClick(editor.precedent_toggle, LEFT)  # folds
    assert not editor.precedent_box.isVisibleTo(editor)


def test_readable_at_1024_by_640(qtbot, sample_window) -> None:  # type: ignore[no-untyped-def]
    window = sample_window
    window.resize(1024, 640)
    start_review(qtbot, window)
    view = window.review.checklist
    qtbot.waitUntil(lambda: window.width() == 1024, timeout=5_000)
    lst = view.item_list
    metrics = lst.fontMetrics()
    for row in range(view.items.rowCount()):
        rect = lst.visualRect(view.items.index(row, 0))
        title = view.items.row(row)["item"].title
        lines = -(-metrics.horizontalAdvance(title) // max(1, rect.width() - 24))
        assert rect.height() >= metrics.height() * (lines + 1), title  # wrapped, not cut
    assert lst.horizontalScrollBar().maximum() == 0
    window.show_review_tab(SUMMARY)
    table = window.review.summary.license_view
    header = table.horizontalHeader()
    last = window.review.summary.licenses.columnCount() - 1
    assert header.sectionViewportPosition(last) + header.sectionSize(last) <= table.viewport().width()
    assert table.horizontalScrollBar().maximum() == 0  # Jurisdiction is not clipped


def test_one_license_per_file_risk_reasons_and_sort_arrows(sample_window) -> None:  # type: ignore[no-untyped-def]
    window = sample_window
    files = window.review.files
    readme = next(r for r in range(files.rowCount()) if files.entry(r).path == "README.md")
    names = files.index(readme, 5).data().split(", ")
    assert len(names) == len(set(names)) and "Apache License 2.0" in names
    tree = window.review.inventory.components
    index = tree.index_of_path("LICENSE")
    risk = tree.index(index.row(), 2, index.parent())
    assert risk.data() == "low"
    reasons = risk.data(Qt.ItemDataRole.ToolTipRole)
    assert reasons.startswith("low: ") and "NOTICE" in reasons
    window.review.inventory.select_path("LICENSE")
    assert "Why the risk marker" in window.review.inventory.details.browser.toPlainText()
    header = window.review.summary.findings_view.horizontalHeader()
    assert isinstance(header.style(), SortArrowStyle)


def test_a_corrupt_archive_is_reported_in_the_window_and_not_kept_in_recent(qtbot, make_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "broken.zip"
    bad.write_bytes(b"PK\x03\x04 this is not a zip archive at all")
    window = make_window()
    with qtbot.waitSignal(window.scan_stopped, timeout=60_000):
        window.open_delivery(bad)
    assert window.notice.isVisible()
    assert window.notice.text.text().startswith(f"Could not open {bad}\n")
    assert len(window.notice.text.text().splitlines()[1]) > 5  # the reason, not only the name
    recent = window.settings.value("recent/paths") or []
    assert str(bad) not in ([recent] if isinstance(recent, str) else list(recent))
    qtbot.mouseClick(window.notice.close_button, LEFT)
    assert not window.notice.isVisible()


def test_scan_evidence_and_items_without_quotes_show_no_stale_text(qtbot, sample_window) -> None:  # type: ignore[no-untyped-def]
    window = sample_window
    start_review(qtbot, window)
    view = window.review.checklist
    pane = view.evidence
    # the first item opens on the sentence that ties the weights to the license
    assert pane.viewer.isVisibleTo(pane) and pane.viewer.document.title == "README.md"
    view.go_to(view.items.row_of("openness"))  # what the scanner read: no text to show
    assert pane.quotes[0]["origin"] == "scan"
    assert pane.where.text().startswith("Read by the scanner from ")
    assert not pane.viewer.isVisibleTo(pane) and pane.message.isVisibleTo(pane)
    view.go_to(view.items.row_of("data_provenance"))  # no quote at all
    assert pane.position.text() == "No quoted evidence for this item."
    assert not pane.viewer.isVisibleTo(pane)
    view.go_to(view.items.row_of("jurisdiction"))  # no law stated: the text that was read is shown
    assert pane.viewer.isVisibleTo(pane) and pane.viewer.document.title == "LICENSE"
    view.go_to(view.items.row_of("commercial_use"))
    assert pane.viewer.isVisibleTo(pane) and not pane.message.isVisibleTo(pane)


def test_mnemonics_of_the_review_are_unique(qtbot, sample_window) -> None:  # type: ignore[no-untyped-def]
    """Alt+letter reaches exactly one visible control (or menu) on the review, in draft and in review."""
    from PySide6.QtWidgets import QAbstractButton, QLabel, QTabBar

    window = sample_window
    start_review(qtbot, window)
    view = window.review.checklist

    def letters() -> list[str]:
        found = [a.text() for a in window.menuBar().actions()]
        for widget in window.findChildren(QAbstractButton) + window.findChildren(QLabel):
            if widget.isVisible() and widget.window() is window:
                found.append(widget.text())
        for bar in window.findChildren(QTabBar):
            if bar.isVisible():
                found += [bar.tabText(n) for n in range(bar.count())]
        keys = [t[t.index("&") + 1].lower() for t in found if "&" in t.replace("&&", "") and t.index("&") + 1 < len(t)]
        return keys

    for row in range(view.items.rowCount()):
        view.go_to(row)
        view.editor.decision_buttons["accept"].setChecked(True)
        view.editor.rationale.setPlainText("Checked.")
        assert view.flush()
    keys = letters()
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)
    view.set_status("in-review")
    keys = letters()
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)
    assert "g" in keys  # Approve and si&gn


def test_evidence_highlights_follow_a_palette_change(qtbot, sample_window) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QColor, QPalette

    window = sample_window
    start_review(qtbot, window)
    viewer = window.review.checklist.evidence.viewer
    before = {s.format.background().color().rgb() for s in viewer.text.extraSelections()}
    dark = QPalette(viewer.palette())
    dark.setColor(QPalette.ColorRole.Highlight, QColor("#ffb000"))
    viewer.setPalette(dark)  # what the system's switch to a dark theme delivers
    after = {s.format.background().color().rgb() for s in viewer.text.extraSelections()}
    assert after and after != before
    assert QColor("#ffb000").rgb() & 0xFFFFFF in {c & 0xFFFFFF for c in after}


def test_closing_the_window_with_an_unsaved_decision_asks_first(qtbot, sample_window) -> None:  # type: ignore[no-untyped-def]
    window = sample_window
    start_review(qtbot, window)
    view = window.review.checklist
    asked: list[str] = []
    window.choosers.choice = lambda _p, title, _t, options: asked.append(title) or options[0]
    qtbot.mouseClick(view.editor.decision_buttons["reject"], LEFT)  # no rationale yet
    window.close()
    assert asked == ["Decision not saved"]
    assert window.isVisible()  # kept open: "Keep editing"
    window.choosers.choice = lambda _p, _title, _t, options: options[1]  # discard
    window.close()
    assert not window.isVisible()


def test_redline_of_a_modified_text_is_one_tab_away_beside_the_item(qtbot, make_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from desktop.core.licenses.library import read_reference, reference_dir

    text = read_reference(reference_dir() / "mit.LICENSE").text
    changed = text.replace("The above copyright notice", "The above copyright notice and the model card", 1)
    folder = tmp_path / "modified"
    folder.mkdir()
    (folder / "LICENSE").write_text(changed, encoding="utf-8")
    window = make_window()
    with qtbot.waitSignal(window.scan_finished, timeout=60_000):
        window.open_delivery(folder)
    start_review(qtbot, window)
    view = window.review.checklist
    row = next(r for r in range(view.items.rowCount())
               if any(e.get("path") == "LICENSE" for e in view.items.row(r)["answer"].get("evidence") or []))
    view.go_to(row)
    pane = view.evidence
    assert pane.viewer.document.title == "LICENSE"
    qtbot.waitUntil(lambda: "model card" in pane.viewer.redline.toPlainText(), timeout=30_000)
    assert pane.viewer.tabs.tabText(1).replace("&", "").startswith("Redline (")
    pane.viewer.tabs.setFocus()
    qtbot.keyClick(pane.viewer.tabs, Qt.Key.Key_D, ALT)
    assert pane.viewer.tabs.currentWidget() is pane.viewer.redline


def test_a_review_with_conditions_offers_only_the_approval_with_conditions(qtbot, sample_window) -> None:  # type: ignore[no-untyped-def]
    window = sample_window
    start_review(qtbot, window)
    view = window.review.checklist
    for row in range(view.items.rowCount()):
        view.go_to(row)
        key = "accept-with-conditions" if row == 0 else "accept"
        view.editor.decision_buttons[key].setChecked(True)
        view.editor.rationale.setPlainText("Checked.")
        view.editor.conditions.setPlainText("Keep the NOTICE file." if row == 0 else "")
        assert view.flush()
    assert view.set_status("in-review")
    header = view.header
    assert "allow only an approval with conditions" in header.blocks.text()
    assert not header.buttons["approved"].isEnabled()
    assert header.buttons["approved-with-conditions"].isEnabled()
