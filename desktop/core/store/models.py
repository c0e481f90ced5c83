"""SQLAlchemy tables of the review store (the head of the migrations in ``migrations/versions``).

The ORM classes stay inside ``desktop.core.store``: the public API returns plain dicts and
dataclasses.  Any change here needs a new migration; a test compares these tables with the
database the migrations build.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

REVIEW_STATUSES = (
    "draft", "in-review", "approved", "approved-with-conditions", "rejected", "needs-info",
)
DECISIONS = ("accept", "accept-with-conditions", "reject", "needs-info")

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(sa.TypeDecorator[dt.datetime]):
    """A timestamp kept as naive UTC in the database and returned timezone-aware."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        return None if value is None else value.replace(tzinfo=dt.UTC)


def utc_now() -> dt.datetime:
    """The current time, timezone-aware UTC."""
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING)


class Vendor(Base):
    __tablename__ = "vendor"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)


class Delivery(Base):
    __tablename__ = "delivery"
    __table_args__ = (sa.Index("ix_delivery_vendor_id_name", "vendor_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    vendor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("vendor.id"))
    name: Mapped[str] = mapped_column(sa.String(300), index=True)
    version: Mapped[str | None] = mapped_column(sa.String(100))
    received_on: Mapped[dt.date] = mapped_column(sa.Date)
    source_path: Mapped[str] = mapped_column(sa.Text)
    source_kind: Mapped[str] = mapped_column(sa.String(40))
    fingerprint: Mapped[str] = mapped_column(sa.String(100), index=True)
    components: Mapped[list[Any]] = mapped_column(sa.JSON)
    problems: Mapped[list[Any]] = mapped_column(sa.JSON)
    previous_id: Mapped[int | None] = mapped_column(sa.ForeignKey("delivery.id"), index=True)


class File(Base):
    __tablename__ = "file"
    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(sa.ForeignKey("delivery.id"), index=True)
    path: Mapped[str] = mapped_column(sa.Text)
    size: Mapped[int] = mapped_column(sa.BigInteger)
    sha256: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    role: Mapped[str] = mapped_column(sa.String(40))
    format: Mapped[str] = mapped_column(sa.String(60))
    format_metadata: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    problems: Mapped[list[Any]] = mapped_column(sa.JSON)


class LicenseMatch(Base):
    __tablename__ = "license_match"
    __table_args__ = (sa.Index("ix_license_match_key_delivery_id", "key", "delivery_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(sa.ForeignKey("file.id"), index=True)
    delivery_id: Mapped[int] = mapped_column(sa.ForeignKey("delivery.id"), index=True)
    key: Mapped[str] = mapped_column(sa.String(200))
    spdx: Mapped[str | None] = mapped_column(sa.String(200))
    details: Mapped[dict[str, Any]] = mapped_column(sa.JSON)


class Finding(Base):
    __tablename__ = "finding"
    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(sa.ForeignKey("delivery.id"), index=True)
    check: Mapped[str] = mapped_column(sa.String(80))
    level: Mapped[str] = mapped_column(sa.String(20))
    summary: Mapped[str] = mapped_column(sa.Text)
    facts: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    evidence: Mapped[list[Any]] = mapped_column(sa.JSON)
    # Added by migration 0004: why the rule chose the level (the policy rule or threshold).
    why: Mapped[str | None] = mapped_column(sa.Text)


class Reviewer(Base):
    __tablename__ = "reviewer"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), index=True)
    email: Mapped[str | None] = mapped_column(sa.String(320), unique=True)
    cert_fingerprint: Mapped[str | None] = mapped_column(sa.String(128))


class Review(Base):
    __tablename__ = "review"
    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(sa.ForeignKey("delivery.id"), index=True)
    checklist: Mapped[str] = mapped_column(sa.String(100))
    purpose: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(40), index=True)
    preparer_id: Mapped[int] = mapped_column(sa.ForeignKey("reviewer.id"), index=True)
    approver_id: Mapped[int | None] = mapped_column(sa.ForeignKey("reviewer.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    # Added by migration 0003: the knowledge base and checklist file the review was made with.
    knowledge_version: Mapped[str | None] = mapped_column(sa.String(64))
    checklist_version: Mapped[str | None] = mapped_column(sa.String(64))


class Answer(Base):
    __tablename__ = "answer"
    __table_args__ = (sa.UniqueConstraint("review_id", "item"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(sa.ForeignKey("review.id"))
    item: Mapped[str] = mapped_column(sa.String(80))
    suggested: Mapped[str] = mapped_column(sa.Text)
    suggested_level: Mapped[str | None] = mapped_column(sa.String(20))
    decision: Mapped[str | None] = mapped_column(sa.String(40))
    rationale: Mapped[str | None] = mapped_column(sa.Text)
    conditions: Mapped[str | None] = mapped_column(sa.Text)
    evidence: Mapped[list[Any]] = mapped_column(sa.JSON)
    answered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("reviewer.id"))
    answered_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    carried_from_id: Mapped[int | None] = mapped_column(sa.ForeignKey("answer.id"))
    precedent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("precedent.id"))


class Comment(Base):
    __tablename__ = "comment"
    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(sa.ForeignKey("review.id"), index=True)
    item: Mapped[str | None] = mapped_column(sa.String(80))
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("reviewer.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    text: Mapped[str] = mapped_column(sa.Text)


class Memo(Base):
    __tablename__ = "memo"
    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(sa.ForeignKey("review.id"), index=True)
    file_sha256: Mapped[str] = mapped_column(sa.String(64), index=True)
    signer_id: Mapped[int] = mapped_column(sa.ForeignKey("reviewer.id"))
    signed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    path: Mapped[str | None] = mapped_column(sa.Text)


class ReferenceText(Base):
    __tablename__ = "reference_text"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    text: Mapped[str] = mapped_column(sa.Text)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    added_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class AuditEvent(Base):
    """One append-only, hash-chained change; ``old``/``new`` are canonical JSON text."""

    __tablename__ = "audit_event"
    __table_args__ = (sa.Index("ix_audit_event_entity_entity_id", "entity", "entity_id"),)
    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    at: Mapped[str] = mapped_column(sa.String(40))
    actor: Mapped[str] = mapped_column(sa.String(600))
    entity: Mapped[str] = mapped_column(sa.String(40))
    entity_id: Mapped[int] = mapped_column(sa.Integer)
    action: Mapped[str] = mapped_column(sa.String(40))
    old: Mapped[str | None] = mapped_column(sa.Text)
    new: Mapped[str | None] = mapped_column(sa.Text)
    prev_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    hash: Mapped[str] = mapped_column(sa.String(64), unique=True)


# Added by migration 0002.
class Precedent(Base):
    __tablename__ = "precedent"
    __table_args__ = (sa.Index("ix_precedent_license_key_purpose_key", "license_key", "purpose_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    license_key: Mapped[str] = mapped_column(sa.String(200))
    purpose: Mapped[str] = mapped_column(sa.Text)
    purpose_key: Mapped[str] = mapped_column(sa.String(500))
    item: Mapped[str] = mapped_column(sa.String(80))
    decision: Mapped[str] = mapped_column(sa.String(40))
    rationale: Mapped[str | None] = mapped_column(sa.Text)
    conditions: Mapped[str | None] = mapped_column(sa.Text)
    reviewer_id: Mapped[int] = mapped_column(sa.ForeignKey("reviewer.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    source_review_id: Mapped[int | None] = mapped_column(sa.ForeignKey("review.id"))


class Setting(Base):
    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(sa.String(100), primary_key=True)
    value: Mapped[str] = mapped_column(sa.Text)


# Added by migration 0004.
class Obligation(Base):
    """One duty that approving the review commits the company to, with its quote and status."""

    __tablename__ = "obligation"
    __table_args__ = (sa.UniqueConstraint("review_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(sa.ForeignKey("review.id"), index=True)
    key: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[str] = mapped_column(sa.String(60))
    license_key: Mapped[str | None] = mapped_column(sa.String(200))
    text: Mapped[str] = mapped_column(sa.Text)
    evidence: Mapped[list[Any]] = mapped_column(sa.JSON)
    owner: Mapped[str | None] = mapped_column(sa.String(200))
    status: Mapped[str] = mapped_column(sa.String(40))
    reason: Mapped[str | None] = mapped_column(sa.Text)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("reviewer.id"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class FileNote(Base):
    """A reviewer's note on one delivered file of a review."""

    __tablename__ = "file_note"
    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(sa.ForeignKey("review.id"), index=True)
    path: Mapped[str] = mapped_column(sa.Text)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("reviewer.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    text: Mapped[str] = mapped_column(sa.Text)


class FileText(Base):
    """The decoded text of a delivered license, notice or model card (for redlines later)."""

    __tablename__ = "file_text"
    file_id: Mapped[int] = mapped_column(sa.ForeignKey("file.id"), primary_key=True)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    text: Mapped[str] = mapped_column(sa.Text)


class ChecklistItem(Base):
    """A review's checklist item as worded when the review was created (the memo prints these)."""

    __tablename__ = "checklist_item"
    __table_args__ = (sa.UniqueConstraint("review_id", "item"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(sa.ForeignKey("review.id"), index=True)
    item: Mapped[str] = mapped_column(sa.String(80))
    title: Mapped[str] = mapped_column(sa.Text)
    question: Mapped[str] = mapped_column(sa.Text)
