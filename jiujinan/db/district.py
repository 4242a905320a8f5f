"""The district's records: imported village exports, grants, and the figures to reconcile."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, case, extract, func, insert, select, update
from sqlalchemy.orm import Session

from jiujinan.cases.enums import FundSource
from jiujinan.db.models import DistrictGrant, ImportBatch, ReportedCase, ReportedEntry, ReportedPayment, Society
from jiujinan.exports.manifest import Manifest
from jiujinan.exports.read_export import CASE_COLUMNS, LEDGER_COLUMNS, PAYMENT_COLUMNS, ParsedExport


@dataclass
class BatchIndex:
    """What the district already holds, read once per import instead of twice per export:
    the manifests imported, and the export in force per society and period."""

    shas: set[str]
    current: dict[tuple[str, dt.date | None, dt.date | None], tuple[int, str]]  # → (batch id, exported_at)


def batch_index(session: Session) -> BatchIndex:
    rows = session.execute(select(ImportBatch.id, ImportBatch.manifest_sha256, ImportBatch.society_code,
                                  ImportBatch.period_from, ImportBatch.period_to, ImportBatch.exported_at,
                                  ImportBatch.replaced_by)).all()
    return BatchIndex({r.manifest_sha256 for r in rows},
                      {(r.society_code, r.period_from, r.period_to): (r.id, r.exported_at)
                       for r in rows if r.replaced_by is None})


def store(session: Session, export: ParsedExport, *, user: str, now: dt.datetime) -> int:
    """Write one checked export; returns its batch id."""
    m = export.manifest
    period = export.period
    batch_id = session.execute(insert(ImportBatch).values(
        society_code=m.society_code, society_name=m.society_name, town=m.town, district=m.district,
        period_from=period[0] if period else None, period_to=period[1] if period else None,
        exported_at=exported_at(m), manifest_sha256=export.manifest_sha256, full_ids=m.full_ids,
        opening_fen=m.opening_fen, source=str(export.folder)[:400], imported_at=now, imported_by=user,
        audit_entries=export.audit_entries, audit_intact=export.audit_intact,
    ).returning(ImportBatch.id)).scalar_one()
    _insert_many(session, ReportedCase.__table__, batch_id, CASE_COLUMNS, export.cases)
    _insert_many(session, ReportedPayment.__table__, batch_id, PAYMENT_COLUMNS, export.payments)
    _insert_many(session, ReportedEntry.__table__, batch_id, LEDGER_COLUMNS, export.ledger)
    return batch_id


def _insert_many(session: Session, table, batch_id: int, columns: tuple[str, ...],  # noqa: ANN001
                 rows: list[tuple]) -> None:
    """Insert the rows of one batch as they are, through the driver's executemany: an import
    writes up to a million rows, and per-row parameter handling would double its time. The
    batch id (an integer of ours) is written into the statement instead of into every row."""
    if not rows:
        return
    conn = session.connection()
    style = conn.dialect.paramstyle
    if style not in ("qmark", "format", "pyformat"):
        conn.execute(table.insert(), [{"batch_id": batch_id, **dict(zip(columns, row))} for row in rows])
        return
    mark = "?" if style == "qmark" else "%s"
    sql = (f"INSERT INTO {table.name} (batch_id, {', '.join(columns)}) "
           f"VALUES ({int(batch_id)}, {', '.join([mark] * len(columns))})")
    conn.exec_driver_sql(sql, rows)


def exported_at(manifest: Manifest) -> str:
    """When the export was made, as stored: UTC ISO 8601, so later sorts after earlier as text."""
    return manifest.exported_at.isoformat(timespec="seconds")


def mark_replaced(session: Session, old_id: int, new_id: int) -> None:
    session.execute(update(ImportBatch).where(ImportBatch.id == old_id).values(replaced_by=new_id))


def add_grant(session: Session, code: str, on: dt.date, fen: int, memo: str, user: str, now: dt.datetime) -> int:
    row = DistrictGrant(society_code=code, granted_on=on, amount_fen=fen, memo=memo, created_at=now, created_by=user)
    session.add(row)
    session.flush()
    return row.id


def known_society(session: Session, code: str) -> str | None:
    """The name under which the district knows the society with area code ``code`` (its own
    society row, or an export imported from it), or None when it does not know it."""
    name = session.scalar(select(Society.name).where(Society.area_code == code).limit(1))
    if name is None:
        name = session.scalar(select(ImportBatch.society_name).where(ImportBatch.society_code == code)
                              .order_by(ImportBatch.id.desc()).limit(1))
    return name


def audit_history(session: Session) -> dict[str, list[tuple[int | None, bool | None]]]:
    """Per society, (audit entries, chain intact) of every export received, oldest first."""
    out: dict[str, list[tuple[int | None, bool | None]]] = {}
    stmt = select(ImportBatch.society_code, ImportBatch.audit_entries, ImportBatch.audit_intact) \
        .order_by(ImportBatch.society_code, ImportBatch.exported_at, ImportBatch.id)
    for code, entries, intact in session.execute(stmt):
        out.setdefault(code, []).append((entries, intact))
    return out


def current_batches(session: Session) -> list[ImportBatch]:
    return list(session.scalars(select(ImportBatch).where(ImportBatch.replaced_by.is_(None))
                                .order_by(ImportBatch.society_code, ImportBatch.period_from)))


def society_figures(session: Session, batch_ids: list[int]) -> dict[str, int]:
    """Reported figures over some batches: district-budget money in, payments, last balance."""
    if not batch_ids:
        return {"district_budget_fen": 0, "payments": 0, "paid_fen": 0, "balance_fen": 0}
    district = session.scalar(select(func.coalesce(func.sum(ReportedEntry.amount_fen), 0)).where(
        ReportedEntry.batch_id.in_(batch_ids), ReportedEntry.source == FundSource.DISTRICT_BUDGET.value)) or 0
    count = session.scalar(select(func.count()).select_from(ReportedPayment).where(
        ReportedPayment.batch_id.in_(batch_ids), ReportedPayment.reversal_of.is_(None))) or 0
    paid = session.scalar(select(func.coalesce(func.sum(ReportedPayment.amount_fen), 0)).where(
        ReportedPayment.batch_id.in_(batch_ids))) or 0
    last = session.execute(select(ReportedEntry.balance_fen).where(ReportedEntry.batch_id.in_(batch_ids))
                           .order_by(ReportedEntry.posted_on.desc(), ReportedEntry.entry_no.desc()).limit(1)).scalar()
    return {"district_budget_fen": int(district), "payments": int(count), "paid_fen": int(paid),
            "balance_fen": int(last or 0)}


def grants(session: Session) -> dict[str, int]:
    return {code: int(total) for code, total in session.execute(
        select(DistrictGrant.society_code, func.sum(DistrictGrant.amount_fen)).group_by(DistrictGrant.society_code))}


def people_in_two_societies(session: Session, batch_ids: list[int]) -> list[tuple]:
    """(person key, year, society code, case no) of paid cases whose person was paid in two
    or more societies in the same year. The key is the full ID where the district has it,
    else name and masked ID. Grouped in the database: a district holds a million rows."""
    key = case((ReportedCase.id_number.contains("*"), ReportedCase.applicant_name + " " + ReportedCase.id_number),
               else_=ReportedCase.id_number)
    year = extract("year", ReportedCase.applied_on)
    paid = select(key.label("k"), year.label("y"), ImportBatch.society_code.label("code"),
                  ReportedCase.case_no.label("case_no")) \
        .join(ImportBatch, ImportBatch.id == ReportedCase.batch_id) \
        .where(ReportedCase.batch_id.in_(batch_ids), ReportedCase.paid_fen > 0).subquery()
    twice = select(paid.c.k, paid.c.y).group_by(paid.c.k, paid.c.y) \
        .having(func.count(func.distinct(paid.c.code)) > 1).subquery()
    stmt = select(paid.c.k, paid.c.y, paid.c.code, paid.c.case_no) \
        .join(twice, and_(twice.c.k == paid.c.k, twice.c.y == paid.c.y)).order_by(paid.c.k, paid.c.y, paid.c.code)
    return [tuple(r) for r in session.execute(stmt)]
