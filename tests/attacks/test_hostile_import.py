"""Issue 15, part 6: hostile files at the district. Each test is one attack on `import`; it
fails if the attack works again. A refused export leaves the import tables as they were."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from jiujinan.exports.manifest import MAX_ROWS
from jiujinan.services import district
from jiujinan.services.context import open_context
from tests.attacks import forge
from tests.conftest import import_folder


@pytest.fixture(scope="module")
def original(tmp_path_factory) -> Path:  # noqa: ANN001
    return forge.make_export(tmp_path_factory.mktemp("village"))


@pytest.fixture
def folder(original, tmp_path) -> Path:  # noqa: ANN001
    return forge.copy(original, tmp_path / "in")


@pytest.fixture
def district_db(tmp_path):  # noqa: ANN001, ANN201
    ctx = open_context(str(tmp_path / "district.db"), tmp_path, forge.CLOCK)
    yield ctx
    ctx.close()


def refused(district_db, folder: Path, *reasons: str) -> str:  # noqa: ANN001
    """Import the folder; it must be refused naming every reason, with nothing stored."""
    before = forge.stored_counts(district_db)
    result = import_folder(district_db, folder, "区民政局")
    assert result.outcome == "rejected", result.message
    for reason in reasons:
        assert reason in result.message, result.message
    assert "程序出错" not in result.message
    assert forge.stored_counts(district_db) == before
    return result.message


# --- files that are not what they say -------------------------------------------------------

def test_a_manifest_nested_200000_deep_is_a_listed_problem(folder, district_db) -> None:
    (folder / "manifest.json").write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    refused(district_db, folder, "manifest.json：嵌套层数 200000 超过上限 16")


def test_a_manifest_too_large_is_not_parsed(folder, district_db) -> None:
    (folder / "manifest.json").write_bytes(b" " * (2 * 1024 * 1024) + b"{}")
    refused(district_db, folder, "manifest.json：文件过大")


def test_a_manifest_of_the_wrong_types_lists_every_key(folder, district_db) -> None:
    m = forge.manifest(folder)
    m.update(society_code=341802100200, full_ids="yes", period=[1, 2], opening_balance_yuan=12.5,
             exported_at=20261120, audit={"entries": "many", "intact": 1})
    m["files"]["cases.csv"]["rows"] = "120"
    forge.write_manifest(folder, m)
    refused(district_db, folder, "manifest.json society_code：区划代码应为12位数字", "full_ids：应为 true 或 false",
            "period：应为 JSON 对象", "opening_balance_yuan：应为带两位小数的金额文字", "exported_at：导出时间应为 ISO 8601",
            "audit：审计链信息格式不对", "files：cases.csv：应为整数")
    forge.write_manifest(folder, ["not", "an", "object"])
    refused(district_db, folder, "manifest.json：应为一个 JSON 对象")


def test_a_200000_character_field_is_a_listed_problem(folder, district_db) -> None:
    table = forge.rows(folder, "cases.csv")
    table[3][table[0].index("applicant_name")] = "张" * 200_000
    forge.write_rows(folder, "cases.csv", table)
    refused(district_db, folder, "cases.csv 第4行：这一行超过 2048 字节")
    table[3][table[0].index("applicant_name")] = "张" * 500  # a line short enough: the column's limit
    forge.write_rows(folder, "cases.csv", table)
    refused(district_db, folder, "cases.csv 第4行 applicant_name：超过 30 个字")


def test_cases_csv_as_a_symlink_to_dev_zero_is_not_read(folder, district_db) -> None:
    (folder / "cases.csv").unlink()
    (folder / "cases.csv").symlink_to("/dev/zero")
    refused(district_db, folder, "cases.csv：是符号链接，不是普通文件")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX only")
def test_a_fifo_neither_hangs_nor_holds_the_write_lock(folder, district_db) -> None:
    (folder / "payments.csv").unlink()
    os.mkfifo(folder / "payments.csv")
    done: list[str] = []
    worker = threading.Thread(target=lambda: done.append(refused(district_db, folder, "命名管道，不是普通文件")),
                              daemon=True)
    worker.start()
    worker.join(timeout=60)
    assert done, "the import hung on a FIFO"
    with district_db.write() as s:  # the write lock is free: a writing statement gets it at once
        s.execute(text("DELETE FROM district_grant WHERE id < 0"))


@pytest.mark.skipif(not hasattr(os, "mknod") or os.geteuid() != 0, reason="making a device node needs root")
def test_a_device_node_is_not_read(folder, district_db) -> None:
    import stat

    (folder / "ledger.csv").unlink()
    os.mknod(folder / "ledger.csv", stat.S_IFCHR | 0o600, os.makedev(1, 5))  # /dev/zero
    refused(district_db, folder, "ledger.csv：是设备，不是普通文件")


def test_a_file_larger_than_its_declared_size_is_not_read_past_it(folder, district_db) -> None:
    with (folder / "ledger.csv").open("ab") as f:
        f.write(b"x" * 100_000)
    refused(district_db, folder, "ledger.csv：大小 ")


_MEASURE = """
import datetime as dt, resource, sys
from pathlib import Path
from jiujinan.exports.read_export import ExportRejected, read_export
try:
    read_export(Path(sys.argv[1]), dt.datetime(2026, 11, 20, 3, tzinfo=dt.timezone.utc))
except ExportRejected as err:
    print(len(err.problems), err.problems[0])
# VmHWM: this process's own peak (ru_maxrss would carry the forking parent's across exec).
status = Path("/proc/self/status")
peak = [int(line.split()[1]) for line in status.read_text().splitlines() if line.startswith("VmHWM")] \
    if status.exists() else [resource.getrusage(resource.RUSAGE_SELF).ru_maxrss]
print(peak[0] // 1024)
"""


@pytest.mark.parametrize("row", [b"1\r\n", b",,,,,,,,,,,,,,,,\r\n"], ids=["wrong width", "empty cells"])
def test_60_mb_of_short_rows_stays_under_200_mb(folder, row: bytes) -> None:
    data = b"\xef\xbb\xbf" + ",".join(forge.rows(folder, "cases.csv")[0]).encode() + b"\r\n"
    data += row * (60_000_000 // len(row))
    forge.write_bytes(folder, "cases.csv", data, count=MAX_ROWS)  # the most a manifest may declare
    out = subprocess.run([sys.executable, "-c", _MEASURE, str(folder)], capture_output=True, text=True, timeout=300,
                         cwd=Path(__file__).parents[2])
    problems, peak_mb = out.stdout.splitlines()
    assert "cases.csv" in problems, out.stderr
    assert int(peak_mb) <= 200, f"peak {peak_mb} MB"


# --- well formed, but impossible ------------------------------------------------------------

def _find(table: list[list[str]], **where: str) -> int:
    return next(n for n, row in enumerate(table[1:], start=1)
                if all(row[table[0].index(k)] == v for k, v in where.items()))


def test_paid_above_approved_is_refused(folder, district_db) -> None:
    table = forge.rows(folder, "cases.csv")
    n = _find(table, status="已发放", emergency="否")
    paid = table[n][table[0].index("paid_yuan")]
    forge.set_cells(folder, "cases.csv", {(n, "approved_yuan"): "1.00"})  # paid still equals its payments
    refused(district_db, folder, f"cases.csv 第{n + 1}行 paid_yuan：已发放 {paid} 超过同意金额 1.00")


def test_a_ledger_going_negative_is_refused(folder, district_db) -> None:
    table = forge.rows(folder, "ledger.csv")
    first_out = _find(table, kind="支出")
    table.insert(1, table.pop(first_out))  # a payment before any money came in, balances recomputed
    forge.write_rows(folder, "ledger.csv", table)
    forge.rebalance(folder)
    refused(district_db, folder, "ledger.csv 第2行 amount_yuan：记账后余额为 -", "资金不能透支")


def test_a_negative_contribution_is_refused(folder, district_db) -> None:
    table = forge.rows(folder, "ledger.csv")
    n = _find(table, kind="收入", source="村集体自筹")
    forge.set_cells(folder, "ledger.csv", {(n, "amount_yuan"): "-5.00"})
    forge.rebalance(folder)
    refused(district_db, folder, f"ledger.csv 第{n + 1}行 amount_yuan：收入的金额应为正数并注明来源")


def test_a_positive_payment_out_of_the_fund_is_refused(folder, district_db) -> None:
    """A payment row of the wrong sign, its ledger entry matching it: money out must be negative."""
    payments = forge.rows(folder, "payments.csv")
    number = payments[1][0]
    ledger = forge.rows(folder, "ledger.csv")
    n = _find(ledger, entry_no=number)
    amount = payments[1][payments[0].index("amount_yuan")]
    forge.set_cells(folder, "payments.csv", {(1, "amount_yuan"): "-" + amount})
    forge.set_cells(folder, "ledger.csv", {(n, "amount_yuan"): amount})
    forge.rebalance(folder)
    refused(district_db, folder, "payments.csv 第2行 amount_yuan：发放金额必须大于零",
            f"ledger.csv 第{n + 1}行 amount_yuan：支出的金额应为负数")


def test_paid_status_without_a_payment_is_refused(folder, district_db) -> None:
    table = forge.rows(folder, "cases.csv")
    n = _find(table, status="已撤回")
    forge.set_cells(folder, "cases.csv", {(n, "status"): "已发放"})
    refused(district_db, folder, f"cases.csv 第{n + 1}行 status：状态为已发放，但没有发放金额")


def test_a_period_ending_before_it_starts_is_refused(folder, district_db) -> None:
    m = forge.manifest(folder)
    m["period"] = {"from": "2026-11-30", "to": "2026-11-01"}
    forge.write_manifest(folder, m)
    refused(district_db, folder, "manifest.json period：起始日期 2026-11-30 晚于截止日期 2026-11-01")


def test_another_societys_code_is_refused(folder, district_db, tmp_path) -> None:
    """Everything rewritten to claim society 341802100999 (a consistent forgery): the folder,
    named by the app after the society that made it, says otherwise."""
    own, other = "341802100200", "341802100999"
    m = forge.manifest(folder)
    m["society_code"] = other
    forge.write_manifest(folder, m)
    for name in ("cases.csv", "payments.csv", "ledger.csv"):
        data = (folder / name).read_bytes().replace(own.encode(), other.encode())
        forge.write_bytes(folder, name, data)
    refused(district_db, folder, f"文件夹名 {folder.name} 表明是区划代码 {own} 的导出，清单却是 {other}")


def test_an_export_from_the_year_9999_is_refused_and_does_not_shadow_genuine_ones(original, district_db,
                                                                                  tmp_path) -> None:
    forged = forge.copy(original, tmp_path / "forged")
    m = forge.manifest(forged)
    m["exported_at"] = "9999-12-31T23:59:59+00:00"
    forge.write_manifest(forged, m)
    refused(district_db, forged, "exported_at：导出时间 9999-12-31T23:59:59+00:00 晚于现在")
    m["exported_at"] = "1999-01-01T00:00:00+08:00"
    forge.write_manifest(forged, m)
    refused(district_db, forged, "早于本程序的导出格式")
    genuine = forge.copy(original, tmp_path / "genuine")
    assert import_folder(district_db, genuine, "区").outcome == "imported"
    with district_db.write() as s:  # a district that stored a year-9999 export before the check
        from sqlalchemy import update

        from jiujinan.db.models import ImportBatch
        s.execute(update(ImportBatch).values(exported_at="9999-12-31T23:59:59+00:00"))
    later = forge.copy(original, tmp_path / "later")
    m = forge.manifest(later)
    m["exported_at"] = "2026-11-20T02:30:00+00:00"
    forge.write_manifest(later, m)
    assert import_folder(district_db, later, "区").outcome == "replaced"


def test_dates_after_the_export_are_refused(folder, district_db) -> None:
    n = _find(forge.rows(folder, "cases.csv"), status="已撤回")
    forge.set_cells(folder, "cases.csv", {(n, "applied_on"): "2027-03-01"})
    refused(district_db, folder, f"cases.csv 第{n + 1}行 applied_on：日期 2027-03-01 晚于导出时间")


# --- the rest goes on; the output stays inert -------------------------------------------------

def test_a_refused_folder_does_not_stop_the_others(original, district_db, tmp_path) -> None:
    bad = forge.copy(original, tmp_path / "bad")
    (bad / "manifest.json").write_text("{" * 100_000, encoding="utf-8")
    good = forge.copy(original, tmp_path / "good")
    results = district.import_folders(district_db, [bad, good], "区民政局")
    assert [r.outcome for r in results] == ["rejected", "imported"]
    assert "嵌套层数" in results[0].message
    assert forge.stored_counts(district_db)[0] == 1


def test_reconcile_output_is_inert_in_a_spreadsheet_and_a_terminal(folder, district_db, tmp_path,
                                                                  capsys) -> None:
    """Names from an export can start like a formula (a society may be named so); the CSV
    neutralises them and the printed report shows no control characters."""
    import argparse
    import csv

    from jiujinan.cli.cmd_district import run_reconcile

    m = forge.manifest(folder)
    m["society_name"] = "=HYPERLINK(\"http://x\",\"点我\")"
    forge.write_manifest(folder, m)
    assert import_folder(district_db, folder, "区").outcome == "imported"
    with district_db.write() as s:  # and a name stored before names were checked
        from sqlalchemy import update

        from jiujinan.db.models import ImportBatch
        s.execute(update(ImportBatch).values(town="\x1b]0;owned\x07水阳镇"))
    out = tmp_path / "report.csv"
    run_reconcile(district_db, argparse.Namespace(out=str(out), pdf=None), "")  # a district without users yet
    printed = capsys.readouterr().out
    assert "=HYPERLINK" in printed and "\x1b" not in printed and "\x07" not in printed
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[1][1].startswith("'=HYPERLINK")
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row if not
               cell.lstrip("-").replace(".", "").replace(",", "").isdigit())


def test_the_clerk_sees_the_reasons_on_the_exchange_page(qtbot, original, tmp_path, qapp) -> None:  # noqa: ANN001
    """The GUI's import lists a hostile folder's problems in Chinese, not «程序出错»."""
    from jiujinan.ui.exchange_page import ExchangePage
    from jiujinan.ui.prefs import Preferences
    from jiujinan.ui.session import UiSession
    from tests.conftest import add_staff_member

    ctx = open_context(str(tmp_path / "district.db"), tmp_path, forge.CLOCK)
    add_staff_member(ctx, "王会计")
    root = tmp_path / "incoming"
    root.mkdir()
    deep = forge.copy(original, root, "村甲")
    (deep / "manifest.json").write_text("[" * 200_000, encoding="utf-8")
    fifo = forge.copy(original, root, "村乙")
    (fifo / "cases.csv").unlink()
    os.mkfifo(fifo / "cases.csv")
    page = ExchangePage(UiSession(ctx, Preferences(tmp_path / "prefs.ini"), None, "王会计"))
    qtbot.addWidget(page)
    page.choose_folder = lambda title: str(root)
    page.import_button.click()
    assert page.job is not None, page.log.toPlainText()
    with qtbot.waitSignal(page.job.finished, timeout=60000):
        pass
    log = page.log.toPlainText()
    assert "嵌套层数 200000 超过上限" in log and "cases.csv：是命名管道，不是普通文件" in log, log
    assert "程序出错" not in log
    ctx.close()


def test_an_old_export_without_declared_sizes_is_still_read(folder, district_db) -> None:
    m = forge.manifest(folder)
    for info in m["files"].values():
        del info["bytes"]
    forge.write_manifest(folder, m)
    assert import_folder(district_db, folder, "区").outcome == "imported"
    assert json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["format"] == "jiujinan-export/1"


def test_the_command_line_lists_the_reasons_and_goes_on(original, tmp_path, capsys) -> None:  # noqa: ANN001
    from jiujinan.cli import main
    from tests.conftest import add_staff_member

    ctx = open_context(str(tmp_path / "district.db"), tmp_path, forge.CLOCK)
    add_staff_member(ctx, "王会计")  # the district's clerk signs in
    ctx.close()
    bad = forge.copy(original, tmp_path / "bad")
    (bad / "cases.csv").unlink()
    (bad / "cases.csv").symlink_to("/dev/zero")
    good = forge.copy(original, tmp_path / "good")
    code = main(["--db", str(tmp_path / "district.db"), "import", str(bad), str(good)])
    out, err = capsys.readouterr()
    assert code == 1 and "cases.csv：是符号链接，不是普通文件" in err and "程序出错" not in err, err
    assert "已导入" in out and "拒收 1" in err
