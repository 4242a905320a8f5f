"""待办: what waits for the clerk, most urgent first; opening a line opens the case."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QHBoxLayout, QHeaderView, QLabel, QPushButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout,
    QWidget,
)

from jiujinan.cases.dates import format_date
from jiujinan.cases.money import format_fen
from jiujinan.cases.todo import TodoGroup, TodoList
from jiujinan.services import review
from jiujinan.ui.case_dialog import CaseDialog
from jiujinan.services.changes import Changes
from jiujinan.ui.session import UiSession

HEADERS = (
    QT_TRANSLATE_NOOP("TodoPage", "事项 / 案件编号"),
    QT_TRANSLATE_NOOP("TodoPage", "申请人"),
    QT_TRANSLATE_NOOP("TodoPage", "状态"),
    QT_TRANSLATE_NOOP("TodoPage", "申请金额（元）"),
    QT_TRANSLATE_NOOP("TodoPage", "申请日期"),
    QT_TRANSLATE_NOOP("TodoPage", "期限"),
)
CASE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
OVERDUE = QColor("#c62828")


class TodoPage(QWidget):
    """Groups of waiting cases; each group shows its count and up to 200 cases."""

    def __init__(self, ui: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = ui
        self.summary = QLabel()
        self.refresh_button = QPushButton(self.tr("刷新"))
        self.refresh_button.clicked.connect(self.reload)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr(h) for h in HEADERS])
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.itemActivated.connect(self._open)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)
        ui.changed.connect(self.changed)
        ui.society_changed.connect(lambda _id: self.reload())
        self.lists: list[TodoList] = []
        self.reload()

    def changed(self, changes: Changes) -> None:
        if changes.touches("case", "payment", "calendar"):
            self.reload()

    def reload(self) -> None:
        """Read the lists off the GUI thread, then show them."""
        ctx, society_id, user = self.ui.ctx, self.ui.society_id, self.ui.user
        self.ui.ops.query(self, lambda: review.todo(ctx, society_id, user), done=self._show)

    def _show(self, lists: list[TodoList]) -> None:
        self.lists = lists
        today = self.ui.ctx.clock.today()
        self.tree.clear()
        for todo in self.lists:
            group = QTreeWidgetItem([self.tr("{0}（{1} 件）").format(todo.group.label, todo.count)])
            font = QFont()  # bold only: the size stays the view's, which follows the text size
            font.setBold(True)
            group.setFont(0, font)
            group.setFirstColumnSpanned(False)
            for row in todo.rows:
                item = QTreeWidgetItem([row.case_no, row.applicant_name, row.status.label,
                                        format_fen(row.requested_fen, grouped=True),
                                        format_date(row.applied_on), format_date(row.due)])
                item.setData(0, CASE_ID_ROLE, row.case_id)
                item.setTextAlignment(3, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if todo.group is TodoGroup.EMERGENCY and row.due and row.due < today:
                    for col in range(len(HEADERS)):
                        item.setForeground(col, QBrush(OVERDUE))
                    item.setToolTip(5, self.tr("先行救助补办手续已超期"))
                group.addChild(item)
            if todo.count > len(todo.rows):
                group.addChild(QTreeWidgetItem([self.tr("……另有 {0} 件，请在“案件”中按状态筛选").format(
                    todo.count - len(todo.rows))]))
            self.tree.addTopLevelItem(group)
            group.setExpanded(todo.group is not TodoGroup.PAYMENT)
        # Every group counts, 待发放 too: the summary never says 没有 above a list of cases.
        total = sum(t.count for t in self.lists)
        self.summary.setText(self.tr("待办 {0} 件（双击打开案件）").format(total) if total
                             else self.tr("没有待办事项"))

    def case_rows(self) -> list[QTreeWidgetItem]:
        """The lines that are cases (not group titles or 另有…)."""
        return [group.child(i) for group in (self.tree.topLevelItem(n) for n in range(self.tree.topLevelItemCount()))
                for i in range(group.childCount()) if group.child(i).data(0, CASE_ID_ROLE) is not None]

    def group_count(self, group: TodoGroup) -> int:
        return next((t.count for t in self.lists if t.group is group), 0)

    def _open(self, item: QTreeWidgetItem, _column: int) -> None:
        case_id = item.data(0, CASE_ID_ROLE)
        if case_id is not None:
            self.ui.case_window(int(case_id), lambda: CaseDialog(self.ui, int(case_id), parent=self))
