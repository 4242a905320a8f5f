"""``jiujinan check``: every invariant of the cases and the fund, over one snapshot."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from jiujinan.db import audit, check
from jiujinan.services.context import AppContext


@dataclass(frozen=True)
class CheckReport:
    """What was checked and what broke."""

    societies: int
    cases: int
    entries: int
    results: tuple[tuple[str, tuple[str, ...]], ...]  # (check, violations)

    @property
    def violations(self) -> list[str]:
        return [v for _name, found in self.results for v in found]

    @property
    def ok(self) -> bool:
        return not self.violations


def run_checks(ctx: AppContext) -> CheckReport:
    """Run every check on one snapshot of the data: the seal check (the longest) on a
    connection of its own in a second thread, the others in one read transaction. The
    database works while the driver steps, without Python's lock, so both cores are used.
    Both snapshots must end the audit trail at the same entry (every audited write moves
    it); if a write came in between, the seal check runs again on the first snapshot."""
    name, seal_check = check.SEAL_CHECK
    with ThreadPoolExecutor(max_workers=1) as pool, ctx.read() as s:
        end = audit.head(s)
        beside = pool.submit(_seal_check_at, ctx, end)
        societies, cases, entries = check.totals(s)
        results = tuple((n, tuple(func(s))) for n, func in check.CHECKS)
        sealed = beside.result()
        if sealed is None:
            sealed = seal_check(s)
    return CheckReport(societies, cases, entries, (*results, (name, tuple(sealed))))


def _seal_check_at(ctx: AppContext, end: tuple[int, str]) -> list[str] | None:
    with ctx.read() as s:
        return check.SEAL_CHECK[1](s) if audit.head(s) == end else None
