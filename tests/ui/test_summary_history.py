"""Summary (license table, findings, chart, status, memo export) and history (search, filters,
open, compare two versions)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop.core.results import FileEntry, ScanResult
from desktop.core.store import open_store
from desktop.ui.compare_view import CompareDialog
from desktop.ui.review_page import CHECKLIST, SUMMARY

LEFT = Qt.MouseButton.LeftButton
ADA, BOB = "Ada Lovelace <ada@firm.example>", "Bob Approver <bob@firm.example>"


def approved_review(url: str, scan: ScanResult, version: str = "1.0") -> int:
    """A review of ``scan`` decided item by item and approved by a second reviewer."""
    with open_store(url) as store:
        rid = store.create_review(scan, reviewer=ADA, vendor="Example Vendor Ltd", product="tiny-sample",
                                  version=version, purpose="internal chatbot")
        for answer in store.get_review(rid)["answers"]:
            store.answer(rid, answer["item"], "accept", "Checked.", reviewer=ADA)
        store.set_status(rid, "in-review", reviewer=ADA)
        store.set_status(rid, "approved", reviewer=BOB)
    return rid


def test_summary_shows_license_table_findings_and_chart(qtbot, sample_window) -> None:  # type: ignore[no-untyped-def]
    window = sample_window
    window.show_review_tab(SUMMARY)
    summary = window.review.summary
    rows = summary.licenses.rows()
    assert {r["component"] for r in rows} >= {"Code", "License texts and notices"}
    row = next(r for r in rows if r["component"] == "Code")
    assert row["license"] == "Apache License 2.0"
    header = [summary.licenses.headerData(c, Qt.Orientation.Horizontal) for c in range(7)]
    assert header == ["Component", "License", "Covers weights", "Commercial use and thresholds",
                      "Use restrictions", "Jurisdiction", "Derivative status"]
    assert row["covers_weights"]
    lows = sum(1 for f in window.result.findings if f["level"] == "low")
    assert lows and f"{lows} low" in summary.counts.text()  # the sample's worst level is low
    summary.level_filter.setCurrentIndex(summary.level_filter.findData("low"))
    assert summary.findings_proxy.rowCount() == lows
    summary.level_filter.setCurrentIndex(0)
    assert summary.findings_proxy.rowCount() == len(window.result.findings)
    # the chart counts something that varies: items per suggested level (4 low, 8 info in the sample)
    per_level = {title: sum(counts.values()) for title, counts in summary.chart._rows}
    assert per_level == {"block": 0, "high": 0, "medium": 0, "low": lows, "info": len(window.result.findings) - lows}
    assert summary.chart.sizeHint().height() > 5 * 18
    assert not summary.decisions_chart.isVisibleTo(summary)  # no review yet: no decisions to count
    assert "highest finding level: low" in summary.status.text()
    assert "no review started" in summary.status.text()


@pytest.mark.slow
def test_export_memo_needs_a_final_review_then_writes_a_signed_pdf(qtbot, make_window, sample_scan,
                                                                   tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from desktop.core.memo.identity import create_identity, identities_dir

    window = make_window()
    window.show_scan(sample_scan)
    qtbot.mouseClick(window.review.summary.export_button, LEFT)
    assert "Start a review" in window.choosers.messages[-1]
    rid = approved_review(window._store_url, sample_scan)
    p12 = identities_dir() / f"ui-{uuid.uuid4().hex[:8]}.p12"
    create_identity("Ada Lovelace", "ada@firm.example", "correct horse", p12)
    window.open_review(rid)
    window.show_review_tab(SUMMARY)
    window.choosers.answers.update(choice=str(p12), secret="correct horse", save_file=tmp_path / "memo.pdf")
    with qtbot.waitSignal(window.memo_finished, timeout=60_000):
        qtbot.mouseClick(window.review.summary.export_button, LEFT)
    assert "Memo written to" in window.choosers.messages[-1], window.choosers.messages
    written = next(tmp_path.glob("memo*.pdf"))
    assert written.read_bytes().startswith(b"%PDF")
    with open_store(window._store_url) as store:
        assert store.get_review(rid)["memos"][0]["path"] == str(written)


def test_history_search_filter_open_and_compare(qtbot, make_window, sample_scan) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    first = approved_review(window._store_url, sample_scan, "1.0")
    newer = ScanResult(sample_scan.source_path, sample_scan.source_kind, "f" * 64,
                       [*sample_scan.files, FileEntry("extra/weights-2.safetensors", 100, "a" * 64, role="weights")],
                       sample_scan.components, findings=sample_scan.findings[1:])
    with open_store(window._store_url) as store:
        second = store.create_review(newer, reviewer=ADA, vendor="Example Vendor Ltd", product="tiny-sample",
                                     version="1.1", purpose="internal chatbot")
    window.show_history()
    history = window.history
    assert history.proxy.rowCount() == 2
    qtbot.keyClicks(history.search, "1.1")
    assert history.proxy.rowCount() == 1
    history.search.clear()
    history.status.setCurrentIndex(history.status.findData("approved"))
    assert [history.reviews.row(r)["id"] for r in range(history.reviews.rowCount())] == [first]
    history.status.setCurrentIndex(0)
    history.select_ids([second])
    with qtbot.waitSignal(window.review_opened, timeout=20_000):
        qtbot.mouseClick(history.open_button, LEFT)
    assert window.review.currentIndex() == CHECKLIST
    assert window.review_id == second
    window.show_history()
    history.select_ids([second])
    qtbot.mouseClick(history.since_approved_button, LEFT)
    dialog = window.compare_dialog
    assert isinstance(dialog, CompareDialog)
    assert dialog.diff["old_review"] == first
    text = dialog.browser.toPlainText()
    assert "extra/weights-2.safetensors" in text
    assert "1 added" in text
    dialog.close()
    history.select_ids([first, second])
    assert history.compare_button.isEnabled()
    qtbot.mouseClick(history.compare_button, LEFT)
    assert window.compare_dialog.diff["new_review"] == second
    window.compare_dialog.close()
    window.show_welcome()
    assert window.welcome.recent.rowCount() >= 2
