"""The society's details and settings: asked on first start, editable under 设置."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox, QFormLayout, QGroupBox, QLineEdit, QSpinBox, QWidget,
)

from jiujinan.cases.enums import Level
from jiujinan.cases.errors import FieldError, ValidationError
from jiujinan.cases.money import format_fen, parse_yuan
from jiujinan.cases.society import SocietySettings
from jiujinan.ui.field_errors import FieldBox, check_by


class SocietyForm(QWidget):
    """Fields for SocietySettings, each with its error line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("如：青山村救急难互助社"))
        self.village = QLineEdit()
        self.area_code = QLineEdit()
        self.area_code.setMaxLength(12)
        self.area_code.setPlaceholderText(self.tr("12位数字，如 341802100201"))
        self.town = QLineEdit()
        self.district = QLineEdit()
        self.village_limit = QLineEdit(format_fen(SocietySettings.village_limit_fen))  # the defaults: cases/society
        self.town_limit = QLineEdit(format_fen(SocietySettings.town_limit_fen))
        self.fund_floor = QLineEdit(format_fen(SocietySettings.fund_floor_fen))
        self.emergency_limit = QLineEdit()
        self.emergency_limit.setPlaceholderText(self.tr("留空则取村级审批限额（此后不随之改变）"))
        self.notice_days = QSpinBox()
        self.notice_days.setRange(1, 30)
        self.notice_days.setValue(SocietySettings.notice_days)
        self.notice_working = QCheckBox(self.tr("按工作日计算（不勾选则按自然日）"))
        self.notice_working.setChecked(SocietySettings.notice_working_days)
        self.emergency_days = QSpinBox()
        self.emergency_days.setRange(1, 60)
        self.emergency_days.setValue(SocietySettings.emergency_deadline_days)
        self.objection_phone = QLineEdit()
        self.objection_phone.setPlaceholderText(self.tr("公示上的监督电话"))
        self.entrant_may_approve = QCheckBox(self.tr("允许录入案件的人记录本案的村级审批（只有一人办事时）"))
        self.entrant_reason = QLineEdit()
        self.entrant_reason.setPlaceholderText(self.tr("勾选时必填：为什么不能由他人审批，如“村里只有一名经办人”"))
        self.entrant_may_approve.toggled.connect(self.entrant_reason.setEnabled)
        self.entrant_reason.setEnabled(False)
        self.boxes: dict[str, FieldBox] = {}
        form = QFormLayout(self)
        self.form_layout = form
        for name, label, widget in (
            ("name", self.tr("互助社名称*"), self.name),
            ("village", self.tr("村（社区）*"), self.village),
            ("area_code", self.tr("区划代码*"), self.area_code),
            ("town", self.tr("乡镇（街道）*"), self.town),
            ("district", self.tr("区（县）*"), self.district),
            ("village_limit_fen", self.tr("村级审批限额（元）"), self.village_limit),
            ("town_limit_fen", self.tr("乡镇审批限额（元）"), self.town_limit),
            ("fund_floor_fen", self.tr("资金预警线（元）"), self.fund_floor),
            ("notice_days", self.tr("公示期（天）"), self.notice_days),
            ("notice_working_days", "", self.notice_working),
            ("emergency_limit_fen", self.tr("先行救助最高金额（元）"), self.emergency_limit),
            ("emergency_deadline_days", self.tr("先行救助补办期限（工作日）"), self.emergency_days),
            ("objection_phone", self.tr("公示监督电话"), self.objection_phone),
            ("entrant_may_approve", self.tr("职责分离"), self.entrant_may_approve),
            ("entrant_may_approve_reason", self.tr("原因"), self.entrant_reason),
        ):
            box = FieldBox(widget)
            self.boxes[name] = box
            form.addRow(label, box)
        form.addRow(self._paper_group())
        for source in (self.name, self.town, self.district, self.town_office):
            source.textChanged.connect(self._show_defaults)
        self._show_defaults()
        check_by(self.boxes, lambda: self.checked()[1])  # a red line goes once its field is right

    def _paper_group(self) -> QGroupBox:
        """打印与告知: what the papers print (offices, contacts, deadlines, 负责人)."""
        self.village_office = QLineEdit()
        self.town_office = QLineEdit()
        self.district_office = QLineEdit()
        self.notice_shows_id = QCheckBox(self.tr("公示上印脱敏的身份证号（如 340102********1234）"))
        self.notice_shows_id.setToolTip(self.tr(
            "公示张贴在公开栏，谁都能看到，按规定不印身份证号，默认不勾选。\n"
            "只有当地要求用号码区分同名的人时才勾选；印出的号码只留前6位和后4位。"))
        self.objection_contact = QLineEdit()
        self.objection_contact.setPlaceholderText(self.tr("公示上受理异议的单位和人，如：青山村村委会 李主任"))
        self.contact_phone = QLineEdit()
        self.contact_phone.setPlaceholderText(self.tr("告知书上的联系电话，手机或带区号的座机"))
        self.return_days = QSpinBox()
        self.return_days.setRange(1, 60)
        self.return_days.setValue(SocietySettings.return_days)
        self.return_days.setToolTip(self.tr("补正告知书上写明：申请人在多少个工作日内补齐材料"))
        self.appeal_days = QSpinBox()
        self.appeal_days.setRange(1, 365)
        self.appeal_days.setValue(SocietySettings.appeal_days)
        self.appeal_days.setToolTip(self.tr("不予救助告知书上写明：申请人在多少天内可以提出异议"))
        self.appeal_to = QLineEdit()
        self.head_name = QLineEdit()
        self.head_name.setPlaceholderText(self.tr("社长或理事长姓名，印在报表的“单位负责人”处"))
        # Read and filled by field name (checked, set_settings): the texts and the day counts.
        self.paper_texts = {"village_office": self.village_office, "town_office": self.town_office,
                            "district_office": self.district_office, "objection_contact": self.objection_contact,
                            "contact_phone": self.contact_phone, "appeal_to": self.appeal_to,
                            "head_name": self.head_name}
        self.paper_days = {"return_days": self.return_days, "appeal_days": self.appeal_days}
        # What each field prints on, where a placeholder (gone once the field is filled) cannot say it.
        for widget, tip in (
            (self.objection_contact, self.tr("印在公示上：受理异议的单位和联系人，与「公示监督电话」一起")),
            (self.contact_phone, self.tr("印在不予救助告知书和补充材料告知书上，供申请人联系")),
            (self.appeal_to, self.tr("印在不予救助告知书上：申请人不服时向哪里提出（单位和地址）；空着则为乡镇审核单位")),
            (self.appeal_days, self.tr("印在不予救助告知书上：自收到告知书之日起多少天内可以提出异议")),
            (self.objection_phone, self.tr("印在公示上的监督电话")),
        ):
            widget.setToolTip(tip)
        group = QGroupBox(self.tr("打印与告知"))
        layout = QFormLayout(group)
        for name, label, widget in (
            ("village_office", self.tr("村级审核单位"), self.village_office),
            ("town_office", self.tr("乡镇审核单位"), self.town_office),
            ("district_office", self.tr("区级审批单位"), self.district_office),
            ("notice_shows_id", self.tr("公示"), self.notice_shows_id),
            ("objection_contact", self.tr("公示异议受理人"), self.objection_contact),
            ("contact_phone", self.tr("告知书联系电话"), self.contact_phone),
            ("return_days", self.tr("补充材料期限（工作日）"), self.return_days),
            ("appeal_days", self.tr("告知书异议期限（天）"), self.appeal_days),
            ("appeal_to", self.tr("告知书异议受理单位"), self.appeal_to),
            ("head_name", self.tr("单位负责人"), self.head_name),
        ):
            box = FieldBox(widget)
            self.boxes[name] = box
            layout.addRow(label, box)
        return group

    def _show_defaults(self) -> None:
        """Each office left empty prints its usual name: the placeholder shows which, as
        the names typed above make it."""
        typed = SocietySettings(name=self.name.text().strip() or self.tr("互助社名称"), village="", area_code="",
                                town=self.town.text().strip() or self.tr("乡镇"),
                                district=self.district.text().strip() or self.tr("区"),
                                town_office=self.town_office.text().strip())
        for level, widget in ((Level.VILLAGE, self.village_office), (Level.TOWN, self.town_office),
                              (Level.DISTRICT, self.district_office)):
            widget.setPlaceholderText(self.tr("留空则印：{0}").format(typed.office_name(level)))
        self.appeal_to.setPlaceholderText(self.tr("留空则印：{0}").format(typed.objections_to()))

    def checked(self) -> tuple[SocietySettings, list[FieldError]]:
        """The settings as typed and every field error, without showing anything."""
        errors: list[FieldError] = []
        amounts: dict[str, int] = {}
        for field, widget, allow_zero in (
            ("village_limit_fen", self.village_limit, False),
            ("town_limit_fen", self.town_limit, False),
            ("fund_floor_fen", self.fund_floor, True),
        ):
            try:
                amounts[field] = parse_yuan(widget.text(), field=field, allow_zero=allow_zero)
            except ValidationError as err:
                errors.extend(err.errors)
                amounts[field] = 1
        if self.emergency_limit.text().strip():  # empty: the village limit (SocietySettings)
            try:
                amounts["emergency_limit_fen"] = parse_yuan(self.emergency_limit.text(), field="emergency_limit_fen")
            except ValidationError as err:
                errors.extend(err.errors)
        settings = SocietySettings(
            name=self.name.text(), village=self.village.text(), area_code=self.area_code.text(),
            town=self.town.text(), district=self.district.text(),
            notice_days=self.notice_days.value(), notice_working_days=self.notice_working.isChecked(),
            emergency_deadline_days=self.emergency_days.value(),
            objection_phone=self.objection_phone.text(), entrant_may_approve=self.entrant_may_approve.isChecked(),
            entrant_may_approve_reason=self.entrant_reason.text() if self.entrant_may_approve.isChecked() else "",
            notice_shows_id=self.notice_shows_id.isChecked(),
            **{name: w.text() for name, w in self.paper_texts.items()},
            **{name: w.value() for name, w in self.paper_days.items()},
            **amounts,
        )
        try:
            settings = settings.validated()
        except ValidationError as err:
            errors.extend(e for e in err.errors if e.field not in {x.field for x in errors})
        return settings, errors

    def set_settings(self, s: SocietySettings) -> None:
        self.name.setText(s.name)
        self.village.setText(s.village)
        self.area_code.setText(s.area_code)
        self.town.setText(s.town)
        self.district.setText(s.district)
        self.village_limit.setText(format_fen(s.village_limit_fen))
        self.town_limit.setText(format_fen(s.town_limit_fen))
        self.fund_floor.setText(format_fen(s.fund_floor_fen))
        self.notice_days.setValue(s.notice_days)
        self.notice_working.setChecked(s.notice_working_days)
        self.emergency_days.setValue(s.emergency_deadline_days)
        self.emergency_limit.setText(format_fen(s.emergency_limit()))
        self.objection_phone.setText(s.objection_phone)
        self.entrant_may_approve.setChecked(s.entrant_may_approve)
        self.entrant_reason.setText(s.entrant_may_approve_reason)
        for name, text_widget in self.paper_texts.items():
            text_widget.setText(getattr(s, name))
        for name, days_widget in self.paper_days.items():
            days_widget.setValue(getattr(s, name))
        self.notice_shows_id.setChecked(s.notice_shows_id)

    def settings(self) -> SocietySettings:
        """The settings as typed, validated; errors are shown beside their fields and raised."""
        settings, errors = self.checked()
        self.show_errors(errors)
        if errors:
            raise ValidationError(errors)
        return settings

    def show_errors(self, errors: list[FieldError]) -> None:
        by_field: dict[str, str] = {}
        for e in errors:
            by_field.setdefault(e.field, e.message)
        for name, box in self.boxes.items():
            box.set_error(by_field.get(name))
