"""Search finds a part of a name, ID number or case number: a trigram index (FTS5 with
triggers on SQLite, pg_trgm GIN on PostgreSQL) and the name from its 2nd and 3rd character
(see jiujinan/db/search.py, whose 0009 definitions this creates). Filling the index from a
million cases takes about a minute.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from alembic import op

from jiujinan.db import search


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    search.create_0009(op.get_bind())


def downgrade() -> None:
    search.drop_0009(op.get_bind())
