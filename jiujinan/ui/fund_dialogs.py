"""Dialogs that move money: money in, a payment to a case, a reversal. Each checks its
fields beside them and shows the fund's refusal in its banner; nothing is half-written."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QFormLayout, QLabel, QLineEdit,
    QVBoxLayout, QWidget,
)

from jiujinan.cases.enums import FundSource, PaymentMethod
from jiujinan.cases.errors import ValidationError
from jiujinan.cases.fund import ContributionInput, LedgerLine, PaymentInput
from jiujinan.cases.money import format_fen, format_yuan_label, parse_yuan
from jiujinan.services import fund
from jiujinan.services.review import CaseView
from jiujinan.ui.date_edit import DateEdit
from jiujinan.ui.dialog_keys import AsksBeforeDiscarding, field_values, save_keys
from jiujinan.ui.field_errors import FieldBox, error_banner, errors_of, message_of, ok_cancel, show_refusal
from jiujinan.ui.newer_case import NewerCase, or_newer
from jiujinan.ui.session import UiSession


def _date_edit(ui: UiSession, field: str, label: str) -> DateEdit:
    """Today's date, in one field named as the fund's errors name it."""
    return DateEdit(ui.ctx.clock.today, ui.ctx.clock.today(), field=field, label=label)


class _MoneyDialog(AsksBeforeDiscarding, QDialog):
    """The frame the three dialogs share: a form, an explanation line, a banner, OK/Cancel;
    Ctrl+Enter saves, Esc asks before throwing typed changes away."""

    def __init__(self, ui: UiSession, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.ui = ui
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.boxes: dict[str, FieldBox] = {}
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.banner = error_banner()
        buttons, self.ok_button = ok_cancel(self, self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addLayout(self.form)
        layout.addWidget(self.banner)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)
        save_keys(self, self.save)

    def current_values(self) -> object:
        return field_values(box.field for box in self.boxes.values())

    def row(self, name: str, label: str, widget: QWidget) -> QWidget:
        self.boxes[name] = FieldBox(widget)
        # The amount is checked as typed; the other fields by the fund's rules at save, so
        # editing one of those takes its line away until the next save.
        self.boxes[name].check = (lambda: message_of(errors_of(lambda: parse_yuan(widget.text(), field=name)), name)
                                  ) if name == "amount" else (lambda: None)
        self.form.addRow(label, self.boxes[name])
        return widget

    def run(self, build: Callable[[], Callable[[], object]]) -> None:
        """``build`` reads the fields here (a refusal of what was typed is said beside them)
        and gives the fund's operation, which runs off the GUI thread; its result lands in
        ``entry_id`` and the dialog closes, or its refusal is said in the dialog."""
        for box in self.boxes.values():
            box.set_error(None)
        self.banner.hide()
        try:
            operation = build()
        except ValidationError as err:
            show_refusal(err, self.boxes, self.banner)
            return
        self.ui.ops.change(self, operation, done=self._done, failed=self._refused)

    def _done(self, entry_id: object) -> None:
        self.entry_id = entry_id
        self.accept()

    def _refused(self, err: BaseException) -> None:
        if isinstance(err, NewerCase):
            self.view = err.view
        show_refusal(err, self.boxes, self.banner)

    def save(self) -> None:
        raise NotImplementedError


class ContributionDialog(_MoneyDialog):
    """登记收入: source, date, payer, voucher, amount, memo."""

    def __init__(self, ui: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(ui, self.tr("登记收入"), parent)
        self.info.setText(self.tr("启动资金、捐赠、利息等进入互助社资金的款项。登记后不能修改，录错请冲正。"))
        self.source = self.row("source", self.tr("来源"), QComboBox())
        for source in FundSource:
            self.source.addItem(source.label, source.value)
        self.posted_on = self.row("posted_on", self.tr("入账日期"),
                                  _date_edit(ui, "posted_on", self.tr("入账日期")))
        self.payer = self.row("payer", self.tr("缴款单位或个人"), QLineEdit())
        self.amount = self.row("amount", self.tr("金额（元）"), QLineEdit())
        self.voucher = self.row("voucher_no", self.tr("凭证号"), QLineEdit())
        self.memo = self.row("memo", self.tr("摘要"), QLineEdit())
        self.entry_id: int | None = None

    def save(self) -> None:
        def build() -> Callable[[], object]:
            data = ContributionInput(
                self.posted_on.value(), FundSource(self.source.currentData()),
                parse_yuan(self.amount.text(), field="amount"), self.payer.text(), self.voucher.text(),
                self.memo.text())
            ctx, society_id, user = self.ui.ctx, self.ui.society_id, self.ui.user
            return lambda: fund.add_contribution(ctx, society_id, data, user)
        self.run(build)


class PaymentDialog(_MoneyDialog):
    """发放: to the recorded account, the one-card, or cash with a signed receipt."""

    def __init__(self, ui: UiSession, view: CaseView, parent: QWidget | None = None) -> None:
        super().__init__(ui, self.tr("发放 · {0}").format(view.case.case_no), parent)
        self.view = view
        app = view.case.application
        payable = view.state.reserved_fen()
        account = f"{app.bank_name} {app.account_no}（{app.account_holder}）" if app.account_no else self.tr("现金")
        self.info.setText(self.tr("{0}：待发放 {1}。收款账户：{2}").format(
            app.applicant_name, format_yuan_label(payable), account))
        self.method = self.row("method", self.tr("发放方式"), QComboBox())
        for method in PaymentMethod:
            self.method.addItem(method.label, method.value)
        self.method.setCurrentIndex(self.method.findData(app.payment_method.value))
        self.paid_on = self.row("paid_on", self.tr("发放日期"), _date_edit(ui, "paid_on", self.tr("发放日期")))
        self.amount = self.row("amount", self.tr("金额（元）"), QLineEdit(format_fen(payable)))
        self.voucher = self.row("voucher_no", self.tr("凭证号"), QLineEdit())
        self.receipt = self.row("receipt_signed", self.tr("收据"),
                                QCheckBox(self.tr("领款人已在收据上签字（现金发放必需）")))
        self.method.currentIndexChanged.connect(self._receipt_visible)
        self._receipt_visible()
        self.entry_id: int | None = None

    def _receipt_visible(self) -> None:
        self.boxes["receipt_signed"].setEnabled(self.method.currentData() == PaymentMethod.CASH.value)

    def save(self) -> None:
        def build() -> Callable[[], object]:
            data = PaymentInput(self.paid_on.value(), PaymentMethod(self.method.currentData()),
                                parse_yuan(self.amount.text(), field="amount"), self.voucher.text(),
                                self.receipt.isChecked())
            ctx, user, view = self.ui.ctx, self.ui.user, self.view
            return or_newer(ctx, user, view, lambda: fund.pay(ctx, view.case.id, data, user, version=view.version))
        self.run(build)


class ReversalDialog(_MoneyDialog):
    """冲正: a new entry of the opposite amount, with the reason; the original stays."""

    def __init__(self, ui: UiSession, line: LedgerLine, parent: QWidget | None = None) -> None:
        super().__init__(ui, self.tr("冲正第 {0} 号记录").format(line.id), parent)
        self.line = line
        what = line.source.label if line.source else line.case_no
        self.info.setText(self.tr("原记录：{0} {1} {2} {3}。冲正将登记一笔 {4} 的记录，原记录保留。").format(
            line.posted_on.isoformat(), line.kind.label, what, format_yuan_label(line.amount_fen),
            format_yuan_label(-line.amount_fen)))
        self.on = self.row("on", self.tr("冲正日期"), _date_edit(ui, "on", self.tr("冲正日期")))
        self.reason = self.row("reason", self.tr("冲正理由"), QLineEdit())
        self.voucher = self.row("voucher_no", self.tr("冲正凭证号"), QLineEdit())
        self.voucher.setPlaceholderText(
            self.tr("红字凭证号；不填则沿用原凭证号 {0}").format(line.voucher_no or self.tr("（无）")))

    def save(self) -> None:
        def build() -> Callable[[], object]:
            ctx, society_id, user, line_id = self.ui.ctx, self.ui.society_id, self.ui.user, self.line.id
            reason, on, voucher = self.reason.text(), self.on.value(), self.voucher.text()
            return lambda: fund.reverse(ctx, society_id, line_id, reason, on, user, voucher)
        self.run(build)
