"""File > Verify memo…: a signed memo is checked in a worker thread, with the delivery re-hashed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from desktop import app
from desktop.core.memo import export, identity, snapshot
from desktop.core.scan import scan_path
from desktop.core.store import open_store
from desktop.pdf import html_to_pdf

PREPARER, APPROVER = "Ada Lovelace <ada@firm.example>", "Bob Approver <bob@firm.example>"


@pytest.fixture
def signed_memo(tmp_path: Path) -> tuple[Path, Path]:
    delivery = tmp_path / "delivery"
    shutil.copytree(app.sample_path(), delivery)
    store = open_store(f"sqlite:///{tmp_path / 'memo.db'}")
    rid = store.create_review(scan_path(delivery), reviewer=PREPARER, vendor="V", product="p", version="1",
                              purpose="ui verify test")
    for item in [a["item"] for a in store.get_review(rid)["answers"]]:
        store.answer(rid, item, "accept", "checked", reviewer=PREPARER)
    store.set_status(rid, "approved", reviewer=APPROVER)
    # In the user's identities folder, whose CAs the app trusts.
    info = identity.create_identity("Ada Lovelace", "ada@firm.example", "pw-123456",
                                    identity.identities_dir() / f"{tmp_path.name}.p12")
    memo = export.export_memo(snapshot.from_store(store, rid), identity.open_identity(info.path, "pw-123456"),
                              tmp_path / "memo.pdf", html_to_pdf)
    store.close()
    return memo.path, delivery


def test_verify_memo_against_its_delivery(make_window, qtbot, signed_memo) -> None:  # type: ignore[no-untyped-def]
    memo, delivery = signed_memo
    window = make_window()
    window.choosers.answers.update(open_file=memo, choice="Also compare with a delivery folder…",
                                   folder=delivery)
    with qtbot.waitSignal(window.verify_finished, timeout=60_000) as done:
        window.verify_memo()
    lines = done.args[0].splitlines()
    assert lines[0] == "memo.pdf: the document is intact (not changed since it was signed)."
    assert lines[1].startswith("Signed by Ada Lovelace <ada@firm.example> (")
    assert lines[1].endswith(" UTC; the signer is in this firm's trust list.")
    assert lines[2] == "The delivery is identical to the one reviewed."
    qtbot.waitUntil(lambda: window._worker is None and not window._jobs, timeout=20_000)

    (delivery / "NOTICE").write_text("changed after the review\n")
    with qtbot.waitSignal(window.verify_finished, timeout=60_000) as done:
        window.verify_memo()
    lines = done.args[0].splitlines()
    assert lines[0].endswith("the document is intact (not changed since it was signed).")
    assert lines[2] == "Delivery files changed: NOTICE"
    qtbot.waitUntil(lambda: window._worker is None and not window._jobs, timeout=20_000)


def test_a_tampered_memo_is_reported_not_valid(make_window, qtbot, signed_memo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    memo, _delivery = signed_memo
    data = bytearray(memo.read_bytes())
    at = data.index(b"/Contents") - 200  # a byte inside the signed range
    data[at] = (data[at] + 1) % 256
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(bytes(data))
    window = make_window()
    window.choosers.answers.update(open_file=tampered, choice="Signatures only")
    with qtbot.waitSignal(window.verify_finished, timeout=60_000) as done:
        window.verify_memo()
    assert done.args[0].splitlines()[0] == "tampered.pdf: the document was CHANGED after signing."
    qtbot.waitUntil(lambda: window._worker is None and not window._jobs, timeout=20_000)
