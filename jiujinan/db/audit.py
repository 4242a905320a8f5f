"""The audit trail: who changed what, when, with the record before and after, and the
seals of the rows it changed (cases/seals.py)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from jiujinan.cases import audit_chain
from jiujinan.cases.audit_chain import FORM_TEXT, GENESIS, ChainLink
from jiujinan.cases.records import ChangeRecord
from jiujinan.cases.seals import Seal, seal_list
from jiujinan.db import seals as seals_db
from jiujinan.db.models import AuditEntry, AuditHead


def _json(value: dict[str, object] | None) -> str:
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def record(
    session: Session,
    *,
    user: str,
    now: dt.datetime,
    entity: str,
    entity_id: int,
    action: str,
    society_id: int | None = None,
    before: dict[str, object] | None = None,
    after: dict[str, object] | None = None,
    seals: Sequence[tuple[str, int | str]] = (),
) -> None:
    """Append one audit entry in the caller's transaction (so it commits with the change),
    chained to the one before it, sealing the ``seals`` units (unit, key) it changed as they
    are now (call it after the operation's writes). The chain's end is locked until the
    transaction ends, so two writers append one after the other (SQLite's write lock does
    the same)."""
    sealed = seals_db.seals_for(session, seals)
    head = session.get(AuditHead, 1, with_for_update=True)
    if head is None:
        head = AuditHead(id=1, entries=0, last_hash=GENESIS)
        session.add(head)
    link = ChainLink(head.entries + 1, head.last_hash, now, user, society_id, entity, entity_id, action,
                     _json(before), _json(after), seal_list(sealed), FORM_TEXT)
    digest = link.digest()
    session.add(
        AuditEntry(
            at=now,
            user_name=user,
            society_id=society_id,
            entity=entity,
            entity_id=entity_id,
            action=action,
            before_json=link.before_json,
            after_json=link.after_json,
            seq=link.seq,
            prev_hash=link.prev_hash,
            entry_hash=digest,
            form=FORM_TEXT,
        )
    )
    seals_db.write_seals(session, _seal_rows(link.seq, sealed))
    head.entries, head.last_hash = link.seq, digest


def _seal_rows(seq: int, sealed: Sequence[Seal]) -> list[dict[str, object]]:
    return [{"seq": seq, "pos": pos, "unit": s.unit, "unit_key": s.key, "digest": s.digest, "detail": s.detail}
            for pos, s in enumerate(sealed)]


@dataclass(frozen=True)
class BulkEntry:
    """An audit entry written in bulk (the demo, the baseline after an upgrade)."""

    entity: str
    entity_id: int
    action: str
    society_id: int | None
    seals: Sequence[Seal]
    after: dict[str, object] | None = None


def record_many(session: Session, entries: Iterable[BulkEntry], *, user: str, now: dt.datetime) -> int:
    """Append many entries at once, chained as ``record`` chains them (same hash, same seals),
    with executemany instead of an ORM object each. Returns how many."""
    head_row = session.execute(text("SELECT entries, last_hash FROM audit_head WHERE id = 1")).first()
    seq, prev = (head_row[0], head_row[1]) if head_row else (0, GENESIS)
    moment = audit_chain.moment_text(now)
    logs, seal_rows = [], []
    for e in entries:
        seq += 1
        after = _json(e.after)
        listed = seal_list(e.seals)
        digest = hashlib.sha256(audit_chain.text_content(
            seq, prev, moment, user, e.society_id, e.entity, e.entity_id, e.action, "", after, listed,
        ).encode("utf-8")).hexdigest()
        logs.append({"at": now, "user_name": user, "society_id": e.society_id, "entity": e.entity,
                     "entity_id": e.entity_id, "action": e.action, "before_json": "", "after_json": after,
                     "seq": seq, "prev_hash": prev, "entry_hash": digest, "form": FORM_TEXT})
        seal_rows += _seal_rows(seq, e.seals)
        prev = digest
    if not logs:
        return 0
    session.execute(AuditEntry.__table__.insert(), logs)
    seals_db.write_seals(session, seal_rows)
    if head_row:
        session.execute(text("UPDATE audit_head SET entries = :n, last_hash = :h WHERE id = 1"), {"n": seq, "h": prev})
    else:
        session.execute(text("INSERT INTO audit_head (id, entries, last_hash) VALUES (1, :n, :h)"),
                        {"n": seq, "h": prev})
    return len(logs)


def head(session: Session) -> tuple[int, str]:
    """(entries, last hash) of the chain as the app last wrote it."""
    row = session.get(AuditHead, 1)
    return (row.entries, row.last_hash) if row else (0, GENESIS)


def _walk_sql(dialect: str) -> str:
    """Each entry's place, hashes and, for form 2, the text its hash covers (as
    audit_chain.text_content writes it); form-1 entries bring their fields instead."""
    if dialect == "sqlite":
        t = lambda col: col  # noqa: E731 - SQLite's || makes text of anything
        moment = "a.at"
        seals = ("coalesce((SELECT group_concat(tok, ' ') FROM (SELECT s.unit || ':' || s.unit_key || ':' || "
                 "coalesce(s.digest, '-') AS tok FROM audit_seal s WHERE s.seq = a.seq ORDER BY s.pos)), '')")
    else:
        t = lambda col: f"{col}::text"  # noqa: E731
        moment = "to_char(a.at, 'YYYY-MM-DD HH24:MI:SS.US')"
        seals = ("coalesce((SELECT string_agg(s.unit || ':' || s.unit_key::text || ':' || coalesce(s.digest, '-'), "
                 "' ' ORDER BY s.pos) FROM audit_seal s WHERE s.seq = a.seq), '')")
    sized = lambda col: f"{t(f'length({col})')} || ':' || {col}"  # noqa: E731
    content = " || '|' || ".join([
        "'v2'", t("a.seq"), "a.prev_hash", moment, sized("a.user_name"), f"coalesce({t('a.society_id')}, '')",
        sized("a.entity"), t("a.entity_id"), sized("a.action"), sized("a.before_json"), sized("a.after_json"), seals])
    old = ", ".join(f"CASE WHEN a.form = 2 THEN NULL ELSE a.{c} END" for c in (
        "at", "user_name", "society_id", "entity", "entity_id", "action", "before_json", "after_json"))
    return (f"SELECT a.seq, a.prev_hash, a.entry_hash, CASE WHEN a.form = 2 THEN {content} END, {old} "
            "FROM audit_log a ORDER BY a.seq")


def _moment(value: object) -> dt.datetime:
    at = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return at.replace(tzinfo=dt.timezone.utc)


def _hashed(rows: Iterable[Sequence]) -> Iterator[tuple[int, str, str, str]]:
    sha256 = hashlib.sha256
    for seq, prev, stored, content, *old in rows:
        if content is not None:
            yield seq, prev, stored, sha256(content.encode("utf-8")).hexdigest()
        else:
            at, *rest = old
            link = ChainLink(seq, prev, _moment(at), *rest[:5], rest[5] or "", rest[6] or "")
            yield seq, prev, stored, link.digest()


def describe_entry(session: Session, seq: int) -> str:
    """第 12 条（2026-11-20 10:00，王会计，台账 221 收入）, read back for a message."""
    row = session.execute(select(AuditEntry.seq, AuditEntry.prev_hash, AuditEntry.at, AuditEntry.user_name,
                                 AuditEntry.society_id, AuditEntry.entity, AuditEntry.entity_id, AuditEntry.action)
                          .where(AuditEntry.seq == seq).limit(1)).first()
    if row is None:
        return f"第 {seq} 条"
    return ChainLink(*row, "", "").describe()


def chain_problems(session: Session) -> list[str]:
    """Walk the whole audit chain (streamed in order, plain driver rows) and say what was
    changed outside the app, including seals that belong to no entry (one would pass an
    edited row off as audited: a seal of an existing entry is covered by its hash)."""
    entries, last_hash = head(session)
    rows = seals_db.raw_rows(session, _walk_sql(session.get_bind().dialect.name))
    problems = audit_chain.walk(_hashed(rows), entries, last_hash, lambda seq: describe_entry(session, seq))
    return problems + audit_chain.orphan_seal_problems(seals_db.orphan_seals(session))


def changes_of(session: Session, entity: str, entity_id: int) -> list[ChangeRecord]:
    """The audit trail of one record, oldest first, with the fields each change touched."""
    stmt = (
        select(AuditEntry)
        .where(AuditEntry.entity == entity, AuditEntry.entity_id == entity_id)
        .order_by(AuditEntry.id)
    )
    out = []
    for entry in session.scalars(stmt):
        fields = tuple(json.loads(entry.after_json)) if entry.action != "register" and entry.after_json else ()
        out.append(ChangeRecord(entry.at, entry.user_name, entry.action, fields))
    return out


def touched_since(session: Session, seq: int, limit: int) -> list[tuple[str, str, int, int | None]]:
    """(entity, action, entity id, society id) of the entries after ``seq``, at most ``limit``
    of them: what the changes since a screen last looked were about."""
    rows = session.execute(
        select(AuditEntry.entity, AuditEntry.action, AuditEntry.entity_id, AuditEntry.society_id)
        .where(AuditEntry.seq > seq).order_by(AuditEntry.seq).limit(limit))
    return [(r[0], r[1], r[2], r[3]) for r in rows]
