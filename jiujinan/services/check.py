"""``jiujinan check``: every invariant of the cases and the fund, over one snapshot; the
schema is the app's own (no trigger, view or table from elsewhere); the search index holds
exactly the cases."""

from __future__ import annotations

from dataclasses import dataclass

from jiujinan.db import check, schema, search
from jiujinan.services.context import AppContext

SCHEMA_CHECK = "表结构是本程序的（没有外来的触发器、视图、表、索引）"
INDEX_CHECK = "案件搜索索引与案件一致"
INDEX_NOT_CHECKED = "数据库在只读位置：搜索索引须在可写处才能核对，这一项未检查"


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


def run_checks(ctx: AppContext) -> CheckReport:
    """Run every check in one read transaction, so they all see the same data; then the
    search index's own check, which SQLite runs as a write command (so in a transaction of
    its own, and not on read-only media)."""
    with ctx.read() as s:
        societies, cases, entries = check.totals(s)
        results = tuple((name, tuple(func(s))) for name, func in check.CHECKS)
        results += ((SCHEMA_CHECK, tuple(schema.problems(s.connection()))),)
    if ctx.read_only:
        return CheckReport(societies, cases, entries, results, (INDEX_NOT_CHECKED,))
    with ctx.write() as s:
        results += ((INDEX_CHECK, tuple(search.index_problems(s))),)
    return CheckReport(societies, cases, entries, results)


def foreign_schema(ctx: AppContext) -> list[str]:
    """The schema objects that are not the app's, for the warning shown on opening the app."""
    with ctx.read() as s:
        return schema.problems(s.connection())
