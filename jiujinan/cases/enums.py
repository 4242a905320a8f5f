"""The closed vocabularies of a case, each value with the Chinese label a clerk reads."""

from __future__ import annotations

from enum import Enum


class LabelledEnum(str, Enum):
    """A string enum whose members carry a Chinese label; the value is what is stored."""

    def __new__(cls, value: str, label: str) -> "LabelledEnum":
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label  # type: ignore[attr-defined]
        return member


class Sex(LabelledEnum):
    MALE = ("M", "男")
    FEMALE = ("F", "女")


class Cause(LabelledEnum):
    """Why the household's basic living collapsed (DOMAIN: 因病/因灾/因意外/其他)."""

    ILLNESS = ("illness", "因病")
    DISASTER = ("disaster", "因灾")
    ACCIDENT = ("accident", "因意外")
    OTHER = ("other", "其他")


class HouseholdType(LabelledEnum):
    DIBAO = ("dibao", "低保")
    TEKUN = ("tekun", "特困")
    MONITORED = ("monitored", "防返贫监测户")
    DISABLED = ("disabled", "残疾")
    ORDINARY = ("ordinary", "一般")


class PaymentMethod(LabelledEnum):
    BANK = ("bank", "银行转账")
    ONE_CARD = ("one_card", "一卡通")
    CASH = ("cash", "现金")


class CaseStatus(LabelledEnum):
    """Where a case stands on the way from application to closing (三级联动)."""

    ACCEPTED = ("accepted", "已受理")  # waiting for the home visit
    INVESTIGATED = ("investigated", "已入户调查")
    DELIBERATED = ("deliberated", "已民主评议")
    NOTICE = ("notice", "公示中")
    VILLAGE_APPROVED = ("village_approved", "村审核通过")  # waiting for the town
    TOWN_APPROVED = ("town_approved", "乡镇审核通过")  # waiting for the district
    AWAITING_PAYMENT = ("awaiting_payment", "待发放")
    PAID = ("paid", "已发放")
    CLOSED = ("closed", "结案")
    RETURNED = ("returned", "退回补充材料")
    REJECTED = ("rejected", "不予救助")
    WITHDRAWN = ("withdrawn", "已撤回")  # 撤回/作废: the applicant withdrew, or it was entered in error


# Cases in these states are over without aid: they hold no money back, wait for nobody, and
# do not count as pending or aided for 一事一救.
INACTIVE_STATUSES = frozenset({CaseStatus.REJECTED, CaseStatus.WITHDRAWN})
# Cases whose review is complete: approved (at its last level), paid, or closed. What such a case
# may be paid is its approved amount; before it, only the 先行救助 amount (cases/fund).
REVIEW_DONE = frozenset({CaseStatus.AWAITING_PAYMENT, CaseStatus.PAID, CaseStatus.CLOSED})


class Residence(LabelledEnum):
    """Who may apply: registered residents, or people who live with one (DOMAIN)."""

    REGISTERED = ("registered", "本村户籍")
    LIVES_WITH = ("lives_with", "与本村户籍人员共同生活")


class FundSource(LabelledEnum):
    """Where money coming into the fund is from (DOMAIN: 区财政 + 慈善协会配套 + 村集体自筹…)."""

    DISTRICT_BUDGET = ("district_budget", "区财政")
    CHARITY_MATCH = ("charity_match", "慈善协会配套")
    VILLAGE_COLLECTIVE = ("village_collective", "村集体自筹")
    DONATION = ("donation", "社会捐赠")
    INTEREST = ("interest", "利息")
    OTHER = ("other", "其他")


class LedgerKind(LabelledEnum):
    """What a ledger entry records; corrections are reversals, never edits."""

    CONTRIBUTION = ("contribution", "收入")
    PAYMENT = ("payment", "支出")
    REVERSAL = ("reversal", "冲正")


class Level(LabelledEnum):
    """The three levels of review (三级联动)."""

    VILLAGE = ("village", "村")
    TOWN = ("town", "乡镇（街道）")
    DISTRICT = ("district", "区")


class StepKind(LabelledEnum):
    """What one step of a case's timeline records."""

    ACCEPT = ("accept", "受理")
    VISIT = ("visit", "入户调查")
    DELIBERATION = ("deliberation", "民主评议")
    NOTICE = ("notice", "公示")
    OBJECTION = ("objection", "公示异议")
    OBJECTION_RESOLVED = ("objection_resolved", "异议处理")
    DECISION = ("decision", "审核意见")
    REJECT = ("reject", "不予救助")
    RETURN = ("return", "退回补充材料")
    RESUME = ("resume", "材料补齐")
    EMERGENCY = ("emergency", "先行救助")
    PAYMENT = ("payment", "发放")
    PAYMENT_REVERSED = ("payment_reversed", "发放冲正")
    CLOSE = ("close", "结案")
    WITHDRAW = ("withdraw", "撤回")
