"""Attacks on the reads and on the district's doors (issue 15, parts 4 and 5): another
area's case printed from the GUI, full ID numbers and accounts printed for a role that
`case show --full-ids` refuses, lists and histories of another area, reads without signing
in, and `grant`/`import` by the wrong role, area or for a society nobody knows."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from jiujinan.cases.enums import Level, PaymentMethod
from jiujinan.cases.fund import PaymentInput
from jiujinan.cases.review import Emergency, Return
from jiujinan.cases.users import PermissionDenied, Role
from jiujinan.cli import main
from jiujinan.services import district, export, fund, intake, review, societies, users
from jiujinan.ui.exchange_page import ExchangePage, GrantDialog
from jiujinan.ui.prefs import Preferences
from jiujinan.ui.print_page import PrintPage
from jiujinan.ui.session import UiSession
from tests.conftest import PASSWORD, application, make_id, society_settings

D = dt.date
QINGSHAN, JINBA = "341802100201", "341802101201"
ACCOUNT = "6228480012345678901"  # the account of tests.conftest.application()
EVERY = frozenset(Role)


def flat_text(pdf: bytes | Path) -> str:
    data = pdf.read_bytes() if isinstance(pdf, Path) else pdf
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


@pytest.fixture
def office(ctx, society_id):  # noqa: ANN001, ANN201
    """青山村 (the fixture's society) with a paid case; 金坝村 in another town; 金坝会计
    works on 金坝村 only, 审核员 reviews only, 村经办 is a clerk of 青山村 only."""
    societies.create_society(ctx, society_settings(JINBA, "金坝村救急难互助社"), "王会计")
    users.create_user(ctx, "金坝会计", EVERY, PASSWORD, "王会计", area=JINBA)
    users.create_user(ctx, "审核员", frozenset({Role.REVIEWER}), PASSWORD, "王会计")
    users.create_user(ctx, "村经办", frozenset({Role.CLERK}), PASSWORD, "王会计", area=QINGSHAN)
    case = intake.register_application(ctx, society_id, application(applied_on=D(2026, 11, 2)), "王会计")
    view = review.perform(ctx, case.id, Emergency(D(2026, 11, 2), "张社长", "急病", 50_000), "李主任",
                          version=review.case_view(ctx, case.id, "王会计").version)
    fund.pay(ctx, case.id, PaymentInput(D(2026, 11, 3), PaymentMethod.BANK, 50_000, ""), "王会计", version=view.version)
    return case


def ui_as(ctx, society_id: int, user: str, tmp_path: Path) -> UiSession:  # noqa: ANN001
    return UiSession(ctx, Preferences(tmp_path / f"prefs-{user}.ini"), society_id, user)


# --- the GUI's 打印 page printed any society's case by number ------------------------------

def test_gui_print_page_refuses_another_areas_case(qtbot, ctx, society_id, office, tmp_path) -> None:  # noqa: ANN001
    jinba = next(r.id for r in societies.list_societies(ctx) if r.settings.area_code == JINBA)
    page = PrintPage(ui_as(ctx, jinba, "金坝会计", tmp_path))
    qtbot.addWidget(page)
    for key in ("form", "letter"):
        page.paper.setCurrentIndex(page.paper.findData(key))
        page.case_no.setText(office.case_no)
        page.preview_button.click()
        assert "金坝会计 的工作范围是互助社 341802101201，不能办理青山村救急难互助社的事务" in page.status.text()
        assert page.preview.page_count() == 0 and not page.save_button.isEnabled()


def test_gui_print_page_masks_ids_and_accounts_for_a_reviewer(qtbot, ctx, society_id, office, tmp_path) -> None:  # noqa: ANN001
    page = PrintPage(ui_as(ctx, society_id, "审核员", tmp_path))
    qtbot.addWidget(page)
    page.case_no.setText(office.case_no)
    page.preview_button.click()
    text = flat_text(page.preview.path)
    assert make_id() not in text and ACCOUNT not in text
    assert "341802********" in text and "622848*********8901" in text


# --- print form/forms/roster showed full IDs to roles `case show --full-ids` refuses -------

@pytest.mark.parametrize("paper", ["form", "forms", "roster"])
def test_cli_printouts_follow_the_full_id_permission(ctx, office, tmp_path, monkeypatch, capsys, paper) -> None:  # noqa: ANN001
    args = [office.case_no] if paper == "form" else ["--month", "2026-11"]
    out = tmp_path / f"{paper}.pdf"
    monkeypatch.setenv("JIUJINAN_USER", "审核员")
    assert main(["--db", ctx.url, "case", "show", "--full-ids", office.case_no]) == 1
    assert "审核员（审核人）不能查看和打印完整的身份证号、账号和电话：需要经办人或管理员角色" in capsys.readouterr().err
    assert main(["--db", ctx.url, "print", paper, *args, "--out", str(out)]) == 0
    masked = flat_text(out)
    assert make_id() not in masked and ACCOUNT not in masked and make_id()[:6] + "********" in masked
    birth = make_id()[6:14]  # the masked digits, which the birth date beside them gave back
    assert f"{birth[:4]}年{int(birth[4:6])}月{int(birth[6:])}日" not in masked
    monkeypatch.setenv("JIUJINAN_USER", "王会计")  # a clerk (and administrator) prints them in full
    assert main(["--db", ctx.url, "print", paper, *args, "--out", str(out)]) == 0
    assert make_id() in flat_text(out)


def test_cli_case_show_masks_unless_full_ids_is_asked_and_allowed(ctx, office, monkeypatch, capsys) -> None:  # noqa: ANN001
    assert main(["--db", ctx.url, "case", "show", office.case_no]) == 0
    shown = capsys.readouterr().out
    assert make_id() not in shown and ACCOUNT not in shown and "13905631234" not in shown
    assert main(["--db", ctx.url, "case", "show", "--full-ids", office.case_no]) == 0
    assert make_id() in capsys.readouterr().out


# --- todo, case list, timeline, history of another area ------------------------------------

@pytest.mark.parametrize("command", [
    ["todo", "--society", QINGSHAN], ["case", "list", "--society", QINGSHAN], ["fund", "--society", QINGSHAN, "ledger"],
    ["print", "roster", "--society", QINGSHAN, "--month", "2026-11", "--out", "r.pdf"],
])
def test_cli_lists_of_another_area_are_refused(ctx, office, monkeypatch, capsys, command) -> None:  # noqa: ANN001
    monkeypatch.setenv("JIUJINAN_USER", "金坝会计")
    assert main(["--db", ctx.url, *command]) == 1
    assert "找不到区划代码为 341802100201 的互助社" in capsys.readouterr().err


@pytest.mark.parametrize("command", [["case", "timeline"], ["case", "show"], ["print", "form"], ["print", "letter"]])
def test_cli_a_case_of_another_area_is_refused(ctx, office, monkeypatch, capsys, command, tmp_path) -> None:  # noqa: ANN001
    monkeypatch.setenv("JIUJINAN_USER", "金坝会计")
    out = ["--out", str(tmp_path / "x.pdf")] if command[0] == "print" else []
    assert main(["--db", ctx.url, *command, office.case_no, *out]) == 1
    assert "不能办理青山村救急难互助社的事务" in capsys.readouterr().err


def test_services_refuse_another_areas_todo_list_and_history(ctx, society_id, office) -> None:  # noqa: ANN001
    from jiujinan.cases.enums import Cause
    from jiujinan.cases.listing import CaseListQuery
    from jiujinan.services import case_list

    for read in (lambda: review.todo(ctx, society_id, "金坝会计"),
                 lambda: case_list.page(ctx, CaseListQuery(society_id=society_id), "金坝会计", limit=10),
                 lambda: intake.case_changes(ctx, office.id, "金坝会计"),
                 lambda: intake.applicant_history(ctx, society_id, make_id(), Cause.ILLNESS, D(2026, 11, 20),
                                                  user="金坝会计")):
        with pytest.raises(PermissionDenied, match="不能办理青山村"):
            read()


def test_cli_reads_need_signing_in_once_the_database_has_users(ctx, office, monkeypatch, capsys) -> None:  # noqa: ANN001
    """No operator bypass: without --user, every read of personal data is refused."""
    monkeypatch.delenv("JIUJINAN_USER")
    for command in (["case", "list"], ["case", "show", office.case_no], ["todo"], ["reconcile"], ["user", "list"],
                    ["export", "--out", "x"], ["backup", "--out", "x.db"]):
        assert main(["--db", ctx.url, *command]) == 1, command
        assert "请用 --user 指定操作人" in capsys.readouterr().err
    assert main(["--db", ctx.url, "check"]) == 0  # names no one: runs for the database's operator


# --- grant and import: the district's role and area, and a society the district knows ------

def test_grant_and_import_need_the_districts_role(ctx, society_id, office, tmp_path, monkeypatch, capsys) -> None:  # noqa: ANN001
    folder = tmp_path / "qingshan"
    export.export_society(ctx, society_id, folder, user="王会计")
    monkeypatch.setenv("JIUJINAN_USER", "村经办")  # a village clerk
    assert main(["--db", ctx.url, "grant", "--society", QINGSHAN, "--amount", "10000", "--date", "2026-11-20"]) == 1
    assert "村经办（经办人）不能接收村级报送、登记拨款和对账：需要审核人或管理员角色" in capsys.readouterr().err
    assert main(["--db", ctx.url, "import", str(folder)]) == 1
    assert "不能接收村级报送、登记拨款和对账" in capsys.readouterr().err


def test_grant_and_import_keep_to_the_users_area(ctx, society_id, office, tmp_path, monkeypatch, capsys) -> None:  # noqa: ANN001
    folder = tmp_path / "qingshan"
    export.export_society(ctx, society_id, folder, user="王会计")
    monkeypatch.setenv("JIUJINAN_USER", "金坝会计")  # limited to one village, another one
    assert main(["--db", ctx.url, "grant", "--society", QINGSHAN, "--amount", "10000", "--date", "2026-11-20"]) == 1
    assert "金坝会计 的工作范围是互助社 341802101201，不能办理青山村救急难互助社的事务" in capsys.readouterr().err
    assert main(["--db", ctx.url, "import", str(folder)]) == 1
    assert "拒收，金坝会计 的工作范围是互助社 341802101201，不能导入青山村救急难互助社（341802100201）的报送" \
        in capsys.readouterr().err
    assert district.reconcile(ctx, "王会计").societies == ()  # nothing was stored


def test_a_grant_to_a_society_the_district_does_not_know_is_refused(ctx, office, monkeypatch, capsys) -> None:  # noqa: ANN001
    assert main(["--db", ctx.url, "grant", "--society", "341802199999", "--amount", "10000", "--date", "2026-11-20"]) == 1
    assert "区里不知道区划代码为 341802199999 的互助社（既没有登记，也没有导入过它的报送），未登记拨款" \
        in capsys.readouterr().err
    assert main(["--db", ctx.url, "grant", "--society", QINGSHAN, "--amount", "10000", "--date", "2026-11-20"]) == 0


def test_gui_grant_dialog_says_why_a_clerk_may_not(qtbot, ctx, society_id, office, tmp_path) -> None:  # noqa: ANN001
    page = ExchangePage(ui_as(ctx, society_id, "村经办", tmp_path))
    qtbot.addWidget(page)
    assert not page.grant_button.isEnabled() and not page.import_button.isEnabled()
    assert "需要审核人或管理员角色" in page.grant_button.toolTip()
    dialog = GrantDialog(ui_as(ctx, society_id, "村经办", tmp_path))  # reached all the same: the service refuses
    qtbot.addWidget(dialog)
    dialog.code.setText(QINGSHAN)
    dialog.amount.setText("10000")
    dialog.save()
    assert "不能接收村级报送、登记拨款和对账：需要审核人或管理员角色" in dialog.banner.text()
    assert dialog.result() == 0
    with pytest.raises(PermissionDenied):
        district.add_grant(ctx, "341802199999", "2026-11-20", 100, "", "村经办")


def test_a_letter_to_another_areas_applicant_is_refused(ctx, society_id, office) -> None:  # noqa: ANN001
    """A letter (告知书) names the applicant: also behind the door."""
    case = intake.register_application(ctx, society_id, application(id_number=make_id(seq="44"),
                                                                    applied_on=D(2026, 11, 2)), "王会计")
    review.perform(ctx, case.id, Return(Level.VILLAGE, D(2026, 11, 3), "张社长", ("诊断证明",)), "李主任",
                   version=review.case_view(ctx, case.id, "王会计").version)
    from jiujinan.services import printing

    with pytest.raises(PermissionDenied, match="不能办理青山村"):
        printing.print_letter(ctx, case.case_no, io.BytesIO(), "金坝会计")
    assert printing.print_letter(ctx, case.case_no, io.BytesIO(), "村经办") == "missing"
