"""Exports on the audit trail: each export of a society is an audited entry that seals
where the chain ended (export_head); the rows already there get one «封存现状» entry each
by 系统. No change to the tables.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01
"""

from alembic import context, op
from sqlalchemy.orm import Session

from jiujinan.db.seal_baseline import seal_everything


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    session = Session(bind=op.get_bind())
    seal_everything(session, context.config.attributes["now"], ("export",))
    session.flush()


def downgrade() -> None:
    pass
