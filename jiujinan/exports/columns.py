"""Reading an export's cells a whole column at a time.

A district imports a million rows; checking them cell by cell in Python took most of the
import. So every kind of column has two readers: a quick one that checks and converts the
whole column in a few C-level passes (one regular expression over the joined cells, one
map) and fails on anything unusual, and the cell reader of csv_format, which is run over
the column only when the quick one failed, to say exactly which cells are wrong and why.
The cell readers are the rule; the quick readers only ever accept a subset of what they
accept (tests/exports check both on random cells)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import partial

from jiujinan.cases.errors import ValidationError
from jiujinan.exports.csv_format import (
    AMOUNT_DIGITS,
    FORMULA_START,
    ID_DIGITS,
    plain,
    read_date,
    read_int,
    read_yuan,
)

Cells = Sequence[str]


class QuickFailed(Exception):
    """The quick reader cannot vouch for the column; the cell reader decides."""


def _lines(cell: str, optional: bool) -> re.Pattern[str]:
    """A pattern for the column's cells joined with newlines (cells hold no newline: see _joined)."""
    one = f"(?:{cell})?" if optional else f"(?:{cell})"
    return re.compile(f"(?:{one}\n)*{one}")


def _joined(cells: Cells, pattern: re.Pattern[str] | None = None) -> str:
    joined = "\n".join(cells)
    if joined.count("\n") != len(cells) - 1:  # a cell holds a newline: let the cell reader look
        raise QuickFailed
    if pattern is not None and not pattern.fullmatch(joined):
        raise QuickFailed
    return joined


def _none_if_empty(convert: Callable[[str], object], cells: Cells) -> list:
    return [convert(c) if c else None for c in cells]


@dataclass(frozen=True)
class Column:
    """How one kind of column is read: ``quick`` (the whole column, or QuickFailed) and
    ``cell`` (one cell, or ValidationError with the reason)."""

    quick: Callable[[Cells], list]
    cell: Callable[[str], object]


def amounts(*, signed: bool = False, required: bool = True) -> Column:
    sign = "-?" if signed else ""
    pattern = _lines(f"{sign}[0-9]{{1,{AMOUNT_DIGITS}}}\\.[0-9][0-9]", not required)

    def quick(cells: Cells) -> list:
        digits = _joined(cells, pattern).replace(".", "").split("\n")
        return list(map(int, digits)) if required else _none_if_empty(int, digits)

    return Column(quick, partial(read_yuan, signed=signed, required=required))


def dates(*, required: bool = True) -> Column:
    pattern = _lines(r"[0-9]{4}-[0-9][0-9]-[0-9][0-9]", not required)

    def quick(cells: Cells) -> list:
        _joined(cells, pattern)
        try:
            return list(map(dt.date.fromisoformat, cells)) if required \
                else _none_if_empty(dt.date.fromisoformat, cells)
        except ValueError:  # 2026-02-30
            raise QuickFailed from None

    return Column(quick, partial(read_date, required=required))


def numbers(*, required: bool = True) -> Column:
    pattern = _lines(f"[0-9]{{1,{ID_DIGITS}}}", not required)

    def quick(cells: Cells) -> list:
        _joined(cells, pattern)
        return list(map(int, cells)) if required else _none_if_empty(int, cells)

    return Column(quick, partial(read_int, required=required))


def _lookup(table: dict[str, object], reason: Callable[[str], str]) -> Column:
    def cell(text: str) -> object:
        if text not in table:
            raise ValidationError(reason(text))
        return table[text]

    def quick(cells: Cells) -> list:
        try:
            return list(map(table.__getitem__, cells))
        except KeyError:
            raise QuickFailed from None

    return Column(quick, cell)


def labels(enum_type: type[Enum], *, empty: object = "", required: bool = True) -> Column:
    """A label (or stored value) of ``enum_type``, read as the stored value; an empty cell,
    where allowed, as ``empty``."""
    table: dict[str, object] = {**{m.value: m.value for m in enum_type}, **{m.label: m.value for m in enum_type}}
    if not required:
        table[""] = empty
    return _lookup(table, lambda text: f"“{text}”不是有效的取值" if text else "不能为空")


def yes_no() -> Column:
    return _lookup({"是": True, "否": False}, lambda text: "应为 是 或 否")


def matching(regex: str, reason: str) -> Column:
    """Cells of one fixed form, kept as they are."""
    pattern, lines = re.compile(regex), _lines(regex, False)

    def cell(text: str) -> str:
        if not pattern.fullmatch(text):
            raise ValidationError(reason)
        return text

    def quick(cells: Cells) -> list:
        _joined(cells, lines)
        return list(cells)

    return Column(quick, cell)


def each(cell: Callable[[str], object]) -> Column:
    """A column with no quicker reader than its cell reader."""

    def quick(cells: Cells) -> list:
        try:
            return list(map(cell, cells))
        except ValidationError:
            raise QuickFailed from None

    return Column(quick, cell)


# A text cell may not start like a formula or hold control characters (an export of this app
# never has one: the cell was changed in a spreadsheet, or the file was made by hand).
# Control characters (a newline included: no exported text field has more than one line)
# and direction marks, which make a name display as something else. _CONTROL_IN_JOINED is the
# same test over cells joined with newlines.
_INVISIBLE = "\x7f\u200e\u200f\u202a-\u202e\u2066-\u2069"
_CONTROL = re.compile(f"[\x00-\x1f{_INVISIBLE}]")
CONTROL_CHARS = _CONTROL  # the same test for text read elsewhere (the manifest)
_CONTROL_IN_JOINED = re.compile(f"[\x00-\x09\x0b-\x1f{_INVISIBLE}]")
_FORMULA_LINES = tuple("\n" + c for c in FORMULA_START)


def text(max_len: int, *, required: bool = False) -> Column:
    """Free text as written by the exporter: the neutralising quote is taken off again."""

    def cell(value: str) -> str:
        if value.startswith(FORMULA_START):
            raise ValidationError("单元格以公式符号开头（文件可能在电子表格中被改过）")
        if _CONTROL.search(value):
            raise ValidationError("含有换行、控制字符或文字方向符")
        value = plain(value)
        if required and not value:
            raise ValidationError("不能为空")
        if len(value) > max_len:
            raise ValidationError(f"超过 {max_len} 个字")
        return value

    def quick(cells: Cells) -> list:
        if not cells:
            return []
        joined = _joined(cells)
        lines = "\n" + joined
        if any(start in lines for start in _FORMULA_LINES) or _CONTROL_IN_JOINED.search(joined) \
                or max(map(len, cells)) > max_len or (required and not all(cells)):
            raise QuickFailed
        return list(map(plain, cells)) if "'" in joined else list(cells)

    return Column(quick, cell)


def read_column(column: Column, cells: Cells) -> tuple[list, list[tuple[int, str]]]:
    """The column's values and its problems as (index in the column, reason); a bad cell's
    value is None."""
    if not cells:
        return [], []
    try:
        return column.quick(cells), []
    except QuickFailed:
        pass
    values, problems = [], []
    for index, value in enumerate(cells):
        try:
            values.append(column.cell(value))
        except ValidationError as err:
            problems.append((index, str(err)))
            values.append(None)
    return values, problems
