"""When another clerk acted on a case first (the version check refused this one), the
dialog shows what they did and takes the newer case, so nothing is overwritten silently
and trying again is against what is there now."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QCoreApplication

from jiujinan.cases.dates import format_moment
from jiujinan.cases.errors import ConflictError
from jiujinan.services import review
from jiujinan.services.context import AppContext
from jiujinan.services.review import CaseView

T = TypeVar("T")


class NewerCase(ConflictError):
    """The version check refused an operation: the case as it is now, and what to tell the clerk."""

    def __init__(self, view: CaseView, said: str) -> None:
        super().__init__(said)
        self.view = view


def newer_view(ctx: AppContext, user: str, view: CaseView) -> tuple[CaseView, str]:
    """The case as it is now, and a sentence for the clerk about what changed."""
    now = review.case_view(ctx, view.case.id, user)
    done = [s for s in now.steps if s.id not in {old.id for old in view.steps}]
    if done:
        last = done[-1]
        what = QCoreApplication.translate("newer_case", "{0} 在 {1} 刚记录了“{2}”").format(
            last.recorded_by, format_moment(last.recorded_at), last.kind.label)
    else:
        what = QCoreApplication.translate("newer_case", "{0} 在 {1} 刚修改了本案").format(
            now.case.updated_by, format_moment(now.case.updated_at))
    return now, QCoreApplication.translate("newer_case", "{0}，案件现为“{1}”。本次未保存；请核对后再决定是否继续。").format(
        what, now.case.status.label)


def or_newer(ctx: AppContext, user: str, view: CaseView, work: Callable[[], T]) -> Callable[[], T]:
    """``work`` for the operations' worker: a refusal by the version check comes back as
    NewerCase, read there too (the GUI thread reads nothing)."""
    def run() -> T:
        try:
            return work()
        except ConflictError as err:
            raise NewerCase(*newer_view(ctx, user, view)) from err
    return run
