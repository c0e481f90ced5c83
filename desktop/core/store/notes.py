"""Notes on delivered files, comment threads on checklist items, and redlines between versions.

The session functions work inside the caller's transaction and append the audit events of what
they write (entities ``file_note`` and ``comment``).  A decided review (approved, approved with
conditions, rejected) is read-only here: reopen it for review to add a note or a comment.
:class:`NotesStore` is the part of :class:`desktop.core.store.Store` that calls them, one
transaction per call.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from desktop.core.licenses.word_redline import word_redline
from desktop.core.store.audit import append_event
from desktop.core.store.audit_states import comment_state, file_note_state
from desktop.core.store.deliveries import diff_deliveries, kept_texts
from desktop.core.store.errors import NotFound, PolicyError
from desktop.core.store.identity import Identity, actor_label, ensure_reviewer, parse_identity, reviewer_label
from desktop.core.store.models import Comment, File, FileNote, Review, Reviewer, utc_now
from desktop.core.store.reviews import LOCKED_STATUSES, get_review_row

MAX_NOTE_CHARS = 20_000


def _check_writable(review: Review, what: str) -> None:
    if review.status in LOCKED_STATUSES:
        raise PolicyError(f"Review {review.id} is {review.status} and read-only; reopen it for review "
                          f"before adding {what}.")


def _check_text(text: str, what: str) -> str:
    cleaned = text.strip()
    if not cleaned:
        raise PolicyError(f"{what.capitalize()} cannot be empty.")
    if len(cleaned) > MAX_NOTE_CHARS:
        raise PolicyError(f"{what.capitalize()} is longer than {MAX_NOTE_CHARS:,} characters.")
    return cleaned


def add_file_note(session: Session, review_id: int, path: str, text: str, actor: Reviewer) -> FileNote:
    """A note on one delivered file of the review (the file must be part of its delivery)."""
    review = get_review_row(session, review_id)
    _check_writable(review, "a note")
    cleaned = _check_text(text, "a note")
    known = session.execute(sa.select(File.id).where(File.delivery_id == review.delivery_id,
                                                     File.path == path).limit(1)).scalar()
    if known is None:
        raise NotFound(f"The delivery of review {review_id} has no file {path!r}.")
    row = FileNote(review_id=review_id, path=path, author_id=actor.id, created_at=utc_now(), text=cleaned)
    session.add(row)
    session.flush()
    append_event(session, actor_label(actor), "file_note", row.id, "create", None, file_note_state(row))
    return row


def add_item_comment(session: Session, review_id: int, item: str, text: str, actor: Reviewer) -> Comment:
    """A comment in the thread of one checklist item (preparer and approver talk there)."""
    review = get_review_row(session, review_id)
    _check_writable(review, "a comment")
    cleaned = _check_text(text, "a comment")
    if not item.strip():
        raise PolicyError("A comment of the thread needs its checklist item.")
    row = Comment(review_id=review_id, item=item, author_id=actor.id, created_at=utc_now(), text=cleaned)
    session.add(row)
    session.flush()
    append_event(session, actor_label(actor), "comment", row.id, "create", None, comment_state(row))
    return row


def _people(session: Session, ids: set[int]) -> dict[int, str | None]:
    rows = session.execute(sa.select(Reviewer).where(Reviewer.id.in_(ids))).scalars() if ids else []
    return {r.id: reviewer_label(r) for r in rows}


def file_notes(session: Session, review_id: int, path: str | None = None) -> list[dict[str, Any]]:
    """The notes of a review (of one file when ``path`` is given), oldest first."""
    get_review_row(session, review_id)
    query = sa.select(FileNote).where(FileNote.review_id == review_id)
    if path is not None:
        query = query.where(FileNote.path == path)
    rows = session.execute(query.order_by(FileNote.id)).scalars().all()
    people = _people(session, {r.author_id for r in rows})
    return [{"id": r.id, "path": r.path, "author": people.get(r.author_id),
             "at": r.created_at.isoformat(), "text": r.text} for r in rows]


def item_comments(session: Session, review_id: int, item: str | None = None) -> list[dict[str, Any]]:
    """The comments of a review (the thread of one item when ``item`` is given), oldest first."""
    get_review_row(session, review_id)
    query = sa.select(Comment).where(Comment.review_id == review_id)
    if item is not None:
        query = query.where(Comment.item == item)
    rows = session.execute(query.order_by(Comment.id)).scalars().all()
    people = _people(session, {r.author_id for r in rows})
    return [{"id": r.id, "item": r.item, "author": people.get(r.author_id),
             "at": r.created_at.isoformat(), "text": r.text} for r in rows]


def text_redlines(session: Session, old_review_id: int, new_review_id: int) -> list[dict[str, Any]]:
    """For each kept text (license, notice, model card) whose file changed between the deliveries
    of two reviews: its path, the words inserted and deleted, and the word redline."""
    old = get_review_row(session, old_review_id).delivery_id
    new = get_review_row(session, new_review_id).delivery_id
    changed = [c["path"] for c in diff_deliveries(session, old, new)["files"]["changed"]]
    old_texts, new_texts = kept_texts(session, old), kept_texts(session, new)
    result = []
    for path in changed:
        if path in old_texts and path in new_texts:
            redline = word_redline(old_texts[path], new_texts[path])
            result.append({"path": path, **redline.to_json()})
    return result


class NotesStore:
    """Notes, item threads and version redlines of :class:`desktop.core.store.Store`."""

    # provided by Store: one read transaction, one write transaction (with the write lock)
    _read: Callable[[], AbstractContextManager[Session]]
    _write: Callable[[], AbstractContextManager[Session]]

    def add_file_note(self, review_id: int, path: str, text: str, *, reviewer: Identity | str) -> int:
        """Note on one delivered file of a review; returns its id."""
        with self._write() as s:
            actor = ensure_reviewer(s, _who(reviewer))
            return add_file_note(s, review_id, path, text, actor).id

    def file_notes(self, review_id: int, path: str | None = None) -> list[dict[str, Any]]:
        """Notes of a review, or of one of its files (id, path, author, at, text)."""
        with self._read() as s:
            return file_notes(s, review_id, path)

    def add_item_comment(self, review_id: int, item: str, text: str, *, reviewer: Identity | str) -> int:
        """A comment in the thread of one checklist item; returns its id."""
        with self._write() as s:
            actor = ensure_reviewer(s, _who(reviewer))
            return add_item_comment(s, review_id, item, text, actor).id

    def item_comments(self, review_id: int, item: str | None = None) -> list[dict[str, Any]]:
        """Comments of a review, or the thread of one item (id, item, author, at, text)."""
        with self._read() as s:
            return item_comments(s, review_id, item)

    def file_texts(self, review_id: int) -> dict[str, str]:
        """The license, notice and model card texts kept with the review's delivery, by path."""
        with self._read() as s:
            return kept_texts(s, get_review_row(s, review_id).delivery_id)

    def text_redlines(self, old_review_id: int, new_review_id: int) -> list[dict[str, Any]]:
        """Word redlines of the kept texts that changed between the deliveries of two reviews."""
        with self._read() as s:
            return text_redlines(s, old_review_id, new_review_id)


def _who(who: Identity | str) -> Identity:
    return who if isinstance(who, Identity) else parse_identity(who)


__all__ = ["NotesStore", "add_file_note", "add_item_comment", "file_notes", "item_comments",
           "text_redlines"]
