"""Audit trail as a hash chain: position, previous hash and own hash on every entry, and the
chain's end in audit_head. Entries already there are chained in the order they were written.
At the district, each imported export records the village's chain as the export reported it.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22
"""

import datetime as dt

from alembic import op
import sqlalchemy as sa

from jiujinan.cases.audit_chain import GENESIS, ChainLink


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_head',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entries', sa.Integer(), nullable=False),
    sa.Column('last_hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_head'))
    )
    with op.batch_alter_table('import_batch', schema=None) as batch_op:
        batch_op.add_column(sa.Column('audit_entries', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('audit_intact', sa.Boolean(), nullable=True))
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seq', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('entry_hash', sa.String(length=64), nullable=True))

    conn = op.get_bind()
    log = sa.table('audit_log', sa.column('id', sa.Integer), sa.column('at', sa.DateTime),
                   sa.column('user_name', sa.String), sa.column('society_id', sa.Integer),
                   sa.column('entity', sa.String), sa.column('entity_id', sa.Integer),
                   sa.column('action', sa.String), sa.column('before_json', sa.Text),
                   sa.column('after_json', sa.Text), sa.column('seq', sa.Integer),
                   sa.column('prev_hash', sa.String), sa.column('entry_hash', sa.String))
    rows = conn.execute(sa.select(log.c.id, log.c.at, log.c.user_name, log.c.society_id, log.c.entity,
                                  log.c.entity_id, log.c.action, log.c.before_json, log.c.after_json)
                        .order_by(log.c.id)).all()
    prev, updates = GENESIS, []
    for seq, r in enumerate(rows, start=1):
        at = r.at if isinstance(r.at, dt.datetime) else dt.datetime.fromisoformat(str(r.at))
        link = ChainLink(seq, prev, at.replace(tzinfo=dt.timezone.utc), r.user_name, r.society_id, r.entity,
                         r.entity_id, r.action, r.before_json or "", r.after_json or "")
        digest = link.digest()
        updates.append({"rid": r.id, "s": seq, "p": prev, "h": digest})
        prev = digest
    if updates:
        conn.execute(log.update().where(log.c.id == sa.bindparam("rid"))
                     .values(seq=sa.bindparam("s"), prev_hash=sa.bindparam("p"), entry_hash=sa.bindparam("h")),
                     updates)
    conn.execute(sa.table('audit_head', sa.column('id'), sa.column('entries'), sa.column('last_hash')).insert()
                 .values(id=1, entries=len(rows), last_hash=prev))

    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.alter_column('seq', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('prev_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('entry_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_audit_log_seq'), ['seq'])


def downgrade() -> None:
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_audit_log_seq'), type_='unique')
        batch_op.drop_column('entry_hash')
        batch_op.drop_column('prev_hash')
        batch_op.drop_column('seq')
    op.drop_table('audit_head')
    with op.batch_alter_table('import_batch', schema=None) as batch_op:
        batch_op.drop_column('audit_intact')
        batch_op.drop_column('audit_entries')
