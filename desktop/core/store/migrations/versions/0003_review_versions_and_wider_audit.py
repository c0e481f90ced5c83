"""Reviews record their knowledge base and checklist versions; the audit trail covers more tables.

The audit trail now also covers deliveries (with their files, license matches and findings),
comments, precedents, memos, reference texts and settings.  Rows written before this revision
get one ``baseline`` event each (actor ``system``), so the trail verifies after the upgrade; it
vouches for those rows only from the upgrade on.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("review") as batch:
        batch.add_column(sa.Column("knowledge_version", sa.String(64), nullable=True))
        batch.add_column(sa.Column("checklist_version", sa.String(64), nullable=True))
    from desktop.core.store.audit import baseline

    session = Session(bind=op.get_bind())
    try:
        baseline(session)
        session.flush()
    finally:
        session.close()


def downgrade() -> None:
    with op.batch_alter_table("review") as batch:
        batch.drop_column("checklist_version")
        batch.drop_column("knowledge_version")
