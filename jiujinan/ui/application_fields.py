"""The application form's fields in one table: name, label, section, kind of widget.

All that repeats per field derives from it (FieldWidgets): the widgets, the sections they
stand in, reading them into an ApplicationInput, filling them from a stored one, the signal
an edit sends, and the order Tab walks them (the table's, which is the paper's). Labels are
marked with QT_TRANSLATE_NOOP for lupdate and go through the form's ``tr`` (context
ApplicationForm) when shown."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFormLayout, QGroupBox, QLabel, QLineEdit, QPlainTextEdit, QSpinBox, QWidget,
)

from jiujinan.cases.application import FIELD_LABELS, ApplicationInput
from jiujinan.cases.enums import Cause, HouseholdType, PaymentMethod, Residence, Sex
from jiujinan.ui.date_edit import DateEdit, Today
from jiujinan.ui.field_errors import FieldBox
from jiujinan.ui.members_editor import MembersEditor

Translate = Callable[[str], str]


@dataclass(frozen=True)
class Section:
    """A group box of the form, and the column it stands in (0 left, 1 right)."""

    title: str
    column: int


@dataclass(frozen=True)
class Kind:
    """A kind of widget: how it is made, read and written, the signal a clerk's edit sends,
    and where Tab stops in it. ``read`` None: a value shown, not typed (出生日期)."""

    make: Callable[[FieldSpec, Translate, Today], QWidget]
    read: Callable[[Any], object] | None = None
    write: Callable[[Any, Any], None] | None = None
    edited: str = ""
    stops: Callable[[Any], list[QWidget]] = lambda widget: [widget]


@dataclass(frozen=True)
class FieldSpec:
    """One row of the form."""

    name: str  # ApplicationInput's attribute: errors, FIELD_LABELS and the audit trail use it
    label: str  # as on paper; * marks what must be filled
    section: Section
    kind: Kind
    attr: str = ""  # the form's attribute for the widget (form.name, form.requested), when not ``name``
    hint: str = ""  # grey text in an empty field, or a check box's caption
    choices: type | None = None  # a LabelledEnum: its members are the choices
    blank: str = ""  # the choice that means "not chosen yet" (value "")
    max_length: int = 0

    @property
    def widget_attr(self) -> str:
        return self.attr or self.name


def _line(spec: FieldSpec, tr: Translate, _today: Today) -> QLineEdit:
    edit = QLineEdit()
    if spec.max_length:
        edit.setMaxLength(spec.max_length)
    if spec.hint:
        edit.setPlaceholderText(tr(spec.hint))
    return edit


def _combo(spec: FieldSpec, tr: Translate, _today: Today) -> QComboBox:
    box = QComboBox()
    if spec.blank:
        box.addItem(tr(spec.blank), "")
    for member in spec.choices or ():
        box.addItem(member.label, member.value)
    return box


def _choose(box: QComboBox, value: str) -> None:
    """Select ``value``; a value not offered selects the blank choice, where there is one."""
    index = box.findData(value)
    box.setCurrentIndex(index if index >= 0 else box.findData(""))


def _long_text(spec: FieldSpec, tr: Translate, _today: Today) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)  # Tab goes on to the next field, as from a line
    edit.setPlaceholderText(tr(spec.hint))
    edit.setMinimumHeight(80)
    edit.setMaximumHeight(140)
    return edit


def _count(_spec: FieldSpec, _tr: Translate, _today: Today) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(1, 99)
    return spin


def _date(spec: FieldSpec, tr: Translate, today: Today) -> DateEdit:
    return DateEdit(today, today(), field=spec.name, label=tr(FIELD_LABELS[spec.name]))


def _set_date(edit: DateEdit, value: object) -> None:
    if value is not None:  # a new form keeps today
        edit.setDate(value)


TEXT = Kind(_line, lambda w: w.text(), lambda w, v: w.setText(v), "textEdited")
LONG_TEXT = Kind(_long_text, lambda w: w.toPlainText(), lambda w, v: w.setPlainText(v), "textChanged")
CHOICE = Kind(_combo, lambda w: w.currentData() or "", _choose, "activated")
COUNT = Kind(_count, lambda w: str(w.value()), lambda w, v: w.setValue(int(v or 1)), "valueChanged")
CHECK = Kind(lambda spec, tr, _today: QCheckBox(tr(spec.hint)), lambda w: w.isChecked(),
             lambda w, v: w.setChecked(v), "toggled")
DATE = Kind(_date, lambda w: w.date(), _set_date, "textEdited")
MEMBERS = Kind(lambda _spec, _tr, _today: MembersEditor(), lambda w: w.rows(), lambda w, v: w.set_rows(list(v)),
               "changed", stops=lambda w: [w.table, w.add_button, w.remove_button])
SHOWN = Kind(lambda _spec, _tr, _today: QLabel("—"), stops=lambda _w: [])

APPLICANT = Section(QT_TRANSLATE_NOOP("ApplicationForm", "申请人"), 0)
HOUSEHOLD = Section(QT_TRANSLATE_NOOP("ApplicationForm", "家庭"), 0)
CAUSE = Section(QT_TRANSLATE_NOOP("ApplicationForm", "救助事由与金额"), 1)
PAYMENT = Section(QT_TRANSLATE_NOOP("ApplicationForm", "发放账户"), 1)
AGENT = Section(QT_TRANSLATE_NOOP("ApplicationForm", "代理人（代为申请时填写）"), 0)

# In the order Tab walks them, as the paper reads: applicant, household, cause and amount,
# payment, agent (the form then goes on to the attachments and 保存).
FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("applicant_name", QT_TRANSLATE_NOOP("ApplicationForm", "姓名*"), APPLICANT, TEXT, attr="name"),
    FieldSpec("id_number", QT_TRANSLATE_NOOP("ApplicationForm", "身份证号*"), APPLICANT, TEXT,
              hint=QT_TRANSLATE_NOOP("ApplicationForm", "18位，出生日期和性别自动读出"), max_length=22),
    FieldSpec("sex", QT_TRANSLATE_NOOP("ApplicationForm", "性别*"), APPLICANT, CHOICE, choices=Sex,
              blank=QT_TRANSLATE_NOOP("ApplicationForm", "（按身份证号）")),
    # 出生日期 is read from the ID number
    FieldSpec("birth_date", QT_TRANSLATE_NOOP("ApplicationForm", "出生日期"), APPLICANT, SHOWN, attr="birth"),
    FieldSpec("phone", QT_TRANSLATE_NOOP("ApplicationForm", "联系电话*"), APPLICANT, TEXT,
              hint=QT_TRANSLATE_NOOP("ApplicationForm", "手机11位，或座机如 0563-1234567")),
    FieldSpec("address", QT_TRANSLATE_NOOP("ApplicationForm", "现住址*"), APPLICANT, TEXT),
    FieldSpec("residence", QT_TRANSLATE_NOOP("ApplicationForm", "户籍情况*"), APPLICANT, CHOICE, choices=Residence),
    FieldSpec("hukou_address", QT_TRANSLATE_NOOP("ApplicationForm", "户籍地址"), APPLICANT, TEXT,
              hint=QT_TRANSLATE_NOOP("ApplicationForm", "与现住址不同时填写")),
    FieldSpec("household_size", QT_TRANSLATE_NOOP("ApplicationForm", "家庭人口*"), HOUSEHOLD, COUNT),
    FieldSpec("household_type", QT_TRANSLATE_NOOP("ApplicationForm", "家庭类别*"), HOUSEHOLD, CHOICE,
              choices=HouseholdType),
    FieldSpec("members", QT_TRANSLATE_NOOP("ApplicationForm", "家庭成员"), HOUSEHOLD, MEMBERS),
    FieldSpec("cause", QT_TRANSLATE_NOOP("ApplicationForm", "救助事由*"), CAUSE, CHOICE, choices=Cause,
              blank=QT_TRANSLATE_NOOP("ApplicationForm", "（请选择）")),
    FieldSpec("hardship", QT_TRANSLATE_NOOP("ApplicationForm", "困难情况说明*"), CAUSE, LONG_TEXT,
              hint=QT_TRANSLATE_NOOP("ApplicationForm",
                                     "发生了什么、何时、家庭现在的困难（Ctrl+Enter 保存）")),
    FieldSpec("requested_yuan", QT_TRANSLATE_NOOP("ApplicationForm", "申请金额（元）*"), CAUSE, TEXT,
              attr="requested", hint=QT_TRANSLATE_NOOP("ApplicationForm", "元，最多两位小数，如 2000 或 1500.50")),
    FieldSpec("other_aid", QT_TRANSLATE_NOOP("ApplicationForm", "已获其他救助"), CAUSE, TEXT,
              hint=QT_TRANSLATE_NOOP("ApplicationForm", "如：低保金、医保报销、临时救助")),
    FieldSpec("applied_on", QT_TRANSLATE_NOOP("ApplicationForm", "申请日期*"), CAUSE, DATE),
    FieldSpec("repeat_reason", QT_TRANSLATE_NOOP("ApplicationForm", "重复申请说明"), CAUSE, TEXT,
              hint=QT_TRANSLATE_NOOP("ApplicationForm", "同一事由本年度再次申请时说明理由")),
    FieldSpec("payment_method", QT_TRANSLATE_NOOP("ApplicationForm", "发放方式*"), PAYMENT, CHOICE,
              choices=PaymentMethod),
    FieldSpec("bank_name", QT_TRANSLATE_NOOP("ApplicationForm", "开户银行"), PAYMENT, TEXT),
    FieldSpec("account_no", QT_TRANSLATE_NOOP("ApplicationForm", "账号（一卡通号）"), PAYMENT, TEXT),
    FieldSpec("account_holder", QT_TRANSLATE_NOOP("ApplicationForm", "户名"), PAYMENT, TEXT),
    FieldSpec("agent_name", QT_TRANSLATE_NOOP("ApplicationForm", "代理人姓名"), AGENT, TEXT),
    FieldSpec("agent_id_number", QT_TRANSLATE_NOOP("ApplicationForm", "代理人身份证号"), AGENT, TEXT),
    FieldSpec("agent_relation", QT_TRANSLATE_NOOP("ApplicationForm", "与申请人关系"), AGENT, TEXT),
    FieldSpec("agent_has_poa", QT_TRANSLATE_NOOP("ApplicationForm", "授权委托书"), AGENT, CHECK,
              hint=QT_TRANSLATE_NOOP("ApplicationForm", "已提供申请人签字的授权委托书")),
)
INPUTS: tuple[FieldSpec, ...] = tuple(spec for spec in FIELDS if spec.kind.read is not None)


class FieldWidgets:
    """The widgets of FIELDS, each typed field in a FieldBox (its error line), in their
    sections. A new form starts from ApplicationInput's defaults (一般 household, bank
    transfer; the date is today)."""

    def __init__(self, tr: Translate, today: Today) -> None:
        self.inputs: dict[str, QWidget] = {spec.name: spec.kind.make(spec, tr, today) for spec in FIELDS}
        self.boxes: dict[str, FieldBox] = {}
        self.sections: dict[Section, QGroupBox] = {}
        for spec in FIELDS:
            if spec.section not in self.sections:
                self.sections[spec.section] = QGroupBox(tr(spec.section.title))
                QFormLayout(self.sections[spec.section]).setFieldGrowthPolicy(
                    QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            rows = self.sections[spec.section].layout()
            widget = self.inputs[spec.name]
            if spec.kind.read is None:  # shown, not typed: no error line
                rows.addRow(tr(spec.label), widget)
                continue
            widget.setProperty("field", spec.name)
            self.boxes[spec.name] = FieldBox(widget)
            rows.addRow(tr(spec.label), self.boxes[spec.name])
        self.write(ApplicationInput())

    def read(self) -> ApplicationInput:
        """The application as typed."""
        return ApplicationInput(**{spec.name: spec.kind.read(self.inputs[spec.name]) for spec in INPUTS})

    def write(self, app: ApplicationInput) -> None:
        """Put an application, as typed, into the widgets (出生日期 is the form's to show)."""
        for spec in INPUTS:
            spec.kind.write(self.inputs[spec.name], getattr(app, spec.name))

    def connect(self, on_edit: Callable[..., None], special: dict[str, Callable[..., None]]) -> None:
        """Call ``on_edit`` on every edit of a field, or the field's own handler in ``special``."""
        for spec in INPUTS:
            getattr(self.inputs[spec.name], spec.kind.edited).connect(special.get(spec.name, on_edit))

    def tab_stops(self) -> list[QWidget]:
        """Where Tab stops, field after field in the table's order."""
        return [stop for spec in FIELDS for stop in spec.kind.stops(self.inputs[spec.name])]
