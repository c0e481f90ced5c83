"""The tamper-evident audit trail: append-only events chained by SHA-256.

Each event stores who, when, what (entity, id, action) and the old and new state of the record
as canonical JSON; its hash covers all of that plus the previous event's hash, so changing,
removing or reordering any event breaks the chain from that point.  :func:`verify` recomputes the
chain and then replays it: every row of the tables in :data:`audit_states.TRACKED` (reviewers,
deliveries with their files, license matches and findings, reviews, answers, comments,
precedents, memos, reference texts) and every setting must equal the state its last event
recorded, which catches rows edited by hand with plain SQL.  :func:`head` is the chain head a
memo carries; :func:`check_anchor` tells whether the chain still passes through it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from desktop.core.results import Problem
from desktop.core.store.audit_states import (
    TRACKED,
    answer_state,
    review_state,
    reviewer_state,
)
from desktop.core.store.models import AuditEvent, Setting, utc_now

__all__ = ["GENESIS", "TRACKED", "AuditReport", "answer_state", "append_event", "review_state",
           "reviewer_state", "verify"]

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
    latest: dict[tuple[str, int | str], tuple[int, str | None]] = {}
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
        latest[_event_key(event)] = (event.seq, event.new)
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


def _event_key(event: AuditEvent) -> tuple[str, int | str]:
    """Settings are keyed by name (their events all carry entity id 0); other rows by id."""
    if event.entity == "setting":
        state = json.loads(event.new or event.old or "{}")
        return ("setting", str(state.get("key")))
    return (event.entity, event.entity_id)


def _replay(session: Session, latest: dict[tuple[str, int | str], tuple[int, str | None]],
            where: str) -> list[Problem]:
    problems: list[Problem] = []
    for entity, (model, state_of) in TRACKED.items():
        seen: set[int | str] = set()
        rows = session.execute(sa.select(model).order_by(model.id)).scalars()
        # a delivery's state reads its files: no other query while a streamed cursor is open
        for row in rows.all() if entity == "delivery" else rows.yield_per(500):
            seen.add(row.id)
            problems.extend(_compare(entity, row.id, latest.get((entity, row.id)),
                                     canonical(state_of(session, row)), where))
            session.expunge(row)
        problems.extend(_vanished(entity, seen, latest, where))
    seen = set()
    for setting in session.execute(sa.select(Setting).order_by(Setting.key)).scalars():
        seen.add(setting.key)
        problems.extend(_compare("setting", setting.key, latest.get(("setting", setting.key)),
                                 canonical({"key": setting.key, "value": setting.value}), where))
    problems.extend(_vanished("setting", seen, latest, where))
    return problems


def _compare(entity: str, entity_id: int | str, last: tuple[int, str | None] | None,
             actual: str | None, where: str) -> list[Problem]:
    name = f"{entity.replace('_', ' ').capitalize()} {entity_id}"
    if last is None:
        return [Problem("audit_missing", (
            f"{name} in {where} has no audit event: it was added outside the app."))]
    if last[1] != actual:
        return [Problem("audit_mismatch", (
            f"{name} in {where} differs from its last audit event {last[0]}: "
            f"{_differences(last[1], actual)}."))]
    return []


def _vanished(entity: str, seen: set[int | str],
              latest: dict[tuple[str, int | str], tuple[int, str | None]],
              where: str) -> list[Problem]:
    return [Problem("audit_row_missing", (
        f"{entity.replace('_', ' ').capitalize()} {entity_id} recorded by audit event {seq} is "
        f"missing from {where}: it was deleted outside the app."))
        for (kind, entity_id), (seq, new) in latest.items()
        if kind == entity and entity_id not in seen and new is not None]


def head(session: Session) -> dict[str, Any]:
    """The chain head: ``{"seq": n, "hash": h}`` of the newest event (seq 0 and GENESIS if none)."""
    row = session.execute(sa.select(AuditEvent.seq, AuditEvent.hash)
                          .order_by(AuditEvent.seq.desc()).limit(1)).first()
    return {"seq": row.seq, "hash": row.hash} if row else {"seq": 0, "hash": GENESIS}


def check_anchor(session: Session, seq: int, expected: str, where: str = "the database"
                 ) -> Problem | None:
    """``None`` when event ``seq`` still carries hash ``expected`` (the head a memo recorded)."""
    if seq == 0 and expected == GENESIS:
        return None
    found = session.execute(sa.select(AuditEvent.hash).where(AuditEvent.seq == seq)).scalar()
    if found is None:
        return Problem("audit_anchor_missing", (
            f"The audit trail in {where} no longer has event {seq}, the last event when the "
            "memo was signed: events were removed or the trail was rebuilt."))
    if found != expected:
        return Problem("audit_anchor_mismatch", (
            f"Audit event {seq} in {where} does not carry the hash the memo recorded when it was "
            "signed: the history up to the memo was rewritten after signing."))
    return None


def baseline(session: Session, actor: str = SYSTEM_ACTOR) -> int:
    """Append a ``baseline`` event for every audited row whose state its last event does not
    hold (rows written before their table was audited); returns how many were added."""
    latest: dict[tuple[str, int | str], str | None] = {}
    for event in session.execute(sa.select(AuditEvent).order_by(AuditEvent.seq)).scalars():
        latest[_event_key(event)] = event.new
    added = 0
    present = set(sa.inspect(session.connection()).get_table_names())
    for entity, (model, state_of) in TRACKED.items():
        if model.__tablename__ not in present:  # a table a later migration adds
            continue
        for row in session.execute(sa.select(model).order_by(model.id)).scalars().all():
            state = state_of(session, row)
            if latest.get((entity, row.id)) != canonical(state):
                append_event(session, actor, entity, row.id, "baseline", None, state)
                added += 1
    for setting in session.execute(sa.select(Setting).order_by(Setting.key)).scalars().all():
        state = {"key": setting.key, "value": setting.value}
        if latest.get(("setting", setting.key)) != canonical(state):
            append_event(session, actor, "setting", 0, "baseline", None, state)
            added += 1
    return added


def _differences(recorded: str | None, actual: str | None) -> str:
    old = json.loads(recorded) if recorded else {}
    new = json.loads(actual) if actual else {}
    parts = [f"{key} is {new.get(key)!r} in the table but {old.get(key)!r} in the audit trail"
             for key in sorted(set(old) | set(new)) if old.get(key) != new.get(key)]
    return "; ".join(parts) or "the recorded state differs"
