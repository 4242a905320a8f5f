"""The case list's reads, one short session each (the Qt model calls these), each only for a
user who works on the society listed."""

from __future__ import annotations

import dataclasses

from jiujinan.cases.disclosure import Kind, Output, disclose
from jiujinan.cases.listing import CaseListQuery, CaseListRow
from jiujinan.db import case_list
from jiujinan.services.access import check_sees
from jiujinan.services.context import AppContext


def count(ctx: AppContext, query: CaseListQuery, user: str) -> int:
    with ctx.read() as s:
        check_sees(s, user, query.society_id)
        return case_list.count_cases(s, query)


def page(
    ctx: AppContext, query: CaseListQuery, user: str, *, limit: int, offset: int = 0,
    from_end: bool = False, after: tuple[object, int] | None = None,
) -> list[CaseListRow]:
    """One page of rows. Their ID numbers are whole (the keyset of a list sorted by ID
    number); every list shows them masked (cases/disclosure.py, Output.LIST)."""
    with ctx.read() as s:
        check_sees(s, user, query.society_id)
        return case_list.fetch_page(s, query, limit=limit, offset=offset, from_end=from_end,
                                    after=after)


def listed(ctx: AppContext, query: CaseListQuery, user: str, *, limit: int) -> list[CaseListRow]:
    """The first ``limit`` rows as a list shows them, for a reader that needs no keyset (the
    command line): ID numbers masked, whoever reads (cases/disclosure.py, Output.LIST)."""
    return [dataclasses.replace(row, id_number=disclose(row.id_number, Output.LIST, Kind.ID_NUMBER, frozenset()))
            for row in page(ctx, query, user, limit=limit)]
