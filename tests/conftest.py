"""Shared fixtures: Qt offscreen, a real migrated SQLite file per test, a fixed clock."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from jiujinan.cases.application import ApplicationInput  # noqa: E402
from jiujinan.cases.clock import FixedClock  # noqa: E402
from jiujinan.cases.idcard import check_digit  # noqa: E402
from jiujinan.cases.society import SocietySettings  # noqa: E402
from jiujinan.services import societies  # noqa: E402
from jiujinan.services.context import AppContext, open_context  # noqa: E402

NOW = dt.datetime(2026, 11, 20, 2, 30, tzinfo=dt.timezone.utc)
TODAY = NOW.date()


def make_id(birth: str = "19650314", seq: str = "12", sex_digit: str = "3", region: str = "341802") -> str:
    """A valid ID number (male when ``sex_digit`` is odd)."""
    first17 = f"{region}{birth}{seq}{sex_digit}"
    return first17 + check_digit(first17)


def society_settings(code: str = "341802100201", name: str = "青山村救急难互助社") -> SocietySettings:
    return SocietySettings(name=name, village="青山村", area_code=code, town="水阳镇",
                           district="宣州区", objection_phone="0563-2012345")


def one_person_society(code: str = "341802100201", name: str = "青山村救急难互助社") -> SocietySettings:
    """A society run by one person: it turns on 职责分离's documented exemption (with its
    reason), so the one clerk may approve what he entered, the 先行救助 included."""
    return dataclasses.replace(society_settings(code, name), entrant_may_approve=True,
                               entrant_may_approve_reason="村里只有一名经办人")


def application(**changes: object) -> ApplicationInput:
    """A complete, valid application as a clerk would type it."""
    values: dict[str, object] = dict(
        applicant_name="张三", id_number=make_id(), phone="13905631234",
        address="水阳镇青山村3组12号", household_size="3", household_type="dibao",
        members=[("李四", "配偶", ""), ("张小五", "子", "")], cause="illness",
        hardship="妻子突发脑梗住院，自付医疗费两万余元，家庭无力承担。", requested_yuan="2000",
        payment_method="bank", bank_name="中国农业银行", account_no="6228480012345678901",
        account_holder="张三", applied_on=TODAY,
    )
    values.update(changes)
    return ApplicationInput(**values)  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def quick_password_hashing(monkeypatch) -> None:
    """scrypt at 16 MB per hash is the point in use; tests hash hundreds of passwords. The
    command line signs in as 王会计 unless a test says otherwise."""
    monkeypatch.setattr("jiujinan.cases.users.SCRYPT_N", 2**8)
    monkeypatch.setenv("JIUJINAN_USER", "王会计")
    monkeypatch.setenv("JIUJINAN_PASSWORD", PASSWORD)


@pytest.fixture(autouse=True)
def private_user_dirs(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    """Tests never touch the real user data, config or log directories."""
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(tmp_path / "home" / var.lower()))


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def ctx(tmp_path, clock) -> AppContext:  # noqa: ANN001
    context = open_context(str(tmp_path / "test.db"), tmp_path, clock)
    yield context
    context.close()


PASSWORD = "qingshan-2026"  # every test user's; the command line reads it from JIUJINAN_PASSWORD


def add_staff_member(ctx: AppContext, name: str) -> None:
    """A user with every role (as users from before roles are) and the test password."""
    from jiujinan.services import users

    societies.add_user(ctx, name)
    users.set_first_password(ctx, name, PASSWORD)


USERS = ("王会计", "李主任", "甲", "乙")  # the clerk, the reviewer, two rivals in the concurrency tests
SEED = (("district_budget", 2_000_000, "宣州区财政局"), ("charity_match", 1_000_000, "宣州区慈善协会"),
        ("village_collective", 1_000_000, "青山村村民委员会"))  # 40,000 yuan of seed money


@pytest.fixture
def society_id(ctx: AppContext) -> int:
    """A society with its clerk 王会计 and its reviewer 李主任 (both hold every role, as in a
    small office; separation of duties keeps 王会计 from approving what he entered), and
    40,000 yuan of seed money from the three sources."""
    from jiujinan.cases.enums import FundSource
    from jiujinan.cases.fund import ContributionInput
    from jiujinan.services import fund

    for person in USERS:
        add_staff_member(ctx, person)
    society = societies.create_society(ctx, society_settings(), "王会计").id
    for source, fen, payer in SEED:
        fund.add_contribution(ctx, society, ContributionInput(dt.date(2026, 1, 5), FundSource(source), fen, payer,
                                                              f"记-2026-{fen // 10000:03d}"), "王会计")
    return society


def import_folder(ctx: AppContext, folder, user: str):  # noqa: ANN001, ANN201
    """Check and store one export at the district, as district.import_folders does for a set."""
    from jiujinan.services import district

    return district.import_folders(ctx, [folder], user)[0]


def sign_again(folder, ctx: AppContext) -> None:  # noqa: ANN001
    """Sign an export folder's manifest again with the database's own key, as the village's own
    (broken or dishonest) program would after changing a file: the district's checks of the
    contents, not the signature, must then catch it."""
    from jiujinan import keys
    from jiujinan.services.keys import signer

    data = (folder / "manifest.json").read_bytes()
    (folder / "manifest.sig").write_text(keys.b64(signer(ctx).sign(data)) + "\n", encoding="ascii")


def pg_server() -> str | None:
    """The SQLAlchemy URL of a PostgreSQL server's maintenance database (JIUJINAN_TEST_PG;
    .ci/run starts one on loopback), or None."""
    return os.environ.get("JIUJINAN_TEST_PG") or None


@contextmanager
def throwaway_pg_database(server: str, template: str | None = None) -> Iterator[str]:
    """A new database on the server (a copy of ``template`` if given), dropped afterwards."""
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"jiujinan_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def pg_url():  # noqa: ANN201
    """A throwaway, empty PostgreSQL database; skipped without a server."""
    server = pg_server()
    if not server:
        pytest.skip("no PostgreSQL server (set JIUJINAN_TEST_PG)")
    with throwaway_pg_database(server) as url:
        yield url


@pytest.fixture(scope="session")
def pg_template(tmp_path_factory):  # noqa: ANN001, ANN201
    """The name of a PostgreSQL database migrated to head once per run, which each test's
    database copies (CREATE DATABASE … TEMPLATE: much quicker than migrating each time)."""
    from sqlalchemy.engine import make_url

    server = pg_server()
    if not server:
        pytest.skip("no PostgreSQL server (set JIUJINAN_TEST_PG)")
    with throwaway_pg_database(server) as url:
        context = open_context(url, tmp_path_factory.mktemp("pg_template"), FixedClock(NOW))
        context.close()
        yield make_url(url).database


PG_PASSWORD_ROLE, PG_PASSWORD = "jiujinan_password_test", "Fuwuqi-2026"  # .ci/run makes the server ask this role


@pytest.fixture
def pg_password_server(pg_url, monkeypatch):  # noqa: ANN001, ANN201
    """(ServerSetting, password) of a throwaway database owned by a role that must give
    its password (.ci/run's pg_hba rule); skipped when the server trusts everyone."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from jiujinan.services.connection import ServerSetting

    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", os.devnull)
    url = make_url(pg_url)
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if conn.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": PG_PASSWORD_ROLE}) is None:
            conn.execute(text(f"CREATE ROLE {PG_PASSWORD_ROLE} LOGIN"))
        conn.execute(text(f"ALTER ROLE {PG_PASSWORD_ROLE} PASSWORD '{PG_PASSWORD}'"))
        conn.execute(text(f'ALTER DATABASE "{url.database}" OWNER TO {PG_PASSWORD_ROLE}'))
        conn.execute(text(f"GRANT ALL ON SCHEMA public TO {PG_PASSWORD_ROLE}"))
    admin.dispose()
    setting = ServerSetting(url.host or "127.0.0.1", url.port or 5432, url.database, PG_PASSWORD_ROLE)
    probe = create_engine(setting.url())
    try:
        probe.connect().close()
        pytest.skip("the server lets this role in without a password (see .ci/run's pg_hba rule)")
    except Exception:  # noqa: BLE001 - it asked for the password, as wanted
        pass
    finally:
        probe.dispose()
    return setting, PG_PASSWORD


def schema_diff(conn) -> list:  # noqa: ANN001
    """The differences between a migrated database and the models, leaving out the search
    index (jiujinan/db/search.py: a virtual table, triggers and indexes kept outside the models)."""
    import warnings

    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from jiujinan.db.models import Base
    from jiujinan.db.search import outside_models

    opts = {"compare_type": True, "include_name": lambda name, _type, _parent: not outside_models(name)}
    with warnings.catch_warnings():  # SQLAlchemy does not reflect expression indexes; they are skipped above
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
        return compare_metadata(MigrationContext.configure(conn, opts=opts), Base.metadata)


@pytest.fixture(autouse=True)
def operations_in_place(monkeypatch) -> None:  # noqa: ANN001
    """Database operations run in place, as Picard's tests run its thread pool: a click on 保存
    has saved when the click returns. The runner's own thread is tested in tests/ui/test_ops.py (and the
    app started as a program runs it for real)."""
    from jiujinan.ui.ops import Ops

    monkeypatch.setattr(Ops, "inline", True)


def pytest_configure(config) -> None:  # noqa: ANN001
    """Marks of tests/db, here because tests elsewhere reuse its tests' helpers."""
    config.addinivalue_line("markers", "sqlite_only: about the SQLite file itself; not run on PostgreSQL")
    config.addinivalue_line("markers", "tampers: edits the database outside the app (its teardown does not check)")
