"""The bad-input corpus: every kind of wrong value, through the service, the command line and
the form. Each is refused with a Chinese message naming the field, and nothing is written."""

import json
import sqlite3

import pytest
from PySide6.QtCore import Qt

from jiujinan.cases.errors import ValidationError
from jiujinan.cli import main
from jiujinan.services import intake
from jiujinan.ui.application_form import ApplicationForm
from tests.conftest import application
from tests.ui.test_application_form import fill_valid_form, type_into

RLO = "\u202e"
CORPUS = [  # (field, value, a piece of the message)
    ("applicant_name", "", "请填写"),
    ("applicant_name", "张" * 31, "最多30个字"),
    ("applicant_name", "张三😀", "表情符号"),
    ("applicant_name", f"张{RLO}三", "控制字符"),
    ("applicant_name", "=HYPERLINK(\"http://x\")", "只能由文字组成"),
    ("applicant_name", "张\x00三", "控制字符"),
    ("id_number", "34180219650314123", "18位"),
    ("id_number", "341802196503141230", "校验"),
    ("id_number", "341802196502301234", "出生日期"),
    ("requested_yuan", "12.345", "两位小数"),
    ("requested_yuan", "-5", "负数"),
    ("requested_yuan", "0", "大于零"),
    ("requested_yuan", "1e9", "金额"),
    ("requested_yuan", "1000000000001", "金额过大"),
    ("hardship", "困" * 3000, "最多2000个字"),
    ("hardship", "住院\x07", "控制字符"),
    ("hardship", "谢谢🙏", "表情符号"),
    ("phone", "1390563123a", "格式"),
    ("household_size", "0", "人口"),
    ("account_no", "6228-ABC", "账号"),
]


def counts(path) -> tuple[int, int]:  # noqa: ANN001
    with sqlite3.connect(path) as conn:
        return (conn.execute("SELECT count(*) FROM aid_case").fetchone()[0],
                conn.execute("SELECT count(*) FROM audit_log").fetchone()[0])


@pytest.mark.parametrize("field, value, reason", CORPUS, ids=[f"{f}:{v[:12]!r}" for f, v, _ in CORPUS])
def test_the_service_refuses_and_writes_nothing(ctx, society_id, tmp_path, field, value, reason) -> None:  # noqa: ANN001
    before = counts(tmp_path / "test.db")
    with pytest.raises(ValidationError) as info:
        intake.register_application(ctx, society_id, application(**{field: value}), "王会计")
    messages = {e.field: e.message for e in info.value.errors}
    assert field in messages and reason in messages[field], messages
    assert counts(tmp_path / "test.db") == before


def test_the_command_line_lists_every_problem_and_writes_nothing(ctx, society_id, tmp_path, capsys) -> None:  # noqa: ANN001
    good = json.loads(json.dumps(application().__dict__, default=str))
    bad = dict(good, applicant_name="张三😀", id_number="341802196503141230", requested_yuan="12.345",
               hardship="困" * 3000)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    before = counts(tmp_path / "test.db")
    code = main(["--db", str(tmp_path / "test.db"), "--user", "王会计", "case", "add", str(path)])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    for piece in ("applicant_name", "表情符号", "id_number", "两位小数", "最多2000个字"):
        assert piece in err
    assert counts(tmp_path / "test.db") == before
    path.write_bytes("不是 JSON".encode("gb18030"))
    assert main(["--db", str(tmp_path / "test.db"), "case", "add", str(path)]) != 0
    assert "Traceback" not in capsys.readouterr().err
    assert counts(tmp_path / "test.db") == before


@pytest.mark.parametrize("amount, reason", [("1.005", "两位小数"), ("-3", "负数"), ("abc", "金额")])
def test_fund_amounts_from_the_command_line(ctx, society_id, tmp_path, capsys, amount, reason) -> None:  # noqa: ANN001
    before = counts(tmp_path / "test.db")
    code = main(["--db", str(tmp_path / "test.db"), "fund", "add", "--source", "donation", "--amount", amount,
                 "--date", "2026-11-02", "--payer", "张三"])
    err = capsys.readouterr().err
    assert code != 0 and reason in err and "Traceback" not in err
    assert counts(tmp_path / "test.db") == before


@pytest.mark.parametrize("text, reason", [("张三😀", "表情符号"), ("=1+1", "只能由文字组成"), (f"张{RLO}三", "控制字符")])
def test_the_form_says_it_beside_the_name(qtbot, session, text, reason) -> None:  # noqa: ANN001
    form = ApplicationForm(session)
    qtbot.addWidget(form)
    form.show()
    fill_valid_form(qtbot, form)
    form.name.clear()
    type_into(qtbot, form.name, text)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert form.result() != ApplicationForm.DialogCode.Accepted
    assert reason in form.error_for("applicant_name")
    with session.ctx.read() as s:
        from sqlalchemy import func, select

        from jiujinan.db.models import AidCase
        assert s.scalar(select(func.count()).select_from(AidCase)) == 0
