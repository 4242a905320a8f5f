"""The one place errors reach the clerk: domain messages as they are, the rest via the log."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from jiujinan.cases.errors import DomainError

log = logging.getLogger("jiujinan.ui")
_log_file: Path | None = None


def set_log_file(path: Path) -> None:
    global _log_file  # noqa: PLW0603 - set once at start-up
    _log_file = path


def message_for(exc: BaseException) -> str:
    """What to tell the clerk about ``exc``; unexpected errors are logged with a traceback."""
    if isinstance(exc, DomainError):
        return str(exc)
    log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    where = f"详细信息已记录在 {_log_file}" if _log_file else "详细信息已记录在日志中"
    return QCoreApplication.translate("errors", "程序出错，操作未完成。{0}").format(where)


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    """Show ``exc`` to the clerk in a message box."""
    QMessageBox.warning(parent, QCoreApplication.translate("errors", "未能完成"), message_for(exc))
