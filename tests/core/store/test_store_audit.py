"""The hash-chained audit trail: verification passes, and hand edits with plain SQL are named."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from store_samples import ADA, BOB, build_scan

from desktop.cli import build_parser
from desktop.core.store import Store, open_store
from desktop.core.store.audit import GENESIS


def _prepared(store: Store) -> int:
    review_id = store.create_review(build_scan(), reviewer=ADA, vendor="Acme", product="m",
                                    purpose="chat")
    store.answer(review_id, "commercial_use", "accept", "Apache-2.0 allows it", reviewer=ADA)
    store.answer(review_id, "attribution", "accept-with-conditions", "NOTICE needed",
                 conditions="Ship the NOTICE file", reviewer=ADA)
    store.set_status(review_id, "rejected", reviewer=BOB)
    return review_id


def _sql(store_url: str, statement: str) -> None:
    engine = sa.create_engine(store_url)
    with engine.begin() as conn:
        conn.exec_driver_sql(statement)
    engine.dispose()


def _cli(store_url: str, *args: str) -> int:
    ns = build_parser().parse_args([*args, "--db", store_url])
    return int(ns.func(ns))


def test_untouched_trail_verifies(store: Store) -> None:
    _prepared(store)
    report = store.audit_verify()
    assert report.ok, report.problems
    assert report.first_broken is None
    # reviewers 2 + delivery 1 + review 1 + 12 answers + 2 answers + 1 status
    assert report.events == 19
    assert report.head_hash != GENESIS
    events = store.history()
    assert [e["seq"] for e in events] == list(range(1, 20))
    assert store.audit_head() == {"seq": 19, "hash": report.head_hash}


def test_answer_edited_with_plain_sql_is_reported(store_url: str, capsys) -> None:  # type: ignore[no-untyped-def]
    with open_store(store_url) as store:
        _prepared(store)
    assert _cli(store_url, "audit", "verify") == 0
    _sql(store_url, "UPDATE answer SET decision = 'reject' WHERE item = 'commercial_use'")
    capsys.readouterr()
    assert _cli(store_url, "audit", "verify") == 1
    out = capsys.readouterr().out
    assert "Answer" in out
    assert "decision is 'reject' in the table but 'accept' in the audit trail" in out
    with open_store(store_url) as store:
        report = store.audit_verify()
    assert not report.ok
    assert [p.code for p in report.problems] == ["audit_mismatch"]


def test_edited_event_is_named_as_first_broken(store_url: str, capsys) -> None:  # type: ignore[no-untyped-def]
    with open_store(store_url) as store:
        _prepared(store)
        target = next(e for e in store.history(entity="answer") if e["action"] == "answer")
    # Someone edits both the answer and its audit event to hide a change.
    _sql(store_url, "UPDATE answer SET decision = 'reject' WHERE item = 'commercial_use'")
    _sql(store_url, "UPDATE audit_event SET new = REPLACE(new, '\"decision\":\"accept\"', "
                    f"'\"decision\":\"reject\"') WHERE seq = {target['seq']}")
    with open_store(store_url) as store:
        report = store.audit_verify()
    assert report.first_broken == target["seq"]
    assert report.problems[0].code == "audit_chain_broken"
    assert "changed after it was written" in report.problems[0].message
    capsys.readouterr()
    assert _cli(store_url, "audit", "verify") == 1
    assert f"First broken event: {target['seq']}" in capsys.readouterr().out


def test_deleted_event_and_inserted_row_are_reported(store: Store, store_url: str) -> None:
    _prepared(store)
    _sql(store_url, "DELETE FROM audit_event WHERE seq = 5")
    _sql(store_url, "INSERT INTO reviewer (name, email) VALUES ('Mallory', 'm@evil.example')")
    report = store.audit_verify()
    assert report.first_broken == 6
    assert "events 5 to 5 are missing" in report.problems[0].message
    assert any(p.code == "audit_missing" and "Reviewer" in p.message for p in report.problems)


def _everything(store: Store) -> int:
    """A review with a comment, a precedent, a memo, a reference text and a setting."""
    review_id = _prepared(store)
    store.add_comment(review_id, "Ask the vendor for the data card", reviewer=ADA,
                      item="data_provenance")
    store.save_precedent(review_id, "commercial_use", reviewer=ADA)
    store.record_memo(review_id, "ab" * 32, signer=BOB, path="/memos/memo.pdf")
    store.add_reference_text("firm-apache", "Apache as approved", "Apache words", reviewer=ADA)
    store.set_setting("firm_name", "Lovelace LLP", ADA)
    return review_id


def test_comment_writes_an_event(store: Store) -> None:
    review_id = _prepared(store)
    comment_id = store.add_comment(review_id, "Looks fine", reviewer=BOB)
    event = store.history(entity="comment")[-1]
    assert (event["entity_id"], event["action"], event["actor"]) == (comment_id, "create", BOB)
    assert event["new"]["text"] == "Looks fine"


@pytest.mark.parametrize(("statement", "named"), [
    ("UPDATE file SET sha256 = '" + "0" * 64 + "' WHERE path = 'LICENSE'", "Delivery 1"),
    ("UPDATE license_match SET key = 'mit'", "Delivery 1"),
    ("DELETE FROM license_match", "Delivery 1"),
    ("INSERT INTO finding (delivery_id, \"check\", level, summary, facts, evidence) "
     "VALUES (1, 'x', 'info', 'added', '{}', '[]')", "Delivery 1"),
    ("UPDATE delivery SET fingerprint = 'forged'", "Delivery 1"),
    ("UPDATE vendor SET name = 'Other'", "Delivery 1"),
    ("UPDATE comment SET text = 'Nothing to ask'", "Comment 1"),
    ("UPDATE precedent SET decision = 'reject'", "Precedent 1"),
    ("UPDATE memo SET file_sha256 = '" + "cd" * 32 + "'", "Memo 1"),
    ("UPDATE reference_text SET text = 'other words'", "Reference text 1"),
    ("UPDATE setting SET value = 'Mallory LLP' WHERE key = 'firm_name'", "Setting firm_name"),
    ("DELETE FROM comment", "Comment 1"),
])
def test_every_table_a_memo_relies_on_is_covered(store_url: str, statement: str,
                                                 named: str) -> None:
    with open_store(store_url) as store:
        _everything(store)
        assert store.audit_verify().ok
    _sql(store_url, statement)
    with open_store(store_url) as store:
        report = store.audit_verify()
    assert not report.ok
    assert any(named in p.message for p in report.problems), report.problems


def test_anchor_catches_a_rewritten_history(store_url: str) -> None:
    with open_store(store_url) as store:
        _prepared(store)
        anchor = store.audit_head()
        assert store.audit_check_anchor(anchor["seq"], anchor["hash"]) is None
        store.add_comment(1, "later, through the app", reviewer=ADA)
        assert store.audit_check_anchor(anchor["seq"], anchor["hash"]) is None
    _sql(store_url, f"UPDATE audit_event SET hash = '{'e' * 64}' WHERE seq = {anchor['seq']}")
    with open_store(store_url) as store:
        problem = store.audit_check_anchor(anchor["seq"], anchor["hash"])
        assert problem is not None and problem.code == "audit_anchor_mismatch"
    _sql(store_url, f"DELETE FROM audit_event WHERE seq >= {anchor['seq']}")
    with open_store(store_url) as store:
        problem = store.audit_check_anchor(anchor["seq"], anchor["hash"])
        assert problem is not None and problem.code == "audit_anchor_missing"
