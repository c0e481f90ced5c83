"""The register in the review store: built with the review, decided by reviewers, audited, locked."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from obligation_deliveries import ACME_TERMS, NOTICE, apache_text, make

from desktop.core.scan import ScanOptions, scan_path
from desktop.core.store import PolicyError, Store, open_store

ADA = "Ada Lovelace <ada@firm.example>"
BOB = "Bob Marley <bob@firm.example>"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(f"sqlite:///{tmp_path / 'reviews.db'}")
    try:
        yield opened
    finally:
        opened.close()


def create(store: Store, folder: Path, work: Path) -> int:
    scan = scan_path(folder, options=ScanOptions(work_dir=work))
    return store.create_review(scan, reviewer=ADA, vendor="Acme", product=folder.name, purpose="chatbot")


@pytest.fixture
def work(tmp_path: Path) -> Path:
    (tmp_path / "work").mkdir()
    return tmp_path / "work"


def test_the_register_is_built_with_the_review(store: Store, tmp_path: Path, work: Path) -> None:
    review = create(store, make(tmp_path / "apache", {"LICENSE": apache_text(), "NOTICE": NOTICE}), work)
    rows = store.obligations(review)
    assert [r["kind"] for r in rows] == ["notice_file", "modified_files"]
    assert {r["status"] for r in rows} == {"open"} and {r["owner"] for r in rows} == {None}
    notice = rows[0]
    assert notice["title"] == "Notice file" and notice["license"] == "apache-2.0" and notice["basis"] == "delivered"
    assert any(e["path"] == "NOTICE" and e["quote"] == NOTICE.strip() for e in notice["evidence"])
    created = [e for e in store.history(review_id=review) if e["entity"] == "obligation"]
    assert [e["action"] for e in created] == ["create", "create"] and created[0]["actor"].startswith("Ada")
    assert store.audit_verify().ok


def test_owner_and_status_are_set_and_audited(store: Store, tmp_path: Path, work: Path) -> None:
    review = create(store, make(tmp_path / "acme", {"LICENSE": ACME_TERMS}), work)
    key = next(r["key"] for r in store.obligations(review) if r["kind"] == "threshold")
    row = store.set_obligation(review, key, reviewer=BOB, owner="Product analytics", status="accepted")
    assert (row["owner"], row["status"], row["decided_by"]) == ("Product analytics", "accepted", BOB)
    with pytest.raises(PolicyError, match="needs the reason"):
        store.set_obligation(review, key, reviewer=BOB, status="not-applicable")
    with pytest.raises(PolicyError, match="Unknown obligation status"):
        store.set_obligation(review, key, reviewer=BOB, status="done")
    row = store.set_obligation(review, key, reviewer=BOB, status="not-applicable", reason="Internal tool only")
    assert (row["status"], row["reason"], row["owner"]) == ("not-applicable", "Internal tool only", "Product analytics")
    decided = [e for e in store.history(review_id=review) if e["entity"] == "obligation" and e["action"] == "decide"]
    assert [(e["old"]["status"], e["new"]["status"]) for e in decided] == [("open", "accepted"),
                                                                           ("accepted", "not-applicable")]
    assert decided[-1]["actor"] == BOB and store.audit_verify().ok


def test_an_owner_changed_outside_the_app_is_caught(store: Store, tmp_path: Path, work: Path) -> None:
    review = create(store, make(tmp_path / "acme", {"LICENSE": ACME_TERMS}), work)
    engine = sa.create_engine(store.url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE obligation SET owner = 'Nobody' WHERE review_id = :r"), {"r": review})
    engine.dispose()
    report = store.audit_verify()
    assert not report.ok
    assert any("Obligation" in p.message and "owner" in p.message for p in report.problems)


def test_refresh_keeps_decisions_and_restores_what_is_missing(store: Store, tmp_path: Path, work: Path) -> None:
    review = create(store, make(tmp_path / "acme", {"LICENSE": ACME_TERMS}), work)
    before = store.obligations(review)
    store.set_obligation(review, before[0]["key"], reviewer=BOB, owner="Legal", status="accepted")
    engine = sa.create_engine(store.url)
    with engine.begin() as conn:   # an old database: a register row that was never built
        conn.execute(sa.text("DELETE FROM obligation WHERE key = :k"), {"k": before[-1]["key"]})
    engine.dispose()
    after = store.refresh_obligations(review, reviewer=BOB)
    assert [r["key"] for r in after] == [r["key"] for r in before]
    assert (after[0]["owner"], after[0]["status"]) == ("Legal", "accepted")
    assert store.refresh_obligations(review, reviewer=BOB) == after   # nothing changes twice


def test_a_decided_review_is_read_only(store: Store, tmp_path: Path, work: Path) -> None:
    review = create(store, make(tmp_path / "acme", {"LICENSE": ACME_TERMS}), work)
    for answer in store.get_review(review)["answers"]:
        store.answer(review, answer["item"], "reject", "not for us", reviewer=ADA)
    store.set_status(review, "rejected", reviewer=BOB)
    key = store.obligations(review)[0]["key"]
    with pytest.raises(PolicyError, match="rejected"):
        store.set_obligation(review, key, reviewer=BOB, owner="Legal")
    with pytest.raises(PolicyError, match="rejected"):
        store.refresh_obligations(review, reviewer=BOB)
    assert store.obligations(review)[0]["owner"] is None


def test_carry_over_settles_unchanged_duties_and_leaves_changed_ones_open(store: Store, tmp_path: Path,
                                                                         work: Path) -> None:
    def review_of(version: str, notice: str) -> int:
        folder = make(tmp_path / version / "acme-7b", {"LICENSE": apache_text(), "NOTICE": notice})
        scan = scan_path(folder, options=ScanOptions(work_dir=work))
        return store.create_review(scan, reviewer=ADA, vendor="Acme", product="acme-7b", version=version,
                                   purpose="chatbot")

    old = review_of("1.0", NOTICE)
    keys = {r["kind"]: r["key"] for r in store.obligations(old)}
    store.set_obligation(old, keys["notice_file"], reviewer=BOB, owner="Release engineering", status="accepted")
    store.set_obligation(old, keys["modified_files"], reviewer=BOB, status="not-applicable",
                         reason="We ship the files unmodified")
    new = review_of("1.1", NOTICE + "\nThis product also includes a tokenizer by Example Labs.\n")
    assert store.previous_review(new) == old
    store.carry_over(new, reviewer=ADA)
    rows = {r["kind"]: r for r in store.obligations(new)}
    modified = rows["modified_files"]
    assert (modified["status"], modified["reason"], modified["decided_by"]) == \
        ("not-applicable", "We ship the files unmodified", BOB)  # the decider, not whoever carried it
    assert (rows["notice_file"]["status"], rows["notice_file"]["owner"]) == ("open", None)  # its NOTICE changed
    carried = [e for e in store.history(review_id=new) if e["entity"] == "obligation" and e["action"] == "carry-over"]
    assert len(carried) == 1 and carried[0]["actor"] == ADA
    assert store.audit_verify().ok
