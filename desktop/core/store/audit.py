"""The tamper-evident audit trail: append-only events chained by SHA-256.

Each event stores who, when, what (entity, id, action) and the old and new state of the record
as canonical JSON; its hash covers all of that plus the previous event's hash, so changing,
removing or reordering any event breaks the chain from that point.  :func:`verify` recomputes the
chain and then replays it: every answer, review and reviewer row must equal the state its last
event recorded, which catches rows edited by hand with plain SQL.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from desktop.core.results import Problem
from desktop.core.store.models import Answer, AuditEvent, Review, Reviewer, utc_now

GENESIS = "0" * 64
SYSTEM_ACTOR = "system"


def canonical(value: Any) -> str | None:
    """Canonical JSON text (sorted keys, no spaces) of a state, or ``None``."""
    if value is None:
        return None
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def event_hash(seq: int, at: str, actor: str, entity: str, entity_id: int, action: str,
               old: str | None, new: str | None, prev_hash: str) -> str:
    """The SHA-256 hex digest that chains an event to its predecessor."""
    body = canonical([seq, at, actor, entity, entity_id, action, old, new, prev_hash])
    return hashlib.sha256(body.encode("utf-8")).hexdigest()  # type: ignore[union-attr]


def answer_state(row: Answer) -> dict[str, Any]:
    """The audited fields of an answer."""
    return {"review_id": row.review_id, "item": row.item, "suggested": row.suggested,
            "suggested_level": row.suggested_level, "decision": row.decision,
            "rationale": row.rationale, "conditions": row.conditions, "evidence": row.evidence,
            "answered_by": row.answered_by_id, "carried_from": row.carried_from_id,
            "precedent": row.precedent_id}


def review_state(row: Review) -> dict[str, Any]:
    """The audited fields of a review (status, preparer and approver among them)."""
    return {"delivery_id": row.delivery_id, "checklist": row.checklist, "purpose": row.purpose,
            "status": row.status, "preparer": row.preparer_id, "approver": row.approver_id}


def reviewer_state(row: Reviewer) -> dict[str, Any]:
    """The audited fields of a reviewer."""
    return {"name": row.name, "email": row.email, "cert_fingerprint": row.cert_fingerprint}


TRACKED = {"answer": (Answer, answer_state), "review": (Review, review_state),
           "reviewer": (Reviewer, reviewer_state)}


def append_event(session: Session, actor: str, entity: str, entity_id: int, action: str,
                 old: dict[str, Any] | None, new: dict[str, Any] | None) -> AuditEvent:
    """Add one event after the current head (the caller holds the write lock)."""
    head = session.execute(
        sa.select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    seq, prev = (head.seq + 1, head.hash) if head else (1, GENESIS)
    at = utc_now().isoformat(timespec="microseconds")
    old_text, new_text = canonical(old), canonical(new)
    event = AuditEvent(seq=seq, at=at, actor=actor, entity=entity, entity_id=entity_id,
                       action=action, old=old_text, new=new_text, prev_hash=prev,
                       hash=event_hash(seq, at, actor, entity, entity_id, action,
                                       old_text, new_text, prev))
    session.add(event)
    session.flush()
    return event


@dataclass
class AuditReport:
    """Result of :func:`verify`: ``ok`` only when the chain and every tracked row agree."""

    events: int
    head_hash: str
    first_broken: int | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "events": self.events, "head_hash": self.head_hash,
                "first_broken": self.first_broken,
                "problems": [p.to_json() for p in self.problems]}


def verify(session: Session, where: str = "the database") -> AuditReport:
    """Recompute the hash chain, then check each tracked row against its last event."""
    report = AuditReport(events=0, head_hash=GENESIS)
    latest: dict[tuple[str, int], tuple[int, str | None]] = {}
    expected_seq, prev = 1, GENESIS
    rows = session.execute(sa.select(AuditEvent).order_by(AuditEvent.seq)).scalars()
    for event in rows.yield_per(2000):
        report.events += 1
        if report.first_broken is None:
            reason = _chain_fault(event, expected_seq, prev)
            if reason:
                report.first_broken = event.seq
                report.problems.append(Problem("audit_chain_broken", (
                    f"Audit event {event.seq} in {where} ({event.entity} {event.entity_id}, "
                    f"{event.action} at {event.at}) {reason}.")))
        expected_seq, prev = event.seq + 1, event.hash
        latest[(event.entity, event.entity_id)] = (event.seq, event.new)
        session.expunge(event)
    report.head_hash = prev
    report.problems.extend(_replay(session, latest, where))
    return report


def _chain_fault(event: AuditEvent, expected_seq: int, prev: str) -> str | None:
    if event.seq != expected_seq:
        return (f"follows event {expected_seq - 1}: events {expected_seq} to {event.seq - 1} "
                "are missing")
    if event.prev_hash != prev:
        return "does not carry the previous event's hash (an event was removed, added or reordered)"
    recomputed = event_hash(event.seq, event.at, event.actor, event.entity, event.entity_id,
                            event.action, event.old, event.new, event.prev_hash)
    if recomputed != event.hash:
        return "does not match its hash: it was changed after it was written"
    return None


def _replay(session: Session, latest: dict[tuple[str, int], tuple[int, str | None]],
            where: str) -> list[Problem]:
    problems: list[Problem] = []
    for entity, (model, state_of) in TRACKED.items():
        seen: set[int] = set()
        for row in session.execute(sa.select(model).order_by(model.id)).scalars().yield_per(2000):
            seen.add(row.id)
            last = latest.get((entity, row.id))
            actual = canonical(state_of(row))
            if last is None:
                problems.append(Problem("audit_missing", (
                    f"{entity.capitalize()} {row.id} in {where} has no audit event: it was "
                    "added outside the app.")))
            elif last[1] != actual:
                problems.append(Problem("audit_mismatch", (
                    f"{entity.capitalize()} {row.id} in {where} differs from its last audit "
                    f"event {last[0]}: {_differences(last[1], actual)}.")))
            session.expunge(row)
        for (kind, entity_id), (seq, new) in latest.items():
            if kind == entity and entity_id not in seen and new is not None:
                problems.append(Problem("audit_row_missing", (
                    f"{entity.capitalize()} {entity_id} recorded by audit event {seq} is missing "
                    f"from {where}: it was deleted outside the app.")))
    return problems


def _differences(recorded: str | None, actual: str | None) -> str:
    old = json.loads(recorded) if recorded else {}
    new = json.loads(actual) if actual else {}
    parts = [f"{key} is {new.get(key)!r} in the table but {old.get(key)!r} in the audit trail"
             for key in sorted(set(old) | set(new)) if old.get(key) != new.get(key)]
    return "; ".join(parts) or "the recorded state differs"
