"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-22
"""

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('app_user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=30), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_app_user')),
    sa.UniqueConstraint('name', name=op.f('uq_app_user_name'))
    )
    op.create_table('society',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('area_code', sa.String(length=12), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('village', sa.String(length=40), nullable=False),
    sa.Column('town', sa.String(length=40), nullable=False),
    sa.Column('district', sa.String(length=40), nullable=False),
    sa.Column('village_limit_fen', sa.BigInteger(), nullable=False),
    sa.Column('town_limit_fen', sa.BigInteger(), nullable=False),
    sa.Column('fund_floor_fen', sa.BigInteger(), nullable=False),
    sa.Column('notice_days', sa.Integer(), nullable=False),
    sa.Column('notice_working_days', sa.Boolean(), nullable=False),
    sa.Column('emergency_deadline_days', sa.Integer(), nullable=False),
    sa.Column('objection_phone', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_society')),
    sa.UniqueConstraint('area_code', name=op.f('uq_society_area_code'))
    )
    op.create_table('aid_case',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('society_id', sa.Integer(), nullable=False),
    sa.Column('case_no', sa.String(length=32), nullable=False),
    sa.Column('case_year', sa.Integer(), nullable=False),
    sa.Column('case_seq', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('applicant_name', sa.String(length=30), nullable=False),
    sa.Column('sex', sa.String(length=1), nullable=False),
    sa.Column('id_number', sa.String(length=18), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('address', sa.String(length=120), nullable=False),
    sa.Column('residence', sa.String(length=20), nullable=False),
    sa.Column('hukou_address', sa.String(length=120), nullable=False),
    sa.Column('household_size', sa.Integer(), nullable=False),
    sa.Column('household_type', sa.String(length=20), nullable=False),
    sa.Column('cause', sa.String(length=20), nullable=False),
    sa.Column('hardship', sa.Text(), nullable=False),
    sa.Column('requested_fen', sa.BigInteger(), nullable=False),
    sa.Column('approved_fen', sa.BigInteger(), nullable=True),
    sa.Column('paid_fen', sa.BigInteger(), nullable=False),
    sa.Column('paid_on', sa.Date(), nullable=True),
    sa.Column('other_aid', sa.Text(), nullable=False),
    sa.Column('payment_method', sa.String(length=20), nullable=False),
    sa.Column('bank_name', sa.String(length=60), nullable=False),
    sa.Column('account_no', sa.String(length=30), nullable=False),
    sa.Column('account_holder', sa.String(length=30), nullable=False),
    sa.Column('agent_name', sa.String(length=30), nullable=False),
    sa.Column('agent_id_number', sa.String(length=18), nullable=False),
    sa.Column('agent_relation', sa.String(length=20), nullable=False),
    sa.Column('agent_has_poa', sa.Boolean(), nullable=False),
    sa.Column('applied_on', sa.Date(), nullable=False),
    sa.Column('repeat_reason', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=30), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=30), nullable=False),
    sa.ForeignKeyConstraint(['society_id'], ['society.id'], name=op.f('fk_aid_case_society_id_society')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_aid_case')),
    sa.UniqueConstraint('case_no', name=op.f('uq_aid_case_case_no')),
    sa.UniqueConstraint('society_id', 'case_year', 'case_seq', name='uq_aid_case_seq')
    )
    with op.batch_alter_table('aid_case', schema=None) as batch_op:
        batch_op.create_index('ix_case_soc_amount', ['society_id', 'requested_fen', 'id'], unique=False)
        batch_op.create_index('ix_case_soc_applied', ['society_id', 'applied_on', 'id'], unique=False)
        batch_op.create_index('ix_case_soc_case_no', ['society_id', 'case_no'], unique=False)
        batch_op.create_index('ix_case_soc_cause', ['society_id', 'cause', 'applied_on', 'id'], unique=False)
        batch_op.create_index('ix_case_soc_idno', ['society_id', 'id_number', 'id'], unique=False)
        batch_op.create_index('ix_case_soc_name', ['society_id', 'applicant_name', 'id'], unique=False)
        batch_op.create_index('ix_case_soc_status', ['society_id', 'status', 'applied_on', 'id'], unique=False)
        batch_op.create_index('ix_case_soc_updated', ['society_id', 'updated_at', 'id'], unique=False)

    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user_name', sa.String(length=30), nullable=False),
    sa.Column('society_id', sa.Integer(), nullable=True),
    sa.Column('entity', sa.String(length=30), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('before_json', sa.Text(), nullable=False),
    sa.Column('after_json', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['society_id'], ['society.id'], name=op.f('fk_audit_log_society_id_society')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index('ix_audit_entity', ['entity', 'entity_id'], unique=False)

    op.create_table('attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size_bytes', sa.BigInteger(), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.Column('added_by', sa.String(length=30), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['aid_case.id'], name=op.f('fk_attachment_case_id_aid_case')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachment'))
    )
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachment_case_id'), ['case_id'], unique=False)

    op.create_table('household_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=30), nullable=False),
    sa.Column('relation', sa.String(length=20), nullable=False),
    sa.Column('id_number', sa.String(length=18), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['aid_case.id'], name=op.f('fk_household_member_case_id_aid_case')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_household_member'))
    )
    with op.batch_alter_table('household_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_household_member_case_id'), ['case_id'], unique=False)

    op.create_table('ledger_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('society_id', sa.Integer(), nullable=False),
    sa.Column('posted_on', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('source', sa.String(length=30), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('payer', sa.String(length=60), nullable=False),
    sa.Column('voucher_no', sa.String(length=40), nullable=False),
    sa.Column('memo', sa.String(length=200), nullable=False),
    sa.Column('reversal_of', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=30), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['aid_case.id'], name=op.f('fk_ledger_entry_case_id_aid_case')),
    sa.ForeignKeyConstraint(['reversal_of'], ['ledger_entry.id'], name=op.f('fk_ledger_entry_reversal_of_ledger_entry')),
    sa.ForeignKeyConstraint(['society_id'], ['society.id'], name=op.f('fk_ledger_entry_society_id_society')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_entry'))
    )
    with op.batch_alter_table('ledger_entry', schema=None) as batch_op:
        batch_op.create_index('ix_ledger_soc_posted', ['society_id', 'posted_on', 'id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('ledger_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_ledger_soc_posted')

    op.drop_table('ledger_entry')
    with op.batch_alter_table('household_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_household_member_case_id'))

    op.drop_table('household_member')
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachment_case_id'))

    op.drop_table('attachment')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entity')

    op.drop_table('audit_log')
    with op.batch_alter_table('aid_case', schema=None) as batch_op:
        batch_op.drop_index('ix_case_soc_updated')
        batch_op.drop_index('ix_case_soc_status')
        batch_op.drop_index('ix_case_soc_name')
        batch_op.drop_index('ix_case_soc_idno')
        batch_op.drop_index('ix_case_soc_cause')
        batch_op.drop_index('ix_case_soc_case_no')
        batch_op.drop_index('ix_case_soc_applied')
        batch_op.drop_index('ix_case_soc_amount')

    op.drop_table('aid_case')
    op.drop_table('society')
    op.drop_table('app_user')
