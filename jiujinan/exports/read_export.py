"""Reading a village's export folder and checking every part of it before anything is stored.

Every problem is collected (file, row, column, reason), so the district gets the whole list
at once; one problem rejects the whole export.
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import hashlib
import io
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path

from jiujinan.cases.enums import (
    CaseStatus,
    Cause,
    FundSource,
    HouseholdType,
    LedgerKind,
    Level,
    PaymentMethod,
)
from jiujinan.cases.errors import DomainError, ValidationError
from jiujinan.cases.idcard import is_valid_id
from jiujinan.exports import columns
from jiujinan.exports.csv_format import ENCODINGS, FILES, FORMAT, read_yuan, yuan

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


# The rows of a checked export, in the column order of the district's tables.
CASE_COLUMNS = ("case_no", "applicant_name", "id_number", "household_type", "cause", "requested_fen",
                "approved_fen", "paid_fen", "status", "applied_on", "decided_on", "decided_level", "emergency")
PAYMENT_COLUMNS = ("payment_no", "case_no", "paid_on", "amount_fen", "method", "payee_name", "voucher_no",
                   "reversal_of")
LEDGER_COLUMNS = ("entry_no", "posted_on", "kind", "source", "amount_fen", "balance_fen", "voucher_no", "memo",
                  "reversal_of")


@dataclass
class ParsedExport:
    """A checked export: the manifest and the rows as tuples (CASE_COLUMNS, PAYMENT_COLUMNS,
    LEDGER_COLUMNS), amounts in fen, dates as dates, labels as stored values."""

    folder: Path
    manifest: dict
    manifest_sha256: str
    cases: list[tuple] = field(default_factory=list)
    payments: list[tuple] = field(default_factory=list)
    ledger: list[tuple] = field(default_factory=list)

    @property
    def society_code(self) -> str:
        return str(self.manifest["society_code"])

    @property
    def audit_entries(self) -> int | None:
        """How many entries the village's audit trail held (None: an export without it)."""
        audit = self.manifest.get("audit")
        return audit["entries"] if isinstance(audit, dict) else None

    @property
    def audit_intact(self) -> bool | None:
        """Whether the village's audit chain checked out when it exported."""
        audit = self.manifest.get("audit")
        return audit["intact"] if isinstance(audit, dict) else None

    @property
    def period(self) -> tuple[dt.date, dt.date] | None:
        p = self.manifest.get("period")
        return (dt.date.fromisoformat(p["from"]), dt.date.fromisoformat(p["to"])) if p else None


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while millions of row objects are made: they hold no
    cycles, and the collector re-scanning them took a third of an import's time."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def read_export(folder: Path, today: dt.date) -> ParsedExport:
    """Check and read one export folder; raises ExportRejected listing every problem."""
    with _collector_paused():
        return _read_export(folder, today)


def _column_order(file: str, column: str) -> int:
    header = FILES.get(file, ())
    return header.index(column) if column in header else -1


def _read_export(folder: Path, today: dt.date) -> ParsedExport:
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
    audit = manifest.get("audit")
    if audit is not None and not (isinstance(audit, dict) and type(audit.get("entries")) is int
                                  and audit["entries"] >= 0 and type(audit.get("intact")) is bool):
        problems.append(Problem("manifest.json", 0, "audit", "审计链信息格式不对"))
    full_ids = bool(manifest.get("full_ids"))
    found = {name: _Table(name, FILES[name], body, problems) for name, body in tables.items()}
    read: dict[str, dict[str, list]] = {}
    if "cases.csv" in found:
        read["cases.csv"] = _cases(parsed, found["cases.csv"], code, full_ids, today)
    if "payments.csv" in found:
        read["payments.csv"] = _payments(parsed, found["payments.csv"], code)
    if "ledger.csv" in found:
        read["ledger.csv"] = _ledger(parsed, found["ledger.csv"], code, manifest, problems)
    if "payments.csv" in found:
        _references(read.get("cases.csv", {}), read["payments.csv"], read.get("ledger.csv", {}), found["payments.csv"])
    if "cases.csv" in found and "payments.csv" in found:
        _paid_matches_payments(read["cases.csv"], read["payments.csv"], found["cases.csv"], found["payments.csv"],
                               whole=manifest.get("period") is None)
    if problems:
        order = {name: n for n, name in enumerate(("manifest.json", *FILES))}
        problems.sort(key=lambda p: (order.get(p.file, 9), p.row, _column_order(p.file, p.column)))
        raise ExportRejected(folder, problems)
    return parsed


class _Table:
    """One file's data rows, column by column, with the row numbers a spreadsheet shows."""

    def __init__(self, name: str, header: tuple[str, ...], body: list[list[str]], problems: list[Problem]) -> None:
        self.name, self.problems = name, problems
        width = len(header)
        if all(len(row) == width for row in body):
            self.numbers: Sequence[int] = range(2, len(body) + 2)
        else:
            good = []
            for number, row in enumerate(body, start=2):
                if len(row) == width:
                    good.append(number)
                else:
                    problems.append(Problem(name, number, "", f"应有 {width} 列，实有 {len(row)} 列"))
            self.numbers = good
            body = [row for row in body if len(row) == width]
        self.cells: dict[str, tuple[str, ...]] = dict(zip(header, zip(*body))) if body else dict.fromkeys(header, ())

    def __len__(self) -> int:
        return len(self.numbers)

    def read(self, column: str, reader: columns.Column) -> list:
        values, bad = columns.read_column(reader, self.cells[column])
        for index, reason in bad:
            self.problem(index, column, reason)
        return values

    def problem(self, index: int, column: str, reason: str) -> None:
        self.problems.append(Problem(self.name, self.numbers[index], column, reason))

    def check_code(self, code: str) -> None:
        """Every row names the society of the manifest."""
        cells = self.cells["society_code"]
        if set(cells) - {code}:
            for index, cell in enumerate(cells):
                if cell != code:
                    self.problem(index, "society_code", "与清单中的区划代码不符")

    def check_unique(self, column: str, values: list, what: str) -> None:
        if len(set(values)) != len(values):
            seen: set = set()
            for index, value in enumerate(values):
                if value in seen and value is not None:
                    self.problem(index, column, f"{what} {value} 重复")
                seen.add(value)


def _id_numbers(full_ids: bool, today: dt.date) -> columns.Column:
    """Full ID numbers (valid ones) or masked ones (first 6 and last 4 kept, 8 stars)."""
    if not full_ids:
        return columns.matching(r"[0-9]{6}\*{8}[0-9]{3}[0-9X]", "脱敏身份证号应为前6位+8个*+后4位")

    def valid(cell: str) -> str:
        if not is_valid_id(cell, today):
            raise ValidationError("身份证号无效")
        return cell

    return columns.each(valid)


# What each column of a file holds: the key of the checked row and how the cells are read.
# (society_code is checked against the manifest; name, town and district only as text.)
_CASE_READERS = {
    "case_no": ("case_no", columns.text(32, required=True)),
    "society_name": (None, columns.text(60)), "town": (None, columns.text(40)),
    "district": (None, columns.text(40)),
    "applicant_name": ("applicant_name", columns.text(30, required=True)),
    "household_type": ("household_type", columns.labels(HouseholdType)),
    "cause": ("cause", columns.labels(Cause)),
    "requested_yuan": ("requested_fen", columns.amounts()),
    "approved_yuan": ("approved_fen", columns.amounts(required=False)),
    "paid_yuan": ("paid_fen", columns.amounts()),
    "status": ("status", columns.labels(CaseStatus)),
    "applied_on": ("applied_on", columns.dates()),
    "decided_on": ("decided_on", columns.dates(required=False)),
    "decided_level": ("decided_level", columns.labels(Level, empty=None, required=False)),
    "emergency": ("emergency", columns.yes_no()),
}
_PAYMENT_READERS = {
    "payment_no": ("payment_no", columns.numbers()),
    "case_no": ("case_no", columns.text(32, required=True)),
    "paid_on": ("paid_on", columns.dates()),
    "amount_yuan": ("amount_fen", columns.amounts(signed=True)),
    "method": ("method", columns.labels(PaymentMethod, required=False)),
    "payee_name": ("payee_name", columns.text(60)),
    "voucher_no": ("voucher_no", columns.text(40)),
    "reversal_of": ("reversal_of", columns.numbers(required=False)),
}
_LEDGER_READERS = {
    "entry_no": ("entry_no", columns.numbers()),
    "posted_on": ("posted_on", columns.dates()),
    "kind": ("kind", columns.labels(LedgerKind)),
    "source": ("source", columns.labels(FundSource, required=False)),
    "amount_yuan": ("amount_fen", columns.amounts(signed=True)),
    "balance_yuan": ("balance_fen", columns.amounts(signed=True)),
    "voucher_no": ("voucher_no", columns.text(40)),
    "memo": ("memo", columns.text(200)),
    "reversal_of": ("reversal_of", columns.numbers(required=False)),
}


def _read(table: _Table, readers: dict) -> dict[str, list]:
    values = {}
    for column, (key, reader) in readers.items():
        read = table.read(column, reader)
        if key is not None:
            values[key] = read
    return values


def _rows(values: dict[str, list], keys: tuple[str, ...]) -> list[tuple]:
    return list(zip(*(values[k] for k in keys)))


def _cases(p: ParsedExport, t: _Table, code: str, full_ids: bool, today: dt.date) -> dict[str, list]:
    t.check_code(code)
    v = _read(t, _CASE_READERS)
    v["id_number"] = t.read("id_number", _id_numbers(full_ids, today))
    t.check_unique("case_no", v["case_no"], "案件编号")
    prefix = code + "-"
    if not all(c.startswith(prefix) for c in v["case_no"] if c is not None):
        for index, case_no in enumerate(v["case_no"]):
            if case_no is not None and not case_no.startswith(prefix):
                t.problem(index, "case_no", f"案件编号应以 {prefix} 开头")
    # 撤回 is allowed only before any money reached the person: a withdrawn case with money paid
    # was changed by hand or comes from a broken program.
    withdrawn = CaseStatus.WITHDRAWN.value
    for index, (status, paid) in enumerate(zip(v["status"], v["paid_fen"])):
        if status == withdrawn and paid:
            t.problem(index, "paid_yuan", "已撤回的案件不能有已发放金额（撤回只能在发放之前）")
    p.cases = _rows(v, CASE_COLUMNS)
    return v


def _payments(p: ParsedExport, t: _Table, code: str) -> dict[str, list]:
    t.check_code(code)
    v = _read(t, _PAYMENT_READERS)
    t.check_unique("payment_no", v["payment_no"], "发放编号")
    p.payments = _rows(v, PAYMENT_COLUMNS)
    return v


def _ledger(p: ParsedExport, t: _Table, code: str, manifest: dict, problems: list[Problem]) -> dict[str, list]:
    t.check_code(code)
    v = _read(t, _LEDGER_READERS)
    t.check_unique("entry_no", v["entry_no"], "记录编号")
    try:
        opening = read_yuan(str(manifest.get("opening_balance_yuan", "0.00")), signed=True) or 0
    except ValidationError:
        problems.append(Problem("manifest.json", 0, "opening_balance_yuan", "期初余额格式不对"))
        opening = 0
    amounts, stated = v["amount_fen"], v["balance_fen"]
    if None in amounts or None in stated or list(accumulate(amounts, initial=opening))[1:] != stated:
        balance = opening
        for index, (amount, says) in enumerate(zip(amounts, stated)):
            if amount is not None:
                balance += amount
                if says is not None and says != balance:
                    t.problem(index, "balance_yuan", f"余额应为 {yuan(balance)}")
    p.ledger = _rows(v, LEDGER_COLUMNS)
    return v


def _references(cases: dict[str, list], payments: dict[str, list], ledger: dict[str, list], t: _Table) -> None:
    """Payments name cases of the export and are entries of its ledger, for the same amount."""
    known = set(cases.get("case_no", ()))
    paid = payments.get("case_no", [])
    if not known.issuperset(paid):
        for index, case_no in enumerate(paid):
            if case_no is not None and case_no not in known:
                t.problem(index, "case_no", f"案件 {case_no} 不在 cases.csv 中")
    entries = dict(zip(ledger.get("entry_no", ()), ledger.get("amount_fen", ())))
    numbers, amounts = payments.get("payment_no", []), payments.get("amount_fen", [])
    in_ledger = list(map(entries.get, numbers))
    if None in in_ledger or None in amounts or in_ledger != [-a for a in amounts]:
        for index, (number, entry, amount) in enumerate(zip(numbers, in_ledger, amounts)):
            if number is None:
                continue
            if number not in entries:
                t.problem(index, "payment_no", "在 ledger.csv 中没有对应的记录")
            elif entry is not None and amount is not None and entry != -amount:
                t.problem(index, "amount_yuan", "与 ledger.csv 中的金额不符")


def _paid_matches_payments(cases: dict[str, list], payments: dict[str, list], case_table: _Table,
                           payment_table: _Table, *, whole: bool) -> None:
    """A case's paid_yuan is the net of its rows in payments.csv (a reversal is a negative row
    pointing at the payment it cancels), and a withdrawn case has no payment left standing.

    撤回 comes before any money reached the person, or after a payment was reversed in full;
    so each payment row of a withdrawn case must be cancelled by a reversal row of the export.
    The net is compared only in an export of everything (period null): one of a period holds
    only that period's payments, while paid_yuan is all the case has received."""
    reversed_nos = {r for r in payments.get("reversal_of", ()) if r is not None}
    withdrawn = {no for no, status in zip(cases.get("case_no", ()), cases.get("status", ()))
                 if status == CaseStatus.WITHDRAWN.value}
    net: dict[str, int] = {}
    rows = zip(payments.get("payment_no", ()), payments.get("case_no", ()), payments.get("amount_fen", ()),
               payments.get("reversal_of", ()))
    for index, (number, case_no, amount, reversal_of) in enumerate(rows):
        if case_no is None or amount is None:
            continue
        net[case_no] = net.get(case_no, 0) + amount
        if case_no in withdrawn and reversal_of is None and number not in reversed_nos:
            payment_table.problem(index, "case_no", f"案件 {case_no} 已撤回，不能有未冲正的发放记录（撤回只能在发放之前）")
    if not whole:
        return
    for index, (case_no, paid) in enumerate(zip(cases.get("case_no", ()), cases.get("paid_fen", ()))):
        if case_no is not None and paid is not None and paid != net.get(case_no, 0):
            case_table.problem(index, "paid_yuan",
                               f"已发放 {yuan(paid)} 与 payments.csv 中该案件的发放合计 {yuan(net.get(case_no, 0))} 不符")
