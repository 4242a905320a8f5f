"""The one place errors reach the clerk: domain messages as they are, the rest via the log."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from jiujinan.cases.errors import DomainError

log = logging.getLogger("jiujinan.ui")
REPEAT_AFTER = 3.0  # seconds before the same message about an unreachable database is shown again
_PROPERTY = "jiujinan_error_reporter"  # the application's ErrorReporter, kept as a property of the QApplication


class ErrorReporter:
    """Tells the clerk about errors: names the log file the application writes, and
    remembers when each message was last shown (owned by the application, see install)."""

    def __init__(self, log_file: Path | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.log_file = log_file
        self.clock = clock
        self._last_shown: dict[str, float] = {}  # message → when its box was closed (inf: still open)

    def message_for(self, exc: BaseException) -> str:
        """What to tell the clerk about ``exc``; unexpected errors are logged with a traceback."""
        if isinstance(exc, DomainError):
            return str(exc)
        log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
        where = (QCoreApplication.translate("errors", "详细信息已记录在 {0}").format(self.log_file) if self.log_file
                 else QCoreApplication.translate("errors", "详细信息已记录在日志中"))
        return QCoreApplication.translate("errors", "程序出错，操作未完成。{0}").format(where)

    def show_error(self, parent: QWidget | None, exc: BaseException) -> None:
        """Show ``exc`` to the clerk in a message box. A database that cannot be reached is not
        said again while its box is open or just closed: a lost server makes every screen's
        reload fail one after the other, and one box says it."""
        from jiujinan.services.context import DatabaseUnavailable  # the database layer, not before the first window

        text = self.message_for(exc)
        last = self._last_shown.get(text)
        if isinstance(exc, DatabaseUnavailable) and last is not None and (
                last == float("inf") or self.clock() - last < REPEAT_AFTER):
            return
        self._last_shown[text] = float("inf")
        try:
            QMessageBox.warning(parent, QCoreApplication.translate("errors", "未能完成"), text)
        finally:
            self._last_shown[text] = self.clock()


def install(app: QCoreApplication, reporter: ErrorReporter) -> ErrorReporter:
    """Make ``reporter`` the one ``message_for`` and ``show_error`` use in ``app``."""
    app.setProperty(_PROPERTY, reporter)
    return reporter


def reporter() -> ErrorReporter:
    """The running application's reporter (one without a log file is made on first use)."""
    app = QCoreApplication.instance()
    if app is None:
        return ErrorReporter()
    found = app.property(_PROPERTY)
    return found if isinstance(found, ErrorReporter) else install(app, ErrorReporter())


def message_for(exc: BaseException) -> str:
    """What to tell the clerk about ``exc`` (the application's ErrorReporter)."""
    return reporter().message_for(exc)


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    """Show ``exc`` to the clerk in a message box (the application's ErrorReporter)."""
    reporter().show_error(parent, exc)
