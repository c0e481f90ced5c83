"""Changes between versions with the word redline of license texts, AI-BOM and memo exports from
the window (default names in the documents folder, normal permissions), File > Open Recent and
drag and drop of deliveries anywhere on the window."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication
from test_checklist import act_as, signing_identity
from test_summary_history import approved_review

from desktop.core.results import FileEntry, ScanResult
from desktop.core.store import open_store
from desktop.ui.choosers import documents_dir

LEFT = Qt.MouseButton.LeftButton
ADA, BOB = "Ada Lovelace <ada@firm.example>", "Bob Approver <bob@firm.example>"
V1 = "The Licensee may use the Model for research purposes.\nThis license is governed by the laws of England.\n"
V2 = "The Licensee may use the Model for any lawful purpose.\nThis license is governed by the laws of England.\n"


def _delivery(license_text: str, weights: str) -> ScanResult:
    def entry(path: str, role: str, content: str, text: str | None) -> FileEntry:
        return FileEntry(path=path, size=len(content), role=role, text=text,
                         sha256=hashlib.sha256(content.encode()).hexdigest())
    return ScanResult(source_path="/deliveries/acme-7b", source_kind="folder", fingerprint=weights * 8,
                      components=[], files=[entry("LICENSE", "license", license_text, license_text),
                                            entry("model.safetensors", "weights", weights, None)])


def _decided(store: Any, scan: ScanResult, version: str, approve: bool) -> int:
    rid = store.create_review(scan, reviewer=ADA, vendor="Acme", product="acme-7b", version=version,
                              purpose="internal chatbot")
    if approve:
        for answer in store.get_review(rid)["answers"]:
            store.answer(rid, answer["item"], "accept", "Checked.", reviewer=ADA)
        store.set_status(rid, "in-review", reviewer=ADA)
        store.set_status(rid, "approved", reviewer=BOB)
    return rid


def test_changes_since_last_approved_show_files_and_the_word_redline(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    with open_store(window._store_url) as store:
        old = _decided(store, _delivery(V1, "w1"), "1.0", approve=True)
        new = _decided(store, _delivery(V2, "w2"), "1.1", approve=False)
    window.show_history()
    history = window.history
    history.select_ids([new])
    assert history.since_approved_button.isEnabled()
    qtbot.mouseClick(history.since_approved_button, LEFT)
    dialog = window.compare_dialog
    qtbot.waitExposed(dialog)
    assert (dialog.diff["old_review"], dialog.diff["new_review"]) == (old, new)
    assert sorted(c["path"] for c in dialog.diff["files"]["changed"]) == ["LICENSE", "model.safetensors"]
    [redline] = dialog.redlines
    assert redline["path"] == "LICENSE" and (redline["deleted"], redline["inserted"]) == (2, 3)
    shown = dialog.browser.toPlainText()
    assert "Redline of LICENSE" in shown and "2 words deleted, 3 inserted" in shown
    assert "research purposes. any lawful purpose." in shown
    html = dialog.browser.toHtml()
    assert "line-through" in html and "underline" in html
    dialog.close()
    window.tools.changes_action.trigger()  # no review open: told so
    assert window.choosers.messages[-1] == "Open a review first."
    window.open_review(new)  # the same comparison from the open review (View menu)
    window.tools.changes_action.trigger()
    assert window.compare_dialog is not dialog and window.compare_dialog.diff["old_review"] == old
    assert window.compare_dialog.redlines == dialog.redlines
    window.compare_dialog.close()
    window.open_review(old)  # a stored review shows the license text kept at import, no rescan needed
    assert window.review.open_path("LICENSE")
    assert window.review.viewer.text.toPlainText().startswith("The Licensee may use the Model for research")
    window.tools.changes_action.trigger()  # the first version has nothing approved before it
    assert window.choosers.messages[-1] == "No earlier approved review of this delivery."


def test_file_dialogs_start_in_the_documents_folder_not_the_working_directory(tmp_path: Path) -> None:
    from desktop.ui.choosers import start_in

    assert start_in("") == str(documents_dir())
    assert start_in("acme-7b-1.0-review-memo.pdf") == str(documents_dir() / "acme-7b-1.0-review-memo.pdf")
    assert start_in(str(tmp_path)) == str(tmp_path)


def test_export_ai_bom_from_the_window(qtbot, make_window, sample_scan, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    asked: list[tuple[str, str]] = []

    def save_file(_parent: Any, title: str, _filters: str, start: str) -> Path:
        asked.append((title, start))
        return tmp_path / "out" / "bom.cdx.json"

    window.choosers.save_file = save_file
    window.tools.bom_action.trigger()
    assert "Start or open a review" in window.choosers.messages[-1] and asked == []
    (tmp_path / "out").mkdir()
    rid = approved_review(window._store_url, sample_scan, version="1.0")
    window.open_review(rid)
    old_umask = os.umask(0o022)
    try:
        window.tools.bom_action.trigger()
    finally:
        os.umask(old_umask)
    assert asked == [("Export AI-BOM", str(documents_dir() / "example-vendor-ltd-tiny-sample-1.0-aibom.cdx.json"))]
    written = tmp_path / "out" / "bom.cdx.json"
    assert "AI-BOM written to" in window.choosers.messages[-1], window.choosers.messages
    bom = json.loads(written.read_text(encoding="utf-8"))
    assert bom["bomFormat"] == "CycloneDX" and bom["specVersion"] == "1.6"
    assert any(c.get("type") == "machine-learning-model" for c in bom.get("components", []))
    assert stat.S_IMODE(written.stat().st_mode) == 0o644


def test_memo_defaults_to_vendor_product_version_in_documents(qtbot, make_window, sample_scan, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    asked: list[str] = []
    window.choosers.save_file = lambda _p, _t, _f, start: asked.append(start)  # cancels: returns None
    rid = approved_review(window._store_url, sample_scan, version="2.1 beta")
    window.open_review(rid)
    act_as(window, signing_identity(tmp_path, "Ada Lovelace", "ada@firm.example"))
    window.choosers.answers["secret"] = "pw-123456"
    assert window.export_memo() is None  # the reviewer cancelled the save dialog
    assert asked == [str(documents_dir() / "example-vendor-ltd-tiny-sample-2.1-beta-review-memo.pdf")]


def _folder_delivery(root: Path, name: str) -> Path:
    folder = root / name
    folder.mkdir()
    (folder / "config.json").write_text('{"model_type": "llama"}', encoding="utf-8")
    (folder / "README.md").write_text(f"# {name}\nA tiny delivery.\n", encoding="utf-8")
    return folder


def test_open_recent_lists_deliveries_and_reviews_and_reopens_them(qtbot, make_window, sample_scan,  # type: ignore[no-untyped-def]
                                                                   tmp_path: Path) -> None:
    window = make_window()
    folder = _folder_delivery(tmp_path, "acme-recent")
    window.settings.setValue("recent/paths", [str(folder)])
    rid = approved_review(window._store_url, sample_scan)
    window.load_recent_reviews()
    menu = window.tools.recent_menu
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    assert menu.menuAction() in file_menu.actions()
    menu.aboutToShow.emit()
    texts = [a.text() for a in menu.actions()]
    assert texts[0].startswith(f"&1 #{rid} Example Vendor Ltd tiny-sample")
    assert texts[1] == f"&2 {folder}" and texts[-1] == "&Clear menu"
    with qtbot.waitSignal(window.scan_finished, timeout=60_000) as scanned:
        menu.actions()[1].trigger()
    assert scanned.args[0].source_path == str(folder)
    with qtbot.waitSignal(window.review_opened, timeout=10_000) as opened:
        menu.actions()[0].trigger()
    assert opened.args == [rid]
    menu.actions()[-1].trigger()
    window._store.close()
    window._store = None
    menu.aboutToShow.emit()
    assert [a.text() for a in menu.actions()] == ["No recent deliveries"]


def _drop(widget: Any, path: Path) -> tuple[bool, bool]:
    """Drag ``path`` over ``widget`` and drop it there; whether the enter and the drop were taken."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    actions = Qt.DropAction.CopyAction | Qt.DropAction.LinkAction
    enter = QDragEnterEvent(QPointF(5, 5), actions, mime, LEFT, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, enter)
    drop = QDropEvent(QPointF(5, 5), actions, mime, LEFT, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, drop)
    return enter.isAccepted(), drop.isAccepted()


def test_drop_a_folder_or_archive_anywhere_on_the_window(qtbot, make_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.show_history()
    target = window.history.search  # a text box: it would otherwise take the dropped path as text
    assert target.acceptDrops()
    folder = _folder_delivery(tmp_path, "acme-dropped")
    with qtbot.waitSignal(window.scan_finished, timeout=60_000) as scanned:
        assert _drop(target, folder) == (True, True)
    assert scanned.args[0].source_path == str(folder) and target.text() == ""

    import zipfile
    archive = tmp_path / "acme-bundle.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("acme/config.json", '{"model_type": "llama"}')
    viewer_text = window.review.viewer.text  # a read-only text view deep in the review page
    with qtbot.waitSignal(window.scan_finished, timeout=60_000) as scanned:
        _drop(viewer_text, archive)
    assert scanned.args[0].source_path == str(archive)

    stray = tmp_path / "notes.txt"
    stray.write_text("not a delivery", encoding="utf-8")
    assert window.tools.drops.eventFilter(target, QDropEvent(
        QPointF(5, 5), Qt.DropAction.CopyAction, _mime(stray), LEFT, Qt.KeyboardModifier.NoModifier)) is False


def _mime(path: Path) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    return mime


def test_carry_over_from_the_changes_dialog(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    """The newer, still open review takes the earlier decisions that nothing changed under, in the window."""
    window = make_window()
    with open_store(window._store_url) as store:
        old = _decided(store, _delivery(V1, "w1"), "1.0", approve=True)
        new = _decided(store, _delivery(V1, "w2"), "1.1", approve=False)  # same terms, new weights
    window.open_review(new)
    window.tools.changes_action.trigger()
    dialog = window.compare_dialog
    qtbot.waitExposed(dialog)
    assert dialog.carry_button is not None and dialog.carry_button.isEnabled()
    qtbot.mouseClick(dialog.carry_button, LEFT)
    said = dialog.outcome.text()
    assert said.startswith(f"Carried over from review {old}: ") and "Obligations settled the same way:" in said
    assert not dialog.carry_button.isEnabled()
    with open_store(window._store_url) as store:
        answers = store.get_review(new)["answers"]
    carried = [a for a in answers if a["carried_over"]]
    assert carried and all(a["answered_by"] == ADA and a["decision"] == "accept" for a in carried)
    assert len(carried) == len(answers)  # no finding or evidence rests on the changed weights here
    assert window.review_id == new and window.review.checklist.review_id == new  # the window shows them
    dialog.close()
    window.open_review(old)  # an approved review takes nothing: no button
    window.compare_reviews(old, new)
    assert window.compare_dialog.carry_button is None
    window.compare_dialog.close()
