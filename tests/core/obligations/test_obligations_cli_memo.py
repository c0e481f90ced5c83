"""`aireview obligations` (text, --json, --csv, --set, --refresh) and the memo's schedule."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from obligation_deliveries import ACME_TERMS, NOTICE, apache_text, make

from desktop.cli import build_parser
from desktop.core.memo.manifest import build_manifest
from desktop.core.memo.render import render_memo_html
from desktop.core.memo.snapshot import from_store
from desktop.core.scan import ScanOptions, scan_path
from desktop.core.store import open_store

ADA = "Ada Lovelace <ada@firm.example>"
BOB = "Bob Marley <bob@firm.example>"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    ns = build_parser().parse_args(list(args))
    code = int(ns.func(ns))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def review_of(db: str, folder: Path, work: Path) -> int:
    with open_store(db) as store:
        return store.create_review(scan_path(folder, options=ScanOptions(work_dir=work)), reviewer=ADA,
                                   vendor="Acme", product=folder.name, purpose="support chatbot")


def test_obligations_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{tmp_path / 'reviews.db'}"
    (tmp_path / "work").mkdir()
    review = review_of(db, make(tmp_path / "acme", {"LICENSE": ACME_TERMS}), tmp_path / "work")
    code, out, err = run(capsys, "obligations", str(review), "--db", db, "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["review"] == review and doc["counts"] == {"open": 9, "accepted": 0, "not-applicable": 0}
    first = doc["obligations"][0]
    assert set(first) >= {"id", "key", "kind", "title", "license", "text", "basis", "evidence", "owner",
                          "status", "reason", "decided_by", "decided_at"}
    key = next(o["key"] for o in doc["obligations"] if o["kind"] == "territory")
    code, _, err = run(capsys, "obligations", str(review), "--db", db, "--set", key, "--status",
                       "not-applicable", "--as", BOB)
    assert code == 2 and "needs the reason" in err
    code, out, err = run(capsys, "obligations", str(review), "--db", db, "--set", key, "--status",
                         "not-applicable", "--reason", "Deployed in the US only", "--owner", "Legal", "--as", BOB)
    assert code == 0, err
    assert "[not-applicable, owner Legal] Territory" in out and "(Deployed in the US only)" in out
    code, out, _ = run(capsys, "obligations", str(review), "--db", db, "--csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 9 and list(rows[0]) == ["key", "kind", "license", "text", "basis", "owner", "status",
                                                "reason", "decided_by", "decided_at", "evidence"]
    territory = next(r for r in rows if r["key"] == key)
    assert (territory["status"], territory["owner"], territory["decided_by"]) == ("not-applicable", "Legal", BOB)
    assert territory["evidence"].startswith("LICENSE lines 27-28: The rights granted")
    code, out, _ = run(capsys, "obligations", str(review), "--db", db, "--refresh", "--json", "--as", BOB)
    assert code == 0 and json.loads(out)["counts"]["not-applicable"] == 1
    code, _, err = run(capsys, "obligations", "999", "--db", db)
    assert code == 2 and "999" in err
    code, _, err = run(capsys, "review", "note", str(review), "LICENSE", "Checked by Legal", "--db", db, "--as", BOB)
    assert code == 0, err
    code, out, _ = run(capsys, "review", "show", str(review), "--db", db, "--json")
    shown = json.loads(out)  # the review, plus its register and what reviewers wrote beside it
    assert shown["id"] == review and len(shown["obligations"]) == 9 and shown["item_comments"] == []
    assert next(o for o in shown["obligations"] if o["key"] == key)["reason"] == "Deployed in the US only"
    assert [(n["path"], n["text"]) for n in shown["file_notes"]] == [("LICENSE", "Checked by Legal")]
    code, out, _ = run(capsys, "review", "show", str(review), "--db", db)
    assert "Obligations 9 (8 open; `aireview obligations" in out and "1 file note(s)" in out
    code, _, err = run(capsys, "obligations", str(review), "--db", db, "--owner", "Legal")
    assert code == 2 and "--set KEY" in err


def test_the_memo_schedules_the_obligations(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'reviews.db'}"
    (tmp_path / "work").mkdir()
    review = review_of(db, make(tmp_path / "apache", {"LICENSE": apache_text(), "NOTICE": NOTICE}),
                       tmp_path / "work")
    with open_store(db) as store:
        key = store.obligations(review)[0]["key"]
        store.set_obligation(review, key, reviewer=ADA, owner="Release engineering", status="accepted")
        snapshot = from_store(store, review, firm_name="Acme Legal LLP")
    html = render_memo_html(snapshot)
    schedule = html[html.index("Schedule: obligations"):html.index("Appendix: file inventory")]
    assert "O1. Notice file" in schedule and "O2. Modified files" in schedule
    assert "Release engineering" in schedule and "<b>Accepted</b>" in schedule and "<b>Open</b>" in schedule
    assert "Exact text to ship" in schedule and "Copyright 2026 Example Vendor Ltd." in schedule
    assert "LICENSE lines 97-98" in schedule
    assert "Approval commits the company to 2 obligation(s)" in html
    manifest = build_manifest(snapshot)
    assert [o["key"] for o in manifest["obligations"]] == [o["key"] for o in snapshot["obligations"]]
