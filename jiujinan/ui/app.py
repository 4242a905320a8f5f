"""Starting the GUI: fonts, the database (created or upgraded), first-start setup, the window.

The first window comes before the database layer: this module and the sign-in dialog import
none of it (SQLAlchemy, the models, the services); the dialog opens the database on the runner
once it is up. tests/test_cli_startup.py holds the import to that."""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from jiujinan import paths
from jiujinan.logging_setup import setup_logging
from jiujinan.ui.errors import ErrorReporter, install, message_for
from jiujinan.ui.fonts import apply_text_size
from jiujinan.ui.login_dialog import LoginDialog, SignedIn
from jiujinan.ui.ops import Ops
from jiujinan.ui.prefs import Preferences
from jiujinan.ui.probe import watch_first_window
from jiujinan.ui.system_libraries import missing_message, missing_packages, uses_xcb
from jiujinan.ui.translation import install_chinese

if TYPE_CHECKING:
    from jiujinan.services.context import AppContext
    from jiujinan.ui.session import UiSession

log = logging.getLogger("jiujinan")


def skip_feature_check() -> bool:
    """PySide6 replaces ``__import__`` to support ``from __feature__ import snake_case``: after
    every later import it reads the module's source to see whether it mentions PySide6
    (shibokensupport.feature._mod_uses_pyside). No module of this app selects a feature, and
    the database layer, loaded behind the first window, is some 400 modules: the check cost
    the sign-in 0.15–0.25 s. Modules are taken as not using PySide6, so none is read. Returns
    whether the check was found (a later PySide6 may move it: tests/test_cli_startup.py says so)."""
    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return False
    feature._mod_uses_pyside = lambda _module: False  # noqa: SLF001
    return True


def start_session(ctx_or_opening: AppContext | Callable[[], AppContext | None], prefs: Preferences,
                  ops: Ops | None = None) -> UiSession | None:
    """Sign in (on first start: set up the administrator, then the society); None if the
    clerk cancels. ``ctx_or_opening``: the database, or how to open it on ``ops`` behind the
    dialog (a database opened so is closed again when nobody signs in)."""
    ops = ops or Ops()
    given = None if callable(ctx_or_opening) else ctx_or_opening
    login = LoginDialog(ops, ctx_or_opening if given is None else (lambda: given), remembered=prefs.last_user)
    accepted = login.exec()
    if login.open_failed is not None:
        raise CouldNotOpen(login.open_failed)
    ui = _session(ops, login.ctx, prefs, login.signed_in) if accepted and login.signed_in and login.ctx else None
    if ui is None and given is None and login.ctx is not None:
        login.ctx.close()
    return ui


class CouldNotOpen(Exception):  # noqa: N818 - the database did not open (its error as the argument): the app ends
    pass


def _session(ops: Ops, ctx: AppContext, prefs: Preferences, signed_in: SignedIn) -> UiSession | None:
    """The signed-in user's session, on the society they last worked on (first start: the
    society is set up now)."""
    from jiujinan.cases.offices import OfficeKind
    from jiujinan.ui.office_dialogs import OfficeDialog
    from jiujinan.ui.session import UiSession
    from jiujinan.ui.setup_dialog import SetupDialog

    user, records, office = signed_in.user, signed_in.societies, signed_in.office
    if office is None:  # first start: which office this is, before anything else
        dialog = OfficeDialog(ops, ctx, user=user, first=True)
        if not dialog.exec() or dialog.office is None:
            return None
        office = dialog.office
    if not records and office.kind is not OfficeKind.VILLAGE:
        # A town's or district's office has no society of its own: its screens work without one.
        prefs.last_user = user
        return UiSession(ctx, prefs, None, user)
    if not records and signed_in.any_society:
        QMessageBox.warning(None, QCoreApplication.translate("app", "没有可办理的互助社"), QCoreApplication.translate(
            "app", "{0} 的工作范围内还没有互助社，请管理员调整工作范围。").format(user))
        return None
    if not records:
        dialog = SetupDialog(ops, ctx, user=user, first=True, office=office)
        if not dialog.exec() or dialog.record is None:
            return None
        records = [dialog.record]
    prefs.last_user = user
    remembered = prefs.last_society(ctx.db_label)
    society_id = remembered if remembered in {r.id for r in records} else records[0].id
    prefs.set_last_society(ctx.db_label, society_id)
    return UiSession(ctx, prefs, society_id, user)


def open_database(target: str | None, ask=None) -> AppContext | None:  # noqa: ANN001
    """Open the database; a server that wants a password asks for it in a dialog (again
    after a wrong one). None if the person cancels."""
    from jiujinan.cases.clock import SystemClock
    from jiujinan.services import connection
    from jiujinan.ui.database_box import ask_server_password

    ask = ask or ask_server_password
    label = connection.database_label(target) if target else ""
    return connection.open_database(target, paths.data_dir(), SystemClock(), lambda err: ask(None, label, str(err)))


def could_not_open_text(err: BaseException, prefs: Preferences, db: str | None) -> str:
    """Why the database did not open; for a damaged one, where the backups are and the command
    that restores one (the app cannot start on it, so 设置 is out of reach)."""
    from jiujinan.services import backups
    from jiujinan.services.context import DatabaseDamaged

    text = message_for(err)
    if isinstance(err, DatabaseDamaged):
        folder = prefs.backup_folder or str(backups.default_folder(paths.data_dir()))
        where = f' --db "{db}"' if db else ""
        text += QCoreApplication.translate("app", "\n\n备份文件在：{0}\n恢复（在命令行运行）：jiujinan{1} restore 备份文件 "
                                           "--user 管理员姓名").format(folder, where)
    return text


def opening_database(ops: Ops, db: str | None) -> Callable[[], AppContext | None]:
    """How the sign-in dialog opens the database (``--db``, the server chosen on this PC, or
    the data file), on the runner; a server's password is asked for on the GUI thread."""
    def ask(parent, label: str, reason: str) -> str | None:  # noqa: ANN001
        from jiujinan.ui.database_box import ask_server_password

        return ops.on_main(lambda: ask_server_password(parent, label, reason))

    def opening() -> AppContext | None:
        from jiujinan.services.connection import startup_database

        ctx = open_database(startup_database(db, paths.config_dir()), ask)
        if ctx is not None and ctx.backup_made:
            log.info("database upgraded; previous file kept at %s", ctx.backup_made)
        return ctx

    return opening


WARM_UP_AFTER_MS = 3000  # once the window's first reads are done


def warm_up_papers() -> threading.Thread:
    """Load ReportLab and the bundled font (a second or more) on a thread of their own while
    the clerk looks at the window, so the first 打印 does not wait for them. Nothing of the
    database: the runner's reads are not held up, except for their share of the processor."""
    def load() -> None:
        try:
            import jiujinan.services.printing  # noqa: F401
            from jiujinan.printing.base import register_font

            register_font()
        except Exception:  # noqa: BLE001 - the first paper loads them itself and says what fails
            log.warning("loading the papers ahead failed", exc_info=True)

    thread = threading.Thread(target=load, name="jiujinan-warm-up", daemon=True)
    thread.start()
    return thread


def run_gui(db: str | None) -> int:
    """Open the app on ``db`` (or the default database) and run until the window closes."""
    log_file = setup_logging(paths.log_dir())
    if uses_xcb() and (missing := missing_packages()):
        # Qt would abort with an English message about "xcb"; say what to install instead.
        log.error("Qt's xcb plugin lacks system packages: %s", " ".join(missing))
        print(missing_message(missing), file=sys.stderr)
        return 2
    # Fractional scaling (125 %, 150 %) as the screen asks, instead of rounding to whole steps.
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    skip_feature_check()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("jiujinan")
    install(app, ErrorReporter(log_file))  # unexpected errors name this log file
    watch_first_window(app)
    install_chinese(app)  # Qt's own dialogs and buttons in Chinese, before any widget
    prefs = Preferences(paths.config_dir() / "prefs.ini")
    apply_text_size(app, prefs.text_size)
    sys.excepthook = lambda t, e, tb: QMessageBox.critical(
        None, QCoreApplication.translate("app", "程序出错"), message_for(e))
    starting = Ops()  # the sign-in's runner: the database opens behind the first window
    try:
        ui = start_session(opening_database(starting, db), prefs, starting)
    except CouldNotOpen as failed:
        QMessageBox.critical(None, QCoreApplication.translate("app", "无法打开数据库"),
                             could_not_open_text(failed.args[0], prefs, db))
        return 2
    finally:
        starting.finish()  # a database still opening (the clerk cancelled) is not cut off halfway
    if ui is None:
        return 0
    ctx = ui.ctx
    # these load after sign-in, not before the first window
    from jiujinan.ui.backup_box import automatic_backup, automatic_backup_job, backup_failed
    from jiujinan.ui.main_window import MainWindow

    window = MainWindow(ui)
    # The daily backup on the worker: a large database's copy does not hold the window up.
    ui.ops.query(None, automatic_backup_job(ui, "daily"),
                 done=lambda said: said and window.statusBar().showMessage(said, 15000), busy=None)
    geometry = prefs.window_geometry
    if geometry is not None and window.restoreGeometry(geometry):
        window.show()
    else:
        window.showMaximized()  # first start: use the whole screen (many office PCs are 1366×768)
    QTimer.singleShot(WARM_UP_AFTER_MS, warm_up_papers)
    if os.environ.get("JIUJINAN_SCREENSHOT"):
        # For looking at the app as a clerk would, without a person at the screen.
        QTimer.singleShot(1500, lambda: (window.grab().save(os.environ["JIUJINAN_SCREENSHOT"]), app.quit()))
    code = app.exec()
    prefs.window_geometry = window.saveGeometry()
    prefs.sync()
    said = automatic_backup(ui, "close")
    if said.startswith(backup_failed("")):
        QMessageBox.warning(None, QCoreApplication.translate("app", "备份"), said)
    ctx.close()
    return code
