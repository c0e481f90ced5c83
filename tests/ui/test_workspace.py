"""Review workspace: component tree, details pane, text viewer (span, clauses, pages, redline)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette

from desktop.core.licenses import reference_dir
from desktop.core.licenses.reference_file import read_reference
from desktop.ui.models.table_base import ROW
from desktop.ui.review_page import TEXT
from desktop.ui.text_viewer import TextViewer, tinted

LEFT = Qt.MouseButton.LeftButton


def test_details_pane_shows_hash_metadata_and_lineage(qtbot, sample_window, sample_scan) -> None:  # type: ignore[no-untyped-def]
    inventory = sample_window.review.inventory
    assert inventory.select_path("model.safetensors")
    html = inventory.details.browser.toPlainText()
    weights = next(f for f in sample_scan.files if f.path == "model.safetensors")
    assert weights.sha256 in html
    assert "tensors" in html
    assert "Format metadata" in html
    inventory.tree.setCurrentIndex(inventory.proxy.index(0, 0))
    assert "Lineage" in inventory.details.browser.toPlainText()
    assert inventory.select_path("LICENSE")
    assert inventory.details.open_button.isEnabled()
    qtbot.mouseClick(inventory.details.open_button, LEFT)
    assert sample_window.review.currentIndex() == TEXT
    assert sample_window.review.viewer.document.title == "LICENSE"


def test_tree_sorts_by_risk_through_the_proxy(sample_window) -> None:  # type: ignore[no-untyped-def]
    inventory = sample_window.review.inventory
    inventory.tree.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    rank = {"": 0, "info": 1, "low": 2, "medium": 3, "high": 4, "block": 5}
    levels = [inventory.proxy.index(row, 2).data() or "" for row in range(inventory.proxy.rowCount())]
    assert levels[0] == "low"  # the sample's worst finding level, on the node it cites
    assert [rank[level] for level in levels] == sorted((rank[level] for level in levels), reverse=True)


def test_text_viewer_marks_the_license_span_and_clauses(qtbot, sample_window) -> None:  # type: ignore[no-untyped-def]
    review = sample_window.review
    assert review.open_path("LICENSE")
    viewer = review.viewer
    assert "Apache License" in viewer.text.toPlainText()
    selections = viewer.text.extraSelections()
    assert selections
    assert selections[0].cursor.blockNumber() == 200  # span ends at line 201
    review.open_path("LICENSE", (67, 69))
    assert viewer.cursor_line() == 67


def test_clause_click_scrolls_to_its_lines(qtbot, make_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "terms"
    folder.mkdir()
    filler = "\n".join(f"Section {n}. The licensee keeps the records of use." for n in range(1, 40))
    (folder / "LICENSE.txt").write_text(
        "Model License Agreement\n\n" + filler + "\n\nThis Agreement shall be governed by the laws of "
        "the State of California.\nCommercial use by more than 700 million monthly active users "
        "requires a separate license.\n", encoding="utf-8")
    window = make_window()
    with qtbot.waitSignal(window.scan_finished, timeout=60_000):
        window.open_delivery(folder)
    assert window.review.open_path("LICENSE.txt")
    viewer = window.review.viewer
    kinds = {c.kind for c in viewer.document.clauses}
    assert {"governing_law", "mau_threshold"} <= kinds
    model = viewer.clause_view.model()
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data(ROW).kind == "governing_law")
    index = model.index(row, 0)
    qtbot.mouseClick(viewer.clause_view.viewport(), LEFT, pos=viewer.clause_view.visualRect(index).center())
    assert viewer.cursor_line() == model.index(row, 0).data(ROW).lines[0]


def test_pdf_agreement_is_shown_by_page(qtbot, make_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from desktop.pdf import html_to_pdf

    folder = tmp_path / "pdf"
    folder.mkdir()
    html = ("<h1>Model Agreement</h1><p>The licensee may use the model.</p>"
            "<p style='page-break-before: always'>This Agreement is governed by the laws of England "
            "and Wales.</p>")
    (folder / "agreement.pdf").write_bytes(html_to_pdf(html, title="Agreement"))
    window = make_window()
    with qtbot.waitSignal(window.scan_finished, timeout=60_000):
        window.open_delivery(folder)
    entry = window.review.entry("agreement.pdf")
    assert entry.pages and len(entry.pages) >= 2
    assert window.review.open_path("agreement.pdf")
    viewer = window.review.viewer
    assert viewer.page.isVisibleTo(viewer)
    assert viewer.page.maximum() == len(entry.pages)
    assert any(c.kind == "governing_law" for c in viewer.document.clauses)
    assert "Model" in viewer.text.toPlainText()
    qtbot.keyClick(viewer.page, Qt.Key.Key_Up)  # the page box works from the keyboard
    assert viewer.current_page() == 2
    assert "England" in viewer.text.toPlainText()
    assert "Model Agreement" not in viewer.text.toPlainText()


def test_modified_license_gets_a_redline(qtbot, make_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = read_reference(reference_dir() / "mit.LICENSE").text
    changed = text.replace("The above copyright notice", "The above copyright notice and the model card", 1)
    changed = changed.replace("WITHOUT WARRANTY OF ANY KIND", "WITHOUT ANY WARRANTY WHATSOEVER", 1)
    folder = tmp_path / "modified"
    folder.mkdir()
    (folder / "LICENSE").write_text(changed, encoding="utf-8")
    window = make_window()
    with qtbot.waitSignal(window.scan_finished, timeout=60_000):
        window.open_delivery(folder)
    entry = window.review.entry("LICENSE")
    assert any(m.get("modified") for m in entry.licenses), entry.licenses
    viewer = window.review.viewer
    with qtbot.waitSignal(viewer.redline_ready, timeout=30_000):
        window.review.open_path("LICENSE")
    redline = viewer.redline.toPlainText()
    assert "model card" in redline
    assert "Redline (" in viewer.tabs.tabText(1).replace("&", "")


def test_highlights_follow_the_palette(qtbot) -> None:  # type: ignore[no-untyped-def]
    viewer = TextViewer()
    qtbot.addWidget(viewer)
    dark = QPalette()
    dark.setColor(QPalette.ColorRole.Highlight, QColor("#2a82da"))
    dark.setColor(QPalette.ColorRole.Base, QColor("#202020"))
    viewer.setPalette(dark)
    color = tinted(viewer.palette(), QPalette.ColorRole.Highlight, 40)
    assert (color.red(), color.green(), color.blue(), color.alpha()) == (0x2a, 0x82, 0xda, 40)
