"""Precedents, firm settings and the indexes that keep review search fast.

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "precedent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("license_key", sa.String(200), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("purpose_key", sa.String(500), nullable=False),
        sa.Column("item", sa.String(80), nullable=False),
        sa.Column("decision", sa.String(40), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=True),
        sa.Column("conditions", sa.Text(), nullable=True),
        sa.Column("reviewer_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("source_review_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_precedent"),
        sa.ForeignKeyConstraint(["reviewer_id"], ["reviewer.id"],
                                name="fk_precedent_reviewer_id_reviewer"),
        sa.ForeignKeyConstraint(["source_review_id"], ["review.id"],
                                name="fk_precedent_source_review_id_review"),
    )
    op.create_index("ix_precedent_license_key_purpose_key", "precedent",
                    ["license_key", "purpose_key"])
    op.create_table(
        "setting",
        sa.Column("key", sa.String(100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_setting"),
    )
    with op.batch_alter_table("answer") as batch:
        batch.add_column(sa.Column("precedent_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_answer_precedent_id_precedent", "precedent",
                                 ["precedent_id"], ["id"])
    op.create_index("ix_review_status", "review", ["status"])
    op.create_index("ix_review_created_at", "review", ["created_at"])
    op.create_index("ix_review_preparer_id", "review", ["preparer_id"])
    op.create_index("ix_review_approver_id", "review", ["approver_id"])
    op.create_index("ix_delivery_vendor_id_name", "delivery", ["vendor_id", "name"])
    op.create_index("ix_license_match_key_delivery_id", "license_match", ["key", "delivery_id"])


def downgrade() -> None:
    for index, table in (("ix_license_match_key_delivery_id", "license_match"),
                         ("ix_delivery_vendor_id_name", "delivery"),
                         ("ix_review_approver_id", "review"), ("ix_review_preparer_id", "review"),
                         ("ix_review_created_at", "review"), ("ix_review_status", "review")):
        op.drop_index(index, table_name=table)
    with op.batch_alter_table("answer") as batch:
        batch.drop_constraint("fk_answer_precedent_id_precedent", type_="foreignkey")
        batch.drop_column("precedent_id")
    op.drop_table("setting")
    op.drop_index("ix_precedent_license_key_purpose_key", table_name="precedent")
    op.drop_table("precedent")
