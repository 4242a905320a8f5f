"""Registering applications on a real migrated SQLite file: numbers, audit, history, faults."""

import dataclasses
import datetime as dt
import hashlib
import json
import sqlite3

import pytest
from sqlalchemy import event, select

from jiujinan.cases.enums import Cause, CaseStatus
from jiujinan.cases.errors import ConflictError, ValidationError
from jiujinan.cases.history import RepeatApplication
from jiujinan.db.models import AidCase, AuditEntry
from jiujinan.services import intake, societies
from jiujinan.services.context import DatabaseUnavailable
from tests.conftest import application, make_id, society_settings


def count_rows(ctx, model) -> int:  # noqa: ANN001
    with ctx.read() as s:
        return len(s.scalars(select(model.id)).all())


def test_register_assigns_readable_numbers_per_year(ctx, society_id) -> None:
    first = intake.register_application(ctx, society_id, application(), "王会计")
    second = intake.register_application(ctx, society_id, application(id_number=make_id(seq="45")), "王会计")
    assert first.case_no == "341802100201-2026-00001"
    assert second.case_no == "341802100201-2026-00002"
    assert first.status is CaseStatus.ACCEPTED
    assert first.created_by == "王会计"
    assert [m.name for m in first.application.members] == ["李四", "张小五"]


def test_each_society_numbers_its_own_cases(ctx, society_id) -> None:
    other = societies.create_society(ctx, society_settings("341802101202", "龙泉村救急难互助社"), "王会计")
    case = intake.register_application(ctx, other.id, application(), "王会计")
    assert case.case_no == "341802101202-2026-00001"


def test_register_writes_an_audit_entry(ctx, society_id) -> None:
    case = intake.register_application(ctx, society_id, application(), "王会计")
    with ctx.read() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.entity == "case")).one()
    assert (entry.user_name, entry.action, entry.entity_id) == ("王会计", "register", case.id)
    assert json.loads(entry.after_json)["requested_fen"] == 200000


def test_edit_records_who_changed_what(ctx, society_id) -> None:
    case = intake.register_application(ctx, society_id, application(), "王会计")
    edited = intake.update_application(ctx, case.id, application(requested_yuan="2500", phone="13800000000"),
                                       "李主任", version=case.version)
    assert edited.application.requested_fen == 250000
    assert (edited.updated_by, edited.version) == ("李主任", 2)
    with ctx.read() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "edit")).one()
    assert json.loads(entry.before_json) == {"requested_fen": 200000, "phone": "13905631234"}
    assert json.loads(entry.after_json) == {"requested_fen": 250000, "phone": "13800000000"}
    assert entry.user_name == "李主任"


def test_stale_edit_is_refused(ctx, society_id) -> None:
    case = intake.register_application(ctx, society_id, application(), "王会计")
    intake.update_application(ctx, case.id, application(requested_yuan="2100"), "王会计", version=1)
    with pytest.raises(ConflictError):
        intake.update_application(ctx, case.id, application(requested_yuan="2200"), "李主任", version=1)
    assert intake.load(ctx, case.id, "王会计").application.requested_fen == 210000


def test_bad_input_writes_nothing(ctx, society_id) -> None:
    audits = count_rows(ctx, AuditEntry)
    with pytest.raises(ValidationError) as info:
        intake.register_application(ctx, society_id, application(requested_yuan="12.345", id_number="123"), "王会计")
    assert {e.field for e in info.value.errors} == {"requested_yuan", "id_number"}
    assert count_rows(ctx, AidCase) == 0
    assert count_rows(ctx, AuditEntry) == audits


def test_attachments_are_copied_with_their_digest(ctx, society_id, tmp_path) -> None:
    source = tmp_path / "诊断证明.pdf"
    source.write_bytes(b"%PDF-1.4 hospital diagnosis")
    case = intake.register_application(ctx, society_id, application(), "王会计", attachments=[source])
    (att,) = case.attachments
    assert att.original_name == "诊断证明.pdf"
    assert att.sha256 == hashlib.sha256(source.read_bytes()).hexdigest()
    stored = intake.attachment_path(ctx, case.id, att, "王会计")
    assert stored.suffix == ".pdf"
    assert stored.read_bytes() == source.read_bytes() and stored != source
    source.unlink()  # the clerk's copy may go; the society's stays
    assert stored.exists()


def test_a_missing_attachment_stops_the_save(ctx, society_id, tmp_path) -> None:
    with pytest.raises(Exception, match="无法复制附件"):
        intake.register_application(ctx, society_id, application(), "王会计",
                                    attachments=[tmp_path / "missing.jpg"])
    assert count_rows(ctx, AidCase) == 0


def test_history_and_one_event_one_aid(ctx, society_id) -> None:
    first = intake.register_application(ctx, society_id, application(), "王会计")
    on = first.application.applied_on
    history = intake.applicant_history(ctx, society_id, make_id().lower(), Cause.ILLNESS, on, user="王会计")
    assert history.case_count == 1
    assert first.case_no in history.one_event_warning()
    assert intake.applicant_history(ctx, society_id, make_id(), Cause.DISASTER, on, user="王会计").one_event_warning() is None
    assert intake.applicant_history(ctx, society_id, make_id(seq="99"), Cause.ILLNESS, on, user="王会计").case_count == 0
    # the case itself, looked at later, has nothing earlier
    assert intake.applicant_history(ctx, society_id, make_id(), Cause.ILLNESS, on, first.case_no, user="王会计") \
        .one_event_warning() is None


def test_a_repeat_is_refused_without_a_reason_and_kept_with_one(ctx, society_id) -> None:
    """一事一救 at intake: the later application names the earlier case and needs a reason."""
    first = intake.register_application(ctx, society_id, application(), "王会计")
    with pytest.raises(RepeatApplication) as info:
        intake.register_application(ctx, society_id, application(), "王会计")
    assert [p.case_no for p in info.value.earlier] == [first.case_no]
    assert first.case_no in str(info.value) and "已受理" in str(info.value) and "¥2,000.00" in str(info.value)
    assert count_rows(ctx, AidCase) == 1
    other_cause = intake.register_application(ctx, society_id, application(cause=Cause.DISASTER.value), "王会计")
    assert other_cause.case_no.endswith("00002")  # another cause is no repeat
    second = intake.register_application(ctx, society_id, application(repeat_reason="病情复发再次住院"), "王会计")
    assert second.application.repeat_reason == "病情复发再次住院"
    with ctx.read() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.entity_id == second.id,
                                                   AuditEntry.action == "register")).one()
    after = json.loads(entry.after_json)
    assert (after["repeat_reason"], after["repeat_of"]) == ("病情复发再次住院", [first.case_no])


def test_read_only_database_gives_a_clear_message_and_keeps_data(ctx, society_id) -> None:
    intake.register_application(ctx, society_id, application(), "王会计")
    ctx.engine.dispose()
    readonly = dataclasses.replace(ctx)  # the same database, opened the way a read-only share (or server) is
    sqlite = ctx.engine.dialect.name == "sqlite"

    @event.listens_for(readonly.engine, "connect")
    def _ro(dbapi_conn, _rec) -> None:  # noqa: ANN001
        if sqlite:
            dbapi_conn.execute("PRAGMA query_only=1")
        else:
            dbapi_conn.execute("SET default_transaction_read_only = on")
            dbapi_conn.commit()

    with pytest.raises(DatabaseUnavailable, match="只读"):
        intake.register_application(readonly, society_id, application(id_number=make_id(seq="77")), "王会计")
    assert count_rows(ctx, AidCase) == 1


def _driver_error(dialect: str, fault: str) -> Exception:
    """The error each driver raises for a fault, with the server's own words."""
    if dialect == "sqlite":
        message, code = {"full": ("database or disk is full", sqlite3.SQLITE_FULL),
                         "locked": ("database is locked", sqlite3.SQLITE_BUSY),
                         "readonly": ("attempt to write a readonly database", sqlite3.SQLITE_READONLY)}[fault]
        err = sqlite3.OperationalError(message)
        err.sqlite_errorcode = code  # as the sqlite3 module sets it on the errors it raises
        return err
    import psycopg.errors as pg

    return {"full": pg.DiskFull('could not extend file "base/16384/16399": No space left on device'),
            "locked": pg.LockNotAvailable("canceling statement due to lock timeout"),
            "readonly": pg.ReadOnlySqlTransaction("cannot execute INSERT in a read-only transaction"),
            "lost": pg.AdminShutdown("terminating connection due to administrator command")}[fault]


@pytest.mark.parametrize(
    ("fault", "shown"),
    [("full", "磁盘空间不足"), ("locked", "其他程序使用"), ("readonly", "只读"), ("lost", "连接中断")],
)
def test_storage_faults_become_clear_messages(ctx, society_id, fault: str, shown: str) -> None:
    dialect = ctx.engine.dialect.name
    if (dialect, fault) == ("sqlite", "lost"):
        pytest.skip("a file has no connection to lose")

    @event.listens_for(ctx.engine, "before_cursor_execute")
    def _fail(conn, cursor, statement, params, context, executemany) -> None:  # noqa: ANN001
        if statement.lstrip().upper().startswith("INSERT INTO AID_CASE"):
            raise _driver_error(dialect, fault)

    with pytest.raises(DatabaseUnavailable, match=shown):
        intake.register_application(ctx, society_id, application(), "王会计")
    event.remove(ctx.engine, "before_cursor_execute", _fail)
    assert count_rows(ctx, AidCase) == 0


def test_an_edit_that_makes_a_case_a_repeat_needs_a_reason_too(ctx, society_id) -> None:
    first = intake.register_application(ctx, society_id, application(), "王会计")
    other = intake.register_application(ctx, society_id, application(cause=Cause.DISASTER.value), "王会计")
    with pytest.raises(RepeatApplication) as info:  # the second becomes a later illness case of the same person
        intake.update_application(ctx, other.id, application(), "王会计", version=other.version)
    assert [p.case_no for p in info.value.earlier] == [first.case_no]
    edited = intake.update_application(ctx, other.id, application(repeat_reason="病情复发"), "王会计",
                                       version=other.version)
    assert edited.application.cause is Cause.ILLNESS
    # the earlier case stays free to edit: it is not the repeat
    intake.update_application(ctx, first.id, application(phone="13800000000"), "王会计", version=first.version)


def test_a_backdated_second_case_is_the_repeat(ctx, society_id) -> None:
    """一事一救 by registration: typing an earlier applied_on does not make the first case the repeat."""
    first = intake.register_application(ctx, society_id, application(), "王会计")
    backdated = first.application.applied_on - dt.timedelta(days=120)
    with pytest.raises(RepeatApplication) as info:
        intake.register_application(ctx, society_id, application(applied_on=backdated), "王会计")
    assert [p.case_no for p in info.value.earlier] == [first.case_no]
    second = intake.register_application(ctx, society_id, application(applied_on=backdated,
                                                                      repeat_reason="病情复发"), "王会计")
    # the first case stays the earlier one; the second is the repeat, whatever the dates say
    assert intake.applicant_history(ctx, society_id, make_id(), Cause.ILLNESS, first.application.applied_on,
                                    first.case_no, user="王会计").same_cause_this_year == ()
    assert [p.case_no for p in intake.applicant_history(
        ctx, society_id, make_id(), Cause.ILLNESS, backdated, second.case_no, user="王会计").same_cause_this_year] == [first.case_no]


def test_an_edit_to_the_same_person_needs_a_reason(ctx, society_id) -> None:
    """Registering for another person and then changing the ID number is held to 一事一救."""
    first = intake.register_application(ctx, society_id, application(), "王会计")
    other = intake.register_application(ctx, society_id, application(id_number=make_id(seq="77")), "王会计")
    with pytest.raises(RepeatApplication) as info:
        intake.update_application(ctx, other.id, application(), "王会计", version=other.version)
    assert [p.case_no for p in info.value.earlier] == [first.case_no]
    assert intake.load(ctx, other.id, "王会计").application.id_number == make_id(seq="77")


def test_a_repeat_may_not_lose_its_reason_by_an_edit(ctx, society_id) -> None:
    intake.register_application(ctx, society_id, application(), "王会计")
    second = intake.register_application(ctx, society_id, application(repeat_reason="病情复发"), "王会计")
    for blank in ("", "   "):
        with pytest.raises(RepeatApplication):
            intake.update_application(ctx, second.id, application(repeat_reason=blank), "王会计",
                                      version=second.version)
    assert intake.load(ctx, second.id, "王会计").application.repeat_reason == "病情复发"
    # an edit of anything else keeps the reason and goes through
    edited = intake.update_application(ctx, second.id, application(repeat_reason="病情复发", phone="13800000000"),
                                       "王会计", version=second.version)
    assert edited.application.phone == "13800000000"


@pytest.mark.tampers
def test_check_names_a_repeat_without_a_reason(ctx, society_id) -> None:
    """`jiujinan check` holds every stored case to 一事一救 by registration order, so a case
    backdated before an earlier one and stored without a reason (by an older version) is named."""
    from sqlalchemy import update

    from jiujinan.services.check import run_checks

    first = intake.register_application(ctx, society_id, application(), "王会计")
    second = intake.register_application(ctx, society_id, application(
        applied_on=first.application.applied_on - dt.timedelta(days=30), repeat_reason="病情复发"), "王会计")
    assert run_checks(ctx).ok
    with ctx.write() as s:
        s.execute(update(AidCase).where(AidCase.id == second.id).values(repeat_reason=""))
    report = run_checks(ctx)
    problems = list(dict(report.results)["一事一救的后一案件写明了理由"])
    assert len(problems) == 1 and second.case_no in problems[0] and first.case_no in problems[0]
    assert "一事一救" in problems[0]
    # The edit itself went around the app: the case no longer equals its audited state.
    assert dict(report.results)["每条记录与其最后的审计记录一致"] == (
        f"案件 {second.case_no} 的再次救助理由在程序之外被改动",)
