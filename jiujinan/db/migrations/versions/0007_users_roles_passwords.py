"""Users get roles, a password hash and login limits; societies the separation-of-duties
setting. Users already there keep every role (the office worked that way) and set a
password at their next login.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22
"""

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('roles', sa.String(length=60), server_default='clerk,reviewer,admin',
                                      nullable=False))
        batch_op.add_column(sa.Column('password_hash', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('failed_logins', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('locked_until', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False))
    with op.batch_alter_table('society', schema=None) as batch_op:
        batch_op.add_column(sa.Column('entrant_may_approve', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('entrant_may_approve_reason', sa.String(length=200), server_default='',
                                      nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('society', schema=None) as batch_op:
        batch_op.drop_column('entrant_may_approve_reason')
        batch_op.drop_column('entrant_may_approve')
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.drop_column('active')
        batch_op.drop_column('locked_until')
        batch_op.drop_column('failed_logins')
        batch_op.drop_column('password_hash')
        batch_op.drop_column('roles')
