"""案件: the case list with its filters, and the way into the application form."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QFontMetrics, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QApplication, QCheckBox, QComboBox, QHBoxLayout, QHeaderView, QLabel,
    QLineEdit, QMainWindow, QPushButton, QTableView, QToolTip, QVBoxLayout, QWidget,
)

from jiujinan.cases.enums import Cause, CaseStatus
from jiujinan.cases.listing import CaseListQuery, search_needle
from jiujinan.cases.users import Permission
from jiujinan.ui.application_form import ApplicationForm
from jiujinan.ui.case_dialog import CaseDialog
from jiujinan.services.changes import Changes
from jiujinan.ui.case_table_model import CASE_ID_ROLE, PAGE_SIZE, CaseTableModel, Fetched
from jiujinan.ui.date_edit import DateEdit
from jiujinan.ui.field_errors import ERROR_STYLE
from jiujinan.ui.fonts import on_text_size_change
from jiujinan.ui.role_guard import guard
from jiujinan.ui.session import UiSession
from jiujinan.ui.sort_arrow import use_sort_arrows


class CaseListPage(QWidget):
    """Filter by status, cause, date range and free text; sort by any column."""

    def __init__(self, ui: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = ui
        self.new_button = QPushButton(self.tr("新建申请（Ctrl+N）"))
        self.new_button.clicked.connect(self.new_application)
        guard(ui, Permission.INTAKE, [self.new_button])
        self.edit_button = QPushButton(self.tr("打开所选"))
        self.edit_button.clicked.connect(self.open_selected)

        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("姓名、身份证号或案件编号（Ctrl+F）"))
        self.search.setClearButtonEnabled(True)
        self.status = QComboBox()
        self.status.addItem(self.tr("全部状态"), None)
        for status in CaseStatus:
            self.status.addItem(status.label, status.value)
        self.cause = QComboBox()
        self.cause.addItem(self.tr("全部事由"), None)
        for cause in Cause:
            self.cause.addItem(cause.label, cause.value)
        self.use_dates = QCheckBox(self.tr("申请日期"))
        today = ui.ctx.clock.today()
        self.date_from = DateEdit(ui.ctx.clock.today, today.replace(month=1, day=1), label=self.tr("起始日期"))
        self.date_to = DateEdit(ui.ctx.clock.today, today, label=self.tr("截止日期"))
        for edit in (self.date_from, self.date_to):
            edit.setEnabled(False)
        self.use_dates.toggled.connect(self.date_from.setEnabled)
        self.use_dates.toggled.connect(self.date_to.setEnabled)
        self.count_label = QLabel()

        actions = QHBoxLayout()
        actions.addWidget(self.new_button)
        actions.addWidget(self.edit_button)
        actions.addSpacing(12)
        actions.addWidget(self.search, 1)
        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("筛选：")))
        filters.addWidget(self.status)
        filters.addWidget(self.cause)
        filters.addWidget(self.use_dates)
        filters.addWidget(self.date_from)
        filters.addWidget(QLabel("—"))
        filters.addWidget(self.date_to)
        filters.addStretch(1)

        # Empty at first: its count and first page are read on the worker (refresh, below).
        # Pages scrolled to are read on the worker too.
        self.model = CaseTableModel(ui.ctx, CaseListQuery(society_id=ui.society_id), lambda: ui.user, self, load=False,
                                    runner=lambda work, done, failed: ui.ops.query(self, work, done=done, failed=failed))
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        use_sort_arrows(self.table.horizontalHeader())  # ▲ smallest first, ▼ largest first, on every style
        self.table.horizontalHeader().setSortIndicator(6, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self._size_rows_and_columns()
        on_text_size_change(self.table, self._size_rows_and_columns)  # they follow 设置 → 文字大小
        # activated is double-click and Enter; doubleClicked as well opened every case twice
        self.table.activated.connect(lambda _i: self.open_selected())

        layout = QVBoxLayout(self)
        layout.addLayout(actions)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)

        # Typing filters as you go, after a short pause so each keystroke is not a query.
        self._debounce = QTimer(self, singleShot=True, interval=200)
        self._debounce.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(self.open_first_match)
        self.search.installEventFilter(self)
        for combo in (self.status, self.cause):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filters())
        for edit in (self.date_from, self.date_to):
            edit.textChanged.connect(lambda _t: self._debounce.start())  # typing: wait for the pause
        self.use_dates.toggled.connect(lambda _c: self.apply_filters())
        # One action for Ctrl+N: the main window adds it too, so it works from every page, and
        # it answers as the 新建申请 button does for a user whose roles do not allow intake.
        self.new_action = QAction(self.tr("新建申请"), self)
        self.new_action.setShortcut(QKeySequence.StandardKey.New)
        # Case windows are not modal: Ctrl+N in one of them starts a new application too.
        self.new_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.new_action.triggered.connect(self.request_new_application)
        self.addAction(self.new_action)
        QShortcut(QKeySequence("Ctrl+F"), self, activated=self.search.setFocus)
        ui.changed.connect(self.changed)
        self.model.unavailable.connect(self._rows_unavailable, Qt.ConnectionType.QueuedConnection)
        ui.society_changed.connect(lambda _id: self.apply_filters())
        self._update_count()
        self.refresh()  # the list, read on the worker

    def _size_rows_and_columns(self) -> None:
        """Row height and column widths for the text size in use."""
        font = QApplication.font()
        self.table.verticalHeader().setDefaultSectionSize(QFontMetrics(font).height() + 10)
        for col, width in enumerate((210, 90, 170, 80, 120, 110, 100, 140, 120)):
            self.table.horizontalHeader().resizeSection(col, int(width * max(1.0, font.pointSizeF() / 11)))

    def current_query(self) -> CaseListQuery:
        """The filter as set in the bar, keeping the column order chosen in the header."""
        old = self.model.query
        status, cause = self.status.currentData(), self.cause.currentData()
        return CaseListQuery(
            society_id=self.ui.society_id,
            status=CaseStatus(status) if status else None,
            cause=Cause(cause) if cause else None,
            date_from=self.date_from.date() if self.use_dates.isChecked() else None,
            date_to=self.date_to.date() if self.use_dates.isChecked() else None,
            text=self.search.text(),
            sort=old.sort,
            descending=old.descending,
        )

    def apply_filters(self, then: Callable[[], object] | None = None) -> None:
        """The list as the bar filters it, read off the GUI thread (a failure is said by the
        one error path; the list stays as it was); ``then`` runs once it shows."""
        self._debounce.stop()
        query = self.current_query()
        self.ui.ops.query(self, lambda: self.model.fetch(query), done=lambda fetched: self._show(fetched, then))

    def _show(self, fetched: Fetched, then: Callable[[], object] | None = None) -> None:
        self.model.show(fetched)
        self._update_count()
        if then is not None:
            then()

    def _update_count(self) -> None:
        self.count_label.setStyleSheet("")
        self.count_label.setText(self.tr("共 {0} 件").format(self.model.rowCount()))

    def _rows_unavailable(self, message: str) -> None:
        """Rows could not be read while scrolling: said beside the count, without a popup
        in the middle of painting; the next reload tries again."""
        self.count_label.setStyleSheet(ERROR_STYLE)
        self.count_label.setText(message)

    def selected_case_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.data(index, CASE_ID_ROLE) if index.isValid() else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """↓ in the search box goes into the list, at its first row."""
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Down and not event.modifiers():
                self.focus_list()
                return True
        return super().eventFilter(watched, event)

    def focus_list(self) -> None:
        """Put the cursor in the list (on its first row when none is current yet)."""
        if self._debounce.isActive():  # the list as typed so far, not as it was
            self.apply_filters(then=self.focus_list)
            return
        if self.model.rowCount() and not self.table.currentIndex().isValid():
            self.table.selectRow(0)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def open_first_match(self) -> None:
        """Enter in the search box: the list as typed, and the only or first case in it opens."""
        self.apply_filters(then=self._open_first)

    def _open_first(self) -> None:
        if not search_needle(self.search.text()) or not self.model.rowCount():  # as the search reads it
            return
        self.table.selectRow(0)
        self.open_selected()

    def request_new_application(self) -> ApplicationForm | None:
        """Ctrl+N: the form, or the reason the signed-in user may not start one (as on the button)."""
        if not self.new_button.isEnabled():
            window = self.window()
            if isinstance(window, QMainWindow):
                window.statusBar().showMessage(self.new_button.toolTip(), 8000)
            QToolTip.showText(self.new_button.mapToGlobal(QPoint(0, self.new_button.height())),
                              self.new_button.toolTip(), self.new_button)
            return None
        return self.new_application()

    def new_application(self) -> ApplicationForm:
        form = ApplicationForm(self.ui, parent=self)
        form.open()
        form.finished.connect(lambda _r: self._after_form(form))
        return form

    def open_selected(self) -> CaseDialog | None:
        """Open the selected case: its step bar, timeline and next steps (its window, if open)."""
        case_id = self.selected_case_id()
        if case_id is None:
            return None
        return self.ui.case_window(case_id, lambda: CaseDialog(self.ui, case_id, parent=self))  # type: ignore[return-value]

    def changed(self, changes: Changes) -> None:
        """Cases or payments changed (here or at another clerk's PC): read the list again."""
        if changes.touches("case", "payment", "calendar"):
            self.refresh()

    def refresh(self) -> None:
        """Re-read after a change, keeping the selected case selected where it can be found
        (e.g. the server is gone: said, the list stays as it was)."""
        query = self.model.query
        self.ui.ops.query(self, lambda: self.model.fetch(query, calendar=True), done=self._show_again)

    def _show_again(self, fetched: Fetched) -> None:
        selected = self.selected_case_id()
        self._show(fetched)
        if selected is not None:
            self.select_case(selected)

    def select_case(self, case_id: int) -> bool:
        """Select ``case_id`` if it is on the first page of the list (where new cases land)."""
        for row in range(min(self.model.rowCount(), PAGE_SIZE)):
            if self.model.data(self.model.index(row, 0), CASE_ID_ROLE) == case_id:
                self.table.selectRow(row)
                self.table.scrollTo(self.model.index(row, 0))
                return True
        return False

    def _after_form(self, form: ApplicationForm) -> None:
        """Select the case just saved, so the clerk sees it in the list at once."""
        if form.saved_case is not None:
            self.select_case(form.saved_case.id)
