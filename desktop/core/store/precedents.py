"""Precedents: decisions saved for reuse, proposed (never applied) to matching new reviews.

A precedent records the license key, purpose of use, checklist item, decision, conditions, who
and when.  A review whose delivery has the same license and the same purpose (compared after
folding case and spaces) gets it as a proposal; only :func:`accept` turns it into an answer.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from desktop.core.store.audit import append_event
from desktop.core.store.audit_states import precedent_state
from desktop.core.store.deliveries import license_keys
from desktop.core.store.errors import NotFound, PolicyError
from desktop.core.store.identity import reviewer_label
from desktop.core.store.models import Answer, Precedent, Reviewer, utc_now
from desktop.core.store.reviews import get_review_row, record_answer


def purpose_key(purpose: str) -> str:
    """The purpose as compared between reviews: case-folded, spaces collapsed."""
    return " ".join(purpose.casefold().split())[:500]


def _as_dict(row: Precedent, people: dict[int, str | None]) -> dict[str, Any]:
    return {"id": row.id, "license_key": row.license_key, "purpose": row.purpose,
            "item": row.item, "decision": row.decision, "rationale": row.rationale,
            "conditions": row.conditions, "reviewer": people.get(row.reviewer_id),
            "created_at": row.created_at.isoformat(), "source_review": row.source_review_id}


def _people(session: Session) -> dict[int, str | None]:
    return {r.id: reviewer_label(r) for r in session.execute(sa.select(Reviewer)).scalars()}


def save(session: Session, review_id: int, item: str, actor: Reviewer,
         license_key: str | None = None) -> Precedent:
    """Save the decided answer of ``item`` as a precedent for ``license_key``."""
    review = get_review_row(session, review_id)
    answer = session.execute(sa.select(Answer).where(Answer.review_id == review_id,
                                                     Answer.item == item)).scalar()
    if answer is None:
        raise NotFound(f"Review {review_id} has no checklist item {item!r}.")
    if answer.decision is None:
        raise PolicyError(f"Item {item!r} of review {review_id} has no decision to save.")
    keys = license_keys(session, review.delivery_id)
    if license_key is None:
        if len(keys) != 1:
            found = ", ".join(keys) or "none"
            raise PolicyError(f"Review {review_id} has licenses {found}; name the license key "
                              "the precedent is for.")
        license_key = keys[0]
    row = Precedent(license_key=license_key, purpose=review.purpose,
                    purpose_key=purpose_key(review.purpose), item=item, decision=answer.decision,
                    rationale=answer.rationale, conditions=answer.conditions,
                    reviewer_id=actor.id, created_at=utc_now(), source_review_id=review_id)
    session.add(row)
    session.flush()
    append_event(session, reviewer_label(actor) or "", "precedent", row.id, "create", None,
                 precedent_state(row))
    return row


def list_all(session: Session, license_key: str | None = None) -> list[dict[str, Any]]:
    """Every precedent (optionally of one license key), newest first."""
    query = sa.select(Precedent).order_by(Precedent.id.desc())
    if license_key:
        query = query.where(Precedent.license_key == license_key)
    people = _people(session)
    return [_as_dict(r, people) for r in session.execute(query).scalars()]


def proposals(session: Session, review_id: int) -> list[dict[str, Any]]:
    """Precedents matching the review's licenses and purpose, as proposals (not answers)."""
    review = get_review_row(session, review_id)
    keys = license_keys(session, review.delivery_id)
    if not keys:
        return []
    rows = session.execute(sa.select(Precedent).where(
        Precedent.license_key.in_(keys), Precedent.purpose_key == purpose_key(review.purpose),
        sa.or_(Precedent.source_review_id.is_(None), Precedent.source_review_id != review_id))
        .order_by(Precedent.id.desc())).scalars()
    people = _people(session)
    return [{**_as_dict(r, people), "proposal": True} for r in rows]


def accept(session: Session, review_id: int, precedent_id: int, actor: Reviewer) -> Answer:
    """A reviewer accepts a proposed precedent: it becomes the item's answer, marked as such."""
    row = session.get(Precedent, precedent_id)
    if row is None:
        raise NotFound(f"Precedent {precedent_id} does not exist in the review database.")
    if not any(p["id"] == precedent_id for p in proposals(session, review_id)):
        raise PolicyError(f"Precedent {precedent_id} does not match the license and purpose of "
                          f"review {review_id}.")
    rationale = row.rationale or f"Precedent {precedent_id}"
    return record_answer(session, review_id, row.item, row.decision,
                         f"{rationale} (precedent {precedent_id})", row.conditions, None, actor,
                         action="accept-precedent", precedent=precedent_id)
