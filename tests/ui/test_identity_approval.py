"""First-run identity step, and the window flow a general counsel relies on: the preparer
exports the memo, the approver countersigns it, both in the window, off the GUI thread."""

from __future__ import annotations

import subprocess
from pathlib import Path

from test_checklist import act_as, signing_identity
from test_summary_history import approved_review

from desktop.core.memo.identity import trust_roots
from desktop.core.memo.verify import verify_memo
from desktop.core.settings import load_settings
from desktop.core.store import open_store


def test_first_run_asks_name_email_and_signing_identity(qtbot, make_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(reviewer="")
    dialog = window.ensure_identity()
    assert dialog is not None and dialog.isVisible()
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert not ok.isEnabled() and not dialog.create_button.isEnabled()
    qtbot.keyClicks(dialog.name, "Carol Checker")
    qtbot.keyClicks(dialog.email, "Carol@Firm.example")
    assert dialog.create_button.isEnabled() and not ok.isEnabled()
    dialog._folder = tmp_path / "ids"
    window.choosers.answers["secret"] = "pw-123456"
    dialog.create_button.click()
    assert ok.isEnabled(), window.choosers.messages
    ok.click()
    saved = load_settings(window.data_dir())
    assert saved.reviewer == "Carol Checker <carol@firm.example>"
    assert Path(saved.signing_identity).is_file() and len(saved.signing_fingerprint) == 64
    assert window.ensure_identity() is None  # done once
    who = window.identity()
    assert (who.name, who.email, who.cert_fingerprint) == (
        "Carol Checker", "carol@firm.example", saved.signing_fingerprint)


def test_preparer_exports_and_approver_countersigns_in_the_window(  # type: ignore[no-untyped-def]
        qtbot, make_window, sample_scan, tmp_path: Path) -> None:
    window = make_window()
    ada = signing_identity(tmp_path / "ids", "Ada Lovelace", "ada@firm.example")
    bob = signing_identity(tmp_path / "ids", "Bob Approver", "bob@firm.example")
    rid = approved_review(window._store_url, sample_scan)
    window.open_review(rid)
    act_as(window, ada)
    window.choosers.answers.update(secret="pw-123456", save_file=tmp_path / "memo.pdf")
    with qtbot.waitSignal(window.memo_finished, timeout=60_000) as exported:
        assert window.export_memo() is not None
        assert window._jobs  # rendering and signing run in a worker thread, not the GUI thread
    assert exported.args[0] == tmp_path / "memo.pdf", window.choosers.messages

    act_as(window, ada)  # the preparer cannot countersign as the approver
    with qtbot.waitSignal(window.memo_finished, timeout=60_000) as refused:
        window.countersign_memo()
    assert refused.args[0] is None
    assert "only they can countersign" in window.choosers.messages[-1]

    act_as(window, bob)
    with qtbot.waitSignal(window.memo_finished, timeout=60_000) as signed:
        window.countersign_memo()
    approved = signed.args[0]
    assert approved == tmp_path / "memo-approved.pdf", window.choosers.messages
    report = verify_memo(approved, trust=trust_roots(folder=tmp_path / "ids"))
    assert report["valid"] and report["trusted"], report["problems"]
    assert [s["signer"].split(" <")[0] for s in report["signatures"]] == ["Ada Lovelace", "Bob Approver"]
    pdfsig = subprocess.run(["pdfsig", str(approved)], capture_output=True, text=True, timeout=60)
    assert pdfsig.stdout.count("Signature is Valid") == 2, pdfsig.stdout
    with open_store(window._store_url) as store:
        memos = store.get_review(rid)["memos"]
    assert [m["signer"] for m in memos] == ["Ada Lovelace <ada@firm.example>",
                                            "Bob Approver <bob@firm.example>"]
    qtbot.waitUntil(lambda: not window._jobs, timeout=20_000)
