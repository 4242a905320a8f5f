"""资金: the fund at a glance, money in, reversals, month close, and the ledger (台账)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGridLayout, QGroupBox,
    QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMessageBox, QPushButton, QTableView, QVBoxLayout,
    QWidget,
)

from jiujinan.cases.enums import FundSource, LedgerKind
from jiujinan.cases.fund import FundPosition, month_of
from jiujinan.cases.money import format_yuan_label
from jiujinan.cases.users import Permission
from jiujinan.services import fund
from jiujinan.services.changes import Changes
from jiujinan.services.fund import LedgerView
from jiujinan.ui.field_errors import ERROR_STYLE
from jiujinan.ui.fonts import scaled_font
from jiujinan.ui.fund_dialogs import ContributionDialog, ReversalDialog
from jiujinan.ui.ledger_model import LedgerModel
from jiujinan.ui.role_guard import guard
from jiujinan.ui.session import UiSession


class FundPage(QWidget):
    """Reads through the fund service; every change goes through a dialog and a service call."""

    def __init__(self, ui: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = ui
        self.figures: dict[str, QLabel] = {}
        summary = QGroupBox(self.tr("资金概况"))
        grid = QGridLayout(summary)
        for col, (key, label) in enumerate((("balance", QT_TRANSLATE_NOOP("FundPage", "余额")),
                                            ("reserved", QT_TRANSLATE_NOOP("FundPage", "已批未发")),
                                            ("available", QT_TRANSLATE_NOOP("FundPage", "可用资金")),
                                            ("paid", QT_TRANSLATE_NOOP("FundPage", "累计发放")))):
            grid.addWidget(QLabel(self.tr(label)), 0, col)
            value = QLabel()
            scaled_font(value, 1.5, bold=True)  # follows 设置 → 文字大小
            grid.addWidget(value, 1, col)
            self.figures[key] = value
        self.sources = QLabel()
        self.sources.setWordWrap(True)
        grid.addWidget(self.sources, 2, 0, 1, 4)
        self.warning = QLabel()
        self.warning.setStyleSheet(ERROR_STYLE + "font-weight: bold;")
        self.warning.setWordWrap(True)
        grid.addWidget(self.warning, 3, 0, 1, 4)

        self.add_button = QPushButton(self.tr("登记收入…"))
        self.add_button.clicked.connect(self.add_contribution)
        self.reverse_button = QPushButton(self.tr("冲正所选记录…"))
        self.reverse_button.clicked.connect(self.reverse_selected)
        guard(ui, Permission.MONEY, [self.add_button, self.reverse_button])
        self.month = QComboBox()
        self.kind = QComboBox()
        self.kind.addItem(self.tr("全部类别"), None)
        for kind in LedgerKind:
            self.kind.addItem(kind.label, kind.value)
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.toggle_month)
        self.month_state = QLabel()
        bar = QHBoxLayout()
        for widget in (self.add_button, self.reverse_button):
            bar.addWidget(widget)
        bar.addSpacing(16)
        bar.addWidget(QLabel(self.tr("月份：")))
        bar.addWidget(self.month)
        bar.addWidget(self.kind)
        bar.addWidget(self.close_button)
        bar.addWidget(self.month_state, 1)

        self.model = LedgerModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.totals = QLabel()

        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.totals)
        self.month.currentIndexChanged.connect(lambda _i: self.reload_ledger())
        self.kind.currentIndexChanged.connect(lambda _i: self.reload_ledger())
        ui.changed.connect(self.changed)
        ui.society_changed.connect(lambda _id: self.reload())
        self.reload()

    def changed(self, changes: Changes) -> None:
        """The fund's figures move with money and with cases (what is reserved for them)."""
        if changes.touches("ledger", "case", "month", "society"):
            self.reload()

    def reload(self) -> None:
        ctx, society_id, user = self.ui.ctx, self.ui.society_id, self.ui.user
        self.ui.ops.query(self, lambda: (fund.position(ctx, society_id, user), fund.months(ctx, society_id)),
                          done=self._show_position)

    def _show_position(self, read: tuple[FundPosition, tuple[list[str], set[str]]]) -> None:
        p, (months, self.closed) = read
        self.figures["balance"].setText(format_yuan_label(p.balance_fen))
        self.figures["reserved"].setText(format_yuan_label(p.reserved_fen))
        self.figures["available"].setText(format_yuan_label(p.available_fen))
        self.figures["paid"].setText(format_yuan_label(p.paid_out_fen))
        self.sources.setText(self.tr("按来源：") + "　".join(
            f"{s.label} {format_yuan_label(p.by_source.get(s, 0))}" for s in FundSource if p.by_source.get(s)))
        self.warning.setText(self.tr("可用资金低于本社资金预警线 {0}，请及时筹集资金。").format(
            format_yuan_label(p.floor_fen)) if p.under_floor else "")
        current = self.month.currentData()
        this_month = month_of(self.ui.ctx.clock.today())
        choices = sorted(set(months) | {this_month}, reverse=True)
        self.month.blockSignals(True)
        self.month.clear()
        self.month.addItem(self.tr("全部"), None)
        for m in choices:
            self.month.addItem(m + (self.tr("（已月结）") if m in self.closed else ""), m)
        index = self.month.findData(current if current else this_month)
        self.month.setCurrentIndex(max(index, 0))
        self.month.blockSignals(False)
        self.reload_ledger()

    def reload_ledger(self) -> None:
        month = self.month.currentData()
        kind = self.kind.currentData()
        ctx, society_id, user = self.ui.ctx, self.ui.society_id, self.ui.user
        self.ui.ops.query(self, lambda: fund.ledger(ctx, society_id, user, month=month,
                                                    kind=LedgerKind(kind) if kind else None),
                          done=lambda view: self._show_ledger(view, month))

    def _show_ledger(self, view: LedgerView, month: str | None) -> None:
        self.model.set_view(view)
        income = sum(line.amount_fen for line in view.lines if line.amount_fen > 0)
        outgo = -sum(line.amount_fen for line in view.lines if line.amount_fen < 0)
        self.totals.setText(self.tr("期初余额 {0}　本期收入 {1}　本期支出 {2}　期末余额 {3}　共 {4} 条").format(
            format_yuan_label(view.opening_fen), format_yuan_label(income), format_yuan_label(outgo),
            format_yuan_label(view.closing_fen), len(view.lines)))
        self.close_button.setEnabled(month is not None)
        closed = month in self.closed
        self.close_button.setText(self.tr("重新打开该月…") if closed else self.tr("月结该月"))
        self.month_state.setText(self.tr("该月已月结，不能再记入") if closed else "")

    def add_contribution(self) -> ContributionDialog:
        dialog = ContributionDialog(self.ui, self)
        dialog.open()
        return dialog

    def reverse_selected(self) -> ReversalDialog | None:
        index = self.table.currentIndex()
        line = self.model.line_at(index.row()) if index.isValid() else None
        if line is None:
            QMessageBox.information(self, self.tr("冲正"), self.tr("请先在台账中选中要冲正的记录。"))
            return None
        dialog = ReversalDialog(self.ui, line, self)
        dialog.open()
        return dialog

    def ask_reopen_reason(self, month: str) -> str | None:
        """Ask why a closed month is reopened (tests replace this)."""
        dialog = QDialog(self)
        dialog.setWindowTitle(self.tr("重新打开 {0}").format(month))
        reason = QLineEdit()
        form = QFormLayout(dialog)
        form.addRow(self.tr("理由（将记录在案）"), reason)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        form.addRow(buttons)
        return reason.text() if dialog.exec() else None

    def toggle_month(self) -> None:
        month = self.month.currentData()
        if month is None:
            return
        ctx, society_id, user = self.ui.ctx, self.ui.society_id, self.ui.user
        if month in self.closed:
            reason = self.ask_reopen_reason(month)
            if reason is None:
                return
            self.ui.ops.change(self, lambda: fund.reopen_month(ctx, society_id, month, reason, user))
        else:
            self.ui.ops.change(self, lambda: fund.close_month(ctx, society_id, month, user))
