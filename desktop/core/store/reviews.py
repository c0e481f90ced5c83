"""Reviews and their answers: create, answer, change status (four eyes), carry over, describe.

Every function works inside the caller's transaction and appends the audit events for what it
changes; :class:`desktop.core.store.Store` gives each call its own transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from desktop.core.store.audit import answer_state, append_event, review_state
from desktop.core.store.audit_states import checklist_item_state, comment_state
from desktop.core.store.deliveries import findings_of, license_keys, suggestion
from desktop.core.store.errors import NotFound, PolicyError
from desktop.core.store.identity import actor_label, reviewer_label, same_person
from desktop.core.store.models import (
    DECISIONS,
    REVIEW_STATUSES,
    Answer,
    ChecklistItem,
    Comment,
    Delivery,
    File,
    LicenseMatch,
    Memo,
    Review,
    Reviewer,
    Vendor,
    utc_now,
)

CHECKLIST_ITEMS = (
    "weights_coverage", "use_restrictions", "jurisdiction", "derivative_status", "commercial_use",
    "output_use", "attribution", "data_provenance", "file_safety", "integrity",
    "declared_vs_detected", "openness",
)
DEFAULT_CHECKLIST = "aireview-default/1"
APPROVALS = ("approved", "approved-with-conditions")
DECIDED_STATUSES = (*APPROVALS, "rejected")
LOCKED_STATUSES = DECIDED_STATUSES


def get_review_row(session: Session, review_id: int) -> Review:
    """The review row, or :class:`NotFound`."""
    row = session.get(Review, review_id)
    if row is None:
        raise NotFound(f"Review {review_id} does not exist in the review database.")
    return row


def create_review(session: Session, delivery: Delivery, checklist: str, purpose: str,
                  preparer: Reviewer, items: tuple[str, ...] | list[str], *,
                  knowledge_version: str | None = None,
                  checklist_version: str | None = None,
                  item_titles: Mapping[str, Sequence[str]] | None = None) -> Review:
    """A draft review of ``delivery`` with one suggested, undecided answer per item.

    ``item_titles`` (item id -> title, question) keeps the checklist's wording with the review."""
    now = utc_now()
    review = Review(delivery_id=delivery.id, checklist=checklist, purpose=purpose.strip(),
                    status="draft", preparer_id=preparer.id, approver_id=None,
                    created_at=now, updated_at=now, knowledge_version=knowledge_version,
                    checklist_version=checklist_version)
    session.add(review)
    session.flush()
    actor = actor_label(preparer)
    append_event(session, actor, "review", review.id, "create", None, review_state(review))
    findings = findings_of(session, delivery.id)
    for item in dict.fromkeys(items):
        text, level, evidence = suggestion(findings, item)
        row = Answer(review_id=review.id, item=item, suggested=text, suggested_level=level,
                     evidence=evidence)
        session.add(row)
        session.flush()
        append_event(session, actor, "answer", row.id, "create", None, answer_state(row))
        worded = (item_titles or {}).get(item)
        if worded:
            wording = ChecklistItem(review_id=review.id, item=item, title=str(worded[0]),
                                    question=str(worded[1]) if len(worded) > 1 else "")
            session.add(wording)
            session.flush()
            append_event(session, actor, "checklist_item", wording.id, "create", None,
                         checklist_item_state(wording))
    return review


def _answer_row(session: Session, review_id: int, item: str) -> Answer:
    row = session.execute(sa.select(Answer).where(Answer.review_id == review_id,
                                                  Answer.item == item)).scalar()
    if row is None:
        raise NotFound(f"Review {review_id} has no checklist item {item!r}.")
    return row


def _check_open(review: Review) -> None:
    if review.status in LOCKED_STATUSES:
        raise PolicyError(f"Review {review.id} is {review.status}; set it back to in-review "
                          "before changing its answers.")


def check_decision(decision: str, rationale: str | None, conditions: str | None) -> None:
    """Raise :class:`PolicyError` for an unknown decision or a missing rationale/conditions."""
    if decision not in DECISIONS:
        raise PolicyError(f"Unknown decision {decision!r}; use one of {', '.join(DECISIONS)}.")
    if not (rationale or "").strip():
        raise PolicyError("A decision needs a rationale.")
    if decision == "accept-with-conditions" and not (conditions or "").strip():
        raise PolicyError("The decision accept-with-conditions needs the conditions.")


def record_answer(session: Session, review_id: int, item: str, decision: str, rationale: str,
                  conditions: str | None, evidence: list[Any] | None, actor: Reviewer,
                  action: str = "answer", carried_from: int | None = None,
                  precedent: int | None = None, decided_by: int | None = None) -> Answer:
    """Set the decision of one item (a new decision clears any carried-over mark)."""
    review = get_review_row(session, review_id)
    _check_open(review)
    check_decision(decision, rationale, conditions)
    row = _answer_row(session, review_id, item)
    old = answer_state(row)
    row.decision, row.rationale = decision, rationale.strip()
    row.conditions = (conditions or "").strip() or None
    if evidence is not None:
        row.evidence = evidence
    row.answered_by_id, row.answered_at = decided_by or actor.id, utc_now()
    row.carried_from_id, row.precedent_id = carried_from, precedent
    review.updated_at = row.answered_at
    session.flush()
    append_event(session, actor_label(actor), "answer", row.id, action, old, answer_state(row))
    return row


def set_status(session: Session, review_id: int, status: str, actor: Reviewer,
               allow_self_approval: bool) -> Review:
    """Change a review's status under the approval rules.

    Submitting (``in-review``) and approving need every item decided. Decided statuses need an
    approver who is not the preparer (four eyes, unless the firm allows self-approval); approving
    also needs an approver who decided none of the items (maker-checker, never relaxed).  People
    are compared by signing certificate when they have one (:func:`same_person`), so a second
    typed name with the preparer's certificate is still the preparer.  An
    item accepted with conditions leaves ``approved-with-conditions`` as the only approval.
    """
    if status not in REVIEW_STATUSES:
        raise PolicyError(f"Unknown status {status!r}; use one of {', '.join(REVIEW_STATUSES)}.")
    review = get_review_row(session, review_id)
    answers = session.execute(sa.select(Answer).where(Answer.review_id == review_id)
                              .order_by(Answer.id)).scalars().all()
    if status == "in-review" or status in APPROVALS:
        undecided = [a.item for a in answers if a.decision is None]
        if undecided:
            verb = "submitted for approval" if status == "in-review" else status
            raise PolicyError(f"Review {review_id} cannot be {verb}: these items have no decision yet: "
                              f"{_titles(undecided)}.")
    preparer = session.get(Reviewer, review.preparer_id)
    if status in DECIDED_STATUSES and preparer is not None and same_person(actor, preparer) \
            and not allow_self_approval:
        raise PolicyError(
            f"Review {review_id} was prepared by {reviewer_label(actor)}; another reviewer "
            f"must set it to {status} (four-eyes rule).")
    if status in APPROVALS:
        deciders = {r.id: r for r in session.execute(sa.select(Reviewer).where(
            Reviewer.id.in_({a.answered_by_id for a in answers if a.answered_by_id}))).scalars()}
        own = [a.item for a in answers
               if a.answered_by_id in deciders and same_person(actor, deciders[a.answered_by_id])]
        if own:
            raise PolicyError(
                f"{reviewer_label(actor)} decided {len(own)} of the items of review {review_id} "
                f"({_titles(own)}); a reviewer who decided none of them must approve it "
                f"(maker-checker rule).")
        conditional = [a.item for a in answers if a.decision == "accept-with-conditions"]
        if conditional and status == "approved":
            raise PolicyError(
                f"Review {review_id} has items accepted with conditions ({_titles(conditional)}); "
                f"it can only be approved-with-conditions.")
    old = review_state(review)
    review.status = status
    review.approver_id = actor.id if status in DECIDED_STATUSES else None
    review.updated_at = utc_now()
    session.flush()
    append_event(session, actor_label(actor), "review", review.id, "status", old,
                 review_state(review))
    return review


def _titles(items: list[str]) -> str:
    """Items by their checklist titles (the built-in checklist's; an unknown id as words)."""
    try:
        from desktop.core.checks.checklist import load_checklist

        titles = {item.id: item.title for item in load_checklist().items}
    except (OSError, ValueError):
        titles = {}
    return ", ".join(titles.get(i, i.replace("_", " ").capitalize()) for i in items)


def carry_over(session: Session, new_review_id: int, old_review_id: int, items: list[str],
               actor: Reviewer) -> list[str]:
    """Copy decided answers of ``items`` from the old review into undecided ones of the new.

    A carried answer keeps the name of whoever decided it; the event log names who carried it.
    """
    _check_open(get_review_row(session, new_review_id))
    get_review_row(session, old_review_id)
    carried: list[str] = []
    for item in items:
        source = session.execute(sa.select(Answer).where(
            Answer.review_id == old_review_id, Answer.item == item)).scalar()
        target = _answer_row(session, new_review_id, item)
        if source is None or source.decision is None or target.decision is not None:
            continue
        record_answer(session, new_review_id, item, source.decision, source.rationale or "",
                      source.conditions, source.evidence, actor, action="carry-over",
                      carried_from=source.id, decided_by=source.answered_by_id)
        carried.append(item)
    return carried


def add_comment(session: Session, review_id: int, text: str, actor: Reviewer,
                item: str | None = None) -> Comment:
    """Attach a comment to a review (optionally to one item)."""
    get_review_row(session, review_id)
    if not text.strip():
        raise PolicyError("A comment cannot be empty.")
    row = Comment(review_id=review_id, item=item, author_id=actor.id, created_at=utc_now(),
                  text=text.strip())
    session.add(row)
    session.flush()
    append_event(session, actor_label(actor), "comment", row.id, "create", None,
                 comment_state(row))
    return row


def _when(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def describe_review(session: Session, review_id: int, include_files: bool = False) -> dict[str, Any]:
    """Everything about a review as plain data (the ``review show --json`` document)."""
    review = get_review_row(session, review_id)
    delivery = session.get(Delivery, review.delivery_id)
    assert delivery is not None
    vendor = session.get(Vendor, delivery.vendor_id) if delivery.vendor_id else None
    people = {r.id: reviewer_label(r) for r in session.execute(sa.select(Reviewer)).scalars()}
    previous_review = session.execute(
        sa.select(Review.id).where(Review.delivery_id == delivery.previous_id)
        .order_by(Review.id.desc()).limit(1)).scalar() if delivery.previous_id else None
    answers = session.execute(sa.select(Answer).where(Answer.review_id == review_id)
                              .order_by(Answer.id)).scalars().all()
    wording = {w.item: {"title": w.title, "question": w.question} for w in session.execute(
        sa.select(ChecklistItem).where(ChecklistItem.review_id == review_id)).scalars()}
    carried_reviews = dict(session.execute(sa.select(Answer.id, Answer.review_id).where(
        Answer.id.in_([a.carried_from_id for a in answers if a.carried_from_id]))).all())
    comments = session.execute(sa.select(Comment).where(Comment.review_id == review_id)
                               .order_by(Comment.id)).scalars()
    memos = session.execute(sa.select(Memo).where(Memo.review_id == review_id)
                            .order_by(Memo.id)).scalars()
    files = session.execute(sa.select(File).where(File.delivery_id == delivery.id)
                            .order_by(File.path)).scalars().all()
    result: dict[str, Any] = {
        "id": review.id, "status": review.status, "checklist": review.checklist,
        "knowledge_version": review.knowledge_version,
        "checklist_version": review.checklist_version, "purpose": review.purpose, "created_at": _when(review.created_at),
        "updated_at": _when(review.updated_at), "preparer": people.get(review.preparer_id),
        "approver": people.get(review.approver_id) if review.approver_id else None,
        "delivery": {
            "id": delivery.id, "vendor": vendor.name if vendor else None, "product": delivery.name,
            "version": delivery.version, "received_on": delivery.received_on.isoformat(),
            "source_path": delivery.source_path, "source_kind": delivery.source_kind,
            "fingerprint": delivery.fingerprint, "problems": delivery.problems,
            "components": delivery.components, "file_count": len(files),
            "previous_delivery": delivery.previous_id, "previous_review": previous_review},
        "licenses": license_keys(session, delivery.id),
        "findings": findings_of(session, delivery.id),
        "answers": [{
            "item": a.item, "suggested": a.suggested, "suggested_level": a.suggested_level,
            "decision": a.decision, "rationale": a.rationale, "conditions": a.conditions,
            "evidence": a.evidence, "answered_by": people.get(a.answered_by_id),
            "answered_at": _when(a.answered_at), "carried_over": a.carried_from_id is not None,
            "carried_from": ({"review": carried_reviews.get(a.carried_from_id),
                              "answer": a.carried_from_id} if a.carried_from_id else None),
            "precedent": a.precedent_id, **wording.get(a.item, {})} for a in answers],
        "comments": [{"id": c.id, "item": c.item, "author": people.get(c.author_id),
                      "at": _when(c.created_at), "text": c.text} for c in comments],
        "memos": [{"id": m.id, "file_sha256": m.file_sha256, "signer": people.get(m.signer_id),
                   "signed_at": _when(m.signed_at), "path": m.path} for m in memos],
    }
    if include_files:
        matches: dict[int, list[dict[str, Any]]] = {}
        for m in session.execute(sa.select(LicenseMatch).where(LicenseMatch.delivery_id == delivery.id)
                                 .order_by(LicenseMatch.id)).scalars():
            key = None if m.key == "unknown" else m.key
            matches.setdefault(m.file_id, []).append({"key": key, "spdx": m.spdx, **(m.details or {})})
        result["files"] = [{"path": f.path, "size": f.size, "sha256": f.sha256, "role": f.role,
                            "format": f.format, "metadata": f.format_metadata,
                            "problems": f.problems, "licenses": matches.get(f.id, [])} for f in files]
    return result
