"""Initial schema: vendors, deliveries and their scan, reviewers, reviews, answers, audit trail.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _pk(table: str) -> sa.PrimaryKeyConstraint:
    return sa.PrimaryKeyConstraint("id", name=f"pk_{table}")


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}")


def upgrade() -> None:
    op.create_table(
        "vendor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        _pk("vendor"), sa.UniqueConstraint("name", name="uq_vendor_name"),
    )
    op.create_table(
        "delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vendor_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("version", sa.String(100), nullable=True),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("source_path", sa.Text(), nullable=False),
        sa.Column("source_kind", sa.String(40), nullable=False),
        sa.Column("fingerprint", sa.String(100), nullable=False),
        sa.Column("components", sa.JSON(), nullable=False),
        sa.Column("problems", sa.JSON(), nullable=False),
        sa.Column("previous_id", sa.Integer(), nullable=True),
        _pk("delivery"), _fk("delivery", "vendor_id", "vendor"),
        _fk("delivery", "previous_id", "delivery"),
    )
    op.create_index("ix_delivery_name", "delivery", ["name"])
    op.create_index("ix_delivery_fingerprint", "delivery", ["fingerprint"])
    op.create_index("ix_delivery_previous_id", "delivery", ["previous_id"])
    op.create_table(
        "file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("delivery_id", sa.Integer(), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=True),
        sa.Column("role", sa.String(40), nullable=False),
        sa.Column("format", sa.String(60), nullable=False),
        sa.Column("format_metadata", sa.JSON(), nullable=False),
        sa.Column("problems", sa.JSON(), nullable=False),
        _pk("file"), _fk("file", "delivery_id", "delivery"),
    )
    op.create_index("ix_file_delivery_id", "file", ["delivery_id"])
    op.create_index("ix_file_sha256", "file", ["sha256"])
    op.create_table(
        "license_match",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("delivery_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("spdx", sa.String(200), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        _pk("license_match"), _fk("license_match", "file_id", "file"),
        _fk("license_match", "delivery_id", "delivery"),
    )
    op.create_index("ix_license_match_file_id", "license_match", ["file_id"])
    op.create_index("ix_license_match_delivery_id", "license_match", ["delivery_id"])
    op.create_table(
        "finding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("delivery_id", sa.Integer(), nullable=False),
        sa.Column("check", sa.String(80), nullable=False),
        sa.Column("level", sa.String(20), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        _pk("finding"), _fk("finding", "delivery_id", "delivery"),
    )
    op.create_index("ix_finding_delivery_id", "finding", ["delivery_id"])
    op.create_table(
        "reviewer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(320), nullable=True),
        sa.Column("cert_fingerprint", sa.String(128), nullable=True),
        _pk("reviewer"), sa.UniqueConstraint("email", name="uq_reviewer_email"),
    )
    op.create_index("ix_reviewer_name", "reviewer", ["name"])
    op.create_table(
        "review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("delivery_id", sa.Integer(), nullable=False),
        sa.Column("checklist", sa.String(100), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("status", sa.String(40), nullable=False),
        sa.Column("preparer_id", sa.Integer(), nullable=False),
        sa.Column("approver_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        _pk("review"), _fk("review", "delivery_id", "delivery"),
        _fk("review", "preparer_id", "reviewer"), _fk("review", "approver_id", "reviewer"),
    )
    op.create_index("ix_review_delivery_id", "review", ["delivery_id"])
    op.create_table(
        "answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(80), nullable=False),
        sa.Column("suggested", sa.Text(), nullable=False),
        sa.Column("suggested_level", sa.String(20), nullable=True),
        sa.Column("decision", sa.String(40), nullable=True),
        sa.Column("rationale", sa.Text(), nullable=True),
        sa.Column("conditions", sa.Text(), nullable=True),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("carried_from_id", sa.Integer(), nullable=True),
        _pk("answer"), _fk("answer", "review_id", "review"),
        _fk("answer", "answered_by_id", "reviewer"), _fk("answer", "carried_from_id", "answer"),
        sa.UniqueConstraint("review_id", "item", name="uq_answer_review_id_item"),
    )
    op.create_table(
        "comment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(80), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        _pk("comment"), _fk("comment", "review_id", "review"),
        _fk("comment", "author_id", "reviewer"),
    )
    op.create_index("ix_comment_review_id", "comment", ["review_id"])
    op.create_table(
        "memo",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("file_sha256", sa.String(64), nullable=False),
        sa.Column("signer_id", sa.Integer(), nullable=False),
        sa.Column("signed_at", sa.DateTime(), nullable=False),
        sa.Column("path", sa.Text(), nullable=True),
        _pk("memo"), _fk("memo", "review_id", "review"), _fk("memo", "signer_id", "reviewer"),
    )
    op.create_index("ix_memo_review_id", "memo", ["review_id"])
    op.create_index("ix_memo_file_sha256", "memo", ["file_sha256"])
    op.create_table(
        "reference_text",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        _pk("reference_text"), sa.UniqueConstraint("key", name="uq_reference_text_key"),
    )
    op.create_table(
        "audit_event",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("actor", sa.String(600), nullable=False),
        sa.Column("entity", sa.String(40), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("old", sa.Text(), nullable=True),
        sa.Column("new", sa.Text(), nullable=True),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_audit_event"),
        sa.UniqueConstraint("prev_hash", name="uq_audit_event_prev_hash"),
        sa.UniqueConstraint("hash", name="uq_audit_event_hash"),
    )
    op.create_index("ix_audit_event_entity_entity_id", "audit_event", ["entity", "entity_id"])


def downgrade() -> None:
    for table in ("audit_event", "reference_text", "memo", "comment", "answer", "review",
                  "reviewer", "finding", "license_match", "file", "delivery", "vendor"):
        op.drop_table(table)
