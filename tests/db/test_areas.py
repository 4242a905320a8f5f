"""Each society sees only its own cases unless the user's area covers the town or the
district: reads are filtered, every changing operation checks the society, and an
administrator hands out areas within his own only."""

import datetime as dt

import pytest

from jiujinan.cases.areas import area_choices, area_label, covers, parse_area
from jiujinan.cases.enums import FundSource
from jiujinan.cases.errors import ValidationError
from jiujinan.cases.fund import ContributionInput
from jiujinan.cases.review import Visit
from jiujinan.cases.users import PermissionDenied, Role
from jiujinan.cli import main
from jiujinan.services import export, fund, intake, review, societies, users
from tests.conftest import PASSWORD, application, make_id, society_settings

QINGSHAN, HUANGHU, JINBA = "341802100201", "341802100202", "341802101201"  # two villages of 水阳镇, one of another town
EVERY = frozenset(Role)


@pytest.fixture
def town(ctx, society_id):  # noqa: ANN001, ANN201
    """Three societies; 镇干部 works on 水阳镇 (341802100), 村会计 on 青山村 only."""
    ids = {QINGSHAN: society_id}
    for code, village in ((HUANGHU, "黄湖村"), (JINBA, "金坝村")):
        ids[code] = societies.create_society(ctx, society_settings(code, f"{village}救急难互助社"), "王会计").id
    users.create_user(ctx, "镇干部", EVERY, PASSWORD, "王会计", area="341802100")
    users.create_user(ctx, "村会计", frozenset({Role.CLERK, Role.ADMIN}), PASSWORD, "王会计", area=QINGSHAN)
    return ids


def names(records) -> list[str]:  # noqa: ANN001
    return [r.settings.area_code for r in records]


def test_areas_are_prefixes_of_the_area_code() -> None:
    assert parse_area(" 341802 ") == "341802" and parse_area("") == "" and parse_area("全部") == ""
    for bad in ("3418", "34180210020", "34180A", "3418021002011"):
        with pytest.raises(ValidationError, match="前6位"):
            parse_area(bad)
    assert covers("341802100", QINGSHAN) and not covers("341802101", QINGSHAN) and covers("", QINGSHAN)
    assert area_label("341802100", "水阳镇") == "乡镇（街道） 341802100（水阳镇）"
    places = [(QINGSHAN, "宣州区", "水阳镇", "青山村"), (JINBA, "宣州区", "狸桥镇", "金坝村")]
    assert [code for code, _ in area_choices("", places)] == ["", "341802", "341802100", QINGSHAN, "341802101", JINBA]
    assert area_choices("341802100", places) == [("341802100", "乡镇（街道） 341802100（水阳镇）"),
                                                 (QINGSHAN, "互助社 341802100201（青山村）")]


def test_each_user_sees_the_societies_of_their_area(ctx, town) -> None:  # noqa: ANN001
    assert names(societies.list_societies(ctx, "王会计")) == [QINGSHAN, HUANGHU, JINBA]
    assert names(societies.list_societies(ctx, "镇干部")) == [QINGSHAN, HUANGHU]
    assert names(societies.list_societies(ctx, "村会计")) == [QINGSHAN]
    with pytest.raises(PermissionDenied):
        societies.list_societies(ctx, "没这个人")


def test_changes_outside_the_area_are_refused(ctx, town) -> None:  # noqa: ANN001
    mine = intake.register_application(ctx, town[QINGSHAN], application(), "村会计")
    with pytest.raises(PermissionDenied, match="村会计 的工作范围是互助社 341802100201，不能办理黄湖村救急难互助社"):
        intake.register_application(ctx, town[HUANGHU], application(id_number=make_id(seq="55")), "村会计")
    theirs = intake.register_application(ctx, town[JINBA], application(id_number=make_id(seq="56")), "王会计")
    view = review.case_view(ctx, theirs.id, "王会计")
    with pytest.raises(PermissionDenied, match="不能办理金坝村"):
        review.perform(ctx, theirs.id, Visit(dt.date(2026, 11, 20), ("甲", "乙"), "属实"), "镇干部",
                       version=view.version)
    mine_view = review.case_view(ctx, mine.id, "王会计")
    review.perform(ctx, mine.id, Visit(dt.date(2026, 11, 20), ("甲", "乙"), "属实"), "镇干部",
                   version=mine_view.version)  # the town covers 青山村
    money = ContributionInput(dt.date(2026, 11, 1), FundSource.DONATION, 10_000, "捐款人", "")
    with pytest.raises(PermissionDenied):
        fund.add_contribution(ctx, town[JINBA], money, "镇干部")
    fund.add_contribution(ctx, town[HUANGHU], money, "镇干部")
    with pytest.raises(PermissionDenied, match="影响整个数据库"):
        review.set_calendar(ctx, "2026-12-31 休", "村会计")
    settings = societies.get_society(ctx, town[QINGSHAN]).settings
    with pytest.raises(PermissionDenied):  # moving one's society out of one's own area
        societies.update_society(ctx, town[QINGSHAN], settings.__class__(**{**settings.__dict__,
                                                                              "area_code": "341802101299"}), "村会计")
    with pytest.raises(PermissionDenied):
        societies.create_society(ctx, society_settings("341802101202", "新村救急难互助社"), "村会计")


def test_administrators_hand_out_areas_within_their_own(ctx, town) -> None:  # noqa: ANN001
    users.create_user(ctx, "组长", frozenset({Role.CLERK}), PASSWORD, "村会计", area=QINGSHAN)
    with pytest.raises(PermissionDenied, match="只能管理该范围内的用户"):
        users.create_user(ctx, "越权", frozenset({Role.CLERK}), PASSWORD, "村会计", area="341802100")
    with pytest.raises(PermissionDenied, match="只能管理该范围内的用户"):
        users.set_roles(ctx, "镇干部", frozenset({Role.CLERK}), "村会计")
    with pytest.raises(PermissionDenied, match="只能管理该范围内的用户"):
        users.reset_password(ctx, "王会计", "another-pass-1", "村会计")
    users.set_roles(ctx, "组长", frozenset({Role.CLERK}), "王会计", area="341802")
    assert users.get_user(ctx, "组长").area == "341802"
    with pytest.raises(ValidationError, match="前6位"):
        users.set_roles(ctx, "组长", frozenset({Role.CLERK}), "王会计", area="12")
    for name in ("李主任", "甲", "乙"):
        users.set_roles(ctx, name, frozenset({Role.CLERK}), "王会计")
    with pytest.raises(PermissionDenied, match="范围为全部的在用管理员"):  # the last one who can manage everyone
        users.set_roles(ctx, "王会计", EVERY, "王会计", area="341802")
    assert users.get_user(ctx, "王会计").area == ""


def test_an_export_holds_the_exporter_s_societies(ctx, town, tmp_path) -> None:  # noqa: ANN001
    done = export.export_all(ctx, tmp_path / "out", user="镇干部")
    assert sorted(p.name for p in done) == [QINGSHAN, HUANGHU]
    with pytest.raises(Exception, match="工作范围内找不到区划代码为 341802101201"):
        export.export_all(ctx, tmp_path / "out2", codes=[JINBA], user="村会计")
    assert len(export.export_all(ctx, tmp_path / "all", user="王会计")) == 3  # an administrator of the whole database


def test_command_line_signs_in_for_reads_once_areas_are_in_use(ctx, town, monkeypatch, capsys) -> None:  # noqa: ANN001
    theirs = intake.register_application(ctx, town[JINBA], application(), "王会计")
    db = ctx.url
    monkeypatch.setenv("JIUJINAN_USER", "村会计")
    assert main(["--db", db, "society", "list"]) == 0
    assert [line.split("\t")[0] for line in capsys.readouterr().out.splitlines()] == [QINGSHAN]
    assert main(["--db", db, "case", "list", "--society", JINBA]) == 1
    assert "找不到区划代码为 341802101201" in capsys.readouterr().err
    assert main(["--db", db, "case", "show", theirs.case_no]) == 1
    assert "不能办理金坝村" in capsys.readouterr().err
    monkeypatch.setenv("JIUJINAN_PASSWORD", "wrong-password")
    assert main(["--db", db, "society", "list"]) == 1  # reading needs the password now
    monkeypatch.setenv("JIUJINAN_PASSWORD", PASSWORD)
    monkeypatch.setenv("JIUJINAN_USER", "王会计")
    assert main(["--db", db, "case", "show", theirs.case_no]) == 0
    assert main(["--db", db, "user", "roles", "村会计", "--roles", "经办人", "--area", HUANGHU]) == 0
    capsys.readouterr()
    assert main(["--db", db, "user", "list"]) == 0
    assert f"村会计\t经办人\t互助社 {HUANGHU}" in capsys.readouterr().out
