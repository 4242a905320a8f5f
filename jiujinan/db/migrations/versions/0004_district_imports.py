"""District side: village exports received, the rows they reported, and the grants to check them by.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('district_grant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('society_code', sa.String(length=12), nullable=False),
    sa.Column('granted_on', sa.Date(), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('memo', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=30), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_district_grant'))
    )
    with op.batch_alter_table('district_grant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_district_grant_society_code'), ['society_code'], unique=False)

    op.create_table('import_batch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('society_code', sa.String(length=12), nullable=False),
    sa.Column('society_name', sa.String(length=60), nullable=False),
    sa.Column('town', sa.String(length=40), nullable=False),
    sa.Column('district', sa.String(length=40), nullable=False),
    sa.Column('period_from', sa.Date(), nullable=True),
    sa.Column('period_to', sa.Date(), nullable=True),
    sa.Column('exported_at', sa.String(length=40), nullable=False),
    sa.Column('manifest_sha256', sa.String(length=64), nullable=False),
    sa.Column('full_ids', sa.Boolean(), nullable=False),
    sa.Column('opening_fen', sa.BigInteger(), nullable=False),
    sa.Column('source', sa.String(length=400), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.Column('imported_by', sa.String(length=30), nullable=False),
    sa.Column('replaced_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['replaced_by'], ['import_batch.id'], name=op.f('fk_import_batch_replaced_by_import_batch')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_batch')),
    sa.UniqueConstraint('manifest_sha256', name=op.f('uq_import_batch_manifest_sha256'))
    )
    with op.batch_alter_table('import_batch', schema=None) as batch_op:
        batch_op.create_index('ix_import_society', ['society_code', 'period_from'], unique=False)

    op.create_table('reported_case',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('case_no', sa.String(length=32), nullable=False),
    sa.Column('applicant_name', sa.String(length=30), nullable=False),
    sa.Column('id_number', sa.String(length=18), nullable=False),
    sa.Column('household_type', sa.String(length=20), nullable=False),
    sa.Column('cause', sa.String(length=20), nullable=False),
    sa.Column('requested_fen', sa.BigInteger(), nullable=False),
    sa.Column('approved_fen', sa.BigInteger(), nullable=True),
    sa.Column('paid_fen', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('applied_on', sa.Date(), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('decided_level', sa.String(length=20), nullable=True),
    sa.Column('emergency', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batch.id'], name=op.f('fk_reported_case_batch_id_import_batch')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reported_case'))
    )
    with op.batch_alter_table('reported_case', schema=None) as batch_op:
        batch_op.create_index('ix_reported_case_batch', ['batch_id'], unique=False)
        batch_op.create_index('ix_reported_case_id', ['id_number'], unique=False)

    op.create_table('reported_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('entry_no', sa.Integer(), nullable=False),
    sa.Column('posted_on', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('source', sa.String(length=30), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('balance_fen', sa.BigInteger(), nullable=False),
    sa.Column('voucher_no', sa.String(length=40), nullable=False),
    sa.Column('memo', sa.String(length=200), nullable=False),
    sa.Column('reversal_of', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batch.id'], name=op.f('fk_reported_entry_batch_id_import_batch')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reported_entry'))
    )
    with op.batch_alter_table('reported_entry', schema=None) as batch_op:
        batch_op.create_index('ix_reported_entry_batch', ['batch_id'], unique=False)

    op.create_table('reported_payment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('payment_no', sa.Integer(), nullable=False),
    sa.Column('case_no', sa.String(length=32), nullable=False),
    sa.Column('paid_on', sa.Date(), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.Column('payee_name', sa.String(length=60), nullable=False),
    sa.Column('voucher_no', sa.String(length=40), nullable=False),
    sa.Column('reversal_of', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batch.id'], name=op.f('fk_reported_payment_batch_id_import_batch')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reported_payment'))
    )
    with op.batch_alter_table('reported_payment', schema=None) as batch_op:
        batch_op.create_index('ix_reported_payment_batch', ['batch_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('reported_payment', schema=None) as batch_op:
        batch_op.drop_index('ix_reported_payment_batch')

    op.drop_table('reported_payment')
    with op.batch_alter_table('reported_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_reported_entry_batch')

    op.drop_table('reported_entry')
    with op.batch_alter_table('reported_case', schema=None) as batch_op:
        batch_op.drop_index('ix_reported_case_id')
        batch_op.drop_index('ix_reported_case_batch')

    op.drop_table('reported_case')
    with op.batch_alter_table('import_batch', schema=None) as batch_op:
        batch_op.drop_index('ix_import_society')

    op.drop_table('import_batch')
    with op.batch_alter_table('district_grant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_district_grant_society_code'))

    op.drop_table('district_grant')
