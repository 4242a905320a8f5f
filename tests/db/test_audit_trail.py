"""Changes outside the app show up in ``jiujinan check``: the audit trail is a hash chain."""

import pytest
from sqlalchemy import text

from jiujinan.cli import main
from jiujinan.services import intake
from jiujinan.services.check import run_checks
from tests.conftest import application


def audit_rows(ctx) -> list[tuple]:  # noqa: ANN001
    with ctx.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text("SELECT seq, entity, action FROM audit_log ORDER BY seq"))]


def chain_findings(ctx) -> list[str]:  # noqa: ANN001
    return dict(run_checks(ctx).results)["审计记录完整、未被改动"]


def test_every_change_is_chained_and_check_passes(ctx, society_id) -> None:  # noqa: ANN001
    intake.register_application(ctx, society_id, application(), "王会计")
    rows = audit_rows(ctx)
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1)) and len(rows) >= 6
    assert {"society", "ledger", "case"} <= {r[1] for r in rows}
    assert run_checks(ctx).ok


@pytest.mark.tampers
def test_an_entry_edited_outside_the_app_is_named(ctx, society_id, capsys) -> None:  # noqa: ANN001
    with ctx.engine.begin() as conn:  # someone edits the trail outside the app
        conn.execute(text("UPDATE audit_log SET after_json = replace(after_json, '2000000', '9000000') "
                          "WHERE entity = 'ledger' AND seq = (SELECT min(seq) FROM audit_log WHERE entity = 'ledger')"))
        seq = conn.scalar(text("SELECT min(seq) FROM audit_log WHERE entity = 'ledger'"))
    (finding,) = chain_findings(ctx)
    assert f"第 {seq} 条" in finding and "修改" in finding
    code = main(["--db", ctx.url, "check"])
    out = capsys.readouterr().out
    assert code != 0 and f"第 {seq} 条" in out


@pytest.mark.tampers
def test_deleted_entries_are_named(ctx, society_id) -> None:  # noqa: ANN001
    total = len(audit_rows(ctx))
    with ctx.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE seq IN (2, :last)"), {"last": total})
    findings = chain_findings(ctx)
    assert any("第 2 条不见了" in f for f in findings)
    assert any(f"第 {total} 条不见了" in f for f in findings)


def test_the_chain_continues_after_a_restart(ctx, society_id, tmp_path, clock) -> None:  # noqa: ANN001
    from jiujinan.services.context import open_context

    ctx.close()
    again = open_context(ctx.url, tmp_path, clock)
    intake.register_application(again, society_id, application(), "王会计")
    assert run_checks(again).ok
    again.close()
