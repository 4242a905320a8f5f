"""Alembic environment: runs on the engine the app hands over, batch mode for SQLite.

The whole upgrade is one transaction. On SQLite, batch mode rebuilds tables that others
point at, so foreign keys are switched off for the upgrade (outside the transaction, as
SQLite requires) and checked before it commits.
"""

from alembic import context

from jiujinan.db.models import Base

config = context.config
engine = config.attributes["engine"]
is_sqlite = engine.dialect.name == "sqlite"


def _pragma(connection, text: str) -> None:  # noqa: ANN001
    """Run a pragma on the driver connection, outside any transaction."""
    connection.connection.dbapi_connection.execute(text)


with engine.connect() as connection:
    if is_sqlite:
        _pragma(connection, "PRAGMA foreign_keys=OFF")
    try:
        with connection.begin():
            context.configure(
                connection=connection,
                target_metadata=Base.metadata,
                render_as_batch=True,
                compare_type=True,
                transactional_ddl=True,
            )
            context.run_migrations()
            if is_sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"schema upgrade broke references: {broken[:5]}")
    finally:
        if is_sqlite:
            _pragma(connection, "PRAGMA foreign_keys=ON")
