"""Drop the index on reported ID numbers: nothing looks people up by it (the cross-society
check groups them), and keeping it sorted cost a sixth of every import.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

from alembic import op


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index('ix_reported_case_id', table_name='reported_case')


def downgrade() -> None:
    op.create_index('ix_reported_case_id', 'reported_case', ['id_number'], unique=False)
