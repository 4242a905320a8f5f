"""Separation of duties (职责分离): which two things one person may not do to the same case.

Every path that records an approval or a payment (the CLI's ``case act`` and ``fund pay``,
the GUI's step and payment dialogs, the services behind them) asks these functions, so the
rule is written once. Who did what comes from the app's own records (the user who entered
the case, the user who recorded the 先行救助 step), never from the signer typed on a form."""

from __future__ import annotations

from jiujinan.cases.application import FIELD_LABELS, Application
from jiujinan.cases.enums import Level, StepKind
from jiujinan.cases.errors import DomainError
from jiujinan.cases.users import PermissionDenied

_EXEMPTION_HINT = "请由其他审核人记录，或由管理员在设置中允许录入人审批并写明原因"


def check_approval_duty(user: str, entered_by: str, kind: StepKind, level: Level | None,
                        entrant_may_approve: bool) -> None:
    """职责分离: whoever entered a case does not record its village approval, nor approve its
    先行救助 (emergency advance): the advance is money out before any review, so it needs a
    second person even more.

    The society's documented exemption (entrant_may_approve, with a reason on record, for an
    office of one) covers the advance too: without it such a village could never pay first in
    an emergency, which is what the fast path is for; the advance stays bounded by the
    society's 先行救助最高金额 and the full review follows within the deadline."""
    if user != entered_by or entrant_may_approve:
        return
    if kind is StepKind.EMERGENCY:
        raise PermissionDenied(f"{user} 录入了本案，不能再批准本案的先行救助（职责分离）：{_EXEMPTION_HINT}")
    if kind is StepKind.DECISION and level is Level.VILLAGE:
        raise PermissionDenied(f"{user} 录入了本案，不能再记录本案的村级审批（职责分离）：{_EXEMPTION_HINT}")


def check_advance_payment(user: str, approved_by: str | None, payers: int) -> None:
    """职责分离: whoever approved a 先行救助 does not also pay it out, as long as the society
    has another user who may record payments (``payers`` counts the active users allowed to
    pay for this society, the approver included). With one such user, there is nobody else."""
    if approved_by is not None and user == approved_by and payers > 1:
        raise PermissionDenied(f"{user} 批准了本案的先行救助，不能再发放这笔先行救助款（职责分离）："
                               "请由其他经办人发放")


# Who the money goes to and how: what the approver of a 先行救助 approved paying.
PAYEE_FIELDS = ("applicant_name", "id_number", "payment_method", "bank_name", "account_no", "account_holder",
                "agent_name", "agent_id_number", "agent_relation", "agent_has_poa")


def check_payee_kept(old: Application, new: Application, advance_approved: bool, paid_fen: int) -> None:
    """职责分离: once a second person approved a 先行救助, the payee (applicant, ID number,
    payment method, bank, account, holder, agent) stays as approved: otherwise the entrant
    redirects the advance to an account nobody approved and pays it himself. Other fields
    (the hardship, the address, members) may still be corrected."""
    if not advance_approved:
        return
    changed = [FIELD_LABELS[f] for f in PAYEE_FIELDS if getattr(old, f) != getattr(new, f)]
    if not changed:
        return
    hint = ("已发放的款项不能改收款人；如确属登记错误，请与审核人核实后按程序冲正" if paid_fen
            else "确需更改，请撤回本案后重新登记，由他人再批准先行救助")
    raise DomainError(f"先行救助已批准：收款人和账户不能再改（{'、'.join(changed)}）；{hint}")
