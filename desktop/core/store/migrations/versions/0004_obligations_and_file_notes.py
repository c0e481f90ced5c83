"""Obligations register rows and reviewers' notes on delivered files.

``obligation`` holds what approving a review commits the company to (one row per duty read from
the delivered terms, with its quote, an owner and the reviewer's status).  ``file_note`` holds a
reviewer's note on one delivered file of a review.  Both tables are covered by the audit trail.
``file_text`` keeps the decoded text of a delivery's license-relevant files (licenses, notices,
model cards), so a later version's texts can be redlined against an earlier one's after the
delivery folder is gone; it is covered by the delivery's audited state.  Findings gain ``why``
(the rule or threshold that set the level), so a review reopened from the database shows it.
``checklist_item`` keeps each review's item titles and questions as worded when it was created,
so a memo prints the checklist the review was made with (audited).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("finding") as batch:
        batch.add_column(sa.Column("why", sa.Text(), nullable=True))
    op.create_table(
        "obligation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(60), nullable=False),
        sa.Column("license_key", sa.String(200), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("owner", sa.String(200), nullable=True),
        sa.Column("status", sa.String(40), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_obligation"),
        sa.ForeignKeyConstraint(["review_id"], ["review.id"],
                                name="fk_obligation_review_id_review"),
        sa.ForeignKeyConstraint(["decided_by_id"], ["reviewer.id"],
                                name="fk_obligation_decided_by_id_reviewer"),
        sa.UniqueConstraint("review_id", "key", name="uq_obligation_review_id_key"),
    )
    op.create_index("ix_obligation_review_id", "obligation", ["review_id"])
    op.create_table(
        "file_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_file_note"),
        sa.ForeignKeyConstraint(["review_id"], ["review.id"],
                                name="fk_file_note_review_id_review"),
        sa.ForeignKeyConstraint(["author_id"], ["reviewer.id"],
                                name="fk_file_note_author_id_reviewer"),
    )
    op.create_index("ix_file_note_review_id", "file_note", ["review_id"])
    op.create_table(
        "checklist_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(80), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_checklist_item"),
        sa.ForeignKeyConstraint(["review_id"], ["review.id"], name="fk_checklist_item_review_id_review"),
        sa.UniqueConstraint("review_id", "item", name="uq_checklist_item_review_id_item"),
    )
    op.create_index("ix_checklist_item_review_id", "checklist_item", ["review_id"])
    op.create_table(
        "file_text",
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("file_id", name="pk_file_text"),
        sa.ForeignKeyConstraint(["file_id"], ["file.id"], name="fk_file_text_file_id_file"),
    )


def downgrade() -> None:
    with op.batch_alter_table("finding") as batch:
        batch.drop_column("why")
    op.drop_table("file_text")
    op.drop_index("ix_checklist_item_review_id", table_name="checklist_item")
    op.drop_table("checklist_item")
    op.drop_index("ix_file_note_review_id", table_name="file_note")
    op.drop_table("file_note")
    op.drop_index("ix_obligation_review_id", table_name="obligation")
    op.drop_table("obligation")
