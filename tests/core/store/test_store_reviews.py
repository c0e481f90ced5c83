"""Reviews on SQLite and PostgreSQL: suggestions, answers, four-eyes status, comments, memos."""

from __future__ import annotations

import pytest
from store_samples import ADA, BOB, build_scan, finding

from desktop.core.store import CHECKLIST_ITEMS, NotFound, PolicyError, Store, open_store


def _review(store: Store, **kwargs: object) -> int:
    scan = build_scan(findings=[
        finding("commercial_use", "medium", "Commercial use allowed below 700M users"),
        finding("commercial_use", "high", "Acceptable use policy restricts outputs"),
        finding("attribution", "low", "NOTICE file required"),
    ])
    return store.create_review(scan, reviewer=ADA, vendor="Acme", product="acme-7b",
                               version="1.0", purpose="Internal chatbot", **kwargs)


def test_create_review_stores_delivery_and_suggestions(store: Store) -> None:
    review_id = _review(store)
    review = store.get_review(review_id, include_files=True)
    assert review["status"] == "draft"
    assert review["preparer"] == ADA
    assert review["delivery"]["vendor"] == "Acme"
    assert review["delivery"]["product"] == "acme-7b"
    assert review["delivery"]["file_count"] == 3
    assert review["licenses"] == ["apache-2.0"]
    assert {f["path"] for f in review["files"]} == {"LICENSE", "model.safetensors", "config.json"}
    answers = {a["item"]: a for a in review["answers"]}
    assert list(answers) == list(CHECKLIST_ITEMS)
    assert answers["commercial_use"]["suggested"] == "high: Acceptable use policy restricts outputs"
    assert answers["commercial_use"]["suggested_level"] == "high"
    assert len(answers["commercial_use"]["evidence"]) == 2
    assert answers["attribution"]["suggested"] == "low: NOTICE file required"
    assert answers["jurisdiction"]["suggested"] == "no finding"
    assert all(a["decision"] is None for a in answers.values())


def test_custom_checklist_items_and_findings(store: Store) -> None:
    review_id = _review(store, checklist="firm-short/2", items=("commercial_use", "attribution"),
                        findings=[finding("attribution", "block", "No license text at all")])
    review = store.get_review(review_id)
    assert review["checklist"] == "firm-short/2"
    assert [(a["item"], a["suggested"]) for a in review["answers"]] == [
        ("commercial_use", "no finding"), ("attribution", "block: No license text at all")]
    assert [f["summary"] for f in review["findings"]] == ["No license text at all"]


def test_answer_is_recorded_with_who_and_history(store: Store) -> None:
    review_id = _review(store)
    store.answer(review_id, "commercial_use", "accept-with-conditions", "Below the MAU cap",
                 conditions="Stay under 700M monthly users", reviewer=ADA)
    store.answer(review_id, "commercial_use", "reject", "The AUP forbids our use", reviewer=BOB)
    answer = next(a for a in store.get_review(review_id)["answers"]
                  if a["item"] == "commercial_use")
    assert (answer["decision"], answer["rationale"], answer["conditions"]) == \
        ("reject", "The AUP forbids our use", None)
    assert answer["answered_by"] == BOB
    events = [e for e in store.history(review_id=review_id) if e["action"] == "answer"]
    assert [(e["actor"], e["old"]["decision"], e["new"]["decision"]) for e in events] == [
        (ADA, None, "accept-with-conditions"), (BOB, "accept-with-conditions", "reject")]


@pytest.mark.parametrize(("decision", "rationale", "conditions", "words"), [
    ("maybe", "x", None, "Unknown decision"),
    ("accept", "  ", None, "rationale"),
    ("accept-with-conditions", "ok", None, "conditions"),
])
def test_bad_answers_are_refused(store: Store, decision: str, rationale: str,
                                 conditions: str | None, words: str) -> None:
    review_id = _review(store)
    with pytest.raises(PolicyError, match=words):
        store.answer(review_id, "attribution", decision, rationale, conditions=conditions,
                     reviewer=ADA)
    with pytest.raises(NotFound, match="no checklist item"):
        store.answer(review_id, "no_such_item", "accept", "x", reviewer=ADA)
    with pytest.raises(NotFound, match="Review 999"):
        store.get_review(999)


def _decide_all(store: Store, review_id: int) -> None:
    for item in CHECKLIST_ITEMS:
        store.answer(review_id, item, "accept", f"checked {item}", reviewer=ADA)


def test_four_eyes_rule(store: Store) -> None:
    review_id = _review(store)
    with pytest.raises(PolicyError, match="have no decision yet: Terms cover the weights, "):
        store.set_status(review_id, "approved", reviewer=BOB)
    _decide_all(store, review_id)
    store.set_status(review_id, "in-review", reviewer=ADA)
    with pytest.raises(PolicyError, match="four-eyes"):
        store.set_status(review_id, "approved", reviewer=ADA)
    result = store.set_status(review_id, "approved", reviewer=BOB)
    assert result == {"id": review_id, "status": "approved", "approver": BOB}
    review = store.get_review(review_id)
    assert (review["status"], review["preparer"], review["approver"]) == ("approved", ADA, BOB)
    with pytest.raises(PolicyError, match="set it back to in-review"):
        store.answer(review_id, "openness", "reject", "late change", reviewer=BOB)
    status_events = [e for e in store.history(entity="review", entity_id=review_id)
                     if e["action"] == "status"]
    assert [(e["actor"], e["new"]["status"], e["new"]["approver"] is not None)
            for e in status_events] == [(ADA, "in-review", False), (BOB, "approved", True)]
    assert store.audit_verify().ok


def test_rejection_needs_a_second_person_but_not_all_answers(store: Store) -> None:
    review_id = _review(store)
    with pytest.raises(PolicyError, match="four-eyes"):
        store.set_status(review_id, "rejected", reviewer=ADA)
    assert store.set_status(review_id, "rejected", reviewer=BOB)["status"] == "rejected"
    with pytest.raises(PolicyError, match="Unknown status"):
        store.set_status(review_id, "done", reviewer=BOB)


def _decide_all_as(store: Store, review_id: int, reviewer: str) -> None:
    for item in CHECKLIST_ITEMS:
        store.answer(review_id, item, "accept", f"checked {item}", reviewer=reviewer)


def test_self_approval_by_parameter_and_by_firm_setting(store_url: str) -> None:
    """Self-approval lets the preparer approve items someone else decided (never their own)."""
    with open_store(store_url, allow_self_approval=True) as relaxed:
        review_id = _review(relaxed)
        _decide_all_as(relaxed, review_id, BOB)
        assert relaxed.set_status(review_id, "approved", reviewer=ADA)["approver"] == ADA
    with open_store(store_url) as store:
        second = _review(store)
        _decide_all_as(store, second, BOB)
        with pytest.raises(PolicyError):
            store.set_status(second, "approved-with-conditions", reviewer=ADA)
        store.set_setting("allow_self_approval", "true", BOB)
        assert store.set_status(second, "approved-with-conditions", reviewer=ADA)["status"] == \
            "approved-with-conditions"
        assert store.audit_verify().ok


def test_submitting_needs_every_item_decided_named_by_title(store: Store) -> None:
    review_id = _review(store)
    for item in CHECKLIST_ITEMS[2:]:
        store.answer(review_id, item, "accept", f"checked {item}", reviewer=ADA)
    with pytest.raises(PolicyError) as refused:
        store.set_status(review_id, "in-review", reviewer=ADA)
    assert str(refused.value) == (f"Review {review_id} cannot be submitted for approval: these items have "
                                  "no decision yet: Terms cover the weights, Use restrictions and acceptable "
                                  "use policy.")
    assert store.get_review(review_id)["status"] == "draft"
    store.answer(review_id, "weights_coverage", "accept", "covered", reviewer=ADA)
    store.answer(review_id, "use_restrictions", "accept", "none that matter", reviewer=ADA)
    assert store.set_status(review_id, "in-review", reviewer=ADA)["status"] == "in-review"


def test_an_approver_who_decided_an_item_cannot_approve(store: Store) -> None:
    """Maker-checker: deciding even one item disqualifies the approver, whatever the firm allows."""
    review_id = _review(store)
    _decide_all(store, review_id)
    store.answer(review_id, "openness", "accept", "open enough", reviewer=BOB)
    store.set_status(review_id, "in-review", reviewer=ADA)
    with pytest.raises(PolicyError, match=r"decided 1 of the items .*\(Openness \(Model Openness Framework\)\)"
                                          r".*maker-checker"):
        store.set_status(review_id, "approved", reviewer=BOB)
    assert store.get_review(review_id)["status"] == "in-review"
    assert store.set_status(review_id, "rejected", reviewer=BOB)["status"] == "rejected"


def test_conditions_leave_only_approval_with_conditions(store: Store) -> None:
    review_id = _review(store)
    _decide_all(store, review_id)
    store.answer(review_id, "commercial_use", "accept-with-conditions", "below the cap",
                 conditions="Stay under 700M monthly users", reviewer=ADA)
    store.set_status(review_id, "in-review", reviewer=ADA)
    with pytest.raises(PolicyError, match=r"accepted with conditions \(Commercial use and thresholds\); "
                                          r"it can only be approved-with-conditions"):
        store.set_status(review_id, "approved", reviewer=BOB)
    result = store.set_status(review_id, "approved-with-conditions", reviewer=BOB)
    assert result["status"] == "approved-with-conditions"


def test_reviewers_comments_memos_and_reference_texts(store: Store) -> None:
    review_id = _review(store)
    bob = store.reviewer("Bob Marley <BOB@firm.example>")
    assert (bob["name"], bob["email"]) == ("Bob Marley", "bob@firm.example")
    assert store.reviewer("Robert Marley <bob@firm.example>")["id"] == bob["id"]
    assert store.reviewer("Bob")["id"] != bob["id"]  # a bare name is another person
    store.add_comment(review_id, "Ask the vendor for the data card", reviewer=BOB,
                      item="data_provenance")
    memo_id = store.record_memo(review_id, "AB" * 32, signer=BOB, path="memo.pdf")
    store.add_reference_text("firm-apache-2.0", "Apache 2.0 as approved", "Apache text",
                             reviewer=ADA)
    review = store.get_review(review_id)
    assert review["comments"][0]["item"] == "data_provenance"
    assert review["comments"][0]["author"] == BOB  # the latest spelling of the name wins
    assert review["memos"] == [{"id": memo_id, "file_sha256": "ab" * 32, "signer": BOB,
                                "signed_at": review["memos"][0]["signed_at"], "path": "memo.pdf"}]
    assert [t["key"] for t in store.reference_texts()] == ["firm-apache-2.0"]
    renamed = [e for e in store.history(entity="reviewer", entity_id=bob["id"])]
    assert [e["new"]["name"] for e in renamed] == ["Bob Marley", "Robert Marley", "Bob Marley"]
    assert store.audit_verify().ok


def test_people_are_compared_by_signing_certificate(store: Store) -> None:
    """Four eyes and maker-checker compare certificates: a new name or email next to the
    preparer's (or a decider's) certificate is still that person."""
    from desktop.core.store import Identity

    ada = Identity("Ada Lovelace", "ada@firm.example", "a" * 64)
    bob = Identity("Bob Marley", "bob@firm.example", "b" * 64)
    review_id = store.create_review(build_scan(), reviewer=ada, purpose="chat")
    _decide_all(store, review_id)
    store.set_status(review_id, "in-review", reviewer=ada)
    ada_again = Identity("A. Lovelace", "ada@home.example", "a" * 64)
    with pytest.raises(PolicyError, match="four-eyes"):
        store.set_status(review_id, "approved", reviewer=ada_again)
    store.answer(review_id, "openness", "accept", "open enough", reviewer=bob)
    bob_again = Identity("Robert Marley", "robert@firm.example", "b" * 64)
    with pytest.raises(PolicyError, match="maker-checker"):
        store.set_status(review_id, "approved", reviewer=bob_again)
    carol = Identity("Carol Checker", "carol@firm.example", "c" * 64)
    assert store.set_status(review_id, "approved", reviewer=carol)["status"] == "approved"
    # each decision and status change names the acting certificate
    events = store.history(review_id=review_id)
    status = [e for e in events if e["action"] == "status"][-1]
    assert status["actor"] == f"Carol Checker <carol@firm.example> [cert {'c' * 64}]"
    assert any(e["actor"].endswith(f"[cert {'b' * 64}]") for e in events if e["action"] == "answer")


def test_review_keeps_the_knowledge_and_checklist_versions_it_was_made_with(store: Store) -> None:
    review_id = store.create_review(build_scan(), reviewer=ADA, knowledge_version="k" * 16,
                                    checklist_version="c" * 16)
    review = store.get_review(review_id)
    assert (review["knowledge_version"], review["checklist_version"]) == ("k" * 16, "c" * 16)
    created = store.history(entity="review", entity_id=review_id)[0]
    assert created["new"]["knowledge_version"] == "k" * 16
    assert store.audit_verify().ok


def test_a_findings_why_is_kept_with_the_review(store: Store) -> None:
    """The rule or threshold that set a finding's level comes back when the review is reopened."""
    with_why = {**finding("attribution", "low", "NOTICE file required"), "why": "low: the NOTICE is delivered"}
    review_id = store.create_review(build_scan(findings=[with_why, finding("integrity", "info", "All read")]),
                                    reviewer=ADA, vendor="Acme", product="acme-7b", version="1.0",
                                    purpose="Internal chatbot")
    found = {f["check"]: f for f in store.get_review(review_id)["findings"]}
    assert found["attribution"]["why"] == "low: the NOTICE is delivered"
    assert "why" not in found["integrity"]
    assert store.audit_verify().ok


def test_the_checklist_wording_is_kept_with_the_review_and_printed_by_its_memo(store: Store) -> None:
    """Items are worded as when the review was created (audited), whatever today's checklist says."""
    from desktop.core.memo.snapshot import from_store

    review_id = store.create_review(
        build_scan(findings=[finding("attribution", "low", "NOTICE file required")]), reviewer=ADA,
        vendor="Acme", product="acme-7b", version="1.0", purpose="Internal chatbot",
        item_titles={item: (f"Old wording of {item}", f"Asked then about {item}?") for item in CHECKLIST_ITEMS})
    answers = {a["item"]: a for a in store.get_review(review_id)["answers"]}
    assert answers["attribution"]["title"] == "Old wording of attribution"
    assert answers["attribution"]["question"] == "Asked then about attribution?"
    snapshot = from_store(store, review_id)
    printed = {a["item"]: (a["title"], a["question"]) for a in snapshot["answers"]}
    assert printed["commercial_use"] == ("Old wording of commercial_use", "Asked then about commercial_use?")
    assert store.audit_verify().ok
