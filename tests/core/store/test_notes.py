"""File notes, item comment threads and the texts kept for redlines between versions."""

from __future__ import annotations

import hashlib

import pytest
import sqlalchemy as sa
from store_samples import ADA, BOB, build_scan

from desktop.core.results import FileEntry, ScanResult
from desktop.core.store import NotFound, PolicyError, Store

LICENSE_V1 = "Permission is granted to use the model for research.\nNo commercial use is allowed.\n"
LICENSE_V2 = "Permission is granted to use the model for any purpose.\nNo commercial use is allowed.\n"


def _delivery(license_text: str, weights: str = "weights v1") -> ScanResult:
    """A delivery with a license text, a README, a weights file and a large notice."""
    def entry(path: str, role: str, text: str | None, tag: str) -> FileEntry:
        return FileEntry(path=path, size=len(tag), sha256=hashlib.sha256(tag.encode()).hexdigest(),
                         role=role, text=text)
    return ScanResult(source_path="/deliveries/acme-7b", source_kind="folder", fingerprint="f" * 64,
                      components=[], files=[
                          entry("LICENSE", "license", license_text, license_text),
                          entry("README.md", "docs", "# Acme 7B\nA model.", "readme"),
                          entry("model.safetensors", "weights", None, weights),
                          entry("NOTICE", "notice", "x" * (3 << 20), "big notice"),
                      ])


def _review(store: Store, scan: ScanResult | None = None, version: str = "1.0") -> int:
    return store.create_review(scan or build_scan(), reviewer=ADA, vendor="Acme", product="acme-7b",
                               version=version, purpose="chat")


def test_file_notes_are_kept_per_file_and_audited(store: Store) -> None:
    rid = _review(store)
    first = store.add_file_note(rid, "LICENSE", "  Vendor confirmed this is the final text. ", reviewer=ADA)
    store.add_file_note(rid, "config.json", "Context length differs from the card.", reviewer=BOB)
    notes = store.file_notes(rid, "LICENSE")
    assert [(n["id"], n["author"], n["text"]) for n in notes] == [
        (first, ADA, "Vendor confirmed this is the final text.")]
    assert {n["path"] for n in store.file_notes(rid)} == {"LICENSE", "config.json"}
    event = store.history(entity="file_note", entity_id=first)[-1]
    assert (event["action"], event["actor"], event["new"]["path"]) == ("create", ADA, "LICENSE")
    assert any(e["entity"] == "file_note" for e in store.history(review_id=rid))
    assert store.audit_verify().ok


def test_file_note_refuses_empty_text_unknown_file_and_a_decided_review(store: Store) -> None:
    rid = _review(store)
    with pytest.raises(PolicyError, match="empty"):
        store.add_file_note(rid, "LICENSE", "   ", reviewer=ADA)
    with pytest.raises(NotFound, match="no file 'missing.txt'"):
        store.add_file_note(rid, "missing.txt", "text", reviewer=ADA)
    for answer in store.get_review(rid)["answers"]:
        store.answer(rid, answer["item"], "accept", "Checked.", reviewer=ADA)
    store.set_status(rid, "in-review", reviewer=ADA)
    store.set_status(rid, "approved", reviewer=BOB)
    with pytest.raises(PolicyError, match="read-only"):
        store.add_file_note(rid, "LICENSE", "too late", reviewer=ADA)
    with pytest.raises(PolicyError, match="read-only"):
        store.add_item_comment(rid, "commercial_use", "too late", reviewer=BOB)
    assert store.file_notes(rid) == []


def test_item_thread_holds_only_that_items_comments_in_order(store: Store) -> None:
    rid = _review(store)
    store.add_item_comment(rid, "commercial_use", "Is the MAU threshold relevant?", reviewer=BOB)
    store.add_item_comment(rid, "commercial_use", "No: internal use only.", reviewer=ADA)
    store.add_item_comment(rid, "attribution", "NOTICE must ship.", reviewer=BOB)
    thread = store.item_comments(rid, "commercial_use")
    assert [(c["author"], c["text"]) for c in thread] == [
        (BOB, "Is the MAU threshold relevant?"), (ADA, "No: internal use only.")]
    assert [c["item"] for c in store.get_review(rid)["comments"]] == [
        "commercial_use", "commercial_use", "attribution"]
    assert [e["actor"] for e in store.history(entity="comment")] == [BOB, ADA, BOB]
    assert store.audit_verify().ok


def test_import_keeps_small_license_relevant_texts_only(store: Store, store_url: str) -> None:
    rid = _review(store, _delivery(LICENSE_V1))
    assert store.file_texts(rid) == {"LICENSE": LICENSE_V1, "README.md": "# Acme 7B\nA model."}
    engine = sa.create_engine(store_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE file_text SET text = 'Anything goes.'")
    engine.dispose()
    problems = store.audit_verify().problems
    assert any(p.code == "audit_mismatch" and "Delivery 1" in p.message for p in problems)


def test_redline_between_versions_names_the_changed_words(store: Store) -> None:
    old = _review(store, _delivery(LICENSE_V1))
    new = _review(store, _delivery(LICENSE_V2, weights="weights v2"), version="1.1")
    redlines = store.text_redlines(old, new)
    assert [r["path"] for r in redlines] == ["LICENSE"]
    changes = [op for op in redlines[0]["ops"] if op["op"] != "equal"]
    assert changes == [{"op": "replace", "old": "research.", "new": "any purpose.",
                        "old_line": 1, "new_line": 1}]
    assert (redlines[0]["inserted"], redlines[0]["deleted"]) == (2, 1)
    assert store.text_redlines(old, old) == []
