"""What waits for the clerk: the groups of the 待办 view, in the order they matter."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum

from jiujinan.cases.enums import CaseStatus


class TodoGroup(str, Enum):
    """A kind of waiting work; the label is what the clerk reads."""

    EMERGENCY = "emergency"
    NOTICE_ENDED = "notice_ended"
    RETURNED = "returned"
    VISIT = "visit"
    DELIBERATION = "deliberation"
    NOTICE = "notice"
    TOWN = "town"
    DISTRICT = "district"
    PAYMENT = "payment"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    TodoGroup.EMERGENCY: "先行救助：补办手续临近或超过期限",
    TodoGroup.NOTICE_ENDED: "公示期满，待村级审核意见",
    TodoGroup.RETURNED: "退回补充材料，待补齐",
    TodoGroup.VISIT: "待入户调查",
    TodoGroup.DELIBERATION: "待民主评议",
    TodoGroup.NOTICE: "待张贴公示",
    TodoGroup.TOWN: "待乡镇（街道）审核",
    TodoGroup.DISTRICT: "待区审批",
    TodoGroup.PAYMENT: "审批通过，待发放",
}

# Groups that are simply "cases in this status".
STATUS_GROUPS = {
    TodoGroup.RETURNED: CaseStatus.RETURNED,
    TodoGroup.VISIT: CaseStatus.ACCEPTED,
    TodoGroup.DELIBERATION: CaseStatus.INVESTIGATED,
    TodoGroup.NOTICE: CaseStatus.DELIBERATED,
    TodoGroup.TOWN: CaseStatus.VILLAGE_APPROVED,
    TodoGroup.DISTRICT: CaseStatus.TOWN_APPROVED,
    TodoGroup.PAYMENT: CaseStatus.AWAITING_PAYMENT,
}
EMERGENCY_WARN_DAYS = 3  # an emergency case shows up this many working days before its deadline


@dataclass(frozen=True)
class TodoRow:
    """One waiting case."""

    case_id: int
    case_no: str
    applicant_name: str
    status: CaseStatus
    requested_fen: int
    applied_on: dt.date
    due: dt.date | None  # notice end or emergency deadline


@dataclass(frozen=True)
class TodoList:
    """One group: how many cases wait, and the first of them."""

    group: TodoGroup
    count: int
    rows: tuple[TodoRow, ...]
