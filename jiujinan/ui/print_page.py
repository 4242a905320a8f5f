"""打印: choose a paper and its period or case, preview it, print it or save it as PDF."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton,
    QVBoxLayout, QWidget,
)

from jiujinan.cases.errors import DomainError
from jiujinan.cases.fund import month_of
from jiujinan.services import printing
from jiujinan.ui.date_edit import MonthEdit
from jiujinan.ui.errors import message_for, show_error
from jiujinan.ui.field_errors import ERROR_STYLE
from jiujinan.ui.long_job import LongJob
from jiujinan.ui.pdf_preview import PdfPreview
from jiujinan.ui.session import UiSession

PAPERS = (
    ("form", QT_TRANSLATE_NOOP("PrintPage", "救助申请审批表（一件）")),
    ("forms", QT_TRANSLATE_NOOP("PrintPage", "所选月份的全部审批表（批量）")),
    ("notice", QT_TRANSLATE_NOOP("PrintPage", "公示（今天处于公示期的案件）")),
    ("notices", QT_TRANSLATE_NOOP("PrintPage", "公示（所选月份开始的各期，每期一份）")),
    ("roster", QT_TRANSLATE_NOOP("PrintPage", "发放花名册（所选月份）")),
    ("ledger", QT_TRANSLATE_NOOP("PrintPage", "资金台账（所选月份）")),
    ("monthly", QT_TRANSLATE_NOOP("PrintPage", "月报（所选月份）")),
    ("letter", QT_TRANSLATE_NOOP("PrintPage", "不予救助 / 补充材料告知书（一件）")),
)

# The file name a clerk is offered when saving: the paper's Chinese name, not its key.
FILE_NAMES = {
    "form": QT_TRANSLATE_NOOP("PrintPage", "审批表"),
    "forms": QT_TRANSLATE_NOOP("PrintPage", "审批表（批量）"),
    "notice": QT_TRANSLATE_NOOP("PrintPage", "公示"),
    "notices": QT_TRANSLATE_NOOP("PrintPage", "公示（按月）"),
    "roster": QT_TRANSLATE_NOOP("PrintPage", "发放花名册"),
    "ledger": QT_TRANSLATE_NOOP("PrintPage", "资金台账"),
    "monthly": QT_TRANSLATE_NOOP("PrintPage", "月报"),
    "letter": QT_TRANSLATE_NOOP("PrintPage", "告知书"),
}


class PrintPage(QWidget):
    """Every paper goes through the printing service into a temporary PDF that is previewed;
    Print and Save as PDF use that same file."""

    def __init__(self, ui: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = ui
        self.paper = QComboBox()
        for key, label in PAPERS:
            self.paper.addItem(self.tr(label), key)
        today = ui.ctx.clock.today()
        self.month = MonthEdit(ui.ctx.clock.today, today.replace(day=1))
        self.case_no = QLineEdit()
        self.case_no.setPlaceholderText(self.tr("案件编号，如 341802100201-2026-00017"))
        self.mask = QCheckBox(self.tr("姓名、身份证号脱敏（张贴或外送时）"))
        self.preview_button = QPushButton(self.tr("预览"))
        self.preview_button.setDefault(True)
        self.preview_button.clicked.connect(self.make_preview)
        self.print_button = QPushButton(self.tr("打印…"))
        self.print_button.clicked.connect(lambda: self.preview.print_pdf(self))
        self.save_button = QPushButton(self.tr("另存为PDF…"))
        self.save_button.clicked.connect(self.save_pdf)
        self.status = QLabel()
        self.status.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("纸张"), self.paper)
        form.addRow(self.tr("月份"), self.month)
        form.addRow(self.tr("案件编号"), self.case_no)
        form.addRow("", self.mask)
        buttons = QHBoxLayout()
        for button in (self.preview_button, self.print_button, self.save_button):
            buttons.addWidget(button)
        left = QVBoxLayout()
        left.addLayout(form)
        left.addLayout(buttons)
        left.addWidget(self.status)
        left.addStretch(1)
        side = QWidget()
        side.setLayout(left)
        side.setMaximumWidth(420)
        self.preview = PdfPreview()
        layout = QHBoxLayout(self)
        layout.addWidget(side)
        layout.addWidget(self.preview, 1)
        self.paper.currentIndexChanged.connect(self._fields)
        # Previews are written here; the folder goes with the page (at the latest when the app ends).
        self._tmp_dir = tempfile.TemporaryDirectory(prefix="jiujinan-print-")
        self._tmp = Path(self._tmp_dir.name)
        self.job: LongJob | None = None
        # A paper is its reader's: another person signed in, or another society chosen, must not
        # find it (a clerk's full ID numbers shown to a reviewer, a village's to another village).
        ui.user_changed.connect(lambda _u: self.clear())
        ui.society_changed.connect(lambda _id: self.clear())
        self._fields()

    def clear(self) -> None:
        """Forget the paper shown and the case number typed for it."""
        self.preview.clear()
        self.case_no.clear()
        self.status.setStyleSheet("")
        self.status.clear()
        self._fields()

    def _fields(self) -> None:
        key = self.paper.currentData()
        self.case_no.setEnabled(key in ("form", "letter"))
        self.month.setEnabled(key in ("forms", "notices", "roster", "ledger", "monthly"))
        self.mask.setEnabled(key == "roster")
        self.print_button.setEnabled(self.preview.path is not None)
        self.save_button.setEnabled(self.preview.path is not None)

    def make_preview(self) -> None:
        """Build the chosen paper (a batch on a worker thread) and show it."""
        key = self.paper.currentData()
        month = month_of(self.month.date() or self.ui.ctx.clock.today())
        if self.month.isEnabled() and (problem := self.month.problem()):
            self._error(problem)
            return
        target = self._tmp / f"{key}-{month}.pdf"
        ctx, user, society_id = self.ui.ctx, self.ui.user, self.ui.society_id
        self.status.setStyleSheet("")
        # "notices" is `print notice --month`: one notice per notice period of the month.
        period = printing.month_period(month) if key in ("notices", *printing.NEEDS_PERIOD) else None
        paper = printing.Paper("notice" if key == "notices" else key, case_no=self.case_no.text().strip(),
                               society_id=self.ui.society_id, period=period, month=month,
                               masked=self.mask.isChecked())
        if key == "forms":  # a batch: behind a progress dialog that can cancel it
            self.job = LongJob(self, self.tr("正在生成审批表…"), lambda progress, cancelled: printing.print_paper(
                ctx, paper, target, user, progress=progress, cancelled=cancelled))
            self.job.finished.connect(lambda _n: self._show(target, user, society_id))
            self.job.failed.connect(self._error)
            self.job.start()
            return
        # Off the GUI thread; a refusal is shown beside the paper's fields.
        self.ui.ops.query(self, lambda: printing.print_paper(ctx, paper, target, user),
                          done=lambda _r: self._show(target, user, society_id), failed=self._error,
                          busy=self.tr("正在生成……"))

    def _show(self, target: Path, user: str, society_id: int) -> None:
        if (user, society_id) != (self.ui.user, self.ui.society_id):  # made for whoever was here before
            target.unlink(missing_ok=True)
            return
        try:
            self.preview.show_pdf(target)
        except Exception as err:  # noqa: BLE001
            show_error(self, err)
            return
        self.status.setText(self.tr("共 {0} 页。").format(self.preview.page_count()))
        self._fields()

    def _error(self, err: object) -> None:
        self.status.setStyleSheet(ERROR_STYLE)
        self.status.setText(message_for(err) if isinstance(err, BaseException) else str(err))

    def save_pdf(self) -> None:
        key = self.paper.currentData()
        try:
            month = month_of(self.month.date() or self.ui.ctx.clock.today())
            saved = self.preview.save_as(self, f"{self.tr(FILE_NAMES.get(key, key))}-{month}.pdf")
        except (OSError, DomainError) as err:
            self._error(err)
            return
        if saved:
            self.status.setText(self.tr("已保存：{0}").format(saved))
