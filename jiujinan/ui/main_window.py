"""The main window: society chooser on top, navigation on the left, the work area, a status bar.

It only builds the frame and opens screens; each screen does its own work.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QAction, QCloseEvent, QFontMetrics, QKeySequence
from PySide6.QtWidgets import (
    QApplication, QDialog, QFrame, QHBoxLayout, QLabel, QListWidget, QMainWindow, QMessageBox, QScrollArea,
    QStackedWidget, QVBoxLayout,
    QWidget,
)

from jiujinan import __version__
from jiujinan.cases.offices import Office
from jiujinan.services import offices, societies
from jiujinan.cases.society import SocietyRecord
from jiujinan.ui.case_list_page import CaseListPage
from jiujinan.ui.dialog_keys import AsksBeforeDiscarding
from jiujinan.services.changes import Changes
from jiujinan.ui.fonts import on_text_size_change
from jiujinan.ui.fund_page import FundPage
from jiujinan.ui.exchange_page import ExchangePage
from jiujinan.ui.print_page import PrintPage
from jiujinan.ui.schema_warning import SchemaWarning
from jiujinan.ui.session import UiSession
from jiujinan.ui.settings_page import SettingsPage
from jiujinan.ui.society_chooser import SocietyChooser
from jiujinan.ui.todo_page import TodoPage
from jiujinan.ui.wheel_guard import guard_wheel

NAV = (
    QT_TRANSLATE_NOOP("MainWindow", "待办"),
    QT_TRANSLATE_NOOP("MainWindow", "案件"),
    QT_TRANSLATE_NOOP("MainWindow", "资金"),
    QT_TRANSLATE_NOOP("MainWindow", "打印"),
    QT_TRANSLATE_NOOP("MainWindow", "导出"),
    QT_TRANSLATE_NOOP("MainWindow", "设置"),
)
CASES_INDEX = 1
SOCIETY_PAGES = 4  # 待办 … 打印: a society's own work
SETTINGS_INDEX = 5
STUCK_AFTER_S = 20.0  # a save without an answer this long: the clerk may close the window anyway


def _scrolling(page: QWidget) -> QScrollArea:
    """``page`` filling a frameless scroll area (which shows bars only when the page needs them)."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(page)
    return area


class MainWindow(QMainWindow):
    def __init__(self, ui: UiSession) -> None:
        super().__init__()
        self.ui = ui
        self.setWindowTitle(self.tr("救急难互助社管理 {0}").format(__version__))

        # A town's or district's office without a society of its own shows only what works
        # without one (导出's district side and 设置); its inbox comes with the packets.
        self.has_society = ui.society_id is not None
        self.society_combo = SocietyChooser()
        self.society_combo.chosen.connect(self.ui.switch_society)
        self.office_label = QLabel()
        self.user_label = QLabel()
        top = QHBoxLayout()
        self.top_label = QLabel(self.tr("互助社：") if self.has_society else self.tr("本单位："))
        top.addWidget(self.top_label)
        top.addWidget(self.society_combo)
        top.addWidget(self.office_label)
        self.society_combo.setVisible(self.has_society)
        self.office_label.setVisible(not self.has_society)
        top.addStretch(1)
        top.addWidget(self.user_label)

        self.nav = QListWidget()
        self.nav.addItems([self.tr(n) for n in NAV])
        self.nav.setStyleSheet("QListWidget::item { padding: 10px 8px; }")
        self._fit_nav()
        on_text_size_change(self.nav, self._fit_nav)
        self.stack = QStackedWidget()
        self.settings_page = SettingsPage(ui)
        self.exchange_page = ExchangePage(ui)
        if self.has_society:
            self.case_page = CaseListPage(ui)
            self.todo_page = TodoPage(ui)
            self.fund_page = FundPage(ui)
            self.print_page = PrintPage(ui)
            society_pages = [self.todo_page, self.case_page, self.fund_page, self.print_page]
        else:
            society_pages = [QWidget() for _ in range(SOCIETY_PAGES)]
            for row in range(SOCIETY_PAGES):
                self.nav.item(row).setHidden(True)
        pages = [*society_pages, self.exchange_page, self.settings_page]
        for page in pages:
            # 设置 scrolls by itself; the others scroll when a large text size makes them
            # wider or taller than the screen, instead of pushing the window off it.
            self.stack.addWidget(page if page is self.settings_page else _scrolling(page))
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.nav.setCurrentRow(CASES_INDEX if self.has_society else SETTINGS_INDEX)

        body = QHBoxLayout()
        body.addWidget(self.nav)
        body.addWidget(self.stack, 1)
        central = QWidget()
        outer = QVBoxLayout(central)
        self.schema_warning = SchemaWarning()
        self.schema_warning.refresh(ui.ops, ui.ctx)
        outer.addWidget(self.schema_warning)
        outer.addLayout(top)
        outer.addLayout(body, 1)
        self.setCentralWidget(central)

        self.status_society = QLabel()
        self.status_user = QLabel()
        self.status_db = QLabel()
        self.status_db.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for label in (self.status_society, self.status_user, self.status_db):
            self.statusBar().addWidget(label)
        # A passing message (e.g. 已自动备份到 …) is drawn over these labels: hide them meanwhile.
        self.statusBar().messageChanged.connect(self._status_message)

        if self.has_society:
            self.addAction(self.case_page.new_action)  # Ctrl+N from every page
        for index in range(len(NAV)):
            action = QAction(self)
            action.setShortcut(QKeySequence(f"Alt+{index + 1}"))
            action.triggered.connect(lambda _c=False, i=index: not self.nav.item(i).isHidden()
                                     and self.nav.setCurrentRow(i))
            self.addAction(action)

        ui.society_changed.connect(lambda _id: self._refresh_labels())
        guard_wheel(self)  # pages scroll: the wheel must not change a setting passing under it
        ui.user_changed.connect(lambda _u: self._refresh_labels())
        ui.changed.connect(self._changed)
        ui.ops.busy_changed.connect(self._busy)  # a save or a read that lasts: said in the status bar
        ui.checked.connect(self.schema_warning.show_report)
        ui.watch_for_changes()  # another clerk's change shows up within seconds
        self._refresh_labels()
        if self.has_society:
            self.case_page.search.setFocus()  # the clerk's first move: find a case (Ctrl+F puts it back there)
        self.resize(1280, 720)

    def _gain_society(self, records: list[SocietyRecord]) -> None:
        """A town's or district's office received its first village's cases: the society pages
        come in, on that village."""
        if self.has_society or not records:
            return
        self.has_society = True
        self.ui.society_id = records[0].id
        self.ui.prefs.set_last_society(self.ui.ctx.db_label, records[0].id)
        self.case_page = CaseListPage(self.ui)
        self.todo_page = TodoPage(self.ui)
        self.fund_page = FundPage(self.ui)
        self.print_page = PrintPage(self.ui)
        current = self.nav.currentRow()
        for row, page in enumerate((self.todo_page, self.case_page, self.fund_page, self.print_page)):
            old = self.stack.widget(row)
            self.stack.removeWidget(old)
            old.deleteLater()
            self.stack.insertWidget(row, _scrolling(page))
            self.nav.item(row).setHidden(False)
        self.stack.setCurrentIndex(current)
        self.addAction(self.case_page.new_action)
        self.office_label.hide()
        self.society_combo.show()
        self.top_label.setText(self.tr("互助社："))
        self.exchange_page.export_box.show()
        self.ui.society_changed.emit(records[0].id)
        self._refresh_labels()

    def _fit_nav(self) -> None:
        """The side menu as wide as its longest entry at the current text size."""
        metrics = QFontMetrics(QApplication.font())
        widest = max(metrics.horizontalAdvance(self.nav.item(i).text()) for i in range(self.nav.count()))
        self.nav.setFixedWidth(max(110, widest * 2 + 40))  # twice the entry: room for the padding and frame

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        """Case windows are not modal, so a form with typed changes may still be open in one:
        ask before closing takes it down too. A save under way is waited for."""
        if self.ui.ops.saving():
            waited = self.ui.ops.saving_for()
            if waited < STUCK_AFTER_S or not self.ask_close_while_saving(waited):
                self.statusBar().showMessage(self.tr("正在保存，请稍候再关闭"), 5000)
                event.ignore()
                return
        for dialog in self.findChildren(QDialog):
            if isinstance(dialog, AsksBeforeDiscarding) and dialog.isVisible() and dialog.has_changes():
                dialog.raise_()
                dialog.activateWindow()
                if not dialog.ask_discard():
                    event.ignore()
                    return
        super().closeEvent(event)

    def ask_close_while_saving(self, waited: float) -> bool:
        """A save has had no answer for long (a server gone quiet): close anyway? (tests replace this)"""
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("仍在保存"), self.tr(
            "保存已等了 {0} 秒，数据库仍没有回应（可能是网络中断）。\n\n仍要关闭程序吗？"
            "这次保存可能没有完成，重新打开后请核对。").format(int(waited)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("仍然关闭"))
        box.button(QMessageBox.StandardButton.No).setText(self.tr("继续等待"))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes

    def _status_message(self, text: str) -> None:
        for label in (self.status_society, self.status_user, self.status_db):
            label.setVisible(not text)

    def _busy(self, text: str) -> None:
        bar = self.statusBar()
        if text:
            self._busy_text = text
            bar.showMessage(text)
        elif bar.currentMessage() == getattr(self, "_busy_text", None):
            bar.clearMessage()  # only ours: a passing message (已自动备份到 …) stays

    def _changed(self, changes: Changes) -> None:
        if changes.touches("society", "user"):
            self._refresh_labels()
        if not self.has_society and changes.touches("society"):
            ctx, user = self.ui.ctx, self.ui.user
            self.ui.ops.query(self, lambda: societies.list_societies(ctx, user), done=self._gain_society)
        self.schema_warning.refresh(self.ui.ops, self.ui.ctx)  # e.g. after a restore

    def _refresh_labels(self) -> None:
        ctx, user = self.ui.ctx, self.ui.user
        self.ui.ops.query(self, lambda: (societies.list_societies(ctx, user), offices.current_office(ctx)),
                          done=self._show_labels)

    def _show_labels(self, read: tuple[list[SocietyRecord], Office | None]) -> None:
        records, office = read
        self.society_combo.set_records(records, self.ui.society_id)
        current = next((rec for rec in records if rec.id == self.ui.society_id), None)
        if current is not None:
            where = f"{current.settings.district}{current.settings.town}"
            self.status_society.setText(self.tr("互助社：{0}（{1}）").format(current.settings.name, where))
        else:
            self.status_society.setText(self.tr("本单位：{0}").format(office.label if office else ""))
        self.office_label.setText(office.label if office else "")
        self.status_user.setText(self.tr("用户：{0}").format(self.ui.user))
        self.status_db.setText(self.tr("数据库：{0}").format(self.ui.ctx.db_label))
        self.user_label.setText(self.tr("用户：{0}").format(self.ui.user))
