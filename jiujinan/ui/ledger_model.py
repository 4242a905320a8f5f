"""The ledger (台账) as a table model: every entry with its running balance."""

from __future__ import annotations

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP, QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt,
)
from PySide6.QtGui import QBrush, QColor

from jiujinan.cases.dates import format_date
from jiujinan.cases.fund import LedgerLine
from jiujinan.cases.money import format_fen
from jiujinan.services.fund import LedgerView

HEADERS = (
    QT_TRANSLATE_NOOP("LedgerModel", "编号"),
    QT_TRANSLATE_NOOP("LedgerModel", "日期"),
    QT_TRANSLATE_NOOP("LedgerModel", "类别"),
    QT_TRANSLATE_NOOP("LedgerModel", "来源/案件"),
    QT_TRANSLATE_NOOP("LedgerModel", "缴款人/领款人"),
    QT_TRANSLATE_NOOP("LedgerModel", "收入（元）"),
    QT_TRANSLATE_NOOP("LedgerModel", "支出（元）"),
    QT_TRANSLATE_NOOP("LedgerModel", "余额（元）"),
    QT_TRANSLATE_NOOP("LedgerModel", "凭证号"),
    QT_TRANSLATE_NOOP("LedgerModel", "摘要"),
    QT_TRANSLATE_NOOP("LedgerModel", "冲正"),
)
MONEY_COLUMNS = (5, 6, 7)
GREY = QBrush(QColor("#888888"))
_tr = lambda text: QCoreApplication.translate("LedgerModel", text)  # noqa: E731


def _cells(line: LedgerLine, balance: int) -> tuple[str, ...]:
    what = line.source.label if line.source and not line.case_no else line.case_no
    link = ""
    if line.reversal_of is not None:
        link = QCoreApplication.translate("LedgerModel", "冲正第{0}号").format(line.reversal_of)
    elif line.reversed_by is not None:
        link = QCoreApplication.translate("LedgerModel", "已被第{0}号冲正").format(line.reversed_by)
    return (str(line.id), format_date(line.posted_on), line.kind.label, what, line.party,
            format_fen(line.amount_fen, grouped=True) if line.amount_fen > 0 else "",
            format_fen(-line.amount_fen, grouped=True) if line.amount_fen < 0 else "",
            format_fen(balance, grouped=True), line.voucher_no, line.memo, link)


class LedgerModel(QAbstractTableModel):
    """A month's entries (a few hundred at most per society), held in memory."""

    def __init__(self, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.view = LedgerView(0, (), ())

    def set_view(self, view: LedgerView) -> None:
        self.beginResetModel()
        self.view = view
        self.endResetModel()

    def line_at(self, row: int) -> LedgerLine | None:
        return self.view.lines[row] if 0 <= row < len(self.view.lines) else None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.view.lines)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201
        if not index.isValid() or not 0 <= index.row() < len(self.view.lines):
            return None
        line = self.view.lines[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return _cells(line, self.view.balances[index.row()])[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in MONEY_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and (line.reversed_by or line.reversal_of):
            return GREY
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201, N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(HEADERS):
            return _tr(HEADERS[section])
        return None
