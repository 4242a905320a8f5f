"""The database suite runs twice: on a SQLite file and on a throwaway PostgreSQL database
(when JIUJINAN_TEST_PG names a server, as in .ci/run). Tests about the SQLite file itself
(backups of the file, its permissions, migrating old files) are marked ``sqlite_only``."""

import pytest

from jiujinan.services.context import open_context
from tests.conftest import pg_server, throwaway_pg_database

BACKENDS = ("sqlite", "postgresql")



def pytest_collection_modifyitems(config, items) -> None:  # noqa: ANN001
    """A PostgreSQL run of a SQLite-only test is not collected (rather than shown skipped)."""
    keep = [item for item in items
            if not (item.get_closest_marker("sqlite_only") and getattr(item, "callspec", None)
                    and item.callspec.params.get("backend") == "postgresql")]
    if len(keep) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in keep])
        items[:] = keep


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:  # noqa: ANN001
    if request.param == "postgresql" and not pg_server():
        pytest.skip("no PostgreSQL server (set JIUJINAN_TEST_PG)")
    return request.param


@pytest.fixture
def db_url(backend, tmp_path, request):  # noqa: ANN001, ANN201
    """The test's database: a file in tmp_path, or a copy of the migrated PostgreSQL template."""
    if backend == "sqlite":
        yield str(tmp_path / "test.db")
        return
    with throwaway_pg_database(pg_server(), request.getfixturevalue("pg_template")) as url:
        yield url


@pytest.fixture
def ctx(db_url, tmp_path, clock, request):  # noqa: ANN001, ANN201
    """The test's context. Afterwards every row must still equal its last audited state and
    the chain be whole: each write path the test took sealed what it wrote (issue 15)."""
    context = open_context(db_url, tmp_path, clock)
    yield context
    if not request.node.get_closest_marker("tampers") and context.engine.url.database:
        from sqlalchemy.exc import SQLAlchemyError

        from jiujinan.db import audit, seal_check

        try:
            with context.read() as s:
                problems = audit.chain_problems(s) + seal_check.rows_match_seals(s)
        except SQLAlchemyError:  # a test that replaced or removed the database
            problems = []
        assert not problems, problems[:5]
    context.close()
