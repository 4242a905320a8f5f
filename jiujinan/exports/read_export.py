"""Reading a village's export folder and checking every part of it before anything is stored.

Every problem is collected (file, row, column, reason), so the district gets the whole list
at once; one problem rejects the whole export.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from jiujinan.cases.enums import CaseStatus, Cause, FundSource, HouseholdType, LedgerKind, Level, PaymentMethod
from jiujinan.cases.errors import DomainError, ValidationError
from jiujinan.cases.idcard import is_valid_id
from jiujinan.exports.csv_format import (
    CASES, ENCODINGS, FILES, FORMAT, LEDGER, PAYMENTS, plain, read_date, read_int, read_yuan, yuan,
)

MAX_FILE_BYTES = 500 * 1024 * 1024


@dataclass(frozen=True)
class Problem:
    """One reason an export is refused."""

    file: str
    row: int  # 0: the file itself; 1: the header; data rows from 2, as a spreadsheet numbers them
    column: str
    reason: str

    def __str__(self) -> str:
        where = self.file + (f" 第{self.row}行" if self.row else "") + (f" {self.column}" if self.column else "")
        return f"{where}：{self.reason}"


class ExportRejected(DomainError):
    """The export has problems; ``problems`` lists every one of them."""

    def __init__(self, folder: Path, problems: list[Problem]) -> None:
        self.folder = folder
        self.problems = problems
        shown = "；".join(str(p) for p in problems[:5])
        more = f"……共 {len(problems)} 处问题" if len(problems) > 5 else ""
        super().__init__(f"{folder.name} 未导入：{shown}{more}")


@dataclass
class ParsedExport:
    """A checked export: the manifest and the rows, amounts in fen, dates as dates."""

    folder: Path
    manifest: dict
    manifest_sha256: str
    cases: list[dict] = field(default_factory=list)
    payments: list[dict] = field(default_factory=list)
    ledger: list[dict] = field(default_factory=list)

    @property
    def society_code(self) -> str:
        return str(self.manifest["society_code"])

    @property
    def period(self) -> tuple[dt.date, dt.date] | None:
        p = self.manifest.get("period")
        return (dt.date.fromisoformat(p["from"]), dt.date.fromisoformat(p["to"])) if p else None


_LOOKUP: dict[type, dict[str, object]] = {}


def _by_label(enum_type, text: str, required: bool = True):  # noqa: ANN001, ANN202
    """The member whose label (or stored value) is ``text``; a dict per enum, built once."""
    if text == "" and not required:
        return None
    table = _LOOKUP.get(enum_type)
    if table is None:
        table = _LOOKUP[enum_type] = {**{m.value: m for m in enum_type}, **{m.label: m for m in enum_type}}
    member = table.get(text)
    if member is None:
        raise ValidationError(f"“{text}”不是有效的取值")
    return member


def _yes_no(text: str) -> bool:
    if text not in ("是", "否"):
        raise ValidationError("应为 是 或 否")
    return text == "是"


def read_export(folder: Path, today: dt.date) -> ParsedExport:
    """Check and read one export folder; raises ExportRejected listing every problem."""
    problems: list[Problem] = []
    manifest_path = folder / "manifest.json"
    try:
        raw = manifest_path.read_bytes()
        manifest = json.loads(raw.decode("utf-8-sig"))
        if not isinstance(manifest, dict):
            raise ValueError("not an object")
    except FileNotFoundError:
        raise ExportRejected(folder, [Problem("manifest.json", 0, "", "缺少清单文件")]) from None
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise ExportRejected(folder, [Problem("manifest.json", 0, "", f"清单文件无法读取：{err}")]) from None
    if manifest.get("format") != FORMAT:
        problems.append(Problem("manifest.json", 0, "format", f"不是本程序的导出格式（应为 {FORMAT}）"))
    code = str(manifest.get("society_code", ""))
    if len(code) != 12 or not code.isdigit():
        problems.append(Problem("manifest.json", 0, "society_code", "区划代码应为12位数字"))
    encoding = manifest.get("encoding", "utf-8")
    if encoding not in ENCODINGS:
        problems.append(Problem("manifest.json", 0, "encoding", f"不认识的编码 {encoding}"))
        encoding = "utf-8"
    files_info = manifest.get("files") if isinstance(manifest.get("files"), dict) else {}
    parsed = ParsedExport(folder, manifest, hashlib.sha256(raw).hexdigest())
    tables: dict[str, list[list[str]]] = {}
    for name, header in FILES.items():
        info = files_info.get(name) or {}
        path = folder / name
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                problems.append(Problem(name, 0, "", "文件过大"))
                continue
            data = path.read_bytes()
        except OSError:
            problems.append(Problem(name, 0, "", "缺少该文件"))
            continue
        if hashlib.sha256(data).hexdigest() != info.get("sha256"):
            problems.append(Problem(name, 0, "", "校验值与清单不符（文件在导出后被改动或不完整）"))
        try:
            text = data.decode(ENCODINGS[encoding])
        except UnicodeDecodeError:
            problems.append(Problem(name, 0, "", f"文件不是清单所说的 {encoding} 编码"))
            continue
        rows = list(csv.reader(io.StringIO(text, newline="")))
        if not rows or tuple(rows[0]) != header:
            problems.append(Problem(name, 1, "", f"表头应为：{','.join(header)}"))
            continue
        body = rows[1:]
        if info.get("rows") != len(body):
            problems.append(Problem(name, 0, "", f"行数 {len(body)} 与清单中的 {info.get('rows')} 不符"))
        tables[name] = body
    full_ids = bool(manifest.get("full_ids"))
    _cases(parsed, tables.get("cases.csv", []), code, full_ids, today, problems)
    _payments(parsed, tables.get("payments.csv", []), code, problems)
    _ledger(parsed, tables.get("ledger.csv", []), code, manifest, problems)
    _references(parsed, problems)
    if problems:
        raise ExportRejected(folder, problems)
    return parsed


TEXT_COLUMNS = {"society_name", "town", "district", "applicant_name", "payee_name", "voucher_no", "memo"}


def _cells(name: str, header: tuple[str, ...], body: list[list[str]], problems: list[Problem]):  # noqa: ANN202
    """Each data row as {column: text}, with its spreadsheet row number; wrong widths are
    problems, and so is a text cell a spreadsheet would run (this app's exports never hold one)."""
    for number, row in enumerate(body, start=2):
        if len(row) != len(header):
            problems.append(Problem(name, number, "", f"应有 {len(header)} 列，实有 {len(row)} 列"))
            continue
        cells = dict(zip(header, row))
        for column in TEXT_COLUMNS & cells.keys():
            if cells[column].startswith(("=", "+", "-", "@", "\t", "\r")):
                problems.append(Problem(name, number, column, "单元格以公式符号开头（文件可能在电子表格中被改过）"))
        yield number, cells


def _field(problems: list[Problem], name: str, number: int, column: str, read, text: str):  # noqa: ANN001, ANN202
    try:
        return read(text)
    except ValidationError as err:
        problems.append(Problem(name, number, column, str(err)))
        return None


def _parse(spec, r: dict[str, str], name: str, n: int, problems: list[Problem]) -> dict:  # noqa: ANN001
    """Read a row's typed cells by ``spec`` (key, column, reader). A good row takes the quick
    path; a bad one is read again cell by cell so that every bad cell is reported."""
    try:
        return {key: read(r[column]) for key, column, read in spec}
    except ValidationError:
        return {key: _field(problems, name, n, column, read, r[column]) for key, column, read in spec}


_opt_yuan = partial(read_yuan, required=False)
_signed_yuan = partial(read_yuan, signed=True)
_opt_date = partial(read_date, required=False)
_opt_int = partial(read_int, required=False)
CASE_SPEC = (
    ("household_type", "household_type", partial(_by_label, HouseholdType)),
    ("cause", "cause", partial(_by_label, Cause)),
    ("requested_fen", "requested_yuan", read_yuan),
    ("approved_fen", "approved_yuan", _opt_yuan),
    ("paid_fen", "paid_yuan", read_yuan),
    ("status", "status", partial(_by_label, CaseStatus)),
    ("applied_on", "applied_on", read_date),
    ("decided_on", "decided_on", _opt_date),
    ("decided_level", "decided_level", partial(_by_label, Level, required=False)),
    ("emergency", "emergency", _yes_no),
)
PAYMENT_SPEC = (
    ("payment_no", "payment_no", read_int),
    ("paid_on", "paid_on", read_date),
    ("amount_fen", "amount_yuan", _signed_yuan),
    ("method", "method", partial(_by_label, PaymentMethod, required=False)),
    ("reversal_of", "reversal_of", _opt_int),
)
LEDGER_SPEC = (
    ("entry_no", "entry_no", read_int),
    ("posted_on", "posted_on", read_date),
    ("kind", "kind", partial(_by_label, LedgerKind)),
    ("source", "source", partial(_by_label, FundSource, required=False)),
    ("amount_fen", "amount_yuan", _signed_yuan),
    ("balance_fen", "balance_yuan", _signed_yuan),
    ("reversal_of", "reversal_of", _opt_int),
)


def _cases(p: ParsedExport, body: list[list[str]], code: str, full_ids: bool, today: dt.date,
           problems: list[Problem]) -> None:
    seen: set[str] = set()
    name = "cases.csv"
    prefix = code + "-"
    for n, r in _cells(name, CASES, body, problems):
        case_no = r["case_no"]
        if case_no in seen:
            problems.append(Problem(name, n, "case_no", f"案件编号 {case_no} 重复"))
        seen.add(case_no)
        if r["society_code"] != code or not case_no.startswith(prefix):
            problems.append(Problem(name, n, "society_code", "与清单中的区划代码不符"))
        idn = r["id_number"]
        if full_ids and not is_valid_id(idn, today):
            problems.append(Problem(name, n, "id_number", "身份证号无效"))
        elif not full_ids and not (len(idn) == 18 and idn[6:14] == "********"):
            problems.append(Problem(name, n, "id_number", "脱敏身份证号应为前6位+8个*+后4位"))
        applicant = plain(r["applicant_name"])
        if not applicant:
            problems.append(Problem(name, n, "applicant_name", "姓名为空"))
        row = _parse(CASE_SPEC, r, name, n, problems)
        row.update(case_no=case_no, applicant_name=applicant, id_number=idn)
        p.cases.append(row)


def _payments(p: ParsedExport, body: list[list[str]], code: str, problems: list[Problem]) -> None:
    seen: set[int] = set()
    name = "payments.csv"
    for n, r in _cells(name, PAYMENTS, body, problems):
        row = _parse(PAYMENT_SPEC, r, name, n, problems)
        number = row["payment_no"]
        if number in seen:
            problems.append(Problem(name, n, "payment_no", f"发放编号 {number} 重复"))
        seen.add(number)
        if r["society_code"] != code:
            problems.append(Problem(name, n, "society_code", "与清单中的区划代码不符"))
        row.update(case_no=r["case_no"], payee_name=plain(r["payee_name"]), voucher_no=plain(r["voucher_no"]), row=n)
        p.payments.append(row)


def _ledger(p: ParsedExport, body: list[list[str]], code: str, manifest: dict, problems: list[Problem]) -> None:
    seen: set[int] = set()
    name = "ledger.csv"
    try:
        balance = read_yuan(str(manifest.get("opening_balance_yuan", "0.00")), signed=True) or 0
    except ValidationError:
        problems.append(Problem("manifest.json", 0, "opening_balance_yuan", "期初余额格式不对"))
        balance = 0
    for n, r in _cells(name, LEDGER, body, problems):
        row = _parse(LEDGER_SPEC, r, name, n, problems)
        number = row["entry_no"]
        if number in seen:
            problems.append(Problem(name, n, "entry_no", f"记录编号 {number} 重复"))
        seen.add(number)
        if r["society_code"] != code:
            problems.append(Problem(name, n, "society_code", "与清单中的区划代码不符"))
        amount, stated = row["amount_fen"], row["balance_fen"]
        if amount is not None:
            balance += amount
            if stated is not None and stated != balance:
                problems.append(Problem(name, n, "balance_yuan", f"余额应为 {yuan(balance)}"))
        row.update(voucher_no=plain(r["voucher_no"]), memo=plain(r["memo"]))
        p.ledger.append(row)


def _references(p: ParsedExport, problems: list[Problem]) -> None:
    """Payments name cases of the export and are entries of its ledger."""
    cases = {c["case_no"] for c in p.cases}
    entries = {e["entry_no"]: e for e in p.ledger}
    for pay in p.payments:
        if pay["case_no"] not in cases:
            problems.append(Problem("payments.csv", pay["row"], "case_no", f"案件 {pay['case_no']} 不在 cases.csv 中"))
        entry = entries.get(pay["payment_no"])
        if entry is None:
            problems.append(Problem("payments.csv", pay["row"], "payment_no", "在 ledger.csv 中没有对应的记录"))
        elif entry["amount_fen"] is not None and pay["amount_fen"] is not None and entry["amount_fen"] != -pay["amount_fen"]:
            problems.append(Problem("payments.csv", pay["row"], "amount_yuan", "与 ledger.csv 中的金额不符"))
