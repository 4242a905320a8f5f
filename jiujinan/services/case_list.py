"""The case list's reads, one short session each (the Qt model calls these)."""

from __future__ import annotations

from jiujinan.cases.listing import CaseListQuery, CaseListRow
from jiujinan.db import case_list
from jiujinan.services.context import AppContext


def count(ctx: AppContext, query: CaseListQuery) -> int:
    with ctx.read() as s:
        return case_list.count_cases(s, query)


def page(
    ctx: AppContext, query: CaseListQuery, *, limit: int, offset: int = 0,
    from_end: bool = False, after: tuple[object, int] | None = None,
) -> list[CaseListRow]:
    with ctx.read() as s:
        return case_list.fetch_page(s, query, limit=limit, offset=offset, from_end=from_end,
                                    after=after)
