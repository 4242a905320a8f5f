"""Offices: the office this installation is (village, town or district), its age encryption key,
and the offices it enrolled from their cards. A database from before offices keeps no row and
reads as the village office of its societies: no data changes.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02
"""

from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('office',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('area_code', sa.String(length=12), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=30), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_office'))
    )
    op.create_table('office_key',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('identity', sa.Text(), nullable=False),
    sa.Column('recipient', sa.String(length=62), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_office_key'))
    )
    op.create_table('trusted_office',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('area_code', sa.String(length=12), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('signing_key', sa.String(length=44), nullable=False),
    sa.Column('recipient', sa.String(length=62), nullable=False),
    sa.Column('fingerprint', sa.String(length=19), nullable=False),
    sa.Column('made_on', sa.String(length=10), nullable=False),
    sa.Column('enrolled_at', sa.DateTime(), nullable=False),
    sa.Column('enrolled_by', sa.String(length=30), nullable=False),
    sa.Column('retired_at', sa.DateTime(), nullable=True),
    sa.Column('retired_by', sa.String(length=30), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trusted_office'))
    )
    with op.batch_alter_table('trusted_office', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_trusted_office_area_code'), ['area_code'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('trusted_office', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_trusted_office_area_code'))
    op.drop_table('trusted_office')
    op.drop_table('office_key')
    op.drop_table('office')
