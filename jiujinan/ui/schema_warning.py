"""The warning on top of the main window when the database holds schema objects that are
not the app's (a trigger, view or table put there outside the app: it may change or copy
data at every save). Shown until the database is restored or looked at; never stops work."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QLabel, QWidget

from jiujinan.services.check import foreign_schema
from jiujinan.services.context import AppContext

log = logging.getLogger("jiujinan.ui")


class SchemaWarning(QLabel):
    """A red band naming what is not the app's; hidden while the schema is the app's own."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setStyleSheet("QLabel { background: #fde2e1; color: #8a1f11; border: 1px solid #d9534f; padding: 6px; }")
        self.hide()

    def refresh(self, ctx: AppContext) -> None:
        try:
            found = foreign_schema(ctx)
        except Exception:  # noqa: BLE001 - a warning must not stop the app; the log keeps why
            log.exception("schema comparison failed")
            found = []
        if found:
            log.warning("schema objects not the app's: %s", found)
            self.setText(self.tr("警告：数据库的表结构被程序之外的人改动过，可能在保存时改写或复制数据。请勿继续登记，"
                                 "请管理员运行“jiujinan check”查看，并从可靠的备份恢复。\n") + "\n".join(found))
        self.setVisible(bool(found))
