"""Worker processes for the concurrency test: each opens the database itself."""

import datetime as dt
from pathlib import Path

from jiujinan.cases.clock import FixedClock
from jiujinan.cases.enums import PaymentMethod
from jiujinan.cases.errors import DomainError
from jiujinan.cases.fund import PaymentInput
from jiujinan.services import fund, intake, review
from jiujinan.services.context import open_context

CLOCK = FixedClock(dt.datetime(2026, 12, 21, 2, tzinfo=dt.timezone.utc))


def run(db: str, task: str, arg: int, society_id: int, barrier) -> str:  # noqa: ANN001
    ctx = open_context(db, Path(db).parent, CLOCK)
    try:
        barrier.wait()
        if task == "pay":
            view = review.case_view(ctx, arg, "甲")
            fund.pay(ctx, arg, PaymentInput(dt.date(2026, 11, 20), PaymentMethod.BANK, 180_000, ""), "甲",
                     version=view.version)
        else:
            fund.reverse(ctx, society_id, arg, "来款退回", dt.date(2026, 11, 20), "乙")
        return "ok"
    except DomainError as err:
        return f"refused: {err}"
    finally:
        ctx.close()


def edit(db: str, case_id: int, version: int, requested: str, user: str, barrier) -> str:  # noqa: ANN001
    """Both processes read the same version of a case, then save their edit."""
    from tests.conftest import application

    ctx = open_context(db, Path(db).parent, CLOCK)
    try:
        barrier.wait()
        intake.update_application(ctx, case_id, application(requested_yuan=requested), user, version=version)
        return "ok"
    except DomainError as err:
        return f"refused: {err}"
    finally:
        ctx.close()
