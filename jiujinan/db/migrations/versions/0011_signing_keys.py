"""Signed exports and village histories: this database's signing key and where its audit chain
ended at each export (village side); enrolled society keys and the chain each society is held to,
and per import whether it was signed and what its history showed (district side).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05
"""

from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('signing_key',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('private_pem', sa.Text(), nullable=False),
    sa.Column('public_key', sa.String(length=44), nullable=False),
    sa.Column('fingerprint', sa.String(length=19), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signing_key'))
    )
    op.create_table('export_head',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('society_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('entry_hash', sa.String(length=64), nullable=False),
    sa.Column('exported_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['society_id'], ['society.id'], name=op.f('fk_export_head_society_id_society')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_export_head')),
    sa.UniqueConstraint('society_id', 'seq', name='uq_export_head_society_seq')
    )
    op.create_table('society_key',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('society_code', sa.String(length=12), nullable=False),
    sa.Column('public_key', sa.String(length=44), nullable=False),
    sa.Column('fingerprint', sa.String(length=19), nullable=False),
    sa.Column('how', sa.String(length=20), nullable=False),
    sa.Column('enrolled_at', sa.DateTime(), nullable=False),
    sa.Column('enrolled_by', sa.String(length=30), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batch.id'], name=op.f('fk_society_key_batch_id_import_batch')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_society_key'))
    )
    with op.batch_alter_table('society_key', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_society_key_society_code'), ['society_code'], unique=False)
    op.create_table('society_chain',
    sa.Column('society_code', sa.String(length=12), nullable=False),
    sa.Column('entries', sa.Integer(), nullable=False),
    sa.Column('last_hash', sa.String(length=64), nullable=False),
    sa.Column('points', sa.Text(), nullable=False),
    sa.Column('exported_at', sa.String(length=40), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batch.id'], name=op.f('fk_society_chain_batch_id_import_batch')),
    sa.PrimaryKeyConstraint('society_code', name=op.f('pk_society_chain'))
    )
    with op.batch_alter_table('import_batch', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signed', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('key_fingerprint', sa.String(length=19), nullable=True))
        batch_op.add_column(sa.Column('chain_note', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('import_batch', schema=None) as batch_op:
        batch_op.drop_column('chain_note')
        batch_op.drop_column('key_fingerprint')
        batch_op.drop_column('signed')
    op.drop_table('society_chain')
    with op.batch_alter_table('society_key', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_society_key_society_code'))
    op.drop_table('society_key')
    op.drop_table('export_head')
    op.drop_table('signing_key')
