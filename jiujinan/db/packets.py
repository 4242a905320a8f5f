"""Packets in the database: what each case holds for a packet, which cases are due to an
office, and storing what a packet brought (a new case, the rest of a timeline, a conflict)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import and_, func, insert, select, update
from sqlalchemy.orm import Session

from jiujinan.cases.application import Application
from jiujinan.cases.exchange import DATE_STATE, STATE_FIELDS, STEP_FIELDS, step_token
from jiujinan.cases.society import SocietySettings
from jiujinan.db import cases as cases_db
from jiujinan.db.models import (
    AidCase, Attachment, CaseConflict, CaseLink, CaseStep, PacketIn, PacketOut, RemoteSociety, Society,
)
from jiujinan.db.societies import add_society


def step_fields(row: CaseStep) -> dict[str, object]:
    """A step as a packet carries it and as its token names it."""
    return {
        "kind": row.kind, "level": row.level, "acted_on": row.acted_on.isoformat(), "signer": row.signer,
        "opinion": row.opinion, "amount_fen": row.amount_fen, "details_json": row.details_json or "",
        "status_before": row.status_before, "status_after": row.status_after,
        "recorded_at": row.recorded_at.astimezone(dt.timezone.utc).isoformat(), "recorded_by": row.recorded_by,
    }


def steps(session: Session, case_id: int) -> list[dict[str, object]]:
    rows = session.scalars(select(CaseStep).where(CaseStep.case_id == case_id).order_by(CaseStep.id))
    return [step_fields(row) for row in rows]


def tokens(session: Session, case_id: int) -> list[str]:
    return [step_token(step) for step in steps(session, case_id)]


def state_of(row: AidCase) -> dict[str, object]:
    out = {}
    for name in STATE_FIELDS:
        value = getattr(row, name)
        out[name] = value.isoformat() if isinstance(value, dt.date) else value
    return out


def state_by_id(session: Session, case_id: int) -> dict[str, object]:
    return state_of(session.get(AidCase, case_id))


@dataclass(frozen=True)
class DueCase:
    case_id: int
    society_code: str
    length: int


def due_cases(session: Session, target: str, *, prefix: str, waiting_status: str | None, full: bool,
              held_only: bool = False) -> list[DueCase]:
    """The cases of societies under ``prefix`` whose timeline has grown beyond what ``target``
    was sent (``full``: beyond what it showed it holds). With ``waiting_status`` (going up),
    only cases waiting in it for the target, or sent to it before: a case the town decided on
    paper before packets is not sent up. ``held_only``: only cases the target was sent or
    showed it holds."""
    length = func.count(CaseStep.id)
    sent = func.coalesce(CaseLink.sent, 0)
    known = func.coalesce(CaseLink.known, 0)
    stmt = (select(AidCase.id, Society.area_code, length, sent, known, AidCase.status)
            .join(Society, Society.id == AidCase.society_id)
            .join(CaseStep, CaseStep.case_id == AidCase.id)
            .outerjoin(CaseLink, and_(CaseLink.case_id == AidCase.id, CaseLink.office_code == target))
            .where(Society.area_code.startswith(prefix, autoescape=True))
            .group_by(AidCase.id, Society.area_code, CaseLink.sent, CaseLink.known, AidCase.status)
            .order_by(AidCase.id))
    out = []
    for case_id, code, count, sent_n, known_n, status in session.execute(stmt):
        if not (sent_n or known_n) and (held_only or (waiting_status is not None and status != waiting_status)):
            continue
        has = known_n if full else max(sent_n, known_n)
        if count > has:
            out.append(DueCase(case_id, code, count))
    return out


def case_for_packet(session: Session, case_id: int, *, with_application: bool) -> dict[str, object]:
    row = session.get(AidCase, case_id)
    society = session.get(Society, row.society_id)
    out: dict[str, object] = {"case_no": row.case_no, "society_code": society.area_code,
                              "state": state_of(row), "steps": steps(session, case_id)}
    if with_application:
        out["created_at"] = row.created_at.astimezone(dt.timezone.utc).isoformat()
        out["created_by"] = row.created_by
        out["application"] = cases_db.load_case(session, case_id).application
        out["attachments"] = [
            {"name": a.original_name, "sha256": a.sha256, "size": a.size_bytes,
             "added_at": a.added_at.astimezone(dt.timezone.utc).isoformat(), "added_by": a.added_by}
            for a in session.scalars(select(Attachment).where(Attachment.case_id == case_id).order_by(Attachment.id))]
    return out


def society_of(session: Session, case_id: int) -> int:
    return session.get(AidCase, case_id).society_id


def society_id_by_code(session: Session, code: str) -> int | None:
    return session.scalar(select(Society.id).where(Society.area_code == code))


def add_remote_society(session: Session, settings: SocietySettings, owner: str, now: dt.datetime) -> int:
    record = add_society(session, settings, now)
    session.add(RemoteSociety(society_id=record.id, owner_code=owner, first_received_at=now))
    session.flush()
    return record.id


def case_id_by_no(session: Session, case_no: str) -> int | None:
    return session.scalar(select(AidCase.id).where(AidCase.case_no == case_no))


def insert_received_case(session: Session, society_id: int, case_no: str, year: int, seq: int, app: Application,
                         created_at: dt.datetime, created_by: str) -> int:
    """A case as its village registered it (its number, its registration), before its steps."""
    return cases_db.insert_case(session, society_id=society_id, case_no=case_no, year=year, seq=seq, app=app,
                                user=created_by, now=created_at)


def append_steps(session: Session, case_id: int, new_steps: list[dict[str, object]]) -> None:
    """Steps another office recorded, stored as they were recorded (so they keep their names)."""
    if not new_steps:
        return
    rows = []
    for step in new_steps:
        values = {name: step[name] for name in STEP_FIELDS}
        values["acted_on"] = dt.date.fromisoformat(values["acted_on"])
        values["recorded_at"] = dt.datetime.fromisoformat(values["recorded_at"])
        rows.append(dict(values, case_id=case_id))
    session.execute(insert(CaseStep), rows)


def set_state(session: Session, case_id: int, state: dict[str, object], now: dt.datetime, user: str) -> None:
    values = {name: (dt.date.fromisoformat(value) if name in DATE_STATE and value is not None else value)
              for name, value in state.items()}
    session.execute(update(AidCase).where(AidCase.id == case_id)
                    .values(version=AidCase.version + 1, updated_at=now, updated_by=user, **values))


def update_application(session: Session, case_id: int, app: Application, now: dt.datetime, user: str) -> bool:
    """The application as the village has it now (changed while it was returned for material);
    whether anything changed."""
    if cases_db.load_case(session, case_id).application == app:
        return False
    row = session.get(AidCase, case_id)
    cases_db.update_case(session, case_id, app, version=row.version, user=user, now=now)
    return True


def attachment_digests(session: Session, case_id: int) -> set[str]:
    return set(session.scalars(select(Attachment.sha256).where(Attachment.case_id == case_id)))


def add_attachment(session: Session, case_id: int, item: dict[str, object]) -> None:
    session.add(Attachment(case_id=case_id, original_name=item["name"], sha256=item["sha256"],
                           size_bytes=item["size"], added_at=dt.datetime.fromisoformat(item["added_at"]),
                           added_by=item["added_by"]))
    session.flush()


def link(session: Session, case_id: int, office: str, *, sent: int | None = None, known: int | None = None) -> None:
    """Raise what ``office`` was sent of the case, or showed it holds (never lowered)."""
    row = session.get(CaseLink, (case_id, office))
    if row is None:
        row = CaseLink(case_id=case_id, office_code=office, sent=0, known=0)
        session.add(row)
    if sent is not None:
        row.sent = max(row.sent or 0, sent)
    if known is not None:
        row.known = max(row.known or 0, known)
    session.flush()


def sent_up(session: Session, case_id: int, codes: list[str]) -> bool:
    """Whether the case went by packet to any of these offices."""
    if not codes:
        return False
    return bool(session.scalar(select(func.count()).select_from(CaseLink).where(
        CaseLink.case_id == case_id, CaseLink.office_code.in_(codes), CaseLink.sent > 0)))


def next_seq(session: Session, to_code: str) -> int:
    return (session.scalar(select(func.max(PacketOut.seq)).where(PacketOut.to_code == to_code)) or 0) + 1


def record_out(session: Session, to_code: str, seq: int, full: bool, cases: int, file_name: str,
               now: dt.datetime, user: str) -> None:
    session.add(PacketOut(to_code=to_code, seq=seq, full=full, cases=cases, file_name=file_name, made_at=now,
                          made_by=user))
    session.flush()


def applied_from(session: Session, from_code: str) -> list[int]:
    return sorted(set(session.scalars(select(PacketIn.seq).where(PacketIn.from_code == from_code))))


def was_applied(session: Session, from_code: str, seq: int, payload_sha256: str) -> bool:
    return session.scalar(select(PacketIn.id).where(PacketIn.from_code == from_code, PacketIn.seq == seq,
                                                    PacketIn.payload_sha256 == payload_sha256)) is not None


def record_in(session: Session, from_code: str, seq: int, payload_sha256: str, full: bool, summary: dict,
              now: dt.datetime, user: str) -> None:
    session.add(PacketIn(from_code=from_code, seq=seq, payload_sha256=payload_sha256, full=full,
                         summary=json.dumps(summary, ensure_ascii=False), received_at=now, received_by=user))
    session.flush()


def acknowledge(session: Session, to_code: str, seqs: list[int], now: dt.datetime) -> int:
    """The receiver applied these of our packets: noted once; returns how many were new."""
    if not seqs:
        return 0
    result = session.execute(update(PacketOut).where(PacketOut.to_code == to_code, PacketOut.seq.in_(seqs[:10000]),
                                                     PacketOut.acked_at.is_(None)).values(acked_at=now))
    return result.rowcount or 0


def unacknowledged(session: Session, to_code: str) -> list[int]:
    return list(session.scalars(select(PacketOut.seq).where(PacketOut.to_code == to_code, PacketOut.acked_at.is_(None))
                                .order_by(PacketOut.seq)))


def add_conflict(session: Session, case_id: int, from_code: str, seq: int, their_steps: list[dict[str, object]],
                 now: dt.datetime) -> None:
    session.add(CaseConflict(case_id=case_id, from_code=from_code, seq=seq,
                             steps_json=json.dumps(their_steps, ensure_ascii=False), found_at=now))
    session.flush()


def open_conflicts(session: Session, case_id: int | None = None) -> list[CaseConflict]:
    stmt = select(CaseConflict).where(CaseConflict.resolved_at.is_(None)).order_by(CaseConflict.id)
    if case_id is not None:
        stmt = stmt.where(CaseConflict.case_id == case_id)
    return list(session.scalars(stmt))


def is_remote_case(session: Session, case_id: int) -> bool:
    """Whether the case's society is owned by another office (its cases came by packet)."""
    return session.scalar(select(RemoteSociety.society_id).join(AidCase, AidCase.society_id == RemoteSociety.society_id)
                          .where(AidCase.id == case_id)) is not None


def owner_elsewhere(session: Session, society_id: int) -> bool:
    """Whether the society is owned by another office (its cases come here by packet)."""
    return session.get(RemoteSociety, society_id) is not None


def count_in_status(session: Session, prefixes: list[str], status: str) -> int:
    """How many cases of the societies under these area-code prefixes are in ``status``."""
    total = 0
    for prefix in prefixes:
        total += session.scalar(select(func.count()).select_from(AidCase).join(Society, Society.id == AidCase.society_id)
                                .where(AidCase.status == status, Society.area_code.startswith(prefix, autoescape=True)))
    return total
