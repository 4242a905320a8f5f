"""The warning on top of the main window when the database holds schema objects that are
not the app's (a trigger, view or table put there outside the app: it may change or copy
data at every save; writes are refused meanwhile), or when 检查数据 found anything."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QLabel, QWidget

from jiujinan.services.check import CheckReport, foreign_schema
from jiujinan.services.context import AppContext
from jiujinan.ui.ops import Ops

log = logging.getLogger("jiujinan.ui")


# Findings of 检查数据 shown on the band (the dialog lists them all).
BAND_FINDINGS = 3


class SchemaWarning(QLabel):
    """A red band naming what is not the app's, and what the last 检查数据 found; hidden
    while the schema is the app's own and the last check found nothing."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setStyleSheet("QLabel { background: #fde2e1; color: #8a1f11; border: 1px solid #d9534f; padding: 6px; }")
        self._schema: list[str] = []
        self._findings: list[str] = []
        self.hide()

    def refresh(self, ops: Ops, ctx: AppContext) -> None:
        """Compare the schema with the app's off the GUI thread, then show what is not the app's."""
        ops.query(self, lambda: foreign_schema(ctx), done=self.show_schema, failed=self._not_compared)

    def _not_compared(self, err: BaseException) -> None:
        """A warning must not stop the app; the log keeps why."""
        log.error("schema comparison failed", exc_info=(type(err), err, err.__traceback__))
        self.show_schema([])

    def show_schema(self, found: list[str]) -> None:
        if found:
            log.warning("schema objects not the app's: %s", found)
        self._schema = found
        self._show()

    def show_report(self, report: CheckReport) -> None:
        """What 检查数据 found (nothing: the band keeps only the schema's warning)."""
        self._findings = [v for v in report.violations if v not in self._schema]
        self._show()

    def _show(self) -> None:
        lines = []
        if self._schema:
            lines.append(self.tr("警告：数据库的表结构被程序之外的人改动过，可能在保存时改写或复制数据，在清除之前不能登记或修改。"
                                 "请管理员在“设置 → 数据检查”中点“检查数据”查看，并从可靠的备份恢复。"))
            lines += self._schema
        if self._findings:
            lines.append(self.tr("警告：数据检查发现 {0} 处数据在程序之外被改动或不一致。请勿继续登记，"
                                 "请管理员在“设置 → 数据检查”中点“检查数据”查看全部，并从可靠的备份恢复。")
                         .format(len(self._findings)))
            lines += self._findings[:BAND_FINDINGS] + (["…"] if len(self._findings) > BAND_FINDINGS else [])
        self.setText("\n".join(lines))
        self.setVisible(bool(lines))
