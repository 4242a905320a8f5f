"""The applicant's earlier aid, shown beside the form while the ID number is typed."""

from __future__ import annotations

from PySide6.QtWidgets import QGroupBox, QLabel, QVBoxLayout, QWidget

from jiujinan.cases.history import AidHistory
from jiujinan.cases.dates import format_date
from jiujinan.cases.money import format_yuan_label

WARNING_STYLE = "color: #8a4b00; background: #fff4e0; border: 1px solid #e0a040; padding: 6px;"


class HistoryPanel(QGroupBox):
    """Times aided, total received, the last aid, and the 一事一救 warning."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("申请人救助记录"))
        self.summary = QLabel(self.tr("输入身份证号后显示此人在本社的救助记录。"), self)
        self.summary.setWordWrap(True)
        self.warning = QLabel(self)
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(WARNING_STYLE)
        self.warning.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.warning)
        layout.addStretch(1)

    def clear(self) -> None:
        self.summary.setText(self.tr("输入身份证号后显示此人在本社的救助记录。"))
        self.warning.hide()

    def show_history(self, history: AidHistory) -> None:
        if history.case_count == 0:
            self.summary.setText(self.tr("此人在本社没有救助记录（首次申请）。"))
        else:
            lines = [self.tr("在本社申请 {0} 次，获救助 {1} 次，累计 {2}。").format(
                history.case_count, history.times_aided, format_yuan_label(history.total_paid_fen))]
            if history.last_paid_on:
                lines.append(self.tr("最近一次：{0}，{1}。").format(
                    format_date(history.last_paid_on), format_yuan_label(history.last_paid_fen)))
            self.summary.setText("\n".join(lines))
        warning = history.one_event_warning()
        self.warning.setText(warning or "")
        self.warning.setVisible(bool(warning))
