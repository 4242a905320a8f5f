"""When another clerk acted on a case first (the version check refused this one), the
dialog shows what they did and takes the newer case, so nothing is overwritten silently
and trying again is against what is there now."""

from __future__ import annotations

from jiujinan.cases.dates import format_moment
from jiujinan.services import review
from jiujinan.services.review import CaseView
from jiujinan.ui.session import UiSession


def newer_view(ui: UiSession, view: CaseView) -> tuple[CaseView, str]:
    """The case as it is now, and a sentence for the clerk about what changed."""
    now = review.case_view(ui.ctx, view.case.id, ui.user)
    done = [s for s in now.steps if s.id not in {old.id for old in view.steps}]
    if done:
        last = done[-1]
        what = f"{last.recorded_by} 在 {format_moment(last.recorded_at)} 刚记录了“{last.kind.label}”"
    else:
        what = f"{now.case.updated_by} 在 {format_moment(now.case.updated_at)} 刚修改了本案"
    return now, f"{what}，案件现为“{now.case.status.label}”。本次未保存；请核对后再决定是否继续。"
