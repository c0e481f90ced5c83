"""The obligations register of a review: built from its delivery's findings, decided by reviewers.

Every function works inside the caller's transaction and appends the audit events for what it
changes (entity ``obligation``).  :class:`ObligationsStore` gives :class:`Store` its methods, one
transaction each.  A decided review (approved, rejected) is read-only, like its answers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from desktop.core.obligations import KIND_TITLES, Kind, Obligation, Status, basis_of, derive
from desktop.core.store.audit import append_event
from desktop.core.store.audit_states import obligation_state
from desktop.core.store.deliveries import findings_of
from desktop.core.store.errors import NotFound, PolicyError
from desktop.core.store.identity import Identity, actor_label, ensure_reviewer, parse_identity, reviewer_label
from desktop.core.store.models import File, FileText, LicenseMatch
from desktop.core.store.models import Obligation as Row
from desktop.core.store.models import Review, Reviewer, utc_now
from desktop.core.store.reviews import LOCKED_STATUSES, get_review_row

TEXT_ROLES = ("license", "agreement", "notice")
UNSET: Any = object()


def _check_open(review: Review) -> None:
    if review.status in LOCKED_STATUSES:
        raise PolicyError(f"Review {review.id} is {review.status}; set it back to in-review "
                          "before changing its obligations.")


def kept_texts(session: Session, delivery_id: int) -> dict[str, str]:
    """Delivered texts kept with the delivery (licenses, notices, cards: path -> text), when any."""
    query = (sa.select(File.path, FileText.text).join(FileText, FileText.file_id == File.id)
             .where(File.delivery_id == delivery_id))
    return {path: text for path, text in session.execute(query)}


def license_matches(session: Session, delivery_id: int) -> list[dict[str, Any]]:
    """The license matches of a delivery's files (path, role, key, name, source, lines), in file order."""
    query = (sa.select(File.path, File.role, LicenseMatch.key, LicenseMatch.details)
             .join(LicenseMatch, LicenseMatch.file_id == File.id)
             .where(File.delivery_id == delivery_id).order_by(File.path, LicenseMatch.id))
    return [{"path": path, "role": role, "key": key, "name": (details or {}).get("name"),
             "source": (details or {}).get("source"), "lines": (details or {}).get("lines")}
            for path, role, key, details in session.execute(query)]


def knowledge_of(keys: set[str]) -> dict[str, Any]:
    """The knowledge-base facts of ``keys`` (those it holds; none when it cannot be read)."""
    from desktop.core.checks.knowledge import knowledge_files, load_knowledge_file
    from desktop.core.checks.knowledge_schema import KnowledgeError

    try:
        return {p.stem: load_knowledge_file(p) for p in knowledge_files() if p.stem in keys}
    except (KnowledgeError, OSError, ValueError):
        return {}


def refresh(session: Session, review_id: int, actor: Reviewer,
            texts: Mapping[str, str] | None = None) -> list[Row]:
    """Build or bring up to date the register of a review from its delivery's findings.

    New duties are added as open; an open row whose text or evidence changed is updated; an open
    row no longer derived is removed.  Rows a reviewer decided are never changed or removed.
    ``texts`` (path -> delivered text) default to the texts kept with the delivery.
    """
    review = get_review_row(session, review_id)
    _check_open(review)
    files = [{"path": p, "role": r, "sha256": h} for p, r, h in session.execute(
        sa.select(File.path, File.role, File.sha256).where(File.delivery_id == review.delivery_id)
        .order_by(File.path))]
    matches = license_matches(session, review.delivery_id)
    derived = derive(findings_of(session, review.delivery_id), files,
                     kept_texts(session, review.delivery_id) if texts is None else texts,
                     matches, knowledge_of({str(m["key"]) for m in matches}))
    rows = {r.key: r for r in _rows(session, review_id)}
    label = actor_label(actor)
    for ob in derived:
        row = rows.pop(ob.key, None)
        if row is None:
            row = Row(review_id=review_id, key=ob.key, kind=str(ob.kind), license_key=ob.license_key,
                      text=ob.text, evidence=list(ob.evidence), owner=None, status=str(Status.OPEN))
            session.add(row)
            session.flush()
            append_event(session, label, "obligation", row.id, "create", None, obligation_state(row))
        elif row.status == Status.OPEN and (row.text, row.evidence) != (ob.text, list(ob.evidence)):
            old = obligation_state(row)
            row.text, row.evidence = ob.text, list(ob.evidence)
            session.flush()
            append_event(session, label, "obligation", row.id, "refresh", old, obligation_state(row))
    for row in rows.values():
        if row.status == Status.OPEN:
            append_event(session, label, "obligation", row.id, "delete", obligation_state(row), None)
            session.delete(row)
    session.flush()
    return _rows(session, review_id)


def decide(session: Session, review_id: int, key: str, actor: Reviewer, *, owner: Any = UNSET,
           status: str | None = None, reason: Any = UNSET) -> Row:
    """Set the owner and/or the status of one obligation; ``not-applicable`` needs a reason."""
    review = get_review_row(session, review_id)
    _check_open(review)
    row = session.execute(sa.select(Row).where(Row.review_id == review_id, Row.key == key)).scalar()
    if row is None:
        raise NotFound(f"Review {review_id} has no obligation {key!r}.")
    new_status = row.status if status is None else status
    if new_status not in tuple(Status):
        raise PolicyError(f"Unknown obligation status {new_status!r}; use one of {', '.join(Status)}.")
    new_reason = row.reason if reason is UNSET else ((reason or "").strip() or None)
    if new_status == Status.NOT_APPLICABLE and not new_reason:
        raise PolicyError("An obligation marked not-applicable needs the reason.")
    old = obligation_state(row)
    if owner is not UNSET:
        row.owner = (owner or "").strip() or None
    if status is not None and status != row.status:
        row.decided_by_id, row.decided_at = actor.id, utc_now()
    row.status, row.reason = new_status, new_reason
    if obligation_state(row) == old:
        return row
    review.updated_at = utc_now()
    session.flush()
    append_event(session, actor_label(actor), "obligation", row.id, "decide", old, obligation_state(row))
    return row


def carry_over(session: Session, new_review_id: int, old_review_id: int, actor: Reviewer) -> list[str]:
    """Settle each open duty of the new review as the reviewer settled the same duty in the old one.

    Only a duty with the same key, the same wording and the same quotes (text, lines, pages) is
    carried: a changed source leaves it open.  The owner, status and reason are copied with who
    decided them and when; the event log names who carried them.  Returns the keys carried.
    """
    _check_open(get_review_row(session, new_review_id))
    earlier = {r.key: r for r in _rows(session, old_review_id)}
    carried: list[str] = []
    for row in _rows(session, new_review_id):
        source = earlier.get(row.key)
        if source is None or row.status != Status.OPEN or row.owner is not None:
            continue
        if source.status == Status.OPEN and source.owner is None:
            continue  # nothing was settled in the old review
        if source.text != row.text or _quotes(source.evidence) != _quotes(row.evidence):
            continue
        old = obligation_state(row)
        row.owner, row.status, row.reason = source.owner, source.status, source.reason
        row.decided_by_id, row.decided_at = source.decided_by_id, source.decided_at
        session.flush()
        append_event(session, actor_label(actor), "obligation", row.id, "carry-over", old, obligation_state(row))
        carried.append(row.key)
    return carried


def _quotes(evidence: list[Any] | None) -> list[tuple[Any, ...]]:
    """What a duty's evidence quotes, whatever the delivery's folder is called."""
    return [(e.get("quote"), e.get("lines"), e.get("pages")) for e in evidence or [] if isinstance(e, dict)]


def _rows(session: Session, review_id: int) -> list[Row]:
    return list(session.execute(sa.select(Row).where(Row.review_id == review_id).order_by(Row.id)).scalars())


def describe(session: Session, review_id: int) -> list[dict[str, Any]]:
    """The register as plain data, in the derived order (the ``obligations --json`` rows)."""
    get_review_row(session, review_id)
    people = {r.id: reviewer_label(r) for r in session.execute(sa.select(Reviewer)).scalars()}
    order = {str(k): n for n, k in enumerate(Kind)}
    rows = _rows(session, review_id)
    licenses = list(dict.fromkeys(r.license_key for r in rows))
    rows.sort(key=lambda r: (licenses.index(r.license_key), order.get(r.kind, 99), r.id))
    return [{"id": r.id, "key": r.key, "kind": r.kind, "title": KIND_TITLES.get(Kind(r.kind), r.kind)
             if r.kind in order else r.kind, "license": r.license_key, "text": r.text,
             "basis": str(basis_of(r.evidence or [])), "evidence": r.evidence or [], "owner": r.owner,
             "status": r.status, "reason": r.reason, "decided_by": people.get(r.decided_by_id),
             "decided_at": r.decided_at.isoformat() if r.decided_at else None} for r in rows]


def scan_texts(files: Any) -> dict[str, str]:
    """The license and notice texts of a scan's files (path -> text), for :func:`refresh` at scan time."""
    return {f.path: f.text for f in files if f.text and f.role in TEXT_ROLES}


class ObligationsStore:
    """The register's methods of :class:`desktop.core.store.Store` (one transaction each)."""

    # provided by Store: one read transaction, one write transaction (with the write lock)
    _read: Callable[[], AbstractContextManager[Session]]
    _write: Callable[[], AbstractContextManager[Session]]

    def obligations(self, review_id: int) -> list[dict[str, Any]]:
        """The obligations register of a review (empty until it is built)."""
        with self._read() as s:
            return describe(s, review_id)

    def refresh_obligations(self, review_id: int, *, reviewer: Identity | str,
                            texts: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
        """Build or update the register from the delivery's findings; returns it."""
        with self._write() as s:
            refresh(s, review_id, ensure_reviewer(s, _who(reviewer)), texts)
            return describe(s, review_id)

    def set_obligation(self, review_id: int, key: str, *, reviewer: Identity | str, owner: Any = UNSET,
                       status: str | None = None, reason: Any = UNSET) -> dict[str, Any]:
        """Set an obligation's owner, status and reason (audited); returns its row."""
        with self._write() as s:
            row = decide(s, review_id, key, ensure_reviewer(s, _who(reviewer)), owner=owner,
                         status=status, reason=reason)
            return next(r for r in describe(s, review_id) if r["id"] == row.id)


def _who(who: Identity | str) -> Identity:
    return who if isinstance(who, Identity) else parse_identity(who)


__all__ = ["UNSET", "ObligationsStore", "Obligation", "carry_over", "decide", "describe", "kept_texts",
           "refresh", "scan_texts"]
