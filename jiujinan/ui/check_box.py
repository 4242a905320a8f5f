"""数据检查 in 设置: every signed-in user may run what ``jiujinan check`` runs (as on the
command line), on a worker thread so the window stays usable; the findings are listed in a
dialog and the main window's red band shows them until a clean check."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QThread
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QGroupBox, QHBoxLayout, QLabel, QListWidget, QPushButton, QVBoxLayout, QWidget,
)

from jiujinan.services.check import CheckReport, run_checks
from jiujinan.ui.errors import show_error
from jiujinan.ui.long_job import Worker
from jiujinan.ui.session import UiSession


def summary(report: CheckReport) -> str:
    """The line above the list, as ``jiujinan check`` ends."""
    head = QCoreApplication.translate("check", "检查了 {0} 个互助社、{1} 件案件、{2} 条台账记录：").format(
        report.societies, report.cases, report.entries)
    return head + (QCoreApplication.translate("check", "全部一致") if report.ok
                   else QCoreApplication.translate("check", "发现 {0} 处问题").format(len(report.violations)))


class CheckDialog(QDialog):
    """The findings, one a row (long ones wrap), with the notes on what was not checked."""

    def __init__(self, report: CheckReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("数据检查结果"))
        self.summary = QLabel(summary(report))
        self.summary.setWordWrap(True)
        self.findings = QListWidget()
        self.findings.setWordWrap(True)
        self.findings.addItems(report.violations or [self.tr("没有发现问题")])
        self.findings.addItems([self.tr("注意：{0}").format(note) for note in report.notes])
        help_text = QLabel(self.tr("“在程序之外被改动”的记录不能再登录、发放或办理；请管理员从可靠的备份恢复"
                                   "（设置 → 备份与恢复），或请技术人员查看。") if not report.ok else "")
        help_text.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.findings, 1)
        layout.addWidget(help_text)
        layout.addWidget(buttons)
        self.resize(900, 520)  # fits 1366×768 with the task bar


class CheckBox(QGroupBox):
    """The 检查数据 button: runs the check off the GUI thread and shows what it found."""

    def __init__(self, ui: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("数据检查"), parent)
        self.ui = ui
        self.button = QPushButton(self.tr("检查数据"))
        self.button.clicked.connect(self.start)
        self.status = QLabel(self.tr("核对台账、发放、审计记录、每条记录与其审计记录是否一致，以及表结构"))
        self.status.setWordWrap(True)
        self.dialog: CheckDialog | None = None
        self._thread: QThread | None = None
        row = QHBoxLayout(self)
        row.addWidget(self.button)
        row.addWidget(self.status, 1)

    def start(self) -> None:
        self.button.setEnabled(False)
        self.button.setText(self.tr("正在检查…"))
        ctx = self.ui.ctx
        self._thread = QThread(self)
        self._worker = Worker(lambda _progress, _cancelled: run_checks(ctx))
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.done.connect(self._done)
        self._worker.failed.connect(self._failed)
        self._thread.start()

    def _stop(self) -> None:
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()
            self._thread = None
        self.button.setEnabled(True)
        self.button.setText(self.tr("检查数据"))

    def _done(self, report: CheckReport) -> None:
        self._stop()
        self.status.setText(summary(report))
        self.ui.checked.emit(report)
        self.dialog = CheckDialog(report, self)
        self.dialog.open()

    def _failed(self, error: BaseException) -> None:
        self._stop()
        show_error(self, error)
