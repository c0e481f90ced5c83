"""``Store``: the review database behind one small API, one transaction per user action."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from desktop.core.results import ScanResult
from desktop.core.store import audit, deliveries, precedents, reviews
from desktop.core.store.audit_states import delivery_state, memo_state, reference_text_state
from desktop.core.store.engine import (
    DEFAULT_BUSY_TIMEOUT,
    WRITE_OPTION,
    configured_url,
    create_engine,
    describe,
    lock_for_write,
    normalise_url,
    translate_error,
)
from desktop.core.store.errors import NotFound, StoreError
from desktop.core.store.identity import (
    Identity,
    actor_label,
    ensure_reviewer,
    parse_identity,
    reviewer_label,
)
from desktop.core.store.migrate import upgrade
from desktop.core.store.models import (
    Answer,
    AuditEvent,
    Comment,
    FileNote,
    Memo,
    Obligation,
    ReferenceText,
    Review,
    Setting,
    utc_now,
)
from desktop.core.store.notes import NotesStore
from desktop.core.store.obligations import ObligationsStore
from desktop.core.store.obligations import carry_over as carry_over_obligations
from desktop.core.store.obligations import refresh as refresh_obligations
from desktop.core.store.recovery import sqlite_damage
from desktop.core.store.search import search_reviews

Who = Identity | str


def _identity(who: Who) -> Identity:
    return who if isinstance(who, Identity) else parse_identity(who)


class Store(NotesStore, ObligationsStore):
    """An open review database; every method is one committed transaction (or a read).

    File notes, item comment threads and version redlines come from :class:`NotesStore`."""

    def __init__(self, engine: sa.Engine, *, allow_self_approval: bool | None = None,
                 busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> None:
        self._engine = engine
        self._writer = engine.execution_options(**{WRITE_OPTION: True})
        self._busy_timeout = busy_timeout
        self.where = describe(engine.url)
        self._allow_self_approval = allow_self_approval

    @property
    def url(self) -> str:
        return self._engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        """Release every connection (the file or server can then be removed)."""
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except sa.exc.DBAPIError as exc:
            clear = translate_error(exc, self.where)
            if clear is not None:
                raise clear from exc
            raise

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with self._guard(), Session(self._engine) as session, session.begin():
            yield session

    @contextmanager
    def _write(self) -> Iterator[Session]:
        with self._guard(), Session(self._writer, expire_on_commit=False) as session, \
                session.begin():
            lock_for_write(session.connection(), self._busy_timeout)
            yield session

    # -- policy ------------------------------------------------------------------------------
    @property
    def allow_self_approval(self) -> bool:
        """Firm policy: may the preparer approve (small teams)? Parameter, else stored setting."""
        if self._allow_self_approval is not None:
            return self._allow_self_approval
        return self.get_setting("allow_self_approval") == "true"

    def get_setting(self, key: str) -> str | None:
        """A stored firm setting, or ``None``."""
        with self._read() as s:
            row = s.get(Setting, key)
            return row.value if row else None

    def set_setting(self, key: str, value: str, who: Who) -> None:
        """Store a firm setting (audited)."""
        with self._write() as s:
            actor = ensure_reviewer(s, _identity(who))
            row = s.get(Setting, key)
            old = {"key": key, "value": row.value} if row else None
            if row is None:
                s.add(Setting(key=key, value=value))
            else:
                row.value = value
            audit.append_event(s, reviewer_label(actor) or "", "setting", 0, "set", old,
                               {"key": key, "value": value})

    # -- reviewers and reviews ----------------------------------------------------------------
    def reviewer(self, who: Who) -> dict[str, Any]:
        """Register (or update) a reviewer; returns id, name, email, certificate fingerprint."""
        with self._write() as s:
            row = ensure_reviewer(s, _identity(who))
            return {"id": row.id, "name": row.name, "email": row.email,
                    "cert_fingerprint": row.cert_fingerprint}

    def create_review(self, scan: ScanResult, *, reviewer: Who, vendor: str | None = None,
                      product: str | None = None, version: str | None = None, purpose: str = "",
                      checklist: str = reviews.DEFAULT_CHECKLIST,
                      items: Sequence[str] = reviews.CHECKLIST_ITEMS,
                      received_on: dt.date | None = None,
                      findings: list[dict[str, Any]] | None = None,
                      knowledge_version: str | None = None,
                      checklist_version: str | None = None,
                      item_titles: Mapping[str, Sequence[str]] | None = None) -> int:
        """Store a scanned delivery and open a draft review of it; returns the review id.

        ``findings`` (checklist-engine findings) replace ``scan.findings`` when given; each
        item's suggested answer is its highest-level finding.  The knowledge base and checklist
        versions and the items' wording (``Settings.review_versions()``) are kept with the review
        for its memo."""
        with self._write() as s:
            preparer = ensure_reviewer(s, _identity(reviewer))
            delivery = deliveries.store_scan(s, scan, vendor, product, version, received_on,
                                             findings)
            audit.append_event(s, actor_label(preparer), "delivery", delivery.id,
                               "create", None, delivery_state(s, delivery))
            review = reviews.create_review(s, delivery, checklist, purpose, preparer, list(items),
                                           knowledge_version=knowledge_version,
                                           checklist_version=checklist_version, item_titles=item_titles)
            refresh_obligations(s, review.id, preparer)   # the register, from the kept texts
            return review.id

    def get_review(self, review_id: int, include_files: bool = False) -> dict[str, Any]:
        """The whole review as plain data (delivery, licenses, findings, answers, comments)."""
        with self._read() as s:
            return reviews.describe_review(s, review_id, include_files)

    def search(self, **filters: Any) -> list[dict[str, Any]]:
        """Reviews by ``vendor``, ``product``, ``license_key``, ``status``, ``reviewer``,
        ``since``, ``until`` (dates inclusive), newest first, at most ``limit``."""
        with self._read() as s:
            return search_reviews(s, **filters)

    list_reviews = search

    def answer(self, review_id: int, item: str, decision: str, rationale: str, *, reviewer: Who,
               conditions: str | None = None, evidence: list[Any] | None = None) -> dict[str, Any]:
        """Record a reviewer's decision on one checklist item."""
        with self._write() as s:
            actor = ensure_reviewer(s, _identity(reviewer))
            row = reviews.record_answer(s, review_id, item, decision, rationale, conditions,
                                        evidence, actor)
            return _answer_dict(row, actor)

    def set_status(self, review_id: int, status: str, *, reviewer: Who) -> dict[str, Any]:
        """Change the status; approved/approved-with-conditions/rejected need a second person."""
        allow = self.allow_self_approval
        with self._write() as s:
            actor = ensure_reviewer(s, _identity(reviewer))
            row = reviews.set_status(s, review_id, status, actor, allow)
            return {"id": row.id, "status": row.status,
                    "approver": reviewer_label(actor) if row.approver_id else None}

    def add_comment(self, review_id: int, text: str, *, reviewer: Who,
                    item: str | None = None) -> int:
        """Attach a comment to a review or one of its items; returns its id."""
        with self._write() as s:
            actor = ensure_reviewer(s, _identity(reviewer))
            return reviews.add_comment(s, review_id, text, actor, item).id

    # -- versions -----------------------------------------------------------------------------
    def diff_deliveries(self, old_delivery_id: int, new_delivery_id: int) -> dict[str, Any]:
        """What changed between two deliveries (files, licenses, findings)."""
        with self._read() as s:
            return deliveries.diff_deliveries(s, old_delivery_id, new_delivery_id)

    def diff_reviews(self, old_review_id: int, new_review_id: int) -> dict[str, Any]:
        """:meth:`diff_deliveries` for the deliveries of two reviews (review ids added)."""
        with self._read() as s:
            old = reviews.get_review_row(s, old_review_id)
            new = reviews.get_review_row(s, new_review_id)
            result = deliveries.diff_deliveries(s, old.delivery_id, new.delivery_id)
        return {"old_review": old_review_id, "new_review": new_review_id, **result}

    def previous_review(self, review_id: int) -> int | None:
        """The latest review of the delivery this review's delivery follows, if any."""
        return self.get_review(review_id)["delivery"]["previous_review"]

    def carry_over(self, new_review_id: int, *, reviewer: Who, old_review_id: int | None = None,
                   items: Sequence[str] | None = None) -> list[str]:
        """Copy unchanged decisions from the previous review, marked as carried over; returns the items
        carried over (:meth:`carry_over_report` says which obligations were settled too)."""
        return self.carry_over_report(new_review_id, reviewer=reviewer, old_review_id=old_review_id,
                                      items=items)["items"]

    def carry_over_report(self, new_review_id: int, *, reviewer: Who, old_review_id: int | None = None,
                          items: Sequence[str] | None = None) -> dict[str, list[str]]:
        """:meth:`carry_over`, returning ``{"items": [...], "obligations": [keys]}`` of what it carried.

        ``items`` defaults to every item whose findings did not change; an item whose evidence cites
        a file that changed (or whose license text changed) is reopened, never carried.  Answers already
        decided in the new review are never overwritten; a carried answer keeps its decider's name.
        Obligations settled in the old review whose wording and quotes are unchanged are carried too.
        """
        if old_review_id is None:
            old_review_id = self.previous_review(new_review_id)
            if old_review_id is None:
                raise NotFound(f"Review {new_review_id} has no previous review to carry over from.")
        diff = self.diff_reviews(old_review_id, new_review_id)
        reopened = set(diff["items_to_review"]) | self._items_with_changed_evidence(old_review_id, diff)
        if items is None:
            current = [a["item"] for a in self.get_review(new_review_id)["answers"]]
            items = [i for i in current if i not in reopened]
        else:
            items = [i for i in items if i not in self._items_with_changed_evidence(old_review_id, diff)]
        with self._write() as s:
            actor = ensure_reviewer(s, _identity(reviewer))
            carried = reviews.carry_over(s, new_review_id, old_review_id, list(items), actor)
            return {"items": carried,
                    "obligations": carry_over_obligations(s, new_review_id, old_review_id, actor)}

    def _items_with_changed_evidence(self, old_review_id: int, diff: dict[str, Any]) -> set[str]:
        """Items whose decision (or whose findings) cite a file that changed or is gone."""
        gone = {c["path"] for c in diff["files"]["changed"]} | set(diff["files"]["removed"])
        old = self.get_review(old_review_id)
        items = {a["item"] for a in old["answers"]
                 if any(isinstance(e, dict) and e.get("path") in gone for e in a.get("evidence") or [])}
        with self._read() as s:
            delivery = reviews.get_review_row(s, old_review_id).delivery_id
            for f in deliveries.findings_of(s, delivery):
                if any(isinstance(e, dict) and e.get("path") in gone for e in f.get("evidence") or []):
                    items.add(f["check"])
        return items

    # -- precedents ---------------------------------------------------------------------------
    def save_precedent(self, review_id: int, item: str, *, reviewer: Who,
                       license_key: str | None = None) -> int:
        """Save a decided answer as a precedent; returns its id."""
        with self._write() as s:
            actor = ensure_reviewer(s, _identity(reviewer))
            return precedents.save(s, review_id, item, actor, license_key).id

    def precedents(self, license_key: str | None = None) -> list[dict[str, Any]]:
        """All precedents, newest first."""
        with self._read() as s:
            return precedents.list_all(s, license_key)

    def precedents_for(self, review_id: int) -> list[dict[str, Any]]:
        """Matching precedents for a review, as proposals (never applied by themselves)."""
        with self._read() as s:
            return precedents.proposals(s, review_id)

    def accept_precedent(self, review_id: int, precedent_id: int, *,
                         reviewer: Who) -> dict[str, Any]:
        """Turn a proposed precedent into the answer of its item (marked with the precedent)."""
        with self._write() as s:
            actor = ensure_reviewer(s, _identity(reviewer))
            return _answer_dict(precedents.accept(s, review_id, precedent_id, actor), actor)

    # -- memos, firm texts, audit -------------------------------------------------------------
    def record_memo(self, review_id: int, file_sha256: str, *, signer: Who,
                    signed_at: dt.datetime | None = None, path: str | None = None) -> int:
        """Record a signed memo (its file hash, signer and time); returns its id."""
        with self._write() as s:
            reviews.get_review_row(s, review_id)
            actor = ensure_reviewer(s, _identity(signer))
            row = Memo(review_id=review_id, file_sha256=file_sha256.lower(), signer_id=actor.id,
                       signed_at=signed_at or utc_now(), path=path)
            s.add(row)
            s.flush()
            audit.append_event(s, reviewer_label(actor) or "", "memo", row.id, "create", None,
                               memo_state(row))
            return row.id

    def add_reference_text(self, key: str, title: str, text: str, *, reviewer: Who) -> int:
        """Store one of the firm's reference texts (e.g. an approved license wording)."""
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        with self._write() as s:
            actor = ensure_reviewer(s, _identity(reviewer))
            row = ReferenceText(key=key, title=title, text=text, sha256=digest, added_at=utc_now())
            s.add(row)
            s.flush()
            audit.append_event(s, reviewer_label(actor) or "", "reference_text", row.id, "create",
                               None, reference_text_state(row))
            return row.id

    def reference_texts(self) -> list[dict[str, Any]]:
        """The firm's reference texts (key, title, text, sha256)."""
        with self._read() as s:
            rows = s.execute(sa.select(ReferenceText).order_by(ReferenceText.key)).scalars()
            return [{"id": r.id, "key": r.key, "title": r.title, "text": r.text,
                     "sha256": r.sha256, "added_at": r.added_at.isoformat()} for r in rows]

    def audit_verify(self) -> audit.AuditReport:
        """Recompute the hash chain and compare every audited row with its last event."""
        with self._read() as s:
            return audit.verify(s, self.where)

    def audit_head(self) -> dict[str, Any]:
        """The newest audit event as ``{"seq", "hash"}``: what a signed memo carries."""
        with self._read() as s:
            return audit.head(s)

    def audit_check_anchor(self, seq: int, head_hash: str) -> Any:
        """``None`` when audit event ``seq`` still has ``head_hash``, else the Problem."""
        with self._read() as s:
            return audit.check_anchor(s, seq, head_hash, self.where)

    def history(self, entity: str | None = None, entity_id: int | None = None,
                review_id: int | None = None) -> list[dict[str, Any]]:
        """Audit events (who, when, old, new), oldest first; ``review_id`` selects a review's
        own events and those of its answers, comments and memos."""
        with self._read() as s:
            query = sa.select(AuditEvent).order_by(AuditEvent.seq)
            if review_id is not None:
                parts = {"answer": Answer, "comment": Comment, "memo": Memo, "file_note": FileNote,
                         "obligation": Obligation}
                query = query.where(sa.or_(
                    sa.and_(AuditEvent.entity == "review", AuditEvent.entity_id == review_id),
                    *(sa.and_(AuditEvent.entity == name, AuditEvent.entity_id.in_(
                        sa.select(model.id).where(model.review_id == review_id)))
                      for name, model in parts.items())))
            if entity:
                query = query.where(AuditEvent.entity == entity)
            if entity_id is not None:
                query = query.where(AuditEvent.entity_id == entity_id)
            return [{"seq": e.seq, "at": e.at, "actor": e.actor, "entity": e.entity,
                     "entity_id": e.entity_id, "action": e.action,
                     "old": json.loads(e.old) if e.old else None,
                     "new": json.loads(e.new) if e.new else None, "hash": e.hash}
                    for e in s.execute(query).scalars()]

    def review_ids(self) -> list[int]:
        """Every review id, oldest first."""
        with self._read() as s:
            return list(s.execute(sa.select(Review.id).order_by(Review.id)).scalars())


def _answer_dict(row: Answer, actor: Any) -> dict[str, Any]:
    return {"id": row.id, "review": row.review_id, "item": row.item, "decision": row.decision,
            "rationale": row.rationale, "conditions": row.conditions,
            "answered_by": reviewer_label(actor),
            "answered_at": row.answered_at.isoformat() if row.answered_at else None,
            "carried_over": row.carried_from_id is not None, "precedent": row.precedent_id}


def open_store(url: str | None = None, *, allow_self_approval: bool | None = None,
               busy_timeout: float = DEFAULT_BUSY_TIMEOUT, migrate: bool = True) -> Store:
    """Open (creating and migrating to the newest schema) the review database at ``url``.

    Without a URL: env ``AIREVIEW_DB``, else the saved setting, else ``reviews.db`` in the
    per-user data folder.  Raises :class:`StoreError` with a clear sentence when it cannot.
    """
    url = url or configured_url()
    engine = create_engine(url, busy_timeout)
    where = describe(normalise_url(url))
    try:
        if migrate:
            upgrade(engine, busy_timeout=busy_timeout)
        if engine.dialect.name == "sqlite":
            damage = sqlite_damage(engine)
            if damage:
                raise StoreError(f"The review database {where} is damaged ({damage}); open a recovery copy "
                                 "of it or restore it from a backup.")
    except sa.exc.DBAPIError as exc:
        engine.dispose()
        clear = translate_error(exc, where)
        raise (clear or StoreError(f"The review database {where} cannot be opened: {exc.orig}")) \
            from exc
    except BaseException:
        engine.dispose()
        raise
    return Store(engine, allow_self_approval=allow_self_approval, busy_timeout=busy_timeout)
