"""Packets between offices: those written and applied (numbered per channel), how much of each
case's timeline each other office has, timelines that part (conflicts), and the societies whose
cases arrive by packet. No existing row changes.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02
"""

from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('packet_out',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('to_code', sa.String(length=12), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('full', sa.Boolean(), nullable=False),
    sa.Column('cases', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('made_at', sa.DateTime(), nullable=False),
    sa.Column('made_by', sa.String(length=30), nullable=False),
    sa.Column('acked_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_packet_out')),
    sa.UniqueConstraint('to_code', 'seq', name='uq_packet_out_to_seq')
    )
    op.create_table('packet_in',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('from_code', sa.String(length=12), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('payload_sha256', sa.String(length=64), nullable=False),
    sa.Column('full', sa.Boolean(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('received_by', sa.String(length=30), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_packet_in')),
    sa.UniqueConstraint('from_code', 'seq', 'payload_sha256', name='uq_packet_in_from_seq')
    )
    op.create_table('case_link',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('office_code', sa.String(length=12), nullable=False),
    sa.Column('sent', sa.Integer(), nullable=False),
    sa.Column('known', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['aid_case.id'], name=op.f('fk_case_link_case_id_aid_case')),
    sa.PrimaryKeyConstraint('case_id', 'office_code', name=op.f('pk_case_link'))
    )
    op.create_table('case_conflict',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('from_code', sa.String(length=12), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('steps_json', sa.Text(), nullable=False),
    sa.Column('found_at', sa.DateTime(), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('resolved_by', sa.String(length=30), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['aid_case.id'], name=op.f('fk_case_conflict_case_id_aid_case')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_conflict'))
    )
    with op.batch_alter_table('case_conflict', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_conflict_case_id'), ['case_id'], unique=False)
    op.create_table('remote_society',
    sa.Column('society_id', sa.Integer(), nullable=False),
    sa.Column('owner_code', sa.String(length=12), nullable=False),
    sa.Column('first_received_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['society_id'], ['society.id'], name=op.f('fk_remote_society_society_id_society')),
    sa.PrimaryKeyConstraint('society_id', name=op.f('pk_remote_society'))
    )


def downgrade() -> None:
    op.drop_table('remote_society')
    with op.batch_alter_table('case_conflict', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_conflict_case_id'))
    op.drop_table('case_conflict')
    op.drop_table('case_link')
    op.drop_table('packet_in')
    op.drop_table('packet_out')
