"""A case: where it stands (step bar), what happened (timeline), and the next steps."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from jiujinan.cases.application import application_editable
from jiujinan.cases.dates import format_date, format_moment
from jiujinan.cases.enums import CaseStatus, StepKind
from jiujinan.cases.money import format_fen, format_yuan_label
from jiujinan.cases.users import Permission
from jiujinan.services import intake, printing, review
from jiujinan.services.changes import Changes
from jiujinan.services.intake import StoredCase
from jiujinan.services.review import CaseView
from jiujinan.ui.application_form import ApplicationForm
from jiujinan.ui.fund_dialogs import PaymentDialog
from jiujinan.ui.pdf_preview import PreviewDialog
from jiujinan.ui.screen_fit import resize_to_fit
from jiujinan.ui.role_guard import guard
from jiujinan.ui.session import UiSession
from jiujinan.ui.step_bar import StepBar
from jiujinan.ui.step_dialog import StepDialog, StepReads, read_for_step

TIMELINE_HEADERS = (
    QT_TRANSLATE_NOOP("CaseDialog", "日期"),
    QT_TRANSLATE_NOOP("CaseDialog", "步骤"),
    QT_TRANSLATE_NOOP("CaseDialog", "层级"),
    QT_TRANSLATE_NOOP("CaseDialog", "签字/经办"),
    QT_TRANSLATE_NOOP("CaseDialog", "金额（元）"),
    QT_TRANSLATE_NOOP("CaseDialog", "意见与说明"),
    QT_TRANSLATE_NOOP("CaseDialog", "录入"),
)
OVERDUE_STYLE = "color:white; background:#c62828; padding:4px 8px; font-weight:bold;"
COUNTDOWN_STYLE = "color:#8a4b00; background:#fff4e0; padding:4px 8px;"


class CaseDialog(QDialog):
    """Opened from the case list or the to-do view; refreshes after every step."""

    def __init__(self, ui: UiSession, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = ui
        self.case_id = case_id
        self.view: CaseView | None = None
        self._tmp_dir: tempfile.TemporaryDirectory[str] | None = None
        self.header = QLabel()
        self.header.setWordWrap(True)
        self.countdown = QLabel()
        self.bar = StepBar()
        self.actions_row = QHBoxLayout()
        self.action_buttons: dict[StepKind, QPushButton] = {}
        self.edit_button = QPushButton(self.tr("查看/修改申请"))
        self.edit_button.clicked.connect(self.open_application)
        self.timeline = QTableWidget(0, len(TIMELINE_HEADERS))
        self.timeline.setHorizontalHeaderLabels([self.tr(h) for h in TIMELINE_HEADERS])
        self.timeline.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.timeline.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.timeline.verticalHeader().hide()
        self.timeline.setWordWrap(True)
        header = self.timeline.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.print_button = QPushButton(self.tr("打印审批表…"))
        self.print_button.setAutoDefault(False)
        self.print_button.clicked.connect(lambda: self.print_paper("form"))
        self.letter_button = QPushButton(self.tr("打印告知书…"))
        self.letter_button.setAutoDefault(False)
        self.letter_button.clicked.connect(lambda: self.print_paper("letter"))
        close = QPushButton(self.tr("关闭"))
        close.setAutoDefault(False)
        close.clicked.connect(self.accept)

        top = QHBoxLayout()
        top.addWidget(self.header, 1)
        top.addWidget(self.countdown)
        bottom = QHBoxLayout()
        bottom.addWidget(self.edit_button)
        bottom.addWidget(self.print_button)
        bottom.addWidget(self.letter_button)
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.bar)
        layout.addWidget(QLabel(self.tr("下一步：")))
        layout.addLayout(self.actions_row)
        layout.addWidget(self.timeline, 1)
        layout.addWidget(self.details)
        layout.addLayout(bottom)
        resize_to_fit(self, 1100, 620)
        ui.changed.connect(self.changed)
        # Until the case is read (the worker may be busy with something slow): said, nothing to click.
        self.setWindowTitle(self.tr("正在读取案件……"))
        self.header.setText(self.tr("正在读取案件……"))
        self.letter_button.hide()
        for button in (self.edit_button, self.print_button, self.letter_button):
            button.setEnabled(False)
        self.reload()

    def changed(self, changes: Changes) -> None:
        if changes.touches_case(self.case_id) or changes.touches("calendar"):
            self.reload()

    def reload(self) -> None:
        """Read the case off the GUI thread, then show it."""
        ctx, case_id, user = self.ui.ctx, self.case_id, self.ui.user
        self.ui.ops.query(self, lambda: review.case_view(ctx, case_id, user), done=self.show_view)

    def show_view(self, view: CaseView) -> None:
        self.view = v = view
        app = v.case.application
        self.setWindowTitle(self.tr("案件 {0}").format(v.case.case_no))
        self.header.setText(self.tr("<b>{0}</b>　{1}　{2}　申请 {3}　状态：<b>{4}</b>").format(
            v.case.case_no, app.applicant_name, app.cause.label, format_yuan_label(app.requested_fen),
            v.case.status.label) + (self.tr("　审批金额 {0}").format(format_yuan_label(v.state.approved_fen))
                                    if v.state.approved_fen else ""))
        self._countdown(v)
        self.bar.set_steps(v.bar)
        self._buttons(v)
        self._timeline(v)
        history = v.history
        lines = [self.tr("身份证号 {0}，电话 {1}，{2}，家庭人口 {3}，{4}").format(
            app.id_number, app.phone, app.address, app.household_size, app.household_type.label)]  # as disclosed to this user
        if history.case_count:
            lines.append(self.tr("此前在本社申请 {0} 次，获救助 {1} 次，累计 {2}").format(
                history.case_count, history.times_aided, format_yuan_label(history.total_paid_fen)))
        if warning := history.one_event_warning():
            lines.append(warning)
        if app.repeat_reason:
            lines.append(self.tr("再次救助的理由：{0}").format(app.repeat_reason))
        self.details.setText("\n".join(lines))
        self.edit_button.setText(self.tr("修改申请") if application_editable(v.case.status)
                                 else self.tr("查看申请"))
        self.edit_button.setEnabled(True)
        self.letter_button.setEnabled(True)
        self.letter_button.setVisible(v.case.status in (CaseStatus.REJECTED, CaseStatus.RETURNED))
        withdrawn = v.case.status is CaseStatus.WITHDRAWN  # no aid: no approval form to print
        self.print_button.setEnabled(not withdrawn)
        self.print_button.setToolTip(self.tr("案件已撤回，不打印审批表") if withdrawn else "")

    def _countdown(self, v: CaseView) -> None:
        left = v.emergency_days_left
        if left is None:
            self.countdown.setVisible(v.state.emergency)
            self.countdown.setText(self.tr("先行救助（手续已补齐）"))
            self.countdown.setStyleSheet(COUNTDOWN_STYLE)
            return
        self.countdown.show()
        paid_first = format_yuan_label(v.state.emergency_fen or 0)
        if left < 0:
            self.countdown.setText(self.tr("先行救助 {0}：补办手续已超期 {1} 个工作日").format(paid_first, -left))
            self.countdown.setStyleSheet(OVERDUE_STYLE)
        else:
            self.countdown.setText(self.tr("先行救助 {0}：补办手续剩 {1} 个工作日（{2} 前）").format(
                paid_first, left, format_date(v.state.emergency_deadline)))
            self.countdown.setStyleSheet(COUNTDOWN_STYLE)

    def _buttons(self, v: CaseView) -> None:
        for button in self.action_buttons.values():
            button.deleteLater()
        self.action_buttons.clear()
        level = v.state.waiting_level()
        for kind in v.allowed:
            text = kind.label
            if kind in (StepKind.DECISION, StepKind.REJECT, StepKind.RETURN) and level is not None:
                text = self.tr("{0}级{1}").format(level.label, kind.label)
            elif kind is StepKind.WITHDRAW:
                text = self.tr("撤回案件…")
            button = QPushButton(text)
            button.setAutoDefault(False)
            button.clicked.connect(lambda _c=False, k=kind: self.take_step(k))
            self.actions_row.addWidget(button)
            self.action_buttons[kind] = button
        # Rebuilt on every reload, so they need not follow a change of user. 撤回 is also the
        # 经办人's (cases/users.GRANTS).
        steps = [b for k, b in self.action_buttons.items() if k is not StepKind.WITHDRAW]
        guard(self.ui, Permission.REVIEW, steps, follow_user=False)
        if StepKind.WITHDRAW in self.action_buttons:
            guard(self.ui, Permission.WITHDRAW, [self.action_buttons[StepKind.WITHDRAW]], follow_user=False)
        if v.state.reserved_fen() > 0:  # never for a rejected or withdrawn case
            button = QPushButton(self.tr("发放 {0}…").format(format_yuan_label(v.state.reserved_fen())))
            button.setAutoDefault(False)
            button.clicked.connect(self.pay)
            guard(self.ui, Permission.MONEY, [button], follow_user=False)
            self.actions_row.addWidget(button)
            self.action_buttons[StepKind.PAYMENT] = button
        if not self.action_buttons:
            button = QPushButton(self.tr("（无可办理的步骤）"))
            button.setEnabled(False)
            self.actions_row.addWidget(button)
            self.action_buttons[StepKind.ACCEPT] = button

    def _timeline(self, v: CaseView) -> None:
        self.timeline.setRowCount(len(v.steps))
        for row, step in enumerate(v.steps):
            note = step.opinion
            if step.kind is StepKind.ACCEPT:
                note = self.tr("申请金额 {0}").format(format_yuan_label(step.amount_fen or 0))
            elif outcome := step.details.get("outcome"):
                note = f"{note}（{outcome}）" if note else str(outcome)
            cells = (format_date(step.on), step.kind.label, step.level.label if step.level else "",
                     step.signer, format_fen(step.amount_fen, grouped=True) if step.amount_fen is not None
                     and step.kind is not StepKind.ACCEPT else "", note,
                     f"{step.recorded_by} {format_moment(step.recorded_at)}")
            for col, text in enumerate(cells):
                self.timeline.setItem(row, col, QTableWidgetItem(text))
        self.timeline.resizeRowsToContents()

    def resizeEvent(self, event) -> None:  # noqa: ANN001, N802 - rows follow the column widths
        super().resizeEvent(event)
        self.timeline.resizeRowsToContents()

    def showEvent(self, event) -> None:  # noqa: ANN001, N802
        super().showEvent(event)
        self.timeline.resizeRowsToContents()

    def print_paper(self, paper: str) -> PreviewDialog | None:
        """The approval form, or the letter to the applicant, in a preview window."""
        if self.view is None:  # not read yet: its buttons wait for it
            return None
        case_no = self.view.case.case_no
        if self._tmp_dir is None:  # previews go with the window (at the latest when the app ends)
            self._tmp_dir = tempfile.TemporaryDirectory(prefix="jiujinan-print-")
        target = Path(self._tmp_dir.name) / f"{paper}-{case_no}.pdf"
        ctx, user = self.ui.ctx, self.ui.user
        make = printing.print_form if paper == "form" else printing.print_letter
        shown: list[PreviewDialog] = []
        self.ui.ops.query(self, lambda: make(ctx, case_no, target, user),
                          done=lambda _r: shown.append(self._preview(paper, case_no, target)),
                          busy=self.tr("正在生成……"))
        return shown[0] if shown else None  # at once when the runner runs in place (the tests)

    def _preview(self, paper: str, case_no: str, target: Path) -> PreviewDialog:
        title = self.tr("审批表") if paper == "form" else self.tr("告知书")
        dialog = PreviewDialog(target, self.tr("预览：{0} {1}").format(title, case_no), self)
        dialog.open()
        return dialog

    def pay(self) -> PaymentDialog | None:
        """Open the payment dialog for what the case may be paid now."""
        if self.view is None:
            return None
        dialog = PaymentDialog(self.ui, self.view, self)
        dialog.open()
        return dialog

    def step_dialog(self, kind: StepKind, *, then: Callable[[StepDialog], object] | None = None) -> StepDialog | None:
        """The dialog for one step, once what it shows is read off the GUI thread; ``then``
        gets it (tests drive it directly: the runner runs in place there)."""
        if self.view is None:
            return None
        view, ctx, user = self.view, self.ui.ctx, self.ui.user
        made: list[StepDialog] = []

        def make(reads: StepReads) -> None:
            made.append(StepDialog(self.ui, view, kind, self, reads=reads))
            if then is not None:
                then(made[0])

        self.ui.ops.query(self, lambda: read_for_step(ctx, view, user), done=make, once=True)
        return made[0] if made else None  # at once when the runner runs in place (the tests)

    def take_step(self, kind: StepKind) -> StepDialog | None:
        return self.step_dialog(kind, then=lambda dialog: dialog.open())

    def open_application(self) -> ApplicationForm | None:
        """The application form of this case: editable until the village has decided."""
        if self.view is None:
            return None
        ctx, case_id, user = self.ui.ctx, self.case_id, self.ui.user
        shown: list[ApplicationForm] = []
        self.ui.ops.query(self, lambda: intake.load(ctx, case_id, user),
                          done=lambda case: shown.append(self._application(case)))
        return shown[0] if shown else None  # at once when the runner runs in place (the tests)

    def _application(self, case: StoredCase) -> ApplicationForm:
        form = ApplicationForm(self.ui, case, parent=self)
        if not application_editable(case.status):
            form.save_button.setEnabled(False)
            form.banner.setText(self.tr("案件已{0}，申请内容只能查看。").format(case.status.label))
            form.banner.show()
        form.open()
        return form
