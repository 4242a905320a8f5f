"""Users get an area (the leading digits of the area codes they work on). Users already
there keep the whole database, as before.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22
"""

from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('area', sa.String(length=12), server_default='', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.drop_column('area')
