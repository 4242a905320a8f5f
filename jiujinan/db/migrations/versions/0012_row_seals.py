"""Every row bound to the audit trail: audit_seal holds, per audit entry, the digest of each
unit (case, ledger entry, user, society, calendar, month close, grant, import) it changed;
new entries hash a text form that covers their seals (form 2). Rows already there get one
«封存现状» entry each by 系统, so an upgraded database passes check (20,000 cases and 21,688
ledger entries: 41,708 entries in 44 s on a machine loaded ten times over its two cores;
it grows in proportion, so plan minutes per hundred thousand cases).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""

from alembic import context, op
import sqlalchemy as sa
from sqlalchemy.orm import Session

from jiujinan.db.seal_baseline import seal_everything


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_seal',
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('pos', sa.Integer(), nullable=False),
    sa.Column('unit', sa.String(length=10), nullable=False),
    sa.Column('unit_key', sa.BigInteger(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=True),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('seq', 'pos', name=op.f('pk_audit_seal'))
    )
    op.create_index('ix_audit_seal_unit', 'audit_seal', ['unit', 'unit_key', 'seq'], unique=False)
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('form', sa.Integer(), server_default='1', nullable=False))
    session = Session(bind=op.get_bind())
    seal_everything(session, context.config.attributes["now"])
    session.flush()


def downgrade() -> None:
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_column('form')
    op.drop_index('ix_audit_seal_unit', table_name='audit_seal')
    op.drop_table('audit_seal')
