"""签名密钥 in 设置: the fingerprint the district compares (as on the monthly report), the public
key file to hand over, and replacing the key (an administrator's act, on the audit trail)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QMessageBox, QPushButton, QWidget

from jiujinan.services import keys
from jiujinan.ui.errors import message_for
from jiujinan.ui.session import UiSession


class KeyBox(QGroupBox):
    """Shows this database's signing key and exports or replaces it."""

    def __init__(self, ui: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("报送签名密钥"), parent)
        self.ui = ui
        self.fingerprint = QLabel()
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.export_button = QPushButton(self.tr("导出公钥文件…"))
        self.export_button.clicked.connect(self.export_key)
        self.replace_button = QPushButton(self.tr("更换密钥…"))
        self.replace_button.clicked.connect(self.replace_key)
        self.status = QLabel()
        self.status.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.fingerprint, 1)
        row.addWidget(self.export_button)
        row.addWidget(self.replace_button)
        form = QFormLayout(self)
        form.addRow(self.tr("密钥指纹"), row)
        form.addRow(self.status)
        note = QLabel(self.tr("导出的报送都用这把密钥签名。区里首次收到时会登记它的指纹，请与月报上印的指纹核对。"
                              "与上下级单位电话核对数据包时，请读上面“本单位”中的卡片指纹，不是这个。"))
        note.setWordWrap(True)
        form.addRow(note)

    def reload(self) -> None:
        """The key's fingerprint, read off the GUI thread (the first reading makes the key)."""
        ctx, user = self.ui.ctx, self.ui.user
        self.ui.ops.query(self, lambda: keys.fingerprint(ctx, user), done=self.fingerprint.setText,
                          failed=self._unreadable)

    def _unreadable(self, err: BaseException) -> None:
        self.fingerprint.setText(self.tr("（无法读取）"))
        self.status.setText(message_for(err))

    def choose_file_dialog(self) -> str:
        """Where to save the public key file (tests replace this)."""
        return QFileDialog.getSaveFileName(self, self.tr("导出公钥文件"), self.tr("签名公钥.pem"),
                                           self.tr("公钥文件 (*.pem)"))[0]

    def confirm_replace(self) -> bool:
        """Ask before replacing (tests replace this)."""
        answer = QMessageBox.question(self, self.tr("更换签名密钥"), self.tr(
            "换成一把新的签名密钥？\n之后的报送用新密钥签名，区里要先登记新的公钥文件才会接收。"))
        return answer == QMessageBox.StandardButton.Yes

    def export_key(self) -> None:
        name = self.choose_file_dialog()
        if not name:
            return
        ctx, user = self.ui.ctx, self.ui.user
        self.ui.ops.change(self, lambda: keys.export_public_key(ctx, Path(name), user), done=lambda made: self.status.setText(
            self.tr("已导出公钥文件 {0}（指纹 {1}），请交给区里").format(name, made)))

    def replace_key(self) -> None:
        if not self.confirm_replace():
            return
        ctx, user = self.ui.ctx, self.ui.user
        self.ui.ops.change(self, lambda: keys.replace_key(ctx, user), done=self._replaced)

    def _replaced(self, old_new: tuple[str | None, str]) -> None:
        old, new = old_new
        self.reload()
        self.status.setText(self.tr("已更换：原指纹 {0}，新指纹 {1}。请导出新的公钥文件交给区里登记。").format(
            old or self.tr("无"), new))
