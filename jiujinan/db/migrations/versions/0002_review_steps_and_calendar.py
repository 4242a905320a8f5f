"""Review steps, the working-day calendar, and where each case stands in its review.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('calendar_day',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('working', sa.Boolean(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_calendar_day'))
    )
    op.create_table('case_step',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=True),
    sa.Column('acted_on', sa.Date(), nullable=False),
    sa.Column('signer', sa.String(length=200), nullable=False),
    sa.Column('opinion', sa.Text(), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=True),
    sa.Column('details_json', sa.Text(), nullable=False),
    sa.Column('status_before', sa.String(length=20), nullable=False),
    sa.Column('status_after', sa.String(length=20), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('recorded_by', sa.String(length=30), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['aid_case.id'], name=op.f('fk_case_step_case_id_aid_case')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_step'))
    )
    with op.batch_alter_table('case_step', schema=None) as batch_op:
        batch_op.create_index('ix_case_step_case', ['case_id', 'id'], unique=False)

    with op.batch_alter_table('aid_case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('proposed_fen', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('decided_level', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('decided_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('notice_start', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('notice_end', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('open_objections', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('resume_status', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('emergency', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('emergency_fen', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('emergency_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('emergency_deadline', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('last_step_on', sa.Date(), nullable=True))
        batch_op.create_index('ix_case_soc_emergency', ['society_id', 'emergency_deadline'], unique=False)

    # Cases registered before this version get the acceptance step their timeline starts with.
    op.execute(
        "INSERT INTO case_step (case_id, kind, level, acted_on, signer, opinion, amount_fen, "
        "details_json, status_before, status_after, recorded_at, recorded_by) "
        "SELECT id, 'accept', 'village', applied_on, created_by, '', requested_fen, '', "
        "'accepted', 'accepted', created_at, created_by FROM aid_case"
    )
    op.execute("UPDATE aid_case SET last_step_on = applied_on")


def downgrade() -> None:
    with op.batch_alter_table('aid_case', schema=None) as batch_op:
        batch_op.drop_index('ix_case_soc_emergency')
        batch_op.drop_column('last_step_on')
        batch_op.drop_column('emergency_deadline')
        batch_op.drop_column('emergency_on')
        batch_op.drop_column('emergency_fen')
        batch_op.drop_column('emergency')
        batch_op.drop_column('resume_status')
        batch_op.drop_column('open_objections')
        batch_op.drop_column('notice_end')
        batch_op.drop_column('notice_start')
        batch_op.drop_column('decided_on')
        batch_op.drop_column('decided_level')
        batch_op.drop_column('proposed_fen')

    with op.batch_alter_table('case_step', schema=None) as batch_op:
        batch_op.drop_index('ix_case_step_case')

    op.drop_table('case_step')
    op.drop_table('calendar_day')
