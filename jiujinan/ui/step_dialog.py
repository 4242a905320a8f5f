"""One dialog for every review step: the fields each step needs, checked, then the action."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QCompleter, QDialog, QFormLayout, QLabel, QLineEdit,
    QPlainTextEdit, QVBoxLayout, QWidget,
)

from jiujinan.cases.enums import Level, StepKind
from jiujinan.cases.errors import ValidationError
from jiujinan.cases.money import format_fen, format_yuan_label, parse_yuan
from jiujinan.cases.review import WITHDRAW_REASONS, Action, clean_action
from jiujinan.cases.step_input import CHECK, DATE, FORMS, LINES, LONG, REASON, build_step
from jiujinan.cases.workdays import period_end
from jiujinan.services import fund, review, societies
from jiujinan.cases.fund import FundPosition
from jiujinan.cases.society import SocietySettings
from jiujinan.cases.workdays import WorkCalendar
from jiujinan.services.context import AppContext
from jiujinan.services.review import CaseView
from jiujinan.ui.date_edit import DateEdit
from jiujinan.ui.dialog_keys import AsksBeforeDiscarding, field_values, save_keys, type_on
from jiujinan.ui.field_errors import FieldBox, check_by, error_banner, errors_of, ok_cancel, show_refusal
from jiujinan.ui.newer_case import NewerCase, or_newer
from jiujinan.ui.session import UiSession


@dataclass(frozen=True)
class StepReads:
    """What the dialog reads once as it opens (the hint under the fields is redrawn on every
    keystroke from it; the service checks again at save)."""

    settings: SocietySettings
    calendar: WorkCalendar
    position: FundPosition | None  # None: a village's case reviewed elsewhere (its fund is the village's)
    signers: list[str]


def read_for_step(ctx: AppContext, view: CaseView, user: str) -> StepReads:
    """For the operations' worker: the society's settings, the calendar, the fund, the signers."""
    society_id = view.case.society_id
    return StepReads(societies.get_society(ctx, society_id).settings, review.calendar(ctx),
                     fund.position_here(ctx, society_id, user), review.signers_used(ctx, society_id, user))


class StepDialog(AsksBeforeDiscarding, QDialog):
    """Asks for one step's fields and records it through the review service; Ctrl+Enter
    saves, Esc asks before throwing typed changes away."""

    def __init__(self, ui: UiSession, view: CaseView, kind: StepKind, parent: QWidget | None = None, *,
                 reads: StepReads | None = None) -> None:
        """``reads``: read off the GUI thread by the case window; without them, read here."""
        super().__init__(parent)
        self.ui, self.view, self.kind = ui, view, kind
        self.level = view.state.waiting_level() or Level.VILLAGE
        self.result_view: CaseView | None = None
        title = kind.label if kind not in (StepKind.DECISION, StepKind.REJECT, StepKind.RETURN) else \
            self.tr("{0}级{1}").format(self.level.label, kind.label)
        self.setWindowTitle(f"{title} · {view.case.case_no}")
        self.inputs: dict[str, QWidget] = {}
        self.boxes: dict[str, FieldBox] = {}
        form = QFormLayout()
        for field in FORMS[kind].fields:  # the table `case act` reads too (cases/step_input.py)
            if field.name == "repeat_reason" and not view.state.one_event_clash:
                continue
            widget = self._make(field.kind) if field.kind != DATE else \
                DateEdit(ui.ctx.clock.today, field=field.name, label=self.tr(field.label))
            self.inputs[field.name] = widget
            self.boxes[field.name] = FieldBox(widget)
            form.addRow(self.tr(field.label), self.boxes[field.name])
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.banner = error_banner()
        buttons, self.ok_button = ok_cancel(self, self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(self.banner)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)
        reads = reads or read_for_step(ui.ctx, view, ui.user)
        self.settings, self.calendar, self.position = reads.settings, reads.calendar, reads.position
        self._defaults()
        self._offer_signers(reads.signers)
        for widget in self.inputs.values():
            signal = getattr(widget, "textChanged", None) or getattr(widget, "dateChanged", None) \
                or getattr(widget, "currentTextChanged", None)
            if signal is not None:
                signal.connect(self._update_hint)
        self._update_hint()
        check_by(self.boxes, lambda: errors_of(self.action))  # a red line goes once its field is right
        save_keys(self, self.save)
        self.mark_unchanged()

    def current_values(self) -> object:
        return field_values(self.inputs.values())

    def _make(self, kind: str) -> QWidget:
        if kind in (LONG, LINES):
            text = QPlainTextEdit()
            text.setTabChangesFocus(True)
            text.setMaximumHeight(90)
            return text
        if kind == CHECK:
            return QCheckBox()  # ticked by the clerk who saw it signed, never in advance
        if kind == REASON:
            combo = QComboBox()
            combo.setEditable(True)
            combo.addItems(list(WITHDRAW_REASONS))
            combo.setCurrentIndex(-1)  # no reason until one is chosen or typed
            return combo
        return QLineEdit()

    def _defaults(self) -> None:
        today = self.ui.ctx.clock.today()
        self.set_value("on", today)
        for field in FORMS[self.kind].fields:  # data, as `case act` would save it: not translated
            if field.default:
                self.set_value(field.name, field.default)
        state = self.view.state
        if self.kind is StepKind.VISIT:
            self.set_value("investigators", f"{self.ui.user}，")
            type_on(self.inputs["investigators"])  # the next name is typed after the clerk's own
        elif self.kind is StepKind.DELIBERATION:
            self.set_value("amount", format_fen(state.requested_fen))
            # 一事一救: the clerk's reason for registering it again, for the board to confirm or rewrite
            self.set_value("repeat_reason", state.repeat_reason)
        elif self.kind is StepKind.DECISION:
            self.set_value("amount", format_fen(state.proposed_fen or state.requested_fen))

    def _offer_signers(self, names: list[str]) -> None:
        """The signer field offers the names signed before in this society (typing any part
        of a name narrows them)."""
        signer = self.inputs.get("signer")
        if not isinstance(signer, QLineEdit):
            return
        completer = QCompleter(names, signer)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        signer.setCompleter(completer)
        signer.setPlaceholderText(self.tr("输入姓名，或从本社用过的签字人中选择") if names else "")

    def set_value(self, name: str, value: object) -> None:
        widget = self.inputs.get(name)
        if isinstance(widget, DateEdit):
            widget.setDate(value)  # type: ignore[arg-type]
        elif isinstance(widget, QPlainTextEdit):
            widget.setPlainText(str(value))
        elif isinstance(widget, QLineEdit):
            widget.setText(str(value))
        elif isinstance(widget, QComboBox):
            widget.setEditText(str(value))

    def value(self, name: str) -> str:
        widget = self.inputs.get(name)
        if isinstance(widget, QComboBox):
            return widget.currentText()
        if isinstance(widget, QPlainTextEdit):
            return widget.toPlainText()
        if isinstance(widget, QLineEdit):
            return widget.text()
        return ""

    def _date(self) -> dt.date:
        """The step's date, or a ValidationError said beside the field."""
        widget = self.inputs["on"]
        assert isinstance(widget, DateEdit)
        day = widget.value()
        assert day is not None  # not optional
        return day

    def _update_hint(self, *_args: object) -> None:
        """Say what the step will do: the notice's last day, or which level decides."""
        text = ""
        on = self.inputs["on"].date()  # type: ignore[attr-defined]
        if self.kind is StepKind.NOTICE and on is not None:
            st = self.settings
            end = period_end(on, st.notice_days, st.notice_working_days, self.calendar)
            text = self.tr("公示{0}{1}，到 {2} 为止；期满次日起可作出村级意见。").format(
                st.notice_days, self.tr("个工作日") if st.notice_working_days else self.tr("天"), end.isoformat())
        elif self.kind is StepKind.DECISION:
            try:
                amount = parse_yuan(self.value("amount"), field="amount")
            except ValidationError:
                amount = 0
            limit = {Level.VILLAGE: self.settings.village_limit_fen,
                     Level.TOWN: self.settings.town_limit_fen}.get(self.level)
            if amount and limit is not None and amount > limit:
                nxt = Level.TOWN if self.level is Level.VILLAGE else Level.DISTRICT
                text = self.tr("超过{0}级审批限额 {1}：本级同意后报{2}级。").format(
                    self.level.label, format_yuan_label(limit), nxt.label)
            elif amount and limit is None:
                text = self.tr("{0}级审批：同意即审批通过，进入待发放。").format(self.level.label)
                text += self._fund_line(amount - self.view.state.paid_fen - self.view.state.reserved_fen())
            elif amount:
                text = self.tr("在{0}级审批限额内：本级同意即审批通过，进入待发放。").format(self.level.label)
                text += self._fund_line(amount - self.view.state.paid_fen - self.view.state.reserved_fen())
        elif self.kind is StepKind.WITHDRAW:
            text = self.tr("撤回后案件不再办理，不计入救助记录，所占资金随即释放；撤回不能取消。")
        elif self.kind is StepKind.EMERGENCY:
            text = self.tr("本社先行救助最高金额 {0}。").format(format_yuan_label(self.settings.emergency_limit()))
            try:
                text += self._fund_line(parse_yuan(self.value("amount"), field="amount"))
            except ValidationError:
                pass
        self.hint.setText(text)
        self.hint.setVisible(bool(text))

    def _fund_line(self, needed: int) -> str:
        """量力而行: the money available, and what is left after this approval."""
        p = self.position
        if p is None:
            return ""
        left = p.available_fen - needed
        line = self.tr("\n可用资金 {0}（余额 {1}，已批未发 {2}），批准后剩 {3}。").format(
            format_yuan_label(p.available_fen), format_yuan_label(p.balance_fen),
            format_yuan_label(p.reserved_fen), ("-" if left < 0 else "") + format_yuan_label(abs(left)))
        if needed > p.available_fen:
            line += self.tr("资金不足，不能批准。")
        elif p.available_fen - needed < p.floor_fen:
            line += self.tr("将低于资金预警线 {0}。").format(format_yuan_label(p.floor_fen))
        return line

    def action(self) -> Action:
        """The step as typed; field problems are raised as ValidationError."""
        values: dict[str, object] = {name: self.value(name) for name in self.inputs}
        values["on"] = self._date()
        if isinstance(check := self.inputs.get("household_signed"), QCheckBox):
            values["household_signed"] = check.isChecked()
        step = build_step(self.kind, values, level=self.level, today=self.ui.ctx.clock.today())
        return clean_action(step)  # the text rule, said beside its field

    def save(self) -> None:
        for box in self.boxes.values():
            box.set_error(None)
        try:
            action = self.action()
        except ValidationError as err:
            for e in err.errors:
                if e.field in self.boxes:
                    self.boxes[e.field].set_error(e.message)
            return
        ctx, user, view = self.ui.ctx, self.ui.user, self.view
        self.ui.ops.change(self, or_newer(ctx, user, view, lambda: review.perform(
            ctx, view.case.id, action, user, version=view.version)), done=self._done, failed=self._refused)

    def _done(self, result_view: CaseView) -> None:
        self.result_view = result_view
        self.accept()

    def _refused(self, err: BaseException) -> None:
        """The rule's reason, in the banner; another clerk's step first: the newer case is
        taken (the screens behind were told by the look after the operation)."""
        if isinstance(err, NewerCase):
            self.view = err.view
        show_refusal(err, {}, self.banner)
