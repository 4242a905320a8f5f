"""Setting up the office (first start, or 设置 → 本单位) and enrolling another office's card
after the clerk types the fingerprint the other office reads out over the phone."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import (
    QButtonGroup, QCheckBox, QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QRadioButton, QVBoxLayout,
    QWidget,
)

from jiujinan.cases.offices import Office, OfficeKind, OfficeSettings
from jiujinan.exchange.card import Card
from jiujinan.services import offices
from jiujinan.services.context import AppContext
from jiujinan.ui.field_errors import FieldBox, error_banner, ok_cancel, show_refusal
from jiujinan.ui.ops import Ops

EXAMPLES = {OfficeKind.VILLAGE: ("341802100201", QT_TRANSLATE_NOOP("OfficeDialog", "青山村救急难互助社")),
            OfficeKind.TOWN: ("341802100000", QT_TRANSLATE_NOOP("OfficeDialog", "水阳镇人民政府")),
            OfficeKind.DISTRICT: ("341802000000", QT_TRANSLATE_NOOP("OfficeDialog", "宣州区民政局"))}


class OfficeDialog(QDialog):
    """Which office this installation is: a village society, a town or the district, with its
    area code and name. Set up once."""

    def __init__(self, ops: Ops, ctx: AppContext, *, user: str, first: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops, self.ctx, self.user = ops, ctx, user
        self.office: Office | None = None
        self.setWindowTitle(self.tr("首次使用：本单位是") if first else self.tr("设立本单位"))
        intro = QLabel(self.tr("本程序装在哪个单位？村（社区）互助社登记和办理案件；乡镇（街道）和区（县）"
                               "审核村里报来的案件。设立后不能更改。"))
        intro.setWordWrap(True)
        self.kinds = QButtonGroup(self)
        kind_row = QHBoxLayout()
        self.kind_buttons: dict[OfficeKind, QRadioButton] = {}
        for index, kind in enumerate(OfficeKind):
            button = QRadioButton(kind.label)
            self.kinds.addButton(button, index)
            self.kind_buttons[kind] = button
            kind_row.addWidget(button)
        kind_row.addStretch(1)
        self.kind_buttons[OfficeKind.VILLAGE].setChecked(True)
        self.code_edit = QLineEdit()
        self.code_edit.setMaxLength(20)
        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(60)
        self.boxes = {"area_code": FieldBox(self.code_edit), "name": FieldBox(self.name_edit)}
        self.kinds.idToggled.connect(lambda _id, on: on and self._examples())
        self._examples()
        form = QFormLayout()
        form.addRow(self.tr("单位类别"), kind_row)
        form.addRow(self.tr("区划代码"), self.boxes["area_code"])
        form.addRow(self.tr("单位名称"), self.boxes["name"])
        self.banner = error_banner()
        buttons, self.ok = ok_cancel(self, self.save)
        self.ok.setText(self.tr("设立"))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.banner)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)

    def kind(self) -> OfficeKind:
        return next(kind for kind, button in self.kind_buttons.items() if button.isChecked())

    def _examples(self) -> None:
        code, name = EXAMPLES[self.kind()]
        digits = {OfficeKind.VILLAGE: self.tr("12位"), OfficeKind.TOWN: self.tr("前9位为乡镇、后3位为0"),
                  OfficeKind.DISTRICT: self.tr("前6位为区县、后6位为0")}
        self.code_edit.setPlaceholderText(self.tr("统计用区划代码，{0}，如 {1}").format(digits[self.kind()], code))
        self.name_edit.setPlaceholderText(self.tr("如 {0}").format(self.tr(name)))

    def save(self) -> None:
        for box in self.boxes.values():
            box.set_error(None)
        self.banner.hide()
        settings = OfficeSettings(self.kind(), self.code_edit.text(), self.name_edit.text())
        ctx, user = self.ctx, self.user
        self.ops.change(self, lambda: offices.setup_office(ctx, settings, user)[0], done=self._saved,
                        failed=lambda err: show_refusal(err, self.boxes, self.banner))

    def _saved(self, office: Office) -> None:
        self.office = office
        self.accept()


class TrustDialog(QDialog):
    """Enrol another office's card: who it says it is, and the fingerprint its clerk reads out
    over the phone, typed here (a card swapped on the way has another)."""

    def __init__(self, ops: Ops, ctx: AppContext, path: Path, card: Card, *, user: str, enrolled: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops, self.ctx, self.path, self.card, self.user = ops, ctx, path, card, user
        self.enrolled = None
        self.setWindowTitle(self.tr("登记其他单位的卡片"))
        who = QLabel(self.tr("卡片上的单位：{0}\n类别：{1}　区划代码：{2}　制作日期：{3}").format(
            card.name, card.kind.label, card.area_code, card.made_on))
        who.setWordWrap(True)
        how = QLabel(self.tr("请打电话给该单位，请对方在 设置 → 本单位 中读出“卡片指纹”（16位），在下面输入。"
                             "指纹一致才登记：不一致说明卡片在途中被调换过。"))
        how.setWordWrap(True)
        self.fingerprint_edit = QLineEdit()
        self.fingerprint_edit.setPlaceholderText(self.tr("如 3F2A 9C01 77B4 E0D2（空格可省）"))
        self.fingerprint_edit.setMaxLength(40)
        self.boxes = {"fingerprint": FieldBox(self.fingerprint_edit)}
        self.replace_box = QCheckBox(self.tr("替换已登记的卡片（对方已更换密钥，已电话核实）"))
        self.replace_box.setVisible(bool(enrolled))
        form = QFormLayout()
        form.addRow(self.tr("对方读出的指纹"), self.boxes["fingerprint"])
        self.banner = error_banner()
        if enrolled:
            self.banner.setText(self.tr("已登记过该单位的另一张卡片（指纹 {0}）。").format(enrolled))
            self.banner.show()
        buttons, self.ok = ok_cancel(self, self.save)
        self.ok.setText(self.tr("登记"))
        layout = QVBoxLayout(self)
        for part in (who, how):
            layout.addWidget(part)
        layout.addLayout(form)
        layout.addWidget(self.replace_box)
        layout.addWidget(self.banner)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)

    def save(self) -> None:
        typed = self.fingerprint_edit.text()
        self.boxes["fingerprint"].set_error(None)
        if not typed.strip():
            self.boxes["fingerprint"].set_error(self.tr("请输入对方在电话中读出的指纹"))
            return
        ctx, path, user, replace = self.ctx, self.path, self.user, self.replace_box.isChecked()
        self.ops.change(self, lambda: offices.trust_card(ctx, path, user, typed, replace=replace),
                        done=self._saved, failed=self._refused)

    def _refused(self, err: BaseException) -> None:
        if isinstance(err, offices.FingerprintMismatch):
            self.boxes["fingerprint"].set_error(self.tr("指纹应为16位（4组，每组4位）") if err.wrong_length
                                                else self.tr("与卡片的指纹不一致：请再次电话核对"))
            return
        if isinstance(err, offices.ReplacementNeeded):
            self.replace_box.show()
        show_refusal(err, self.boxes, self.banner)

    def _saved(self, enrolment: offices.Enrolment) -> None:
        self.enrolled = enrolment
        self.accept()
