"""数据包 on the 导出 page: send what the offices above and below are due to a folder (a USB
drive), and receive theirs, after showing what they would change."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog, QGroupBox, QHBoxLayout, QLabel, QMessageBox, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget,
)

from jiujinan.exchange.packet import SUFFIX
from jiujinan.services import packets
from jiujinan.ui.errors import message_for
from jiujinan.ui.session import UiSession


def describe(got: packets.Received) -> str:
    """What a packet did, as the command line says it, with its gaps."""
    return "\n".join([packets.describe(got), *packets.gap_names(got.sender, got.gaps)])


def receiving(ctx, user: str, names: list[str], dry_run: bool, refused: str) -> Callable[[], list[tuple[str, bool]]]:  # noqa: ANN001
    """For the runner: receive (or try) each packet; a refused one is said, the others go on.
    Each line comes with whether its packet changes anything."""
    def work() -> list[tuple[str, bool]]:
        out = []
        for name in names:
            try:
                got = packets.receive(ctx, Path(name), user, dry_run=dry_run)
            except packets.PacketRejected as err:
                out.append((refused + str(err), False))
            else:
                out.append((describe(got), not got.already))
        return out

    return work


class PacketBox(QGroupBox):
    def __init__(self, ui: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("数据包（与上下级单位往来，用U盘传递）"), parent)
        self.ui = ui
        self.send_button = QPushButton(self.tr("发送数据包到文件夹…"))
        self.send_button.clicked.connect(self.send)
        self.receive_button = QPushButton(self.tr("接收数据包…"))
        self.receive_button.clicked.connect(self.receive)
        self.log = QPlainTextEdit()
        self.log.setReadOnly(True)
        self.log.setMinimumHeight(90)
        self.log.setMaximumHeight(160)
        hint = QLabel(self.tr("发送：为每个有待发内容的上级或下级单位写一个数据包（已签名、已加密，只有对方能打开）。"
                              "接收：先显示会有哪些改动，确认后才改动。"))
        hint.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.send_button)
        row.addWidget(self.receive_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(row)
        layout.addWidget(self.log)

    def choose_folder(self) -> str:
        """Where to write the packets (tests replace this)."""
        return QFileDialog.getExistingDirectory(self, self.tr("数据包写到哪个文件夹（如U盘）"))

    def choose_packets(self) -> list[str]:
        """Which packets to receive (tests replace this)."""
        return QFileDialog.getOpenFileNames(self, self.tr("选择数据包"), "",
                                            self.tr("数据包 (*{0});;所有文件 (*)").format(SUFFIX))[0]

    def confirm(self, text: str) -> bool:
        """Apply what the dry run showed? (tests replace this)"""
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("接收数据包"), text, parent=self)
        yes = box.addButton(self.tr("接收"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("取消"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(yes)
        box.exec()
        return box.clickedButton() is yes

    def send(self) -> None:
        folder = self.choose_folder()
        if not folder:
            return
        ctx, user = self.ui.ctx, self.ui.user
        self.ui.ops.change(self, lambda: packets.send(ctx, Path(folder), user), done=self._sent, failed=self._failed,
                           busy=self.tr("正在写数据包……"))

    def _sent(self, sent: packets.Sending) -> None:
        for note in sent.notes:
            self.log.appendPlainText(self.tr("注意：") + note)
        if not sent and not sent.notes:
            self.log.appendPlainText(self.tr("没有需要发送的内容"))
        for item in sent:
            missing = self.tr("，{0} 个附件文件缺失未能带上").format(item.missing_files) if item.missing_files else ""
            self.log.appendPlainText(self.tr("已写出发往{0}的第 {1} 号数据包：{2} 件案件，{3} 个附件{4} → {5}").format(
                item.to.label, item.seq, item.cases, item.files, missing, item.path))

    def _failed(self, err: BaseException) -> None:
        self.log.appendPlainText(self.tr("未完成：") + message_for(err))

    def receive(self) -> None:
        names = self.choose_packets()
        if not names:
            return
        work = receiving(self.ui.ctx, self.ui.user, names, True, self.tr("不能接收："))
        self.ui.ops.query(self, work, done=lambda said: self._confirm(names, said), failed=self._failed)

    def _confirm(self, names: list[str], said: list[tuple[str, bool]]) -> None:
        text = "\n\n".join(line for line, _ in said)
        if not any(changes for _, changes in said):  # nothing to receive: said, not asked
            for line, _ in said:
                self.log.appendPlainText(line)
            return
        if not self.confirm(self.tr("将要接收：\n\n{0}").format(text)):
            self.log.appendPlainText(self.tr("未接收：已取消"))
            return
        work = receiving(self.ui.ctx, self.ui.user, names, False, self.tr("不能接收："))
        self.ui.ops.change(self, work, done=lambda lines: [self.log.appendPlainText(line) for line, _ in lines],
                           failed=self._failed, busy=self.tr("正在接收数据包……"))
