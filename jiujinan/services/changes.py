"""Whether anyone changed anything: every change appends one audit entry, so the length of
the audit chain is a change counter for the whole database (one indexed read)."""

from __future__ import annotations

from jiujinan.db import audit
from jiujinan.services.context import AppContext


def change_count(ctx: AppContext) -> int:
    with ctx.read() as s:
        return audit.head(s)[0]
