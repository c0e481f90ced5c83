"""The hash-chained audit trail: verification passes, and hand edits with plain SQL are named."""

from __future__ import annotations

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
    # reviewers 2 + review 1 + 12 answers + 2 answers + 1 status
    assert report.events == 18
    assert report.head_hash != GENESIS
    events = store.history()
    assert [e["seq"] for e in events] == list(range(1, 19))


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
