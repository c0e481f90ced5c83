"""A signed memo anchors the audit trail: ``aireview audit verify --memo`` catches a database
whose history was rewritten (chain recomputed) after the memo was signed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from desktop.cli import main
from desktop.core.memo.export import export_memo, record_memo
from desktop.core.memo.identity import create_identity, open_identity
from desktop.core.memo.snapshot import from_store
from desktop.core.scan import ScanOptions, scan_path
from desktop.core.settings import Settings
from desktop.core.store import CHECKLIST_ITEMS, open_store
from desktop.core.store.audit import event_hash
from desktop.pdf import html_to_pdf

JANE = "Jane Preparer <jane@acme-legal.example>"
BOB = "Bob Approver <bob@acme-legal.example>"


@pytest.fixture
def signed(tmp_path: Path, memo_delivery: Path) -> tuple[str, Path, int]:
    """A decided review in a fresh SQLite store and its signed memo."""
    url = f"sqlite:///{tmp_path / 'reviews.db'}"
    scan = scan_path(memo_delivery, options=ScanOptions(identify=False, workers=1))
    with open_store(url) as store:
        review = store.create_review(scan, reviewer=JANE, product="tiny", purpose="Drafting",
                                     **Settings().review_versions())
        for item in CHECKLIST_ITEMS:
            store.answer(review, item, "accept", f"Checked {item}.", reviewer=JANE)
        store.set_status(review, "approved", reviewer=BOB)
        snapshot = from_store(store, review, firm_name="Acme Legal LLP")
        info = create_identity("Jane Preparer", "jane@acme-legal.example", "pw-123456",
                               tmp_path / "ids" / "jane.p12")
        jane = open_identity(info.path, "pw-123456")
        memo = export_memo(snapshot, jane, tmp_path / "memo.pdf", html_to_pdf)
        record_memo(store, review, memo)
    return url, memo.path, review


def _rewrite_history(url: str) -> None:
    """Change a decision and recompute every audit hash from there on, as a forger would."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE answer SET decision = 'reject' WHERE item = 'commercial_use'")
        rows = conn.exec_driver_sql("SELECT seq, at, actor, entity, entity_id, action, old, new "
                                    "FROM audit_event ORDER BY seq").all()
        prev = "0" * 64
        for seq, at, actor, entity, entity_id, action, old, new in rows:
            if entity == "answer" and new and '"item":"commercial_use"' in new:
                new = new.replace('"decision":"accept"', '"decision":"reject"')
            digest = event_hash(seq, at, actor, entity, entity_id, action, old, new, prev)
            conn.execute(sa.text("UPDATE audit_event SET new = :new, prev_hash = :prev, "
                                 "hash = :hash WHERE seq = :seq"),
                         {"new": new, "prev": prev, "hash": digest, "seq": seq})
            prev = digest
    engine.dispose()


def test_memo_carries_the_chain_head_and_review_versions(signed: tuple[str, Path, int],
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    url, memo, review = signed
    assert main(["verify", str(memo), "--json"]) in (0, 1)
    manifest = json.loads(capsys.readouterr().out)["manifest"]
    with open_store(url) as store:
        stored = store.get_review(review)
        head = manifest["audit_head"]
        assert store.audit_check_anchor(head["seq"], head["hash"]) is None
    assert manifest["knowledge_version"] == stored["knowledge_version"]
    assert manifest["checklist_version"] == stored["checklist_version"]
    assert len(stored["checklist_version"]) == 16


def test_audit_verify_with_memo_catches_a_rewritten_history(
        signed: tuple[str, Path, int], capsys: pytest.CaptureFixture[str]) -> None:
    url, memo, review = signed
    assert main(["audit", "verify", "--db", url, "--memo", str(memo)]) == 0
    out = capsys.readouterr().out
    assert "still holds the history up to event" in out
    # a change through the app after signing is listed, not refused
    with open_store(url) as store:
        store.add_comment(review, "Filed with the approval email", reviewer=JANE)
    assert main(["audit", "verify", "--db", url, "--memo", str(memo), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert [e["entity"] for e in result["memos"][0]["later_events"]][-1] == "comment"

    _rewrite_history(url)
    assert main(["audit", "verify", "--db", url]) == 0  # the recomputed chain alone looks intact
    capsys.readouterr()
    assert main(["audit", "verify", "--db", url, "--memo", str(memo)]) == 1
    out = capsys.readouterr().out
    assert "does not carry the hash the memo recorded" in out


def test_audit_verify_refuses_a_memo_that_is_not_a_pdf(signed: tuple[str, Path, int],
                                                       tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    url, _, _ = signed
    fake = tmp_path / "fake.pdf"
    fake.write_text("not a memo")
    assert main(["audit", "verify", "--db", url, "--memo", str(fake)]) == 2
    assert "is not a PDF file" in capsys.readouterr().err


def test_snapshot_uses_the_review_versions_and_says_when_knowledge_changed(tmp_path: Path) -> None:
    from desktop.core.results import ScanResult

    small_scan = ScanResult(source_path="/deliveries/tiny", source_kind="folder",
                            fingerprint="f" * 64, files=[], components=[], findings=[])
    url = f"sqlite:///{tmp_path / 'reviews.db'}"
    with open_store(url) as store:
        review = store.create_review(small_scan, reviewer=JANE, knowledge_version="0" * 16,
                                     checklist_version="1" * 16)
        snapshot = from_store(store, review, firm_name="Acme Legal LLP")
    assert snapshot["knowledge_version"] == "0" * 16
    assert snapshot["checklist_version"] == "1" * 16
    assert snapshot["knowledge_version_at_export"] != "0" * 16


def test_cli_countersign_only_by_the_approver(signed: tuple[str, Path, int], tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    from desktop.core.memo.verify import verify_memo

    url, memo, review = signed
    monkeypatch.setenv("AIREVIEW_P12_PASSPHRASE", "pw-123456")
    jane = tmp_path / "ids" / "jane.p12"
    bob = create_identity("Bob Approver", "bob@acme-legal.example", "pw-123456",
                          tmp_path / "ids" / "bob.p12")
    out = tmp_path / "approved.pdf"
    base = ["memo", str(review), "--countersign", str(memo), "--out", str(out), "--db", url]
    capsys.readouterr()
    assert main([*base, "--identity", str(jane)]) == 1
    assert "only they can countersign" in capsys.readouterr().err
    assert not out.exists()
    assert main([*base, "--identity", str(bob.path)]) == 0
    report = verify_memo(out, trust=[])
    assert [s["signer"] for s in report["signatures"]] == [
        "Jane Preparer <jane@acme-legal.example>", "Bob Approver <bob@acme-legal.example>"]
