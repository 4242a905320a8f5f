"""The case list's queries: every way of reading a page gives the same rows as one full read."""

import dataclasses
import datetime as dt

import pytest

from jiujinan.cases.enums import Cause
from jiujinan.cases.listing import CaseListQuery, SortKey
from jiujinan.services import case_list, societies
from jiujinan.services.demo import run_demo


@pytest.fixture
def demo_ctx(ctx):  # noqa: ANN001, ANN201
    run_demo(ctx, n_societies=2, n_cases=1300, seed=7)
    return ctx


def first_society(ctx) -> int:  # noqa: ANN001
    return societies.list_societies(ctx)[0].id


def all_rows(ctx, query):  # noqa: ANN001, ANN201
    return case_list.page(ctx, query, "王会计", limit=10_000)


def test_offset_from_end_and_keyset_pages_agree(demo_ctx) -> None:
    """Every sort, both ways, on one demo database (built once: it is only read)."""
    for sort in SortKey:
        for descending in (True, False):
            _pages_agree(demo_ctx, sort, descending)


def _pages_agree(demo_ctx, sort: SortKey, descending: bool) -> None:  # noqa: ANN001
    query = CaseListQuery(society_id=first_society(demo_ctx), sort=sort, descending=descending)
    full = all_rows(demo_ctx, query)
    assert len(full) == case_list.count(demo_ctx, query, "王会计") == 650
    assert [r.id for r in full] == [r.id for r in sorted(full, key=lambda r: (r.sort_value(sort), r.id),
                                                         reverse=descending)]
    size = 100
    for start in range(0, len(full), size):
        want = [r.id for r in full[start:start + size]]
        by_offset = case_list.page(demo_ctx, query, "王会计", limit=size, offset=start)
        assert [r.id for r in by_offset] == want
        tail = len(full) - start - len(want)
        by_end = case_list.page(demo_ctx, query, "王会计", limit=len(want), offset=tail, from_end=True)
        assert [r.id for r in by_end] == want
        if start:
            prev = full[start - 1]
            after = case_list.page(demo_ctx, query, "王会计", limit=size, after=(prev.sort_value(sort), prev.id))
            assert [r.id for r in after] == want
        if start + size < len(full):
            nxt = full[start + len(want)]
            before = case_list.page(demo_ctx, query, "王会计", limit=len(want), from_end=True,
                                    after=(nxt.sort_value(sort), nxt.id))
            assert [r.id for r in before] == want


def test_filters(demo_ctx) -> None:
    base = CaseListQuery(society_id=first_society(demo_ctx))
    everything = all_rows(demo_ctx, base)

    def check(query, predicate) -> None:  # noqa: ANN001
        got = all_rows(demo_ctx, query)
        assert got == [r for r in everything if predicate(r)]
        assert case_list.count(demo_ctx, query, "王会计") == len(got)
        assert got, "the demo data should have matches for every filter tested"

    check(dataclasses.replace(base, cause=Cause.DISASTER), lambda r: r.cause is Cause.DISASTER)
    lo, hi = dt.date(2026, 1, 1), dt.date(2026, 3, 31)
    check(dataclasses.replace(base, date_from=lo, date_to=hi), lambda r: lo <= r.applied_on <= hi)
    sample = everything[17]
    check(dataclasses.replace(base, text=sample.applicant_name[0]),
          lambda r: r.applicant_name.startswith(sample.applicant_name[0]))
    check(dataclasses.replace(base, text=sample.id_number[:10]),
          lambda r: r.id_number.startswith(sample.id_number[:10]))
    check(dataclasses.replace(base, text=sample.case_no), lambda r: r.case_no == sample.case_no)
    short = sample.case_no.split("-", 1)[1]  # "2026-00017": the area code is implied
    check(dataclasses.replace(base, text=short), lambda r: r.case_no.endswith(short) or r.case_no.startswith(
        f"{sample.case_no[:12]}-{short}"))
    check(dataclasses.replace(base, text=sample.id_number.lower()[:17] + "x" if sample.id_number.endswith("X")
                              else sample.id_number), lambda r: r.id_number == sample.id_number)


def test_other_societies_cases_never_show(demo_ctx) -> None:
    first, second = (r.id for r in societies.list_societies(demo_ctx))
    ids_first = {r.id for r in all_rows(demo_ctx, CaseListQuery(society_id=first))}
    ids_second = {r.id for r in all_rows(demo_ctx, CaseListQuery(society_id=second))}
    assert ids_first and ids_second and not ids_first & ids_second


def test_demo_is_repeatable(tmp_path, clock) -> None:  # noqa: ANN001
    from jiujinan.services.context import open_context

    results = []
    for name in ("a.db", "b.db"):
        ctx = open_context(str(tmp_path / name), tmp_path, clock)
        run_demo(ctx, n_societies=2, n_cases=50, seed=3)
        rows = all_rows(ctx, CaseListQuery(society_id=first_society(ctx)))
        results.append([(r.case_no, r.applicant_name, r.id_number, r.requested_fen) for r in rows])
        ctx.close()
    assert results[0] == results[1]
