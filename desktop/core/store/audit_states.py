"""What the audit trail records of each table: the audited state of one row, as plain data.

Every table a memo or a decision relies on is covered.  Rows that come in bulk with a delivery
(its files, license matches and findings) are covered by the delivery's state, which holds a
SHA-256 digest of each of those lists: changing, adding or removing any file, match or finding
row changes the digest.  Settings are keyed by their name, not by an id.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from desktop.core.store.models import (
    Answer,
    ChecklistItem,
    Comment,
    Delivery,
    File,
    FileNote,
    FileText,
    Finding,
    LicenseMatch,
    Memo,
    Obligation,
    Precedent,
    ReferenceText,
    Review,
    Reviewer,
    Vendor,
)

StateOf = Callable[[Session, Any], dict[str, Any]]


def _digest(rows: list[Any]) -> str:
    text = json.dumps(rows, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _rows(session: Session, columns: tuple[Any, ...], where: Any) -> list[list[Any]]:
    """Plain column values in id order (no ORM objects pile up in the session)."""
    query = sa.select(*columns).where(where).order_by(columns[0])
    return [list(r) for r in session.execute(query)]


def _when(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


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
            "status": row.status, "preparer": row.preparer_id, "approver": row.approver_id,
            "knowledge_version": row.knowledge_version, "checklist_version": row.checklist_version}


def reviewer_state(row: Reviewer) -> dict[str, Any]:
    """The audited fields of a reviewer."""
    return {"name": row.name, "email": row.email, "cert_fingerprint": row.cert_fingerprint}


def _has_texts(session: Session) -> bool:
    """False while migration 0003 baselines a database that migration 0004 has not reached yet."""
    return sa.inspect(session.connection()).has_table("file_text")


def delivery_state(session: Session, row: Delivery) -> dict[str, Any]:
    """A delivery with digests of its files, license matches, findings and kept texts (id order)."""
    vendor = session.get(Vendor, row.vendor_id) if row.vendor_id else None
    files = _rows(session, (File.id, File.path, File.size, File.sha256, File.role, File.format,
                            File.format_metadata, File.problems), File.delivery_id == row.id)
    matches = _rows(session, (LicenseMatch.id, LicenseMatch.file_id, LicenseMatch.key,
                              LicenseMatch.spdx, LicenseMatch.details),
                    LicenseMatch.delivery_id == row.id)
    later = _has_texts(session)  # migration 0004's columns and tables exist
    columns = (Finding.id, Finding.check, Finding.level, Finding.summary, Finding.facts, Finding.evidence)
    findings = _rows(session, columns + ((Finding.why,) if later else ()), Finding.delivery_id == row.id)
    # A finding's why joins its row only when set: states recorded before it existed stay the same.
    findings = [r[:6] + ([r[6]] if len(r) > 6 and r[6] else []) for r in findings]
    kept = [] if not later else [
        [file_id, hashlib.sha256(text.encode("utf-8")).hexdigest()] for file_id, text in
        _rows(session, (FileText.file_id, FileText.text),
              FileText.file_id.in_(sa.select(File.id).where(File.delivery_id == row.id)))]
    # Only deliveries imported with kept texts carry these keys: older states stay unchanged.
    texts = {"texts": len(kept), "texts_sha256": _digest(kept)} if kept else {}
    return {"vendor": vendor.name if vendor else None, "name": row.name, "version": row.version,
            "received_on": _when(row.received_on), "source_path": row.source_path,
            "source_kind": row.source_kind, "fingerprint": row.fingerprint,
            "components": row.components, "problems": row.problems, "previous": row.previous_id,
            "files": len(files), "files_sha256": _digest(files),
            "license_matches": len(matches), "license_matches_sha256": _digest(matches),
            "findings": len(findings), "findings_sha256": _digest(findings), **texts}


def comment_state(row: Comment) -> dict[str, Any]:
    """The audited fields of a comment."""
    return {"review": row.review_id, "item": row.item, "author": row.author_id,
            "created_at": _when(row.created_at), "text": row.text}


def memo_state(row: Memo) -> dict[str, Any]:
    """The audited fields of a recorded memo."""
    return {"review": row.review_id, "file_sha256": row.file_sha256, "signer": row.signer_id,
            "signed_at": _when(row.signed_at), "path": row.path}


def precedent_state(row: Precedent) -> dict[str, Any]:
    """The audited fields of a precedent."""
    return {"license_key": row.license_key, "purpose": row.purpose, "item": row.item,
            "decision": row.decision, "rationale": row.rationale, "conditions": row.conditions,
            "reviewer": row.reviewer_id, "created_at": _when(row.created_at),
            "source_review": row.source_review_id}


def reference_text_state(row: ReferenceText) -> dict[str, Any]:
    """The audited fields of a firm reference text (its words by their SHA-256)."""
    return {"key": row.key, "title": row.title, "sha256": row.sha256,
            "text_sha256": hashlib.sha256(row.text.encode("utf-8")).hexdigest()}


def obligation_state(row: Obligation) -> dict[str, Any]:
    """The audited fields of an obligation (its owner and status among them)."""
    return {"review": row.review_id, "key": row.key, "kind": row.kind,
            "license_key": row.license_key, "text": row.text, "evidence": row.evidence,
            "owner": row.owner, "status": row.status, "reason": row.reason,
            "decided_by": row.decided_by_id, "decided_at": _when(row.decided_at)}


def file_note_state(row: FileNote) -> dict[str, Any]:
    """The audited fields of a note on a delivered file."""
    return {"review": row.review_id, "path": row.path, "author": row.author_id,
            "created_at": _when(row.created_at), "text": row.text}


def checklist_item_state(row: ChecklistItem) -> dict[str, Any]:
    """The audited fields of a review's checklist item wording."""
    return {"review": row.review_id, "item": row.item, "title": row.title, "question": row.question}


def _plain(state_of: Callable[[Any], dict[str, Any]]) -> StateOf:
    return lambda _session, row: state_of(row)


# entity name -> (table, state of a row); the order is the order :func:`audit.verify` reports.
TRACKED: dict[str, tuple[type[Any], StateOf]] = {
    "reviewer": (Reviewer, _plain(reviewer_state)),
    "delivery": (Delivery, delivery_state),
    "review": (Review, _plain(review_state)),
    "answer": (Answer, _plain(answer_state)),
    "comment": (Comment, _plain(comment_state)),
    "precedent": (Precedent, _plain(precedent_state)),
    "memo": (Memo, _plain(memo_state)),
    "reference_text": (ReferenceText, _plain(reference_text_state)),
    "obligation": (Obligation, _plain(obligation_state)),
    "file_note": (FileNote, _plain(file_note_state)),
    "checklist_item": (ChecklistItem, _plain(checklist_item_state)),
}
