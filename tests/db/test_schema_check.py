"""``check`` says when the schema holds objects that are not the app's, on both backends;
a fresh database and a demo database are exactly the app's schema."""

from __future__ import annotations

from jiujinan.services.check import INDEX_CHECK, SCHEMA_CHECK, foreign_schema, run_checks
from jiujinan.services.demo import run_demo


def _run(ctx, *statements: str) -> None:  # noqa: ANN001
    with ctx.engine.begin() as conn:
        for sql in statements:
            conn.exec_driver_sql(sql)


def test_a_fresh_and_a_demo_database_are_the_apps_own(ctx) -> None:  # noqa: ANN001
    run_demo(ctx, n_societies=1, n_cases=30, seed=3)
    report = run_checks(ctx)
    assert report.ok and dict(report.results)[SCHEMA_CHECK] == () and foreign_schema(ctx) == []
    assert dict(report.results).get(INDEX_CHECK, ()) == () and report.notes == ()


def test_a_view_and_a_trigger_from_outside_are_named(ctx, backend) -> None:  # noqa: ANN001
    if backend == "sqlite":
        _run(ctx, "CREATE VIEW people AS SELECT applicant_name, account_no FROM aid_case",
             "CREATE TRIGGER skim AFTER INSERT ON ledger_entry BEGIN "
             "UPDATE ledger_entry SET amount_fen = amount_fen - 100 WHERE id = new.id; END")
    else:
        _run(ctx, "CREATE VIEW people AS SELECT applicant_name, account_no FROM aid_case",
             "CREATE FUNCTION skim_fn() RETURNS trigger LANGUAGE plpgsql AS "
             "'BEGIN NEW.amount_fen := NEW.amount_fen - 100; RETURN NEW; END'",
             "CREATE TRIGGER skim BEFORE INSERT ON ledger_entry FOR EACH ROW EXECUTE FUNCTION skim_fn()",
             "CREATE RULE copy_users AS ON UPDATE TO app_user DO ALSO NOTIFY leak")
    found = dict(run_checks(ctx).results)[SCHEMA_CHECK]
    text = "\n".join(found)
    assert "数据库中有程序不认识的视图 people" in text and "数据库中有程序不认识的触发器 skim" in text
    if backend == "postgresql":
        assert "有程序不认识的函数 skim_fn" in text and "有程序不认识的规则 copy_users" in text
    assert foreign_schema(ctx) == list(found)


def test_two_schema_version_rows_are_named(ctx) -> None:  # noqa: ANN001
    _run(ctx, "INSERT INTO alembic_version (version_num) VALUES ('0001')")
    assert dict(run_checks(ctx).results)[SCHEMA_CHECK] == (
        "表结构版本记录应有 1 条，数据库中有 2 条（可能在程序之外被改动）",)


def test_above_the_limit_check_says_the_search_index_was_left_out(ctx, monkeypatch) -> None:  # noqa: ANN001
    from jiujinan.services import check

    run_demo(ctx, n_societies=1, n_cases=5, seed=3)
    monkeypatch.setattr(check, "INDEX_CHECK_UP_TO", 4)
    report = run_checks(ctx)
    assert INDEX_CHECK not in dict(report.results) and report.ok
    if ctx.engine.dialect.name == "sqlite":
        assert report.notes == (check.INDEX_TOO_LARGE,) and "从备份恢复时总会核对" in report.notes[0]
        assert INDEX_CHECK in dict(run_checks(ctx, whole_index=True).results)
    else:
        assert report.notes == ()  # the server keeps its own index
