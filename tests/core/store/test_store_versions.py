"""Versions of a delivery: linking, diff, explicit carry-over marked as such; precedents."""

from __future__ import annotations

import pytest
from store_samples import ADA, BOB, build_scan, finding

from desktop.cli import build_parser
from desktop.core.store import NotFound, PolicyError, Store

V1_FILES = {"LICENSE": ("apache text", ["apache-2.0"]), "model.safetensors": ("weights v1", []),
            "config.json": ("config v1", []), "old_notes.txt": ("notes", [])}
V2_FILES = {"LICENSE": ("apache text", ["apache-2.0"]), "model.safetensors": ("weights v2", []),
            "config.json": ("config v1", []), "USE_POLICY.md": ("aup", ["acme-aup"])}


def _two_versions(store: Store) -> tuple[int, int]:
    old = store.create_review(
        build_scan(V1_FILES, [finding("attribution", "low", "NOTICE required"),
                              finding("file_safety", "high", "pickle file found")]),
        reviewer=ADA, vendor="Acme", product="acme-7b", version="1.0", purpose="chat")
    for item in ("attribution", "file_safety", "openness"):
        store.answer(old, item, "accept", f"ok {item}", reviewer=ADA)
    new = store.create_review(
        build_scan(V2_FILES, [finding("attribution", "low", "NOTICE required"),
                              finding("use_restrictions", "medium", "AUP added")]),
        reviewer=ADA, vendor="Acme", product="acme-7b", version="1.1", purpose="chat")
    return old, new


def test_new_version_links_to_previous(store: Store) -> None:
    old, new = _two_versions(store)
    other = store.create_review(build_scan(), reviewer=ADA, vendor="Other", product="acme-7b")
    assert store.get_review(new)["delivery"]["previous_review"] == old
    assert store.get_review(new)["delivery"]["previous_delivery"] == \
        store.get_review(old)["delivery"]["id"]
    assert store.get_review(old)["delivery"]["previous_delivery"] is None
    assert store.previous_review(other) is None


def test_diff_lists_files_licenses_and_findings(store: Store) -> None:
    old, new = _two_versions(store)
    diff = store.diff_reviews(old, new)
    assert diff["files"]["added"] == ["USE_POLICY.md"]
    assert diff["files"]["removed"] == ["old_notes.txt"]
    assert [c["path"] for c in diff["files"]["changed"]] == ["model.safetensors"]
    assert diff["files"]["unchanged"] == 2
    assert diff["licenses"]["added"] == ["acme-aup"]
    assert diff["licenses"]["removed"] == []
    assert diff["licenses"]["files"] == [{"path": "USE_POLICY.md", "removed": [],
                                          "added": ["acme-aup"]}]
    assert [f["summary"] for f in diff["findings"]["new"]] == ["AUP added"]
    assert [f["summary"] for f in diff["findings"]["resolved"]] == ["pickle file found"]
    assert diff["findings"]["unchanged"] == 1
    assert diff["items_to_review"] == ["file_safety", "use_restrictions"]
    with pytest.raises(NotFound):
        store.diff_deliveries(1, 999)


def test_carry_over_is_explicit_and_marked(store: Store, capsys) -> None:  # type: ignore[no-untyped-def]
    old, new = _two_versions(store)
    assert all(a["decision"] is None for a in store.get_review(new)["answers"])  # never silently
    store.answer(new, "openness", "reject", "now closed", reviewer=ADA)
    carried = store.carry_over(new, reviewer=BOB)
    # file_safety changed (finding resolved) and openness is already decided: both stay.
    assert carried == ["attribution"]
    answers = {a["item"]: a for a in store.get_review(new)["answers"]}
    assert answers["attribution"]["carried_over"] is True
    assert answers["attribution"]["carried_from"]["review"] == old
    assert answers["attribution"]["decision"] == "accept"
    assert answers["file_safety"]["decision"] is None
    assert answers["openness"]["carried_over"] is False
    assert store.carry_over(new, reviewer=BOB, items=["file_safety"]) == ["file_safety"]
    store.answer(new, "attribution", "accept", "re-checked", reviewer=BOB)
    answers = {a["item"]: a for a in store.get_review(new)["answers"]}
    assert answers["attribution"]["carried_over"] is False
    assert [e["action"] for e in store.history(review_id=new) if e["action"] != "create"] == \
        ["answer", "carry-over", "carry-over", "answer"]
    assert store.audit_verify().ok
    ns = build_parser().parse_args(["diff", str(old), str(new), "--db", store.url])
    capsys.readouterr()
    assert ns.func(ns) == 0
    out = capsys.readouterr().out
    assert "+ USE_POLICY.md" in out
    assert "- old_notes.txt" in out
    assert "~ model.safetensors" in out
    assert "License added: acme-aup" in out


def test_precedents_are_proposals_until_accepted(store: Store) -> None:
    first = store.create_review(build_scan(), reviewer=ADA, vendor="Acme", product="a",
                                purpose="Internal  Chatbot")
    store.answer(first, "commercial_use", "accept-with-conditions", "MAU cap is fine",
                 conditions="Stay under 700M MAU", reviewer=ADA)
    with pytest.raises(PolicyError, match="no decision"):
        store.save_precedent(first, "openness", reviewer=ADA)
    precedent_id = store.save_precedent(first, "commercial_use", reviewer=BOB)
    saved = store.precedents()
    assert len(saved) == 1
    assert {k: saved[0][k] for k in ("license_key", "purpose", "decision", "conditions",
                                     "reviewer")} == {
        "license_key": "apache-2.0", "purpose": "Internal  Chatbot",
        "decision": "accept-with-conditions", "conditions": "Stay under 700M MAU",
        "reviewer": BOB}
    assert store.precedents_for(first) == []  # not proposed to its own review

    same = store.create_review(build_scan(), reviewer=ADA, vendor="Other", product="b",
                               purpose="internal chatbot")
    other_purpose = store.create_review(build_scan(), reviewer=ADA, vendor="Other", product="c",
                                        purpose="resale")
    other_license = store.create_review(
        build_scan({"LICENSE": ("mit", ["mit"])}), reviewer=ADA, vendor="Other", product="d",
        purpose="internal chatbot")
    proposals = store.precedents_for(same)
    assert [(p["id"], p["proposal"]) for p in proposals] == [(precedent_id, True)]
    assert store.precedents_for(other_purpose) == []
    assert store.precedents_for(other_license) == []
    answer = next(a for a in store.get_review(same)["answers"] if a["item"] == "commercial_use")
    assert answer["decision"] is None  # a proposal is not an answer
    with pytest.raises(PolicyError, match="does not match"):
        store.accept_precedent(other_purpose, precedent_id, reviewer=ADA)
    accepted = store.accept_precedent(same, precedent_id, reviewer=ADA)
    assert (accepted["decision"], accepted["precedent"]) == ("accept-with-conditions", precedent_id)
    answer = next(a for a in store.get_review(same)["answers"] if a["item"] == "commercial_use")
    assert (answer["conditions"], answer["precedent"]) == ("Stay under 700M MAU", precedent_id)
    assert store.audit_verify().ok


def test_precedent_needs_license_key_when_several(store: Store) -> None:
    review_id = store.create_review(
        build_scan({"LICENSE": ("a", ["apache-2.0"]), "LICENSE-MODEL": ("b", ["llama3"])}),
        reviewer=ADA, purpose="chat")
    store.answer(review_id, "openness", "reject", "closed weights", reviewer=ADA)
    with pytest.raises(PolicyError, match=r"apache-2\.0, llama3"):
        store.save_precedent(review_id, "openness", reviewer=ADA)
    store.save_precedent(review_id, "openness", reviewer=ADA, license_key="llama3")
    assert [p["license_key"] for p in store.precedents(license_key="llama3")] == ["llama3"]


def test_changed_license_words_are_a_license_change_and_reopen_items(store: Store) -> None:
    old = store.create_review(
        build_scan({"LICENSE": ("terms v1", ["acme-model"]), "model.safetensors": ("weights", [])},
                   [finding("commercial_use", "low", "commercial use allowed")]),
        reviewer=ADA, vendor="Acme", product="acme-7b", version="1.0", purpose="chat")
    for item in ("commercial_use", "file_safety", "openness"):
        store.answer(old, item, "accept", f"ok {item}", reviewer=ADA)
    new = store.create_review(
        build_scan({"LICENSE": ("terms v2", ["acme-model"]), "model.safetensors": ("weights", [])},
                   [finding("commercial_use", "low", "commercial use allowed")]),
        reviewer=ADA, vendor="Acme", product="acme-7b", version="1.1", purpose="chat")
    diff = store.diff_reviews(old, new)
    assert diff["licenses"]["text_changed"] == [{"path": "LICENSE", "keys": ["acme-model"]}]
    assert "commercial_use" in diff["items_to_review"]
    carried = store.carry_over(new, reviewer=BOB)
    assert "commercial_use" not in carried  # its evidence (LICENSE) changed: reopened
    assert "file_safety" in carried
    answers = {a["item"]: a for a in store.get_review(new)["answers"]}
    assert answers["commercial_use"]["decision"] is None
    assert "Ada Lovelace" in answers["file_safety"]["answered_by"]  # the decider, not who carried it
    assert store.carry_over(new, reviewer=BOB, items=["commercial_use"]) == []
