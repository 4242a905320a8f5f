"""An administrator adds a user: name, roles, the area they work on, a first password."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QDialog, QFormLayout, QLineEdit, QVBoxLayout, QWidget

from jiujinan.cases.users import Role
from jiujinan.services import users
from jiujinan.ui.area_combo import AreaCombo, AreaOptions
from jiujinan.ui.field_errors import error_banner, ok_cancel, show_refusal
from jiujinan.ui.login_dialog import password_edit
from jiujinan.ui.session import UiSession


class NewUserDialog(QDialog):
    """An administrator adds a user: name, roles, first password. ``options``: the areas he
    may hand out (area_combo.area_options, read before the dialog opens)."""

    def __init__(self, ui: UiSession, options: AreaOptions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui, self.created = ui, ""
        self.setWindowTitle(self.tr("新增用户"))
        self.name_edit = QLineEdit()
        self.role_boxes = {role: QCheckBox(role.label) for role in Role}
        self.role_boxes[Role.CLERK].setChecked(True)
        self.password = password_edit(self.tr("至少 8 位；告诉本人，请其登录后修改"))
        self.area = AreaCombo(options)
        self.banner = error_banner()
        form = QFormLayout()
        form.addRow(self.tr("姓名"), self.name_edit)
        roles_row = QVBoxLayout()
        for box in self.role_boxes.values():
            roles_row.addWidget(box)
        form.addRow(self.tr("角色"), roles_row)
        form.addRow(self.tr("工作范围"), self.area)
        form.addRow(self.tr("初始密码"), self.password)
        buttons, _ok = ok_cancel(self, self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.banner)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)

    def save(self) -> None:
        """Add the user on the runner; a rule broken or a name taken is said in the dialog."""
        roles = frozenset(r for r, box in self.role_boxes.items() if box.isChecked())
        ctx, admin, name, password, area = (self.ui.ctx, self.ui.user, self.name_edit.text(), self.password.text(),
                                            self.area.area())
        self.ui.ops.change(self, lambda: users.create_user(ctx, name, roles, password, admin, area),
                           done=self._created, failed=lambda err: show_refusal(err, {}, self.banner))

    def _created(self, name: str) -> None:
        self.created = name
        self.accept()
