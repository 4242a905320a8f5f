"""The rows a village's export holds, read in one snapshot (see AppContext.snapshot), with
every cell already written out as text by the database.

An export writes a million rows; formatting them in Python (amounts, labels, masks,
neutralising quotes) took twice as long as reading them. So the cells are computed here in
portable SQL that follows ``exports.csv_format`` exactly (tests/exports compare the two on
random values), and Python only hands the rows to the csv writer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from enum import Enum
from functools import lru_cache

from sqlalchemy import BigInteger, Date, Integer, String, and_, bindparam, case, cast, func, literal, or_, select, type_coerce
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from jiujinan.cases.enums import CaseStatus, Cause, FundSource, HouseholdType, LedgerKind, Level, PaymentMethod
from jiujinan.db.models import AidCase, LedgerEntry
from jiujinan.exports.csv_format import FORMULA_START

CHUNK = 5000  # rows handed over at a time: memory stays flat however large the society


def _text(value: ColumnElement) -> ColumnElement:
    return cast(value, String)


def _substr(*args) -> ColumnElement:  # noqa: ANN002
    """substr() typed as text, so that + between pieces is concatenation (||)."""
    return func.substr(*args, type_=String)


class _Yuan(FunctionElement):
    """csv_format.yuan of an integer fen expression: 1500.00, -0.05, "" for none."""

    type = String()
    name = "yuan_text"
    inherit_cache = True


def portable_yuan_cell(fen: ColumnElement) -> ColumnElement:
    """yuan_cell in plain SQL every database runs: sign, whole yuan, two digits of fen."""
    # As a 64-bit integer: "/" below must divide integers (PostgreSQL's sum() is numeric).
    fen = cast(fen, BigInteger)
    magnitude = func.abs(fen, type_=BigInteger)
    return case(
        (fen.is_(None), ""),
        else_=case((fen < 0, "-"), else_="") + _text(magnitude.op("/")(100)) + "."
        + _substr(_text(100 + magnitude % 100), 2),
    )


@compiles(_Yuan)
def _yuan_portable(element: _Yuan, compiler, **kw) -> str:  # noqa: ANN001, ANN003
    (fen,) = element.clauses.clauses
    return compiler.process(portable_yuan_cell(fen), **kw)


@compiles(_Yuan, "sqlite")
def _yuan_sqlite(element: _Yuan, compiler, **kw) -> str:  # noqa: ANN001, ANN003
    """The same with SQLite's printf: a third of the cost, a second off a million cases."""
    (fen,) = element.clauses.clauses

    def x() -> str:  # compiled anew at each use, so that its parameters are bound in order
        return compiler.process(fen, **kw)

    return (f"CASE WHEN ({x()}) IS NULL THEN '' WHEN ({x()}) < 0 "
            f"THEN printf('-%d.%02d', -({x()}) / 100, -({x()}) % 100) "
            f"ELSE printf('%d.%02d', ({x()}) / 100, ({x()}) % 100) END")


def yuan_cell(fen: ColumnElement) -> ColumnElement:
    """csv_format.yuan in SQL: 1500.00, -0.05, "" for none."""
    return _Yuan(fen)


def text_cell(value: ColumnElement) -> ColumnElement:
    """csv_format.neutralise in SQL: a quote mark before a leading = + - @ tab or CR."""
    return case((_substr(value, 1, 1).in_([literal(c) for c in FORMULA_START]), "'" + value),
                else_=func.coalesce(value, ""))


def masked_id_cell(number: ColumnElement) -> ColumnElement:
    """masking.mask_id in SQL: first 6 and last 4 characters kept, the rest starred."""
    stars = "*" * 40
    length = func.length(number)
    return case(
        (length <= 10, _substr(stars, 1, length)),
        else_=_substr(number, 1, 6) + _substr(stars, 1, length - 10) + _substr(number, length - 3),
    )


def label_cell(value: ColumnElement, enum_type: type[Enum]) -> ColumnElement:
    """A stored enum value as its Chinese label ("" for none)."""
    return case({m.value: m.label for m in enum_type}, value=value, else_="")


def date_cell(value: ColumnElement) -> ColumnElement:
    """A date as the driver gives it: ISO text from SQLite, a date (str() is ISO) elsewhere."""
    return type_coerce(value, String)


def _driver_chunks(session: Session, stmt, params: dict) -> Iterator[Sequence]:  # noqa: ANN001
    """The rows as the driver returns them, plain tuples, in chunks: every cell is finished
    text already, and SQLAlchemy's per-row handling cost as much as the query (1.5 s a million)."""
    result = session.connection().execute(stmt, params)
    try:
        while rows := result.cursor.fetchmany(CHUNK):
            yield rows
    finally:
        result.close()


# The statements are built once and run with parameters: building one (a hundred label and
# format constants) took longer than running it for a small society.
_SOCIETY, _START, _END = bindparam("society_id", type_=Integer), bindparam("start", type_=Date), \
    bindparam("end", type_=Date)


def _period(column, bounded: tuple[bool, bool]):  # noqa: ANN001, ANN202
    has_start, has_end = bounded
    return and_(True, *([column >= _START] if has_start else []), *([column < _END] if has_end else []))


@lru_cache
def _case_statement(bounded: tuple[bool, bool], full_ids: bool):  # noqa: ANN202
    moved = select(LedgerEntry.case_id).where(LedgerEntry.society_id == _SOCIETY, LedgerEntry.case_id.is_not(None),
                                              _period(LedgerEntry.posted_on, bounded))
    chosen = or_(_period(AidCase.applied_on, bounded), AidCase.id.in_(moved)) if any(bounded) else True
    return select(
        AidCase.case_no, text_cell(AidCase.applicant_name),
        AidCase.id_number if full_ids else masked_id_cell(AidCase.id_number),
        label_cell(AidCase.household_type, HouseholdType), label_cell(AidCase.cause, Cause),
        yuan_cell(AidCase.requested_fen), yuan_cell(AidCase.approved_fen), yuan_cell(AidCase.paid_fen),
        label_cell(AidCase.status, CaseStatus), date_cell(AidCase.applied_on), date_cell(AidCase.decided_on),
        label_cell(AidCase.decided_level, Level), case((AidCase.emergency, "是"), else_="否"),
    ).where(AidCase.society_id == _SOCIETY, chosen).order_by(AidCase.case_year, AidCase.case_seq)


def case_rows(session: Session, society_id: int, start: dt.date | None, end: dt.date | None, *,
              full_ids: bool) -> Iterator[Sequence]:
    """The cases applied for in the period, or with money moved for them in it, in chunks:
    the cells of cases.csv without the four of the society (CASE_SOCIETY_AT says where they go;
    the same four strings made anew by the database for every row cost more than adding them)."""
    stmt = _case_statement((start is not None, end is not None), full_ids)
    return _driver_chunks(session, stmt, {"society_id": society_id, "start": start, "end": end})


CASE_SOCIETY_AT = 1


# Positions in a ledger row (ledger_rows) of the cells of ledger.csv and of payments.csv.
LEDGER_CELLS = tuple(range(10))
PAYMENT_CELLS = (0, 10, 1, 2, 11, 12, 13, 7, 9)
PAYMENT_CASE = 10


@lru_cache
def _ledger_statement(bounded: tuple[bool, bool]):  # noqa: ANN202
    # ROWS, not the default RANGE: (posted_on, id) has no ties, and SQLite runs a ROWS frame
    # a third faster.
    running = bindparam("opening", type_=Integer) + cast(func.sum(LedgerEntry.amount_fen).over(
        order_by=(LedgerEntry.posted_on, LedgerEntry.id), rows=(None, 0)), BigInteger)
    return select(
        LedgerEntry.id, bindparam("code", type_=String), date_cell(LedgerEntry.posted_on),
        label_cell(LedgerEntry.kind, LedgerKind), label_cell(LedgerEntry.source, FundSource),
        yuan_cell(LedgerEntry.amount_fen), yuan_cell(running), text_cell(LedgerEntry.voucher_no),
        text_cell(LedgerEntry.memo), LedgerEntry.reversal_of,
        AidCase.case_no, yuan_cell(-LedgerEntry.amount_fen), label_cell(LedgerEntry.method, PaymentMethod),
        text_cell(LedgerEntry.payer),
    ).outerjoin(AidCase, AidCase.id == LedgerEntry.case_id) \
        .where(LedgerEntry.society_id == _SOCIETY, _period(LedgerEntry.posted_on, bounded)) \
        .order_by(LedgerEntry.posted_on, LedgerEntry.id)


def ledger_rows(session: Session, society_id: int, start: dt.date | None, end: dt.date | None, *,
                code: str, opening_fen: int) -> Iterator[Sequence]:
    """The entries of the period in ledger order, in chunks: the cells of ledger.csv
    (LEDGER_CELLS, with the running balance from ``opening_fen``), then for an entry against a
    case its case number, amount paid, method and payee (PAYMENT_CELLS; case number None
    for other entries)."""
    stmt = _ledger_statement((start is not None, end is not None))
    return _driver_chunks(session, stmt, {"society_id": society_id, "start": start, "end": end, "code": code,
                                          "opening": opening_fen})


def opening_balance(session: Session, society_id: int, start: dt.date | None) -> int:
    from jiujinan.db.fund import balance

    return balance(session, society_id, before=start) if start is not None else 0
