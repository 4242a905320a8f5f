"""Reading a village's export folder and checking every part of it before anything is stored.

The folder is hostile until checked: only regular files are opened, each read is bounded by
the size the manifest declares (and a cap), rows are streamed in chunks, and every problem is
collected (file, row, column, reason), so the district gets the whole list at once; one
problem rejects the whole export.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import gc
import hashlib
import io
from array import array
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import accumulate, compress, islice
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
from jiujinan.exports import columns, semantics
from jiujinan.exports.csv_format import ENCODINGS, FILES, yuan
from jiujinan.exports.manifest import (
    MAX_FILE_BYTES,
    MAX_MANIFEST_BYTES,
    MAX_ROWS,
    Manifest,
    read_manifest,
)
from jiujinan.exports.origin import origin_problems
from jiujinan.exports.safe_files import LineTooLong, TooLarge, UnsafeFile, open_regular, read_small

MAX_LINE_BYTES = 2_048  # the longest row of ours is under 900 bytes
MAX_PROBLEMS_PER_FILE = 200  # then "……": a file with more is refused either way
_CHUNK = 5_000  # rows read before they are checked: with MAX_LINE_BYTES, ≤ 10 M characters


@dataclass(frozen=True)
class Problem:
    """One reason an export is refused."""

    file: str
    row: int  # 0: the file itself; 1: the header; data rows from 2, as a spreadsheet numbers them; -1: the end
    column: str
    reason: str

    def __str__(self) -> str:
        where = self.file + (f" 第{self.row}行" if self.row > 0 else "") + (f" {self.column}" if self.column else "")
        return f"{where}：{self.reason}" if where else self.reason  # no file: the export as a whole


class Problems(list):
    """The problems found, at most MAX_PROBLEMS_PER_FILE per file (then one line saying
    more were left out), so a hostile file cannot fill the memory with reasons."""

    def __init__(self) -> None:
        super().__init__()
        self.counts: dict[str, int] = {}

    def append(self, problem: Problem) -> None:  # type: ignore[override]
        count = self.counts[problem.file] = self.counts.get(problem.file, 0) + 1
        if count <= MAX_PROBLEMS_PER_FILE:
            super().append(problem)
        elif count == MAX_PROBLEMS_PER_FILE + 1:
            super().append(Problem(problem.file, -1, "", f"问题超过 {MAX_PROBLEMS_PER_FILE} 处，其余未列出"))

    def full(self, file: str) -> bool:
        return self.counts.get(file, 0) > MAX_PROBLEMS_PER_FILE


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
    manifest: Manifest
    manifest_sha256: str
    cases: list[tuple] = field(default_factory=list)
    payments: list[tuple] = field(default_factory=list)
    ledger: list[tuple] = field(default_factory=list)

    @property
    def society_code(self) -> str:
        return self.manifest.society_code

    @property
    def audit_entries(self) -> int | None:
        """How many entries the village's audit trail held (None: an export without it)."""
        return self.manifest.audit.entries if self.manifest.audit else None

    @property
    def audit_intact(self) -> bool | None:
        """Whether the village's audit chain checked out when it exported."""
        return self.manifest.audit.intact if self.manifest.audit else None

    @property
    def period(self) -> tuple[dt.date, dt.date] | None:
        return self.manifest.period


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


def read_export(folder: Path, now: dt.datetime) -> ParsedExport:
    """Check and read one export folder; raises ExportRejected listing every problem. ``now``
    (UTC) bounds the export time the manifest may claim."""
    with _collector_paused():
        return _read_export(folder, now)


def _column_order(file: str, column: str) -> int:
    header = FILES.get(file, ())
    return header.index(column) if column in header else -1


def _read_manifest(folder: Path, now: dt.datetime) -> tuple[Manifest, str]:
    """The checked manifest and the SHA-256 of its bytes; ExportRejected when unusable."""
    def refused(column: str, reason: str) -> ExportRejected:
        return ExportRejected(folder, [Problem("manifest.json", 0, column, reason)])

    try:
        raw = read_small(folder / "manifest.json", MAX_MANIFEST_BYTES)
    except FileNotFoundError:
        raise refused("", "缺少清单文件") from None
    except UnsafeFile as err:
        raise refused("", str(err)) from None
    except TooLarge:
        raise refused("", f"清单文件超过 {MAX_MANIFEST_BYTES} 字节") from None
    except OSError as err:
        raise refused("", f"清单文件无法读取（{err.strerror}）") from None
    manifest, problems = read_manifest(raw, now)
    if manifest is None:
        raise ExportRejected(folder, [Problem("manifest.json", 0, key, reason) for key, reason in problems])
    return manifest, hashlib.sha256(raw).hexdigest()


def _read_export(folder: Path, now: dt.datetime) -> ParsedExport:
    problems = Problems()
    manifest, sha = _read_manifest(folder, now)
    for key, reason in origin_problems(folder, manifest):
        problems.append(Problem("manifest.json", 0, key, reason))
    code = manifest.society_code
    parsed = ParsedExport(folder, manifest, sha)
    same_code = (None, columns.matching(re.escape(code), "与清单中的区划代码不符"))
    readers = {"cases.csv": {**_CASE_READERS, "id_number": ("id_number", _id_numbers(manifest.full_ids, now.date()))},
               "payments.csv": _PAYMENT_READERS, "ledger.csv": _LEDGER_READERS}
    found: dict[str, _Table] = {}
    for name, header in FILES.items():
        table = _Table(name, header, {**readers[name], "society_code": same_code}, problems)
        if _read_file(folder / name, table, manifest):
            found[name] = table
    read: dict[str, dict[str, list]] = {}
    if "cases.csv" in found:
        read["cases.csv"] = _cases(parsed, found["cases.csv"], code)
    if "payments.csv" in found:
        read["payments.csv"] = _payments(parsed, found["payments.csv"])
    if "ledger.csv" in found:
        read["ledger.csv"] = _ledger(parsed, found["ledger.csv"], manifest.opening_fen)
    if found.keys() >= {"cases.csv", "payments.csv", "ledger.csv"}:
        _references(read["cases.csv"], read["payments.csv"], read["ledger.csv"], found["payments.csv"])
    if "cases.csv" in found and "payments.csv" in found:
        _paid_matches_payments(read["cases.csv"], read["payments.csv"], found["cases.csv"], found["payments.csv"],
                               whole=manifest.period is None)
    if found.keys() == set(FILES):
        semantics.check(read, found, manifest)
    if problems:
        order = {name: n for n, name in enumerate(("manifest.json", *FILES))}
        problems.sort(key=lambda p: (order.get(p.file, 9), p.row if p.row >= 0 else float("inf"),
                                     _column_order(p.file, p.column)))
        raise ExportRejected(folder, problems)
    return parsed


def _read_file(path: Path, table: "_Table", manifest: Manifest) -> bool:
    """Read one CSV file into ``table``, streamed: opened safely, bounded by its declared size,
    hashed as read, lines of bounded length, checked a chunk of rows at a time. False when
    the file could not be read to its end (the reason is among the problems)."""
    name, problems = table.name, table.problems
    info = manifest.files[name]
    try:
        reader = open_regular(path, MAX_FILE_BYTES)
    except FileNotFoundError:
        problems.append(Problem(name, 0, "", "缺少该文件"))
        return False
    except UnsafeFile as err:
        problems.append(Problem(name, 0, "", str(err)))
        return False
    except OSError as err:
        problems.append(Problem(name, 0, "", f"无法读取（{err.strerror}）"))
        return False
    with reader:
        if info.bytes is not None:
            if reader.size != info.bytes:
                problems.append(Problem(name, 0, "", f"大小 {reader.size} 字节与清单中的 {info.bytes} 字节不符"
                                                     "（文件在导出后被改动或不完整）"))
                return False
            reader.limit = info.bytes  # and not a byte more, should it grow while read
        text = io.TextIOWrapper(io.BufferedReader(reader, 1 << 16), encoding=ENCODINGS[manifest.encoding],
                                newline="")
        reader.max_line = MAX_LINE_BYTES
        rows = csv.reader(text)
        try:
            first = next(rows, None)
            if first is None or tuple(first) != table.header:
                problems.append(Problem(name, 1, "", f"表头应为：{','.join(table.header)}"))
                return False
            table.take(rows)
            if table.stopped:
                return False
            reader.drain()
        except TooLarge:
            problems.append(Problem(name, 0, "", f"读取时超过了 {reader.limit} 字节（文件在读取时被改动）"))
            return False
        except UnicodeDecodeError:
            problems.append(Problem(name, 0, "", f"文件不是清单所说的 {manifest.encoding} 编码"))
            return False
        except LineTooLong as err:
            problems.append(Problem(name, err.line, "", f"这一行超过 {MAX_LINE_BYTES} 字节"))
            return False
        except csv.Error:
            problems.append(Problem(name, rows.line_num, "",  # (lines: the same as rows in a file of ours)
                                    "无法按 CSV 读取（含 NUL 字符或引号不配对）"))
            return False
        if reader.hexdigest() != info.sha256:
            problems.append(Problem(name, 0, "", "校验值与清单不符（文件在导出后被改动或不完整）"))
        if info.rows != table.count:
            problems.append(Problem(name, 0, "", f"行数 {table.count} 与清单中的 {info.rows} 不符"))
    return True


Readers = dict[str, tuple[str | None, columns.Column]]


class _Table:
    """One file's rows, read a chunk at a time into checked values column by column (the raw
    cells of a chunk are let go once read), with the row numbers a spreadsheet shows. Rows of
    the wrong width are listed as problems and left out."""

    def __init__(self, name: str, header: tuple[str, ...], readers: Readers, problems: Problems) -> None:
        self.name, self.header, self.readers, self.problems = name, header, readers, problems
        self.values: dict[str, list] = {key: [] for key, _ in readers.values() if key is not None}
        self.numbers = array("l")  # the spreadsheet row number of each value
        self.count = 0  # data rows read
        self.stopped = False  # too many rows or problems: the rest was not read

    def take(self, rows: Iterator[list[str]]) -> None:
        width = len(self.header)
        while chunk := list(islice(rows, _CHUNK)):
            first, size = self.count + 2, len(chunk)
            self.count += size
            if self.count > MAX_ROWS:
                self.problems.append(Problem(self.name, 0, "", f"超过 {MAX_ROWS} 行的上限"))
                self.stopped = True
                return
            numbers: Sequence[int] = range(first, first + size)
            if set(map(len, chunk)) != {width}:
                kept = [(n, row) for n, row in zip(numbers, chunk) if self._width_ok(n, row, width)]
                numbers, chunk = [n for n, _ in kept], [row for _, row in kept]
            self._convert(numbers, chunk)
            if self.problems.full(self.name):
                self.stopped = True
                return

    def _width_ok(self, number: int, row: list[str], width: int) -> bool:
        if len(row) == width:
            return True
        self.problems.append(Problem(self.name, number, "", f"应有 {width} 列，实有 {len(row)} 列"))
        return False

    def _convert(self, numbers: Sequence[int], chunk: list[list[str]]) -> None:
        base = len(self.numbers)
        self.numbers.extend(numbers)
        cells = list(zip(*chunk)) if chunk else [() for _ in self.header]
        for column, column_cells in zip(self.header, cells):
            key, reader = self.readers[column]
            values, bad = columns.read_column(reader, column_cells)
            for index, reason in bad:
                self.problem(base + index, column, reason)
            if key is not None:
                self.values[key].extend(values)

    def __len__(self) -> int:
        return len(self.numbers)

    def problem(self, index: int, column: str, reason: str) -> None:
        self.problems.append(Problem(self.name, self.numbers[index], column, reason))

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


def _rows(values: dict[str, list], keys: tuple[str, ...]) -> list[tuple]:
    return list(zip(*(values[k] for k in keys)))


def _cases(p: ParsedExport, t: _Table, code: str) -> dict[str, list]:
    v = t.values
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


def _payments(p: ParsedExport, t: _Table) -> dict[str, list]:
    v = t.values
    t.check_unique("payment_no", v["payment_no"], "发放编号")
    p.payments = _rows(v, PAYMENT_COLUMNS)
    return v


def _ledger(p: ParsedExport, t: _Table, opening: int) -> dict[str, list]:
    v = t.values
    t.check_unique("entry_no", v["entry_no"], "记录编号")
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
    is_withdrawn = CaseStatus.WITHDRAWN.value.__eq__  # (an enum's value looked up once, not per row)
    withdrawn = set(compress(cases.get("case_no", ()), map(is_withdrawn, cases.get("status", ()))))
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
