"""Reads go through one door: every public service function is either listed here as
checked (walked with a user of another area, who is refused, and one of the right area, who
is served), as filtered (the outsider gets only their own area's part), or as exempt with
the reason. A new public function that is none of these fails the last test."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import io
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

import jiujinan.services
from jiujinan.cases.enums import Cause, Level, PaymentMethod
from jiujinan.cases.fund import PaymentInput
from jiujinan.cases.listing import CaseListQuery
from jiujinan.cases.review import Deliberation, Emergency, Return, StartNotice, Visit
from jiujinan.cases.users import PermissionDenied, Role
from jiujinan.services import (
    backups, case_list, district, export, fund, intake, printing, review, societies, users,
)
from jiujinan.services.context import AppContext
from tests.conftest import PASSWORD, application, import_folder, make_id, society_settings

D = dt.date
QINGSHAN, JINBA = "341802100201", "341802101201"  # the society of the fixture; one of another town
INSIDER, OUTSIDER = "青山会计", "金坝会计"  # every role, each on one society only
NOV = (D(2026, 11, 1), D(2026, 12, 1))


@dataclass
class Door:
    """A database with two societies; 青山村 holds a paid case (with an attachment), one on
    notice and one returned for material; its export sits in ``export_dir``."""

    ctx: AppContext
    society: int
    paid: object  # StoredCase
    on_notice: object
    returned: object
    tmp: Path

    def out(self) -> io.BytesIO:
        return io.BytesIO()


@pytest.fixture
def door(ctx, society_id, tmp_path) -> Door:  # noqa: ANN001
    every = frozenset(Role)
    societies.create_society(ctx, society_settings(JINBA, "金坝村救急难互助社"), "王会计")
    users.create_user(ctx, INSIDER, every, PASSWORD, "王会计", area=QINGSHAN)
    users.create_user(ctx, OUTSIDER, every, PASSWORD, "王会计", area=JINBA)
    scan = tmp_path / "诊断证明.pdf"
    scan.write_bytes(b"%PDF-1.4 diagnosis")
    paid = intake.register_application(ctx, society_id, application(applied_on=D(2026, 11, 2)), "王会计",
                                       attachments=[scan])
    view = review.perform(ctx, paid.id, Emergency(D(2026, 11, 2), "张社长", "急病", 50_000), "李主任",
                          version=review.case_view(ctx, paid.id, "王会计").version)
    fund.pay(ctx, paid.id, PaymentInput(D(2026, 11, 3), PaymentMethod.BANK, 50_000, ""), "王会计", version=view.version)
    on_notice = intake.register_application(ctx, society_id, application(applied_on=D(2026, 11, 2),
                                                                         id_number=make_id(seq="21")), "王会计")
    view = review.case_view(ctx, on_notice.id, "王会计")
    for action in (Visit(D(2026, 11, 3), ("王会计", "李委员"), "属实"),
                   Deliberation(D(2026, 11, 5), ("张社长", "李委员", "赵理事"), "同意", 180000),
                   StartNotice(D(2026, 11, 19), "村委会公开栏")):
        view = review.perform(ctx, on_notice.id, action, "李主任", version=view.version)
    returned = intake.register_application(ctx, society_id, application(applied_on=D(2026, 11, 2),
                                                                        id_number=make_id(seq="22")), "王会计")
    review.perform(ctx, returned.id, Return(Level.VILLAGE, D(2026, 11, 3), "张社长", ("诊断证明",)), "李主任",
                   version=review.case_view(ctx, returned.id, "王会计").version)
    return Door(ctx, society_id, paid, on_notice, returned, tmp_path)


Call = Callable[[Door, str], object]

# Each reads one society's (青山村's) personal data: the outsider is refused, the insider served.
CHECKED: dict[str, Call] = {
    "intake.load": lambda d, u: intake.load(d.ctx, d.paid.id, u),
    "intake.load_by_no": lambda d, u: intake.load_by_no(d.ctx, d.paid.case_no, u),
    "intake.case_changes": lambda d, u: intake.case_changes(d.ctx, d.paid.id, u),
    "intake.attachment_path": lambda d, u: intake.attachment_path(d.ctx, d.paid.id, d.paid.attachments[0], u),
    "intake.applicant_history": lambda d, u: intake.applicant_history(
        d.ctx, d.society, make_id(), Cause.ILLNESS, D(2026, 11, 20), user=u),
    "review.case_view": lambda d, u: review.case_view(d.ctx, d.paid.id, u),
    "review.todo": lambda d, u: review.todo(d.ctx, d.society, u),
    "review.signers_used": lambda d, u: review.signers_used(d.ctx, d.society, u),
    "case_list.count": lambda d, u: case_list.count(d.ctx, CaseListQuery(society_id=d.society), u),
    "case_list.page": lambda d, u: case_list.page(d.ctx, CaseListQuery(society_id=d.society), u, limit=10),
    "case_list.listed": lambda d, u: case_list.listed(d.ctx, CaseListQuery(society_id=d.society), u, limit=10),
    "fund.position": lambda d, u: fund.position(d.ctx, d.society, u),
    "fund.position_here": lambda d, u: fund.position_here(d.ctx, d.society, u),
    "fund.ledger": lambda d, u: fund.ledger(d.ctx, d.society, u, month="2026-11"),
    "printing.form_data": lambda d, u: printing.form_data(d.ctx, d.paid.id, u),
    "printing.print_form": lambda d, u: printing.print_form(d.ctx, d.paid.case_no, d.out(), u),
    "printing.print_forms": lambda d, u: printing.print_forms(d.ctx, d.society, d.out(), u, period=NOV),
    "printing.print_notice": lambda d, u: printing.print_notice(d.ctx, d.society, d.out(), u),
    "printing.print_roster": lambda d, u: printing.print_roster(d.ctx, d.society, d.out(), u, period=NOV),
    "printing.print_ledger": lambda d, u: printing.print_ledger(d.ctx, d.society, "2026-11", d.out(), u),
    "printing.print_monthly": lambda d, u: printing.print_monthly(d.ctx, d.society, "2026-11", d.out(), u),
    "printing.print_letter": lambda d, u: printing.print_letter(d.ctx, d.returned.case_no, d.out(), u),
    "printing.print_paper": lambda d, u: printing.print_paper(
        d.ctx, printing.Paper("roster", society_id=d.society, period=NOV), d.out(), u),
    "export.export_society": lambda d, u: export.export_society(d.ctx, d.society, d.tmp / f"out-{u}", user=u),
    "district.add_grant": lambda d, u: district.add_grant(d.ctx, QINGSHAN, "2026-11-20", 100, "启动资金", u),
}

# Reads across societies: the outsider gets only their own area's part (``leaves_out``
# says what of 青山村 must be missing from what they got).
FILTERED: dict[str, tuple[Call, Callable[[object], bool]]] = {
    "export.export_all": (lambda d, u: export.export_all(d.ctx, d.tmp / f"all-{u}", user=u),
                          lambda got: QINGSHAN not in {p.name for p in got}),
    "societies.society_by_code": (lambda d, u: societies.society_by_code(d.ctx, None, u),
                                  lambda got: got.settings.area_code != QINGSHAN),
    "users.list_users": (lambda d, u: users.list_users(d.ctx, u),
                         lambda got: INSIDER not in {r.name for r in got}),
    "district.reconcile": (lambda d, u: _reconcile(d, u),
                           lambda got: QINGSHAN not in {line.code for line in got.societies}),
    "district.import_folders": (lambda d, u: district.import_folders(d.ctx, [_exported(d)], u),
                                lambda got: [r.outcome for r in got] == ["rejected"] and "青山村" in got[0].message),
}

# Reads of the whole database: only for a user whose area is all of it.
WHOLE: dict[str, Call] = {
    "backups.back_up": lambda d, u: backups.back_up(d.ctx, d.tmp / "backups", u),
    "backups.back_up_to": lambda d, u: backups.back_up_to(d.ctx, d.tmp / f"copy-{u}.db", u),
    "backups.back_up_into": lambda d, u: backups.back_up_into(d.ctx, d.tmp / f"into-{u}", u),
}

# Changing operations: each checks role and area in its own transaction (services/access
# .authorize); their refusals are tested with them.
WRITES = {
    "intake.register_application", "intake.update_application", "review.perform", "review.set_calendar",
    "fund.add_contribution", "fund.pay", "fund.reverse", "fund.close_month", "fund.reopen_month",
    "societies.create_society", "societies.update_society", "users.create_user", "users.set_roles",
    "users.reset_password", "users.change_password", "users.set_first_password", "users.login",
    "backups.restore_open", "backups.restore", "demo.run_demo", "societies.add_user",
    "keys.replace_key", "keys.keep_key", "district_trust.trust_key_file", "connection.switch_database",
    "offices.setup_office", "offices.trust_card", "packets.send", "packets.receive",
}

EXEMPT: dict[str, str] = {
    # the door itself
    "access.authorize": "the check", "access.reader": "the check", "access.check_sees": "the check",
    "access.check_reads": "the check", "access.check_whole": "the check", "access.user_area": "the check",
    "access.bootstrapping": "whether the database has users",
    # no personal data
    "attachments.store_file": "copies a file in; reads nothing", "attachments.stored_path": "a path from a digest",
    "backups.applies": "whether a URL is a file", "district_trust.key_file_fingerprint": "a key file's fingerprint",
    "backups.daily_due": "whether a backup was made today", "backups.default_folder": "a folder name",
    "backups.database_folder": "a folder name",
    "backups.list_backups": "file names and times",
    "changes.changes_since": "which kinds of record changed, and ids: no person",
    "changes.of_entries": "reads nothing", "check.run_checks": "invariants: case numbers and amounts, no person",
    "connection.database_label": "connection settings", "connection.open_database": "opens the database",
    "connection.parse_port": "a number", "connection.save_server": "connection settings",
    "connection.saved_server": "connection settings", "connection.startup_database": "connection settings",
    "connection.try_server": "connection settings", "connection.with_password": "a URL",
    "context.open_context": "opens the database", "context.open_failure": "an error message",
    "demo_fund.payments": "demo generator", "demo_review.base_state": "demo generator",
    "demo_review.walk": "demo generator",
    "district.audit_note": "words from numbers", "district.write_report_csv": "writes a report reconcile() read",
    "district.write_report_pdf": "writes a report reconcile() read (with district names)",
    "export.audit_chain_state": "the audit chain's length and end",
    "export.check_before_signing": "whether the data to export was changed outside the program (no personal data)",
    "fund.months": "month names", "printing.month_period": "dates",
    "review.case_history": "takes a session: called inside a checked read",
    "review.authorize_step": "the check of a step", "review.calendar": "public holidays",
    "review.calendar_text": "public holidays",
    "societies.get_society": "a society's settings (public: name, code, objection phone)",
    "societies.list_societies": "societies' settings (public); filtered to the user's area when given",
    "users.areas_in_use": "whether areas are used", "users.needs_first_admin": "whether there are users",
    "users.get_user": "the signed-in user's own record (roles and area, for greying buttons)",
    "users.sign_in_names": "the names offered at sign-in",
    "users.sign_in_waits": "the names offered at sign-in, with how long each must wait",
    "check.foreign_schema": "schema objects that are not the app's",
    "attachment_check.attachment_problems": "case numbers and file names of attachments whose file changed",
    "context.open_read_only": "opens the database", "context.read_only_file": "whether a file is on read-only media",
    "context.refuse_emptied": "whether a database file was cut to 0 bytes (before it is opened)",
    "district_trust.load": "takes a session: called inside a checked import",
    "district_trust.admit": "values of an export being imported (checked import)",
    "district_trust.record": "takes a session: called inside a checked import",
    "district_trust.society_name": "a name from a manifest", "district_trust.reconcile_notes":
        "takes a session: called inside a checked reconcile",
    "keys.fingerprint": "the public key's fingerprint", "keys.export_public_key": "the public key",
    "keys.signer": "the database's signing key (no person's data; exports check their reader)",
    "keys.installation_key": "the database's signing key, kept across a restore",
    "signed_export.write_manifest": "signs what a checked export wrote",
    "seal_guard.unit_changes": "takes a session: called inside a checked operation",
    "seal_guard.refuse_changed": "takes a session: called inside a checked operation",
    "seal_guard.refuse_any_changed": "takes a session: called inside a checked operation (a paper's cases)",
    "seal_guard.refuse_own_record_changed": "takes a session: the user's own record, at sign-in",
    "backups.tainted_note": "names schema objects that are not the app's",
    "offices.current_office": "the office's kind, code and name (public)",
    "offices.recipient": "the office's public encryption key",
    "offices.card_path": "a file name", "offices.read_card": "reads a card file, not the database",
    "offices.own_card": "the office's public card (checks its reader: tests/db/test_offices.py)",
    "offices.write_card": "the office's public card (checks its reader: tests/db/test_offices.py)",
    "offices.trusted": "other offices' names and keys (checks its reader: tests/db/test_offices.py)",
    "packets.describe": "words from a receive's counts", "packets.gap_names": "words from numbers",
    "packets.missing_numbers": "numbers",
    "attachments.store_named": "copies a received file in; reads nothing",
}


def _exported(d: Door) -> Path:
    target = d.tmp / "export-qingshan"
    if not target.exists():
        export.export_society(d.ctx, d.society, target, user="王会计")
    return target


def _reconcile(d: Door, user: str) -> object:
    _exported(d)
    import_folder(d.ctx, _exported(d), "王会计")
    return district.reconcile(d.ctx, user)


def public_functions() -> set[str]:
    found = set()
    for info in pkgutil.iter_modules(jiujinan.services.__path__):
        module = importlib.import_module(f"jiujinan.services.{info.name}")
        for name, func in inspect.getmembers(module, inspect.isfunction):
            if func.__module__ == module.__name__ and not name.startswith("_"):
                found.add(f"{info.name}.{name}")
    return found


@pytest.mark.parametrize("name", sorted(CHECKED))
def test_a_read_of_another_area_is_refused_and_of_ones_own_served(door, name) -> None:  # noqa: ANN001
    call = CHECKED[name]
    with pytest.raises(PermissionDenied, match=OUTSIDER):
        call(door, OUTSIDER)
    call(door, INSIDER)  # served: no refusal, no error


@pytest.mark.parametrize("name", sorted(FILTERED))
def test_a_read_across_societies_keeps_to_the_readers_area(door, name) -> None:  # noqa: ANN001
    call, leaves_out = FILTERED[name]
    assert leaves_out(call(door, OUTSIDER))
    assert not leaves_out(call(door, "王会计"))  # the whole database's administrator sees 青山村


@pytest.mark.parametrize("name", sorted(WHOLE))
def test_a_copy_of_the_whole_database_needs_the_whole_area(door, name) -> None:  # noqa: ANN001
    if not backups.applies(door.ctx.url):
        pytest.skip("a server database is backed up by its administrator (pg_dump)")
    for user in (OUTSIDER, INSIDER):
        with pytest.raises(PermissionDenied, match="整个数据库"):
            WHOLE[name](door, user)
    assert Path(WHOLE[name](door, "王会计")).exists()


def test_nobody_reads_unsigned_a_database_that_has_users(door) -> None:  # noqa: ANN001
    for name in ("intake.load", "review.todo", "printing.print_form", "case_list.page"):
        with pytest.raises(PermissionDenied, match="请先登录"):
            CHECKED[name](door, "")
        with pytest.raises(PermissionDenied, match="不是在用的登记用户"):
            CHECKED[name](door, "冒名者")


def test_a_stopped_user_reads_nothing(door) -> None:  # noqa: ANN001
    users.set_roles(door.ctx, INSIDER, frozenset(Role), "王会计", active=False)
    with pytest.raises(PermissionDenied, match="不是在用的登记用户"):
        CHECKED["intake.load"](door, INSIDER)


def test_every_public_service_function_is_listed(door) -> None:  # noqa: ANN001
    listed = set(CHECKED) | set(FILTERED) | set(WHOLE) | WRITES | set(EXEMPT)
    assert public_functions() - listed == set(), "a new public service function: list it as checked or exempt"
    assert listed - public_functions() == set(), "listed but gone"
    for name in (*CHECKED, *FILTERED, *WHOLE):
        module, func = name.split(".")
        param = inspect.signature(getattr(importlib.import_module(f"jiujinan.services.{module}"), func)) \
            .parameters.get("user")
        assert param is not None and param.default is inspect.Parameter.empty, f"{name}: user must be required"
