"""``jiujinan check``: every invariant of the cases and the fund, over one snapshot."""

from __future__ import annotations

from dataclasses import dataclass

from jiujinan.db import check
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
    """Run every check in one read transaction, so they all see the same data."""
    with ctx.read() as s:
        societies, cases, entries = check.totals(s)
        results = tuple((name, tuple(func(s))) for name, func in check.CHECKS)
    return CheckReport(societies, cases, entries, results)
