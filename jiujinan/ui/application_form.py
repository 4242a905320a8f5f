"""The application form (救助申请): typed as on paper, checked as you type, saved with Enter."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QUrl, Qt
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFileDialog, QGridLayout, QGroupBox, QHBoxLayout,
    QLabel, QListWidget, QListWidgetItem, QPushButton, QScrollArea, QVBoxLayout, QWidget,
)

from jiujinan.cases.application import FIELD_LABELS, ApplicationInput, as_input, merge_newer, validate_application
from jiujinan.cases.enums import Cause, PaymentMethod
from jiujinan.cases.errors import ConflictError, DomainError, ValidationError
from jiujinan.cases.file_names import clean_file_name, refuse_unviewable
from jiujinan.cases.history import RepeatApplication
from jiujinan.cases.idcard import IdInfo, parse_id_number
from jiujinan.cases.dates import format_date, format_moment
from jiujinan.cases.records import ChangeRecord, StoredCase
from jiujinan.services import intake
from jiujinan.ui.application_fields import FIELDS, FieldWidgets
from jiujinan.ui.dialog_keys import AsksBeforeDiscarding
from jiujinan.ui.errors import message_for
from jiujinan.ui.field_errors import ERROR_STYLE, show_refusal
from jiujinan.ui.screen_fit import resize_to_fit
from jiujinan.ui.history_panel import HistoryPanel
from jiujinan.ui.repeat_dialog import RepeatChoice, RepeatDialog
from jiujinan.ui.session import UiSession
from jiujinan.ui.wheel_guard import guard_wheel


class NewerApplication(ConflictError):
    """Another clerk saved the case first: the case as it is now, read on the worker."""

    def __init__(self, case: StoredCase) -> None:
        super().__init__(QCoreApplication.translate("ApplicationForm", "案件已被他人修改"))
        self.case = case


class ApplicationForm(AsksBeforeDiscarding, QDialog):
    """New application (``case`` None) or edit of a stored one; Esc, 取消 or closing asks
    before throwing typed changes away."""

    def __init__(self, ui: UiSession, case: StoredCase | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = ui
        self.case = case
        self.saved_case: StoredCase | None = None
        self.repeat_dialog: RepeatDialog | None = None
        self._touched: set[str] = set()
        self._show_all = False
        self._new_files: list[Path] = []
        self.setWindowTitle(self.tr("修改申请 {0}").format(case.case_no) if case else self.tr("新建救助申请"))
        self._build()
        if case:
            self._load(case)
        self._revalidate()
        self.mark_unchanged()
        guard_wheel(self)  # the form scrolls: the wheel must not change 家庭人口 or 救助事由 on the way
        self.name.setFocus()  # typing starts with the applicant's name

    def current_values(self) -> object:
        return self.form_input(), tuple(self._new_files)

    def has_changes(self) -> bool:
        """Only a form that can be saved has changes to lose (a decided case is read-only)."""
        return self.save_button.isEnabled() and super().has_changes()

    # --- layout -------------------------------------------------------------------------
    def _build(self) -> None:
        self._build_fields()
        files_box = self._files_box()
        self.history = HistoryPanel()
        self.changes = QLabel()
        self.changes.setWordWrap(True)
        self.changes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        changes_box = QGroupBox(self.tr("登记与修改记录"))
        QVBoxLayout(changes_box).addWidget(self.changes)
        changes_box.setVisible(self.case is not None)
        # Left: applicant, household, agent; right: the applicant's history, cause, payment,
        # attachments and the record of changes.
        columns = ([], [self.history])
        for section, group in self.fields.sections.items():
            columns[section.column].append(group)
        columns[1].extend((files_box, changes_box))
        grid = QGridLayout()
        for number, widgets in enumerate(columns):
            column = QVBoxLayout()
            for widget in widgets:
                column.addWidget(widget)
            column.addStretch(1)
            grid.addLayout(column, 0, number)
            grid.setColumnStretch(number, 1)
        inner = QWidget()
        inner.setLayout(grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)

        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(ERROR_STYLE)
        self.banner.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.tr("保存（Enter）"))
        self.save_button.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        for keys in ("Ctrl+S", "Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, activated=self.save)

        outer = QVBoxLayout(self)
        self.header = QLabel()
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if self.case is not None:
            outer.addWidget(self.header)
        outer.addWidget(scroll, 1)
        outer.addWidget(self.banner)
        outer.addWidget(self.buttons)
        resize_to_fit(self, 1180, 700)  # buttons on a 1366×768 screen with a taskbar

        self._connect_fields()
        self._set_tab_order()
        # Enter saves from anywhere in the form: no other button may become the default.
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(button is self.save_button)

    def _build_fields(self) -> None:
        """The widgets of the field table; each is also the attribute the table names
        (``self.name``, ``self.requested``…), as the form's code and its tests use them."""
        self.fields = FieldWidgets(self.tr, self.ui.ctx.clock.today)
        self.inputs, self.boxes = self.fields.inputs, self.fields.boxes
        for spec in FIELDS:
            setattr(self, spec.widget_attr, self.inputs[spec.name])

    def _files_box(self) -> QGroupBox:
        self.attachments = QListWidget()
        self.attachments.setMaximumHeight(110)
        self.attachments.itemActivated.connect(self._open_attachment)
        self.add_files_button = QPushButton(self.tr("添加附件…"))
        self.add_files_button.clicked.connect(self._add_files)
        self.open_file_button = QPushButton(self.tr("打开所选附件"))
        self.open_file_button.clicked.connect(lambda: self._open_attachment(self.attachments.currentItem()))
        files_box = QGroupBox(self.tr("附件（诊断证明、票据、报案证明等）"))
        files_layout = QVBoxLayout(files_box)
        files_layout.addWidget(self.attachments)
        file_buttons = QHBoxLayout()
        file_buttons.addWidget(self.add_files_button)
        file_buttons.addWidget(self.open_file_button)
        file_buttons.addStretch(1)
        files_layout.addLayout(file_buttons)
        return files_box

    def _connect_fields(self) -> None:
        """Every edit marks its field touched and checks the form again; a few fields do more."""
        self.fields.connect(self._on_edit, {"id_number": self._on_id_edit, "cause": self._on_cause,
                                            "members": self._on_members})
        self.applied_on.textChanged.connect(self._on_date)
        self.payment_method.currentIndexChanged.connect(self._payment_fields_enabled)
        self._payment_fields_enabled()

    def _set_tab_order(self) -> None:
        """Tab walks the fields in the table's order (the paper's), then the attachments and 保存."""
        chain = self.fields.tab_stops() + [self.attachments, self.add_files_button, self.open_file_button,
                                           self.save_button]
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)

    # --- reading and writing the widgets ------------------------------------------------
    def form_input(self) -> ApplicationInput:
        """The form as typed."""
        return self.fields.read()

    def _load(self, case: StoredCase) -> None:
        self.header.setText(self.tr("案件编号 {0}　状态：{1}　登记：{2} {3}　最后修改：{4} {5}").format(
            case.case_no, case.status.label, case.created_by, format_moment(case.created_at),
            case.updated_by, format_moment(case.updated_at)))
        self._fill(as_input(case.application))
        self.attachments.clear()
        for att in case.attachments:
            item = QListWidgetItem(self.tr("{0}（{1} KB，{2} 添加）").format(
                att.original_name, att.size_bytes // 1024 + 1, att.added_by))
            item.setData(Qt.ItemDataRole.UserRole, att)
            self.attachments.addItem(item)
        self._refresh_history()
        self._show_changes(case.id)

    def _fill(self, app: ApplicationInput) -> None:
        """Put an application, as typed, into the widgets."""
        self.fields.write(app)
        self._show_birth(app.id_number)

    def _show_birth(self, id_number: str) -> IdInfo | None:
        """出生日期 as the ID number says (— while it is not a valid one); the parsed number."""
        try:
            info = parse_id_number(id_number, self.ui.ctx.clock.today())
        except ValidationError:
            self.birth.setText("—")
            return None
        self.birth.setText(format_date(info.birth_date))
        return info

    def _take_newer(self, newer: StoredCase) -> None:
        """Another clerk saved this case while it was open here: show what they changed, in
        their fields, and keep this clerk's other edits; saving again is against their version."""
        assert self.case is not None
        merged, theirs = merge_newer(self.form_input(), self.case.application, newer.application)
        self.case = newer
        self._load(newer)
        self._fill(merged)
        self._revalidate()
        for name in theirs:
            if name in self.boxes:
                self.boxes[name].set_error(self.tr("{0} 刚改为此内容").format(newer.updated_by))
        changed = "、".join(FIELD_LABELS[n] for n in theirs) or self.tr("附件")
        self.banner.setText(self.tr(
            "{0} 在 {1} 刚保存了本案，改了：{2}。这些栏已换成对方保存的内容（红字标出），您的其他修改还在；"
            "请核对后再点保存。").format(newer.updated_by, format_moment(newer.updated_at), changed))
        self.banner.show()

    def _show_changes(self, case_id: int) -> None:
        """The case's change record, read off the GUI thread."""
        ctx, user = self.ui.ctx, self.ui.user
        self.ui.ops.query(self, lambda: intake.case_changes(ctx, case_id, user), done=self._list_changes,
                          failed=lambda err: self.changes.setText(message_for(err)))

    def _list_changes(self, changes: list[ChangeRecord]) -> None:
        lines = []
        for change in changes:
            when = format_moment(change.at)
            if change.action == "register":
                lines.append(self.tr("{0} {1} 登记").format(when, change.user))
            else:
                names = "、".join(FIELD_LABELS.get(f, self.tr("附件")) for f in change.fields)
                lines.append(self.tr("{0} {1} 修改：{2}").format(when, change.user, names))
        self.changes.setText("\n".join(lines))

    # --- as the clerk types -------------------------------------------------------------
    def _on_edit(self, *_args: object) -> None:
        name = self.sender().property("field") if self.sender() else None
        if name:
            self._touched.add(str(name))
        self._revalidate()

    def _on_id_edit(self, text: str) -> None:
        self._touched.add("id_number")
        info = self._show_birth(text)
        if info is None:
            self.history.clear()
        else:
            self.sex.setCurrentIndex(self.sex.findData(info.sex.value))
            self._refresh_history()
        self._revalidate()

    def _on_cause(self, *_args: object) -> None:
        self._touched.add("cause")
        self._refresh_history()
        self._revalidate()

    def _on_members(self) -> None:
        self._touched.add("members")
        minimum = len([r for r in self.members.rows() if any(c.strip() for c in r)]) + 1
        if self.household_size.value() < minimum:
            self.household_size.setValue(minimum)
        self._revalidate()

    def _on_date(self, *_args: object) -> None:
        """The year decides which earlier aid counts (一事一救); the cause is not touched by it."""
        if self.applied_on.date() is not None:  # not on every keystroke of a half-typed date
            self._refresh_history()
        self._revalidate()

    def _payment_fields_enabled(self) -> None:
        cash = self.payment_method.currentData() == PaymentMethod.CASH.value
        for widget in (self.bank_name, self.account_no, self.account_holder):
            widget.setEnabled(not cash)

    def _refresh_history(self) -> None:
        try:
            info = parse_id_number(self.id_number.text(), self.ui.ctx.clock.today())
        except ValidationError:
            return
        cause = Cause(self.cause.currentData()) if self.cause.currentData() else None
        ctx, society_id, user = self.ui.ctx, self.ui.society_id, self.ui.user
        on, case_no = self.applied_on.date() or ctx.clock.today(), self.case.case_no if self.case else None
        # Off the GUI thread, as the ID number is typed; the latest answer is the one shown last.
        self.ui.ops.query(self, lambda: intake.applicant_history(ctx, society_id, info.number, cause, on, case_no,
                                                                 user=user),
                          done=self.history.show_history,
                          failed=lambda err: self.history.summary.setText(message_for(err)))

    def _revalidate(self) -> bool:
        """Check the whole form; show each error beside its field once the field was touched."""
        try:
            validate_application(self.form_input(), self.ui.ctx.clock.today())
            errors: dict[str, str] = {}
        except ValidationError as err:
            errors = {}
            for e in err.errors:
                errors.setdefault(e.field, e.message)
        if problem := self.applied_on.problem():  # "2026年2月只有28天" says more than "请填写"
            errors["applied_on"] = problem
        for name, box in self.boxes.items():
            visible = self._show_all or name in self._touched
            box.set_error(errors.get(name) if visible else None)
        return not errors

    def error_for(self, field: str) -> str:
        """The message now shown beside ``field`` ("" when none)."""
        return self.boxes[field].error.text()

    # --- attachments --------------------------------------------------------------------
    def choose_files(self) -> list[str]:
        """Ask for files to attach (tests replace this)."""
        files, _ = QFileDialog.getOpenFileNames(self, self.tr("选择附件"))
        return files

    def _add_files(self) -> None:
        for name in self.choose_files():
            path = Path(name)
            self._new_files.append(path)
            item = QListWidgetItem(self.tr("{0}（保存时加入）").format(clean_file_name(path.name)))
            item.setData(Qt.ItemDataRole.UserRole + 1, str(path))
            self.attachments.addItem(item)

    def _open_attachment(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        stored = item.data(Qt.ItemDataRole.UserRole)
        if not (stored and self.case):  # a file chosen in this sitting, not saved yet
            path = Path(item.data(Qt.ItemDataRole.UserRole + 1))
            try:
                refuse_unviewable(path.name)
            except DomainError as err:
                show_refusal(err, {}, self.banner)
                return
            self.open_file(path)
            return
        ctx, case_id, user = self.ui.ctx, self.case.id, self.ui.user
        # Checked on the worker: the user may see the case, the stored file is the one recorded.
        self.ui.ops.query(self, lambda: intake.attachment_path(ctx, case_id, stored, user), done=self.open_file,
                          failed=lambda err: show_refusal(err, {}, self.banner), busy=self.tr("正在打开附件……"))

    def open_file(self, path: Path) -> None:
        """Show a file with the system's viewer (tests replace this)."""
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            self.banner.setText(self.tr("无法打开附件：{0}").format(path))
            self.banner.show()

    # --- saving -------------------------------------------------------------------------
    def save(self) -> None:
        """Validate and store; errors go beside their fields, and nothing is written."""
        self._show_all = True
        if not self._revalidate():
            self.banner.setText(self.tr("有内容需要修改，见红字提示。"))
            self.banner.show()
            self._focus_first_error()
            return
        ctx, user, data, files = self.ui.ctx, self.ui.user, self.form_input(), list(self._new_files)
        if self.case is None:
            society_id = self.ui.society_id
            work = lambda: intake.register_application(ctx, society_id, data, user, attachments=files)  # noqa: E731
        else:
            case_id, version = self.case.id, self.case.version

            def work() -> StoredCase:
                try:
                    return intake.update_application(ctx, case_id, data, user, version=version,
                                                     new_attachments=files)
                except ConflictError as err:  # read the newer case on the worker too
                    raise NewerApplication(intake.load(ctx, case_id, user)) from err
        self.ui.ops.change(self, work, done=self._saved, failed=self._refused)

    def _saved(self, case: StoredCase) -> None:
        self.saved_case = case
        self.accept()

    def _refused(self, err: BaseException) -> None:
        if isinstance(err, RepeatApplication):  # 一事一救: the same rule as `case add` (cases/history)
            self.ask_about_repeat(err)
        elif isinstance(err, NewerApplication):
            self._take_newer(err.case)
        else:  # two new cases took one number at once: saving again takes the next
            show_refusal(err, self.boxes, self.banner, banner_too=True)

    def ask_about_repeat(self, err: RepeatApplication) -> RepeatDialog:
        """Show the earlier case(s): open one, register anyway with a reason, or go back."""
        self.banner.setText(str(err))
        self.banner.show()
        dialog = RepeatDialog(err.earlier, self, editing=self.case is not None)
        dialog.finished.connect(lambda _code: self._repeat_answered(dialog))
        self.repeat_dialog = dialog
        dialog.open()
        return dialog

    def _repeat_answered(self, dialog: RepeatDialog) -> None:
        if dialog.choice is RepeatChoice.REGISTER:
            self.repeat_reason.setText(dialog.reason())  # on the case, and in its audit entry
            self.banner.hide()
            self.save()
        elif dialog.choice is RepeatChoice.OPEN:
            self.open_case(dialog.chosen_case_no)

    def open_case(self, case_no: str) -> QDialog | None:
        """Leave this form for the earlier case's screen (nothing is registered)."""
        ctx, user = self.ui.ctx, self.ui.user
        shown: list[QDialog] = []
        self.ui.ops.query(self, lambda: intake.load_by_no(ctx, case_no, user),
                          done=lambda case: shown.append(self._open_earlier(case)),
                          failed=lambda err: show_refusal(err, {}, self.banner))
        return shown[0] if shown else None  # at once when the runner runs in place (the tests)

    def _open_earlier(self, case: StoredCase) -> QDialog:
        from jiujinan.ui.case_dialog import CaseDialog  # case_dialog opens this form: imported here

        dialog = CaseDialog(self.ui, case.id, self.parentWidget())
        dialog.open()
        self.reject()
        return dialog

    def _focus_first_error(self) -> None:
        for box in self.boxes.values():
            if box.error.text():
                box.field.setFocus()
                return

