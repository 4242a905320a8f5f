"""First start: the society's details and the name of the person at work."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget,
)

from jiujinan.cases.errors import ValidationError
from jiujinan.cases.society import SocietyRecord
from jiujinan.services import societies
from jiujinan.services.context import AppContext
from jiujinan.ui.errors import message_for
from jiujinan.ui.field_errors import ERROR_STYLE, FieldBox
from jiujinan.ui.society_form import SocietyForm


class SetupDialog(QDialog):
    """Creates the first society (or another one) and, when asked, the first operator."""

    def __init__(self, ctx: AppContext, *, ask_user: bool, user: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.record: SocietyRecord | None = None
        self.user = user
        self.setWindowTitle(self.tr("互助社信息") if not ask_user else self.tr("首次使用：填写互助社信息"))
        intro = QLabel(self.tr("请填写本互助社的基本信息和审批设置。以后可在“设置”中修改。"))
        intro.setWordWrap(True)
        self.form = SocietyForm()
        self.user_edit = QLineEdit()
        self.user_edit.setPlaceholderText(self.tr("您的姓名，将记录在每一步操作上"))
        self.user_box = FieldBox(self.user_edit)
        if ask_user:
            self.form.form_layout.addRow(self.tr("经办人姓名*"), self.user_box)
        self.banner = QLabel()
        self.banner.setStyleSheet(ERROR_STYLE)
        self.banner.setWordWrap(True)
        self.banner.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("保存"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.setMinimumWidth(720)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.form)
        layout.addWidget(self.banner)
        layout.addWidget(buttons)
        self.ask_user = ask_user

    def save(self) -> None:
        ok = True
        try:
            settings = self.form.settings()
        except ValidationError:
            ok = False
        user = self.user_edit.text().strip() if self.ask_user else self.user
        if self.ask_user and not user:
            self.user_box.set_error(self.tr("请填写经办人姓名"))
            ok = False
        else:
            self.user_box.set_error(None)
        if not ok:
            return
        try:
            if self.ask_user:
                user = societies.add_user(self.ctx, user)
            self.record = societies.create_society(self.ctx, settings, user)
        except ValidationError as err:
            self.form.show_errors(err.errors)
            return
        except Exception as err:  # noqa: BLE001
            self.banner.setText(message_for(err))
            self.banner.show()
            return
        self.user = user
        self.accept()
