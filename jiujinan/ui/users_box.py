"""设置 → 用户 (administrators): who works in the app, their roles, and what an administrator
does for them: add, change roles, stop an account, reset a password."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox, QDialog, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView, QInputDialog, QLineEdit, QPushButton,
    QTableWidget, QTableWidgetItem, QToolTip, QVBoxLayout, QWidget,
)

from jiujinan.cases.areas import area_label
from jiujinan.cases.users import Role, roles_label
from jiujinan.services import users
from jiujinan.ui.area_combo import AreaCombo, AreaOptions, area_options
from jiujinan.ui.field_errors import error_banner, ok_cancel, show_refusal
from jiujinan.ui.new_user_dialog import NewUserDialog
from jiujinan.ui.session import UiSession


def _state(record, wait: int) -> str:  # noqa: ANN001
    if not record.active:
        return QCoreApplication.translate("users", "已停用")
    if wait:
        return QCoreApplication.translate("users", "登录失败过多，{0} 秒后可再试").format(wait)
    return (QCoreApplication.translate("users", "在用") if record.has_password
            else QCoreApplication.translate("users", "在用（未设密码）"))


class RolesDialog(QDialog):
    """Change a user's roles, or stop the account."""

    def __init__(self, ui: UiSession, name: str, roles: frozenset[Role], active: bool, area: str,
                 options: AreaOptions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui, self.name = ui, name
        self.setWindowTitle(self.tr("{0} 的角色").format(name))
        self.role_boxes = {role: QCheckBox(role.label) for role in Role}
        for role, box in self.role_boxes.items():
            box.setChecked(role in roles)
        self.area = AreaCombo(options, area)
        self.stopped = QCheckBox(self.tr("停用此用户（不能再登录，过去的记录保留）"))
        self.stopped.setChecked(not active)
        self.banner = error_banner()
        form = QFormLayout()
        column = QVBoxLayout()
        for box in self.role_boxes.values():
            column.addWidget(box)
        form.addRow(self.tr("角色"), column)
        form.addRow(self.tr("工作范围"), self.area)
        form.addRow("", self.stopped)
        buttons, _ok = ok_cancel(self, self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.banner)
        layout.addWidget(buttons)

    def save(self) -> None:
        roles = frozenset(r for r, box in self.role_boxes.items() if box.isChecked())
        ctx, name, by, active, area = self.ui.ctx, self.name, self.ui.user, not self.stopped.isChecked(), self.area.area()
        # The last administrator, no role: said here.
        self.ui.ops.change(self, lambda: users.set_roles(ctx, name, roles, by, active=active, area=area),
                           done=lambda _r: self.accept(), failed=lambda err: show_refusal(err, {}, self.banner))


class UsersBox(QGroupBox):
    def __init__(self, ui: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("用户（管理员）"), parent)
        self.ui = ui
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([self.tr("姓名"), self.tr("角色"), self.tr("工作范围"), self.tr("状态")])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setMinimumHeight(140)
        self.add_button = QPushButton(self.tr("新增用户…"))
        self.add_button.clicked.connect(self.add_user)
        self.roles_button = QPushButton(self.tr("修改角色或停用…"))
        self.roles_button.clicked.connect(self.change_roles)
        self.reset_button = QPushButton(self.tr("重设密码…"))
        self.reset_button.clicked.connect(self.reset_password)
        row = QHBoxLayout()
        for button in (self.add_button, self.roles_button, self.reset_button):
            row.addWidget(button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(row)
        self.records: list = []

    def reload(self) -> None:
        """Read the users and their sign-in waits on the runner, then show them."""
        ctx, user = self.ui.ctx, self.ui.user
        self.ui.ops.query(self, lambda: (users.list_users(ctx, user), users.sign_in_waits(ctx),
                                         dict(area_options(ctx, user))), done=self._show)

    def _show(self, read: tuple[list, dict[str, int], dict[str, str]]) -> None:
        self.records, waits, areas = read  # an area by its place's name, as the picker shows it
        self.table.setRowCount(len(self.records))
        for n, record in enumerate(self.records):
            area = areas.get(record.area) or area_label(record.area)
            for col, text in enumerate((record.name, roles_label(record.roles), area,
                                        _state(record, waits.get(record.name, 0)))):
                self.table.setItem(n, col, QTableWidgetItem(text))

    def _choose_first(self) -> None:
        """A button that needs a user, pressed with none chosen: said over the list."""
        QToolTip.showText(self.table.mapToGlobal(self.table.rect().center()), self.tr("请先在列表中选择一位用户"),
                          self.table)

    def chosen(self):  # noqa: ANN201
        row = self.table.currentRow()
        return self.records[row] if 0 <= row < len(self.records) else None

    def new_user_dialog(self, options: AreaOptions) -> NewUserDialog:
        return NewUserDialog(self.ui, options, parent=self)

    def roles_dialog(self, record, options: AreaOptions) -> RolesDialog:  # noqa: ANN001
        return RolesDialog(self.ui, record.name, record.roles, record.active, record.area, options, parent=self)

    def _with_areas(self, then) -> None:  # noqa: ANN001
        """Read the areas this administrator may hand out on the runner, then ``then(options)``
        (a second click while they are read opens nothing more)."""
        ctx, user = self.ui.ctx, self.ui.user
        self.ui.ops.query(self, lambda: area_options(ctx, user), done=then, once=True)

    def ask_new_password(self, name: str) -> tuple[str, bool]:
        return QInputDialog.getText(self, self.tr("重设密码"), self.tr("{0} 的新密码（至少 8 位）：").format(name),
                                    QLineEdit.EchoMode.Password)

    def add_user(self) -> None:
        def opened(options: AreaOptions) -> None:
            dialog = self.new_user_dialog(options)
            if dialog.exec() and dialog.created:
                self.reload()

        self._with_areas(opened)

    def change_roles(self) -> None:
        record = self.chosen()
        if record is None:
            self._choose_first()
            return
        self._with_areas(lambda options: self.roles_dialog(record, options).exec() and self.reload())

    def reset_password(self) -> None:
        record = self.chosen()
        if record is None:
            self._choose_first()
            return
        password, ok = self.ask_new_password(record.name)
        if not ok:
            return
        ctx, name, by = self.ui.ctx, record.name, self.ui.user
        self.ui.ops.change(self, lambda: users.reset_password(ctx, name, password, by), done=lambda _r: self.reload())
