"""导出: the village sends its CSV export; the district imports many and reconciles them."""

from __future__ import annotations

import html

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDialog, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout,
    QHeaderView, QInputDialog, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QTableWidget, QTableWidgetItem,
    QMessageBox, QVBoxLayout, QWidget,
)

from jiujinan.cases.errors import DomainError, ValidationError
from jiujinan.cases.users import Permission
from jiujinan.cases.money import format_fen, parse_yuan
from jiujinan.exports.folder import export_folders_in
from jiujinan.services import district, district_trust, export, societies
from jiujinan.services.district import Reconciliation
from jiujinan.ui.date_edit import DateEdit, MonthEdit
from jiujinan.ui.dialog_keys import save_keys
from jiujinan.ui.errors import message_for
from jiujinan.ui.field_errors import ERROR_STYLE, error_banner, ok_cancel, show_refusal
from jiujinan.ui.long_job import LongJob
from jiujinan.ui.role_guard import guard
from jiujinan.ui.packet_box import PacketBox
from jiujinan.ui.session import UiSession

RECON_HEADERS = (
    QT_TRANSLATE_NOOP("ExchangePage", "区划代码"),
    QT_TRANSLATE_NOOP("ExchangePage", "互助社"),
    QT_TRANSLATE_NOOP("ExchangePage", "区拨款"),
    QT_TRANSLATE_NOOP("ExchangePage", "上报区财政收入"),
    QT_TRANSLATE_NOOP("ExchangePage", "差额"),
    QT_TRANSLATE_NOOP("ExchangePage", "发放笔数"),
    QT_TRANSLATE_NOOP("ExchangePage", "发放金额"),
    QT_TRANSLATE_NOOP("ExchangePage", "余额"),
    QT_TRANSLATE_NOOP("ExchangePage", "缺报月份"),
)


class ExchangePage(QWidget):
    """Both sides of the exchange on one screen; long work runs behind a progress dialog."""

    def __init__(self, ui: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = ui
        self.job: LongJob | None = None
        today = ui.ctx.clock.today()
        # --- village: export
        self.scope = QComboBox()
        self.scope.addItem(self.tr("全部记录"), "all")
        self.scope.addItem(self.tr("某月"), "month")
        self.scope.addItem(self.tr("起止日期"), "range")
        self.month = MonthEdit(ui.ctx.clock.today, today.replace(day=1))
        self.date_from = DateEdit(ui.ctx.clock.today, today.replace(month=1, day=1), field="from",
                                  label=self.tr("起始日期"))
        self.date_to = DateEdit(ui.ctx.clock.today, today, field="to", label=self.tr("截止日期"))
        self.all_societies = QCheckBox(self.tr("数据库中的全部互助社（每个一个文件夹）"))
        self.full_ids = QCheckBox(self.tr("身份证号不脱敏（仅在区里要求时）"))
        self.encoding = QComboBox()
        self.encoding.addItem(self.tr("UTF-8（Excel 可直接打开）"), "utf-8")
        self.encoding.addItem("GB18030", "gb18030")
        self.export_button = QPushButton(self.tr("导出到文件夹…"))
        self.export_button.clicked.connect(self.export)
        export_box = self.export_box = QGroupBox(self.tr("本社导出（报送区里）"))
        form = QFormLayout(export_box)
        form.addRow(self.tr("范围"), self.scope)
        form.addRow(self.tr("月份"), self.month)
        dates = QHBoxLayout()
        dates.addWidget(self.date_from)
        dates.addWidget(QLabel("—"))
        dates.addWidget(self.date_to)
        form.addRow(self.tr("起止日期"), dates)
        form.addRow("", self.all_societies)
        form.addRow("", self.full_ids)
        form.addRow(self.tr("编码"), self.encoding)
        form.addRow("", self.export_button)
        self.export_status = QLabel()  # what the export did, beside it (the log is the district's)
        self.export_status.setWordWrap(True)
        self.export_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("", self.export_status)
        # --- district: import and reconcile
        self.import_button = QPushButton(self.tr("导入各村文件夹…"))
        self.import_button.clicked.connect(self.import_folders)
        self.grant_button = QPushButton(self.tr("登记区拨款…"))
        self.grant_button.clicked.connect(self.add_grant)
        self.trust_button = QPushButton(self.tr("登记某社新密钥…"))
        self.trust_button.clicked.connect(self.trust_key)
        self.reconcile_button = QPushButton(self.tr("对账"))
        self.reconcile_button.clicked.connect(lambda: self.reconcile())  # clicked(bool) is not a "then"
        self.csv_button = QPushButton(self.tr("对账结果导出CSV…"))
        self.csv_button.clicked.connect(lambda: self.save_report("csv"))
        self.pdf_button = QPushButton(self.tr("对账表存为PDF…"))
        self.pdf_button.clicked.connect(lambda: self.save_report("pdf"))
        self.log = QPlainTextEdit()
        self.log.setReadOnly(True)
        self.log.setMaximumHeight(130)
        self.table = QTableWidget(0, len(RECON_HEADERS))
        self.table.setHorizontalHeaderLabels([self.tr(h) for h in RECON_HEADERS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.findings = QLabel()
        self.findings.setWordWrap(True)
        self.audit_notes = QLabel()
        self.audit_notes.setWordWrap(True)
        district_box = QGroupBox(self.tr("区里：导入与对账"))
        d = QVBoxLayout(district_box)
        row = QHBoxLayout()
        district_buttons = [self.import_button, self.grant_button, self.reconcile_button, self.csv_button,
                            self.pdf_button]
        for button in (*district_buttons[:2], self.trust_button, *district_buttons[2:]):
            row.addWidget(button)
        guard(ui, Permission.DISTRICT, district_buttons)  # the district's side: 审核人 or 管理员
        row.addStretch(1)
        d.addLayout(row)
        d.addWidget(self.log)
        d.addWidget(self.table, 1)
        d.addWidget(self.findings)
        d.addWidget(self.audit_notes)
        self.packet_box = PacketBox(ui)
        left = QVBoxLayout()
        left.addWidget(self.packet_box)
        left.addWidget(export_box)
        left.addStretch(1)
        layout = QHBoxLayout(self)
        layout.addLayout(left)
        layout.addWidget(district_box, 1)
        export_box.setVisible(ui.society_id is not None)  # a town's or district's office exports no society
        self.report: Reconciliation | None = None
        self.scope.currentIndexChanged.connect(self._scope)
        self._scope()

    def _scope(self) -> None:
        kind = self.scope.currentData()
        self.month.setEnabled(kind == "month")
        self.date_from.setEnabled(kind == "range")
        self.date_to.setEnabled(kind == "range")

    def period(self) -> tuple[dt.date, dt.date] | None:
        """The chosen span as [start, end); a wrong date is a ValidationError in Chinese."""
        kind = self.scope.currentData()
        if kind == "month":
            start = self.month.value()
            assert start is not None
            return start, (start + dt.timedelta(days=32)).replace(day=1)
        if kind == "range":
            start, last = self.date_from.value(), self.date_to.value()
            assert start is not None and last is not None
            return start, last + dt.timedelta(days=1)
        return None

    def choose_folder(self, title: str) -> str:
        """Ask for a folder (tests replace this)."""
        return QFileDialog.getExistingDirectory(self, title)

    def choose_file(self, title: str, suggested: str, pattern: str) -> str:
        """Ask where to save a file (tests replace this)."""
        return QFileDialog.getSaveFileName(self, title, suggested, pattern)[0]

    def export(self) -> None:
        try:
            period = self.period()
        except ValidationError as err:
            self._export_said(str(err), error=True)
            return
        folder = self.choose_folder(self.tr("导出到哪个文件夹"))
        if not folder:
            return
        ctx, society_id, one = self.ui.ctx, self.ui.society_id, not self.all_societies.isChecked()
        full_ids, encoding, user = self.full_ids.isChecked(), self.encoding.currentData(), self.ui.user

        def job(progress, cancelled):  # noqa: ANN001, ANN202
            codes = [societies.get_society(ctx, society_id).settings.area_code] if one else None
            return export.export_all(ctx, Path(folder), codes=codes, period=period, full_ids=full_ids,
                                     encoding=encoding, progress=progress, cancelled=cancelled, user=user)

        self._run(self.tr("正在导出…"), job,
                  lambda done: self._export_said(self.tr("已导出：") + "、".join(str(p) for p in done)),
                  lambda err: self._export_said(message_for(err), error=True))

    def _export_said(self, text: str, *, error: bool = False) -> None:
        self.export_status.setStyleSheet(ERROR_STYLE if error else "")
        self.export_status.setText(text)

    def import_folders(self) -> None:
        """Import every export folder under the chosen folder (or the folder itself)."""
        root = self.choose_folder(self.tr("选择存放各村导出的文件夹"))
        if not root:
            return
        base = Path(root)
        folders = export_folders_in(base)
        if folders == [base] and not (base / "manifest.json").exists():
            self.log.appendPlainText(self.tr("{0} 下没有导出文件夹（含 manifest.json）").format(base))
            return
        ctx, user = self.ui.ctx, self.ui.user

        def job(progress, cancelled):  # noqa: ANN001, ANN202
            return district.import_folders(ctx, folders, user, progress, cancelled)

        def done(results) -> None:  # noqa: ANN001
            for result in results:
                self.log.appendPlainText(result.message)
            self.reconcile()

        self._run(self.tr("正在导入…"), job, done)

    def ask_key_file(self) -> tuple[str, str]:
        """A society's public key file and its area code (tests replace this)."""
        name = QFileDialog.getOpenFileName(self, self.tr("选择该社导出的公钥文件"), "", self.tr("公钥文件 (*.pem);;所有文件 (*)"))[0]
        if not name:
            return "", ""
        code, ok = QInputDialog.getText(self, self.tr("登记新密钥"), self.tr("该互助社的区划代码（12位）："))
        return (name, code.strip()) if ok else ("", "")

    def confirm_fingerprint(self, code: str, shown: str) -> bool:
        """Whether the officer read this fingerprint back with the society (tests replace this)."""
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("核对指纹"), self.tr(
            "<p>公钥文件的指纹是</p><p style='font-size:16pt'><b>{0}</b></p><p>请与 {1} 核对（电话，或该社月报、"
            "设置页上的指纹）。一致才登记：以后只接收用这把密钥签名的报送。</p>").format(html.escape(shown), code),
            parent=self)
        box.setTextFormat(Qt.TextFormat.RichText)
        yes = box.addButton(self.tr("指纹一致，登记"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("取消"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(box.buttons()[-1])
        box.exec()
        return box.clickedButton() is yes

    def trust_key(self) -> None:
        """Enrol a society's new key from its key file, after its fingerprint was checked with it."""
        name, code = self.ask_key_file()
        if not name or not code:
            return
        try:
            shown = district_trust.key_file_fingerprint(Path(name))  # a small file, read here
        except (DomainError, OSError, ValueError) as err:  # a file that is not a key: said in the log
            self._said(err)
            return
        if not self.confirm_fingerprint(code, shown):
            self.log.appendPlainText(self.tr("未登记：指纹未经核对"))
            return
        ctx, user = self.ui.ctx, self.ui.user
        self.ui.ops.change(self, lambda: district_trust.trust_key_file(ctx, Path(name), code, user, shown),
                           done=lambda old_new: self._trusted(code, *old_new), failed=self._said)

    def _trusted(self, code: str, old: str | None, new: str) -> None:
        self.log.appendPlainText(self.tr("已为 {0} 登记公钥，指纹 {1}").format(code, new)
                                 + (self.tr("（原指纹 {0}）").format(old) if old else ""))

    def grant_dialog(self) -> "GrantDialog":
        return GrantDialog(self.ui, self)

    def add_grant(self) -> None:
        dialog = self.grant_dialog()
        if dialog.exec():
            self.log.appendPlainText(self.tr("已登记拨款：{0}").format(dialog.summary))
            self.reconcile()

    def reconcile(self, then: Callable[[], object] | None = None) -> None:
        """Reconcile off the GUI thread, then show it (and run ``then``)."""
        ctx, user = self.ui.ctx, self.ui.user
        self.ui.ops.query(self, lambda: district.reconcile(ctx, user), done=lambda report: self._show(report, then),
                          failed=self._said)

    def _said(self, err: BaseException) -> None:
        self.log.appendPlainText(message_for(err))

    def _show(self, report: Reconciliation, then: Callable[[], object] | None = None) -> None:
        self.report = report
        lines = self.report.societies
        self.table.setRowCount(len(lines))
        for row, line in enumerate(lines):
            cells = (line.code, line.name, format_fen(line.granted_fen, grouped=True),
                     format_fen(line.reported_district_fen, grouped=True), format_fen(line.grant_gap_fen, grouped=True),
                     str(line.payments), format_fen(line.paid_fen, grouped=True),
                     format_fen(line.balance_fen, grouped=True), "、".join(line.missing_months))
            for col, text in enumerate(cells):
                self.table.setItem(row, col, QTableWidgetItem(text))
        flagged = [line for line in lines if line.audit_note]
        self.audit_notes.setText(self.tr("审计记录异常：{0}").format(
            "；".join(f"{line.code} {line.name}：{line.audit_note}" for line in flagged) or self.tr("无")))
        self.audit_notes.setStyleSheet("color: #b00020;" if flagged else "")
        found = self.report.findings
        self.findings.setText(self.tr("同一人同一年在两个以上互助社获救助：{0}").format(
            "；".join(f"{f.person}（{f.year}）{'、'.join(c for c, _ in f.cases)}" for f in found) or self.tr("无")))
        if then is not None:
            then()

    def save_report(self, kind: str) -> None:
        if self.report is None:
            self.reconcile(then=lambda: self.save_report(kind))
            return
        report = self.report
        name = self.choose_file(self.tr("保存对账结果"), self.tr("对账.{0}").format(kind), f"{kind.upper()} (*.{kind})")
        if not name:
            return
        ctx = self.ui.ctx
        write = (lambda: district.write_report_csv(report, Path(name))) if kind == "csv" else (
            lambda: district.write_report_pdf(ctx, report, Path(name)))
        self.ui.ops.query(self, write, done=lambda _r: self.log.appendPlainText(self.tr("已保存：{0}").format(name)),
                          failed=self._said, busy=self.tr("正在保存……"))

    def _run(self, title: str, job, on_done, on_failed=None) -> None:  # noqa: ANN001
        self.job = LongJob(self, title, job)
        self.job.finished.connect(on_done)
        self.job.failed.connect(on_failed or (lambda err: self.log.appendPlainText(message_for(err))))
        self.job.start()


class GrantDialog(QDialog):
    """Seed money the district granted a society, to reconcile against what it reports."""

    def __init__(self, ui: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = ui
        self.summary = ""
        self.setWindowTitle(self.tr("登记区拨款"))
        today = ui.ctx.clock.today()
        self.code = QLineEdit()
        self.code.setPlaceholderText(self.tr("12位区划代码"))
        self.date = DateEdit(ui.ctx.clock.today, today, label=self.tr("拨款日期"))
        self.amount = QLineEdit()
        self.memo = QLineEdit(self.tr("启动资金"))
        self.banner = error_banner()
        form = QFormLayout(self)
        form.addRow(self.tr("互助社区划代码"), self.code)
        form.addRow(self.tr("拨款日期"), self.date)
        form.addRow(self.tr("金额（元）"), self.amount)
        form.addRow(self.tr("摘要"), self.memo)
        form.addRow(self.banner)
        buttons, self.ok_button = ok_cancel(self, self.save)
        form.addRow(buttons)
        save_keys(self, self.save)

    def save(self) -> None:
        try:
            fen = parse_yuan(self.amount.text(), field="amount")
        except ValidationError as err:
            show_refusal(err, {}, self.banner)
            return
        ctx, code, on, memo, user = self.ui.ctx, self.code.text().strip(), self.date.text(), self.memo.text(), self.ui.user
        self.ui.ops.change(self, lambda: district.add_grant(ctx, code, on, fen, memo, user),
                           done=lambda _r: self._granted(f"{code} {format_fen(fen, grouped=True)}"),
                           failed=lambda err: show_refusal(err, {}, self.banner))  # the reason, in the dialog

    def _granted(self, summary: str) -> None:
        self.summary = summary
        self.accept()
