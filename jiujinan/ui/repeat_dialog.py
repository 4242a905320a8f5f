"""一事一救 at intake: the person already has an earlier case for this cause this year. The
clerk opens that case, registers the new one anyway with a reason, or goes back to the form."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from jiujinan.cases.dates import format_date
from jiujinan.cases.history import PriorCase
from jiujinan.cases.money import format_yuan_label
from jiujinan.ui.field_errors import FieldBox

HEADERS = (
    QT_TRANSLATE_NOOP("RepeatDialog", "案件编号"),
    QT_TRANSLATE_NOOP("RepeatDialog", "申请日期"),
    QT_TRANSLATE_NOOP("RepeatDialog", "状态"),
    QT_TRANSLATE_NOOP("RepeatDialog", "金额"),
)


class _ReasonEdit(QLineEdit):
    """A line whose Enter calls ``on_enter`` and goes no further (not to the default button)."""

    def __init__(self, on_enter: Callable[[], None]) -> None:
        super().__init__()
        self._on_enter = on_enter

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._on_enter()
            return
        super().keyPressEvent(event)


class RepeatChoice(str, Enum):
    OPEN = "open"  # 打开原案件
    REGISTER = "register"  # 仍然登记, with a reason
    CANCEL = "cancel"


class RepeatDialog(QDialog):
    """Names the earlier case(s) (number, date, status, amount); ``choice`` is what the clerk
    chose, ``chosen_case_no`` the case to open, ``reason()`` the stated reason."""

    def __init__(self, earlier: tuple[PriorCase, ...], parent: QWidget | None = None, *,
                 editing: bool = False) -> None:
        super().__init__(parent)
        self.earlier = earlier
        self.choice = RepeatChoice.CANCEL
        self.chosen_case_no = earlier[0].case_no
        self.setWindowTitle(self.tr("一事一救：此人本年度已有同一事由的案件"))
        intro = QLabel(self.tr("此人本年度已因「{0}」申请过救助（见下表）。同一事由一年内再次救助须有理由。"
                               "请打开原案件办理；如确需另行登记，请写明理由。").format(earlier[0].cause.label))
        intro.setWordWrap(True)
        self.table = QTableWidget(len(earlier), len(HEADERS))
        self.table.setHorizontalHeaderLabels([self.tr(h) for h in HEADERS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for row, prior in enumerate(earlier):
            amount = (self.tr("已发放 {0}").format(format_yuan_label(prior.paid_fen)) if prior.paid_fen
                      else self.tr("申请 {0}").format(format_yuan_label(prior.requested_fen)))
            for col, text in enumerate((prior.case_no, format_date(prior.applied_on), prior.status.label, amount)):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.table.selectRow(0)
        self.table.doubleClicked.connect(lambda _index: self.open_earlier())
        # Enter in the reason field means 仍然登记 (a clerk who typed a reason means it), not the
        # dialog's default 打开原案件, which would leave the form half done behind the old case.
        self.reason_edit = _ReasonEdit(self.register_anyway)
        self.reason_edit.setPlaceholderText(self.tr("仍然登记时必填，如：病情复发再次住院"))
        self.reason_box = FieldBox(self.reason_edit)
        self.open_button = QPushButton(self.tr("打开原案件"))
        # Editing a case into a repeat (another ID number or cause) asks the same, to save it.
        self.register_button = QPushButton(self.tr("仍然保存（填写理由）") if editing
                                           else self.tr("仍然登记（填写理由）"))
        self.cancel_button = QPushButton(self.tr("取消"))
        self.open_button.clicked.connect(self.open_earlier)
        self.register_button.clicked.connect(self.register_anyway)
        self.cancel_button.clicked.connect(self.reject)
        for button in (self.register_button, self.cancel_button):
            button.setAutoDefault(False)
        self.open_button.setDefault(True)  # Enter does the safe thing: look at the earlier case
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.register_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        layout.addWidget(QLabel(self.tr("再次登记的理由：")))
        layout.addWidget(self.reason_box)
        layout.addLayout(buttons)
        self.resize(640, 300)

    def reason(self) -> str:
        return self.reason_edit.text().strip()

    def open_earlier(self) -> None:
        row = self.table.currentRow()
        self.chosen_case_no = self.earlier[max(row, 0)].case_no
        self.choice = RepeatChoice.OPEN
        self.accept()

    def register_anyway(self) -> None:
        """Only with a reason: it goes on the case and into the audit trail."""
        if not self.reason():
            self.reason_box.set_error(self.tr("请写明仍然登记的理由"))
            self.reason_edit.setFocus()
            return
        self.choice = RepeatChoice.REGISTER
        self.accept()
