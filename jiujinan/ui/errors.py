"""The one place errors reach the clerk: domain messages as they are, the rest via the log."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from jiujinan.cases.errors import DomainError
from jiujinan.services.context import DatabaseUnavailable

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


_last_shown: dict[str, float] = {}  # message → when its box was closed
REPEAT_AFTER = 3.0  # seconds before the same message is shown again


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    """Show ``exc`` to the clerk in a message box. A database that cannot be reached is not
    said again while its box is open or just closed: a lost server makes every screen's
    reload fail one after the other, and one box says it."""
    text = message_for(exc)
    last = _last_shown.get(text)
    if isinstance(exc, DatabaseUnavailable) and last is not None and (
            last == float("inf") or time.monotonic() - last < REPEAT_AFTER):
        return
    _last_shown[text] = float("inf")
    try:
        QMessageBox.warning(parent, QCoreApplication.translate("errors", "未能完成"), text)
    finally:
        _last_shown[text] = time.monotonic()
