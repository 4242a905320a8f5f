"""``jiujinan check``: every invariant of the cases and the fund, over one snapshot; the
schema is the app's own (no trigger, view or table from elsewhere); the search index holds
exactly the cases."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from jiujinan.db import audit, check, schema, seal_check, search
from jiujinan.services.attachment_check import ATTACHMENT_CHECK, attachment_problems
from jiujinan.services.context import AppContext

SCHEMA_CHECK = "表结构是本程序的（没有外来的触发器、视图、表、索引）"
# The seal check is split in one part per core (at least two, at most four), each on its
# own connection; the other checks run beside them on the first connection.
SEAL_PARTS = max(2, min(4, os.cpu_count() or 2))
INDEX_CHECK = "案件搜索索引与案件一致"
INDEX_NOT_CHECKED = "数据库在只读位置：搜索索引须在可写处才能核对，这一项未检查"
# FTS5's check reads the whole index: about 1.6 s per 100,000 cases on a busy office PC, too
# slow for ``check`` at a million (≤ 10 s in all). Above this many cases ``check`` says it
# was left out; a restore always checks it, on its own copy of the backup.
INDEX_CHECK_UP_TO = 200_000
INDEX_TOO_LARGE = (f"案件多于 {INDEX_CHECK_UP_TO // 10_000} 万件：搜索索引未逐条核对（每 10 万件约需 1–2 秒）；"
                   "从备份恢复时总会核对")


@dataclass(frozen=True)
class CheckReport:
    """What was checked and what broke."""

    societies: int
    cases: int
    entries: int
    results: tuple[tuple[str, tuple[str, ...]], ...]  # (check, violations)
    notes: tuple[str, ...] = ()  # what could not be checked here, and why

    @property
    def violations(self) -> list[str]:
        return [v for _name, found in self.results for v in found]

    @property
    def ok(self) -> bool:
        return not self.violations


def run_checks(ctx: AppContext, *, whole_index: bool = False, files: bool = True) -> CheckReport:
    """Run every check on one snapshot of the data: the seal check (the longest) split in
    parts, each on a connection of its own in a thread of its own, the others in one read
    transaction. The database works while the driver steps, without Python's lock, so every
    core is used. Each part's snapshot must end the audit trail at the same entry as the
    first (every audited write moves it); a part that saw another end runs again on the
    first snapshot. Then the search index's own check, which SQLite runs as a write command
    (so in a transaction of its own, and not on read-only media), however large the index
    when ``whole_index``. The attachment files are read unless not ``files`` (a backup
    checked in a scratch folder has no store beside it)."""
    name = check.SEAL_CHECK[0]
    with ThreadPoolExecutor(max_workers=SEAL_PARTS) as pool, ctx.read() as s:
        end = audit.head(s)
        plan = seal_check.plan(s, SEAL_PARTS)
        beside = [(parts, pool.submit(_scan_at, ctx, end, parts)) for parts in plan]
        societies, cases, entries = check.totals(s)
        results = tuple((n, tuple(_guarded(s, func))) for n, func in check.CHECKS)
        results += ((SCHEMA_CHECK, tuple(schema.problems(s.connection()))),)
        scans = []
        for parts, future in beside:
            found = future.result()
            scans += zip(parts, found) if found is not None else [(p, seal_check.scan(s, p)) for p in parts]
        sealed = seal_check.gathered(s, scans)
    results += ((name, tuple(sealed)),) + (((ATTACHMENT_CHECK, tuple(attachment_problems(ctx))),) if files else ())
    if ctx.engine.dialect.name != "sqlite":  # PostgreSQL's trigram index is kept by the server itself
        return CheckReport(societies, cases, entries, results)
    if ctx.read_only:
        return CheckReport(societies, cases, entries, results, (INDEX_NOT_CHECKED,))
    if cases > INDEX_CHECK_UP_TO and not whole_index:
        return CheckReport(societies, cases, entries, results, (INDEX_TOO_LARGE,))
    with ctx.write(guarded=False) as s:  # checking stays open whatever the schema holds
        results += ((INDEX_CHECK, tuple(search.index_problems(s))),)
    return CheckReport(societies, cases, entries, results)


def _guarded(session: Session, func: Callable[[Session], list[str]]) -> list[str]:
    """One check's findings; a check that a value put there from outside makes fail is a
    finding itself, and the other checks still run (each in a savepoint, so a failed
    statement on PostgreSQL does not end the snapshot)."""
    try:
        with session.begin_nested():
            return func(session)
    except (DBAPIError, ValueError, TypeError, KeyError, ArithmeticError) as exc:
        return [f"这一项未能查完：数据库里有程序不认识的值，多半是在程序之外被改动（{type(exc).__name__}：{str(exc)[:200]}）"]


def _scan_at(ctx: AppContext, end: tuple[int, str], parts: list[seal_check.Part]) -> list[seal_check.Scanned] | None:
    with ctx.read() as s:
        return [seal_check.scan(s, p) for p in parts] if audit.head(s) == end else None


def foreign_schema(ctx: AppContext) -> list[str]:
    """The schema objects that are not the app's, for the warning shown on opening the app."""
    with ctx.read() as s:
        return schema.problems(s.connection())
