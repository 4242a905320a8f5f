"""Fund: payment method and receipt on ledger entries, one reversal per entry, month close.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('month_close',
    sa.Column('society_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('closed', sa.Boolean(), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.Column('changed_by', sa.String(length=30), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['society_id'], ['society.id'], name=op.f('fk_month_close_society_id_society')),
    sa.PrimaryKeyConstraint('society_id', 'month', name=op.f('pk_month_close'))
    )
    with op.batch_alter_table('ledger_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('method', sa.String(length=20), server_default='', nullable=False))
        batch_op.add_column(sa.Column('receipt_signed', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_index('ix_ledger_case', ['case_id'], unique=False)
        batch_op.create_index('ux_ledger_reversal_of', ['reversal_of'], unique=True)



def downgrade() -> None:
    with op.batch_alter_table('ledger_entry', schema=None) as batch_op:
        batch_op.drop_index('ux_ledger_reversal_of')
        batch_op.drop_index('ix_ledger_case')
        batch_op.drop_column('receipt_signed')
        batch_op.drop_column('method')

    op.drop_table('month_close')
