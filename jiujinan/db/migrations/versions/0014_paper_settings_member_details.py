"""What the papers need: each society names the office deciding at each level, whether its
公示 shows the masked ID, who takes objections, its contact phone, the deadlines its letters
give and its 负责人; each household member gets an age and an income source. Societies and
cases with members are sealed again in the new form («升级后重新封存» by 系统), each only if
its last seal held in the old form: a row edited outside the app before the upgrade is
still named by ``check``.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01
"""

from alembic import context, op
import sqlalchemy as sa
from sqlalchemy.orm import Session

from jiujinan.db.seal_baseline import form_in_database, reseal_new_form


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

SOCIETY = ('village_office', 'town_office', 'district_office', 'notice_shows_id', 'objection_contact',
           'contact_phone', 'return_days', 'appeal_days', 'appeal_to', 'head_name')
MEMBER = ('age', 'income_source')


def upgrade() -> None:
    session = Session(bind=op.get_bind())
    old_society = form_in_database(session, "society")
    old_case = form_in_database(session, "case")
    with op.batch_alter_table('society', schema=None) as batch_op:
        for name in ('village_office', 'town_office', 'district_office', 'objection_contact'):
            batch_op.add_column(sa.Column(name, sa.String(length=40), server_default='', nullable=False))
        batch_op.add_column(sa.Column('notice_shows_id', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('contact_phone', sa.String(length=20), server_default='', nullable=False))
        batch_op.add_column(sa.Column('return_days', sa.Integer(), server_default='10', nullable=False))
        batch_op.add_column(sa.Column('appeal_days', sa.Integer(), server_default='60', nullable=False))
        batch_op.add_column(sa.Column('appeal_to', sa.String(length=80), server_default='', nullable=False))
        batch_op.add_column(sa.Column('head_name', sa.String(length=30), server_default='', nullable=False))
    with op.batch_alter_table('household_member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('age', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('income_source', sa.String(length=40), server_default='', nullable=False))
    session = Session(bind=op.get_bind())
    now = context.config.attributes["now"]
    reseal_new_form(session, now, "society", old_society, form_in_database(session, "society"),
                    "互助社增加打印设置（各级审核单位、异议受理、告知书期限、负责人）")
    reseal_new_form(session, now, "case", old_case, form_in_database(session, "case"),
                    "家庭成员增加年龄、收入来源")
    session.flush()


def downgrade() -> None:
    with op.batch_alter_table('household_member', schema=None) as batch_op:
        for name in reversed(MEMBER):
            batch_op.drop_column(name)
    with op.batch_alter_table('society', schema=None) as batch_op:
        for name in reversed(SOCIETY):
            batch_op.drop_column(name)
