"""打印与告知 on the command line, through the installed ``jiujinan``: ``society add``/``set``
take what the papers print, ``society show`` lists it, a bad value is named in Chinese and
nothing is written; ``case add`` takes members' age and income source and ``case show``
prints them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from jiujinan.cases.application import as_input, validate_application
from jiujinan.db.cases import load_case
from jiujinan.db.models import AidCase
from jiujinan.services import societies
from jiujinan.services.demo import run_demo
from tests.conftest import PASSWORD, TODAY, make_id

COMMAND = Path(sys.executable).with_name("jiujinan")  # the console script pip installed beside python
CODE = "341802100201"


@pytest.fixture
def jiujinan(tmp_path):  # noqa: ANN001, ANN201
    """Run the installed command on one database, as 王会计 (administrator), in a clean home."""
    home = tmp_path / "home"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "XDG_DATA_HOME": str(home / "data"),
           "XDG_CONFIG_HOME": str(home / "config"), "XDG_STATE_HOME": str(home / "state"),
           "JIUJINAN_USER": "王会计", "JIUJINAN_PASSWORD": PASSWORD, "JIUJINAN_NEW_PASSWORD": PASSWORD}
    db = str(tmp_path / "p.db")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(COMMAND), "--db", db, *args], env=env, capture_output=True, text=True,
                              timeout=120)

    assert run("user", "add", "王会计", "--roles", "经办人,审核人,管理员").returncode == 0
    return run


def shown(run) -> dict[str, str]:  # noqa: ANN001
    result = run("society", "show", CODE)
    assert result.returncode == 0, result.stderr
    return dict(line.split("\t") for line in result.stdout.splitlines())


def test_paper_settings_are_added_set_and_shown(jiujinan) -> None:  # noqa: ANN001
    added = jiujinan("society", "add", "--name", "青山村救急难互助社", "--village", "青山村", "--area-code", CODE,
                     "--town", "水阳镇", "--district", "宣州区", "--head-name", "陈国强", "--return-days", "7")
    assert added.returncode == 0, added.stderr
    before = shown(jiujinan)
    assert before["单位负责人"] == "陈国强" and before["补充材料期限"] == "7 个工作日"
    assert before["区级审批单位"] == "（未填，印：宣州区民政局）"  # what prints when left empty
    assert before["公示显示身份证号（脱敏）"] == "否" and before["提出异议期限"] == "60 天"
    # Options before and after the area code, and --db after the subcommand, as the others.
    result = jiujinan("society", "set", "--district-office", "宣州区慈善协会", CODE, "--notice-shows-id", "yes",
                      "--objection-contact", "青山村村委会 李主任", "--contact-phone", "0563-2012399",
                      "--appeal-days", "30", "--appeal-to", "水阳镇人民政府民政办（水阳镇政府路1号）",
                      "--village-office", "青山村村民委员会", "--town-office", "水阳镇民政办", "--return-days", "１０")
    assert result.returncode == 0, result.stderr
    assert "区级审批单位 宣州区慈善协会" in result.stdout and "提出异议期限 30 天" in result.stdout
    after = shown(jiujinan)
    assert after["区级审批单位"] == "宣州区慈善协会" and after["公示显示身份证号（脱敏）"] == "是"
    assert after["村级审核单位"] == "青山村村民委员会" and after["乡镇审核单位"] == "水阳镇民政办"
    assert after["异议受理单位和联系人"] == "青山村村委会 李主任" and after["联系电话"] == "0563-2012399"
    assert after["补充材料期限"] == "10 个工作日" and after["提出异议期限"] == "30 天"
    assert after["异议受理单位和地址"] == "水阳镇人民政府民政办（水阳镇政府路1号）"
    assert after["单位负责人"] == "陈国强"  # not given: unchanged
    assert jiujinan("society", "set", CODE, "--notice-shows-id", "no").returncode == 0
    assert shown(jiujinan)["公示显示身份证号（脱敏）"] == "否"


def test_bad_values_are_named_in_chinese_and_nothing_is_written(jiujinan) -> None:  # noqa: ANN001
    assert jiujinan("society", "add", "--name", "青山村救急难互助社", "--village", "青山村", "--area-code", CODE,
                    "--town", "水阳镇", "--district", "宣州区").returncode == 0
    before = shown(jiujinan)
    result = jiujinan("society", "set", CODE, "--notice-shows-id", "maybe", "--return-days", "十", "--appeal-days",
                      "400", "--contact-phone", "12345", "--head-name", "陈" * 31, "--district-office", "宣州区慈善协会")
    assert result.returncode == 1 and result.stdout == ""
    for said in ("公示显示身份证号（脱敏）应为 yes 或 no", "补充材料期限（工作日）应为整数",
                 "提出异议的期限应在1到365天之间", "联系电话格式不对", "单位负责人最多30个字"):
        assert said in result.stderr  # every bad value at once
    assert "Traceback" not in result.stderr and "error" not in result.stderr.lower()
    assert shown(jiujinan) == before  # nothing written, not even the good value
    refused = jiujinan("society", "add", "--name", "红星村救急难互助社", "--village", "红星村", "--area-code",
                       "341802100202", "--town", "水阳镇", "--district", "宣州区", "--return-days", "0")
    assert refused.returncode == 1 and "补充材料期限应在1到60个工作日之间" in refused.stderr
    assert "341802100202" not in jiujinan("society", "list").stdout


def test_members_age_and_income_source_in_case_add_and_show(jiujinan, tmp_path) -> None:  # noqa: ANN001
    assert jiujinan("society", "add", "--name", "青山村救急难互助社", "--village", "青山村", "--area-code", CODE,
                    "--town", "水阳镇", "--district", "宣州区").returncode == 0
    app = {"applicant_name": "张三", "id_number": make_id(), "phone": "13905631234", "address": "青山村3组",
           "cause": "illness", "hardship": "住院", "requested_yuan": "1500", "payment_method": "cash",
           "applied_on": "2026-03-01", "household_size": "4",
           "members": [["李四", "配偶", "", 58, "务农"], {"name": "张小五", "relation": "子", "income_source": "务工"},
                       ["张小六", "女"]]}
    path = tmp_path / "app.json"
    path.write_text(json.dumps(app, ensure_ascii=False), encoding="utf-8")
    added = jiujinan("case", "add", str(path))
    assert added.returncode == 0, added.stderr
    case = json.loads(jiujinan("case", "show", added.stdout.strip()).stdout)
    assert case["members"] == [["李四", "配偶", "", 58, "务农"], ["张小五", "子", "", None, "务工"],
                               ["张小六", "女", "", None, ""]]
    app["members"] = [["李四", "配偶", "", 130, "务农"]]
    path.write_text(json.dumps(app, ensure_ascii=False), encoding="utf-8")
    refused = jiujinan("case", "add", "--repeat", "再次住院", str(path))
    assert refused.returncode == 1 and "第1位家庭成员年龄应为0到120之间的整数" in refused.stderr


def test_the_demo_fills_paper_settings_and_members_details(ctx) -> None:  # noqa: ANN001
    """In process (the data, not the command, is what is looked at): every demo society's
    settings pass the 设置 form's rules, and members carry ages and income sources that
    validate as the form would take them."""
    run_demo(ctx, n_societies=4, n_cases=120, seed=3)
    records = societies.list_societies(ctx)
    assert all(r.settings.validated() == r.settings for r in records)
    assert all(r.settings.head_name and r.settings.contact_phone for r in records)
    assert {r.settings.district_office for r in records} == {"", "宣州区慈善协会"}  # some print the usual name
    with ctx.read() as s:
        apps = [load_case(s, i).application for i in s.scalars(select(AidCase.id))]
    members = [m for app in apps for m in app.members]
    assert sum(m.age is not None for m in members) > len(members) / 2
    assert {m.income_source for m in members} >= {"务工", "养老金", ""}
    for app in apps[:40]:  # as the form shows them, they validate back to themselves
        assert validate_application(as_input(app), TODAY).members == app.members
