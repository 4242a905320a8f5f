"""The operations' runner on its real thread: the window stays responsive (the event loop is
never blocked for more than 100 ms) while a save waits for a database another program holds
locked, and while a database server does not answer; results and refusals come back on the
main thread."""

from __future__ import annotations

import socket
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtWidgets import QPushButton, QWidget
from sqlalchemy import create_engine

from jiujinan.cases.errors import DomainError
from jiujinan.db.engine import make_session_factory, sqlite_path
from jiujinan.services import fund, societies
from jiujinan.services.context import AppContext, open_context
from jiujinan.ui.fund_dialogs import ContributionDialog
from jiujinan.ui.ops import Ops
from jiujinan.ui.session import UiSession

MAX_BLOCK_MS = 100


@pytest.fixture(autouse=True)
def on_the_worker_thread(monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(Ops, "inline", False)


class LoopWatch:
    """The longest time the event loop went without running a 10 ms timer."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.last = 0
        self.longest = 0
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = self.clock.elapsed()
        self.longest = max(self.longest, now - self.last)
        self.last = now

    def __enter__(self) -> LoopWatch:
        self.clock.start()
        self.timer.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.timer.stop()
        self._tick()


@contextmanager
def write_lock_held(ctx: AppContext) -> Iterator[None]:
    """Another program holds the database's write lock (as a second copy of the app saving)."""
    conn = sqlite3.connect(sqlite_path(ctx.url), isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        conn.execute("ROLLBACK")
        conn.close()


def test_a_change_runs_off_the_gui_thread_and_lands_on_it(qtbot, session) -> None:  # noqa: ANN001
    where: dict[str, object] = {}

    def work() -> int:
        where["work"] = threading.current_thread()
        return 42

    def done(result: int) -> None:
        where["done"] = threading.current_thread()
        where["result"] = result

    with qtbot.waitSignal(session.ops.looked, timeout=5000):
        assert session.ops.change(None, work, done=done)
    qtbot.waitUntil(lambda: "result" in where)
    assert where["work"] is not threading.main_thread()
    assert where["done"] is threading.main_thread() and where["result"] == 42
    assert session.ops.idle()


def test_a_second_click_while_a_save_runs_is_not_a_second_save(qtbot, session) -> None:  # noqa: ANN001
    parent = QWidget()
    qtbot.addWidget(parent)
    started, release = threading.Event(), threading.Event()
    runs: list[int] = []

    def slow() -> None:
        started.set()
        release.wait(5)
        runs.append(1)

    assert session.ops.change(parent, slow)
    started.wait(5)
    assert not session.ops.change(parent, slow)  # the same window waits already
    release.set()
    qtbot.waitUntil(session.ops.idle)
    assert runs == [1]


def test_the_busy_state_shows_only_when_an_operation_lasts(qtbot, session) -> None:  # noqa: ANN001
    parent = QWidget()
    qtbot.addWidget(parent)
    told: list[str] = []
    session.ops.busy_changed.connect(told.append)
    session.ops.change(parent, lambda: None)
    qtbot.waitUntil(session.ops.idle)
    assert told == [] and parent.isEnabled()  # quick: no busy cursor, nothing greyed
    release = threading.Event()
    session.ops.change(parent, lambda: release.wait(5))
    qtbot.waitUntil(lambda: told == ["正在保存……"], timeout=3000)
    assert not parent.isEnabled()  # no typing into a form that is being saved
    release.set()
    qtbot.waitUntil(lambda: told == ["正在保存……", ""], timeout=3000)
    assert parent.isEnabled()


def test_a_save_waiting_for_a_locked_database_leaves_the_window_responsive(qtbot, tmp_path, clock, society_id,
                                                                           prefs) -> None:  # noqa: ANN001
    ctx = open_context(str(tmp_path / "test.db"), tmp_path, clock, busy_wait=2.0)
    ui = UiSession(ctx, prefs, society_id, "王会计")
    ui.watch_for_changes(every_ms=50)  # the poll runs all along too
    before = fund.position(ctx, society_id, "王会计").balance_fen
    dialog = ContributionDialog(ui)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.amount, "150.00")
    dialog.payer.setText("青山村村委会")
    with write_lock_held(ctx), LoopWatch() as watch:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.banner.isVisible(), timeout=10_000)
    assert dialog.banner.text() == "数据库正被其他程序使用，请稍后再试"
    assert watch.longest < MAX_BLOCK_MS, f"the event loop was blocked for {watch.longest} ms"
    assert fund.position(ctx, society_id, "王会计").balance_fen == before  # nothing half-written
    with LoopWatch() as watch:  # the lock gone: the same click saves
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.result() == ContributionDialog.DialogCode.Accepted, timeout=10_000)
    assert fund.position(ctx, society_id, "王会计").balance_fen == before + 15000
    ui.ops.stop()
    ctx.close()


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port where a database server seems to be but never answers (a server gone away
    behind a network that still accepts the connection)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    yield server.getsockname()[1]
    server.close()


def test_a_server_that_does_not_answer_leaves_the_window_responsive(qtbot, tmp_path, clock, silent_server,
                                                                    prefs) -> None:  # noqa: ANN001
    pytest.importorskip("psycopg")
    url = f"postgresql+psycopg://jiujinan@127.0.0.1:{silent_server}/jiujinan"
    engine = create_engine(url, connect_args={"connect_timeout": 2})
    ctx = AppContext(url, engine, make_session_factory(engine), tmp_path, clock,
                     write_sessions=make_session_factory(engine, writing=True))
    with LoopWatch() as watch:
        ui = UiSession(ctx, prefs, 1, "王会计")  # its first look waits for the server: not the window
        ui.watch_for_changes(every_ms=50)
        failed: list[BaseException] = []
        ui.ops.change(None, lambda: societies.list_societies(ctx), failed=failed.append)
        qtbot.waitUntil(lambda: bool(failed), timeout=15_000)
    assert str(failed[0]) == "连不上数据库服务器（网络或服务器中断），请稍后再试；恢复后程序会自动重新连接"
    assert watch.longest < MAX_BLOCK_MS, f"the event loop was blocked for {watch.longest} ms"
    ui.ops.stop()
    engine.dispose()


def test_a_click_is_not_held_back_by_a_read_that_refreshes_the_same_window(qtbot, session) -> None:  # noqa: ANN001
    parent = QWidget()
    qtbot.addWidget(parent)
    release = threading.Event()
    session.ops.query(parent, lambda: release.wait(5), done=lambda _r: None)  # the page reloading
    saved: list[int] = []
    assert session.ops.change(parent, lambda: saved.append(1))  # 月结 pressed meanwhile
    release.set()
    qtbot.waitUntil(session.ops.idle)
    assert saved == [1]


def test_a_page_reading_its_list_stays_usable_while_the_read_lasts(qtbot, session) -> None:  # noqa: ANN001
    page = QWidget()
    qtbot.addWidget(page)
    told: list[str] = []
    session.ops.busy_changed.connect(told.append)
    release = threading.Event()
    session.ops.query(page, lambda: release.wait(5), done=lambda _r: None)  # a slow filter
    qtbot.waitUntil(lambda: told == ["正在读取……"], timeout=3000)
    assert page.isEnabled()  # the search box keeps the clerk's typing
    release.set()
    qtbot.waitUntil(lambda: told == ["正在读取……", ""], timeout=3000)


def test_a_form_being_saved_cannot_be_closed_nor_the_user_switched(qtbot, tmp_path, clock, society_id,
                                                                   prefs) -> None:  # noqa: ANN001
    """Clerk review: a step closed while its save waited was saved anyway, and nobody was told."""
    ctx = open_context(str(tmp_path / "test.db"), tmp_path, clock, busy_wait=2.0)
    ui = UiSession(ctx, prefs, society_id, "王会计")
    dialog = ContributionDialog(ui)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.amount, "150.00")
    dialog.payer.setText("青山村村委会")
    with write_lock_held(ctx):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        dialog.close()  # the window's ×: waits for the save
        assert dialog.isVisible()
        with pytest.raises(DomainError, match="正在保存，请稍候再切换用户"):
            ui.switch_user("李主任")
        qtbot.waitUntil(lambda: dialog.banner.isVisible(), timeout=10_000)  # the lock outlasted the wait
    assert ui.user == "王会计" and dialog.isVisible()
    dialog.close()  # nothing under way: it closes (no typing changed since it opened? it asks)
    ui.ops.stop()
    ctx.close()


def test_the_sign_in_dialog_shows_before_the_database_has_opened(qtbot, tmp_path, clock, society_id) -> None:  # noqa: ANN001
    """The first window does not wait for the database: it says it is opening it, takes no
    sign-in meanwhile, and offers the names once they are read."""
    from jiujinan.ui.login_dialog import LoginDialog

    may_open = threading.Event()

    def opening() -> AppContext:
        may_open.wait(10)
        return open_context(str(tmp_path / "test.db"), tmp_path, clock)

    ops = Ops()
    with LoopWatch() as watch:
        dialog = LoginDialog(ops, opening, remembered="王会计")
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.wait(300)
        assert dialog.intro.text() == "正在打开数据库……" and not dialog.ok_button.isEnabled()
        dialog.sign_in()  # Enter pressed meanwhile: nothing happens
        may_open.set()
        qtbot.waitUntil(lambda: dialog.ok_button.isEnabled(), timeout=10_000)
    assert watch.longest < MAX_BLOCK_MS, f"the event loop was blocked for {watch.longest} ms"
    assert dialog.name_combo.currentText() == "王会计" and dialog.windowTitle() == "登录"
    assert dialog.user == "" and dialog.isVisible()
    qtbot.keyClicks(dialog.password, "wrong-password")
    with LoopWatch() as watch:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.banner.isVisible(), timeout=10_000)
    assert "用户名或密码不对" in dialog.banner.text()
    assert watch.longest < MAX_BLOCK_MS, f"signing in blocked the event loop for {watch.longest} ms"
    ops.finish()
    dialog.ctx.close()


def test_a_server_that_does_not_answer_at_start_leaves_the_sign_in_dialog_responsive(
        qtbot, tmp_path, clock, silent_server, monkeypatch) -> None:  # noqa: ANN001
    """The app started on a server gone silent: the dialog is up, and it ends with the reason
    when the connection gives up (the app then says it, tests/test_entry_point.py)."""
    pytest.importorskip("psycopg")
    from jiujinan.services import connection
    from jiujinan.ui.login_dialog import LoginDialog

    monkeypatch.setattr("jiujinan.db.engine.CONNECT_TIMEOUT", 2)
    url = f"postgresql+psycopg://jiujinan@127.0.0.1:{silent_server}/jiujinan"
    ops = Ops()
    with LoopWatch() as watch:
        dialog = LoginDialog(ops, lambda: connection.open_database(url, tmp_path, clock, lambda _e: None))
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(lambda: dialog.open_failed is not None, timeout=30_000)
    assert watch.longest < MAX_BLOCK_MS, f"the event loop was blocked for {watch.longest} ms"
    assert str(dialog.open_failed).startswith("无法打开数据库 jiujinan@127.0.0.1:") and dialog.ctx is None
    assert dialog.result() == LoginDialog.DialogCode.Rejected
    ops.finish()


def test_pages_scrolled_to_are_read_on_the_worker(qtbot, ctx) -> None:  # noqa: ANN001
    """The case list scrolled far down: the page is read off the GUI thread, its cells blank
    until it lands; a page is asked for once however often its cells are painted; a sort
    meanwhile drops the page read for the old order."""
    from jiujinan.cases.listing import CaseListQuery
    from jiujinan.services.demo import run_demo
    from jiujinan.ui.case_table_model import PAGE_SIZE, CaseTableModel

    run_demo(ctx, n_societies=1, n_cases=1300, seed=3)
    society = societies.list_societies(ctx)[0].id
    ops = Ops()
    reads: list[threading.Thread] = []

    def runner(work, done, failed) -> None:  # noqa: ANN001
        def read():  # noqa: ANN202
            reads.append(threading.current_thread())
            return work()
        ops.query(None, read, done=done, failed=failed)

    model = CaseTableModel(ctx, CaseListQuery(society_id=society), "王会计", runner=runner)
    far = PAGE_SIZE * 2 + 7
    with LoopWatch() as watch:
        assert model.data(model.index(far, 0)) is None and model.data(model.index(far, 1)) is None
        with qtbot.waitSignal(model.dataChanged, timeout=10_000) as landed:
            pass
    assert watch.longest < MAX_BLOCK_MS, f"the event loop was blocked for {watch.longest} ms"
    assert landed.args[0].row() == PAGE_SIZE * 2 and landed.args[1].row() == 1299
    assert model.data(model.index(far, 0)).startswith("341802") and model.pages_loaded == 1
    assert len(reads) == 1 and reads[0] is not threading.main_thread()
    assert model.data(model.index(0, 0)) is None  # the first page is asked for ...
    model.sort(1, Qt.SortOrder.AscendingOrder)  # ... and the order changes before it lands
    qtbot.wait(300)
    assert model.pages_loaded == 1 and model.data(model.index(0, 1)) is None  # dropped: read again
    qtbot.waitUntil(lambda: model.data(model.index(0, 1)) is not None, timeout=10_000)
    names = [model.data(model.index(r, 1)) for r in range(5)]
    assert names == sorted(names)
    ops.finish()


def test_testing_a_server_that_does_not_answer_leaves_the_window_responsive(
        qtbot, tmp_path, ctx, silent_server, monkeypatch) -> None:  # noqa: ANN001
    """设置 → 数据库 → 测试连接 on a server gone silent: the window stays usable, a second click
    is not a second try, and the box then says it cannot reach the server."""
    pytest.importorskip("psycopg")
    from jiujinan.ui.database_box import DatabaseBox

    monkeypatch.setattr("jiujinan.db.engine.CONNECT_TIMEOUT", 2)
    ops = Ops()
    box = DatabaseBox(tmp_path / "config", ctx, "王会计", ops=ops)
    qtbot.addWidget(box)
    box.show()
    box.use_server.setChecked(True)
    box.host.setText("127.0.0.1")
    box.port.setText(str(silent_server))
    box.db_user.setText("jiujinan")
    with LoopWatch() as watch:
        qtbot.mouseClick(box.test_button, Qt.MouseButton.LeftButton)
        assert box.status.text() == "正在连接……"
        assert not box.probe.query(box.test_button, lambda: None, done=lambda _r: None, once=True)  # a second click
        read: list[object] = []
        ops.query(None, lambda: "the case list", done=read.append)  # the session's runner is not held up
        qtbot.waitUntil(lambda: read == ["the case list"], timeout=1_000)
        qtbot.waitUntil(lambda: box.status.text() != "正在连接……", timeout=30_000)
    assert watch.longest < MAX_BLOCK_MS, f"the event loop was blocked for {watch.longest} ms"
    box.probe.finish()
    assert box.status.text() == (f"无法打开数据库 jiujinan@127.0.0.1:{silent_server}/jiujinan："
                                 "连不上数据库服务器：请检查服务器地址和端口、网络是否通、服务器是否开着")
    ops.finish()


def test_a_question_from_the_worker_as_the_app_ends_stops_its_operation(qtbot) -> None:  # noqa: ANN001
    """The clerk cancelled the sign-in while the database was opening, and the server then asked
    for its password: nobody will answer, so the opening stops instead of waiting for ever."""
    from jiujinan.ui.ops import Abandoned

    ops = Ops()
    asked = threading.Event()
    ended: list[BaseException] = []

    def opening() -> None:
        asked.set()
        try:
            ops.on_main(lambda: "a password")  # the main thread is in finish(): no event loop runs it
        except Abandoned as err:
            ended.append(err)
            raise

    ops.query(None, opening, done=lambda _r: None, failed=lambda _e: None)
    assert asked.wait(5)
    start = time.monotonic()
    ops.finish(timeout=10)
    assert time.monotonic() - start < 2 and len(ended) == 1 and str(ended[0]) == "已取消"


def test_signing_in_against_a_slow_server_leaves_cancel_usable(qtbot, tmp_path, clock, society_id) -> None:  # noqa: ANN001
    """Only 登录 waits while the sign-in runs; 取消 still answers."""
    from jiujinan.ui.login_dialog import LoginDialog

    ctx = open_context(str(tmp_path / "test.db"), tmp_path, clock)
    ops = Ops()
    dialog = LoginDialog(ops, lambda: ctx, remembered="王会计")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=10_000)
    release = threading.Event()
    ops.query(None, lambda: release.wait(10), done=lambda _r: None)  # the worker is busy elsewhere
    qtbot.keyClicks(dialog.password, "wrong-password")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.wait(500)  # past the busy delay
    cancel = next(b for b in dialog.findChildren(QPushButton) if b.text() == "取消")
    assert not dialog.ok_button.isEnabled() and cancel.isEnabled() and dialog.isEnabled()
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert dialog.result() == LoginDialog.DialogCode.Rejected and dialog.user == ""
    release.set()
    ops.finish()
    ctx.close()


def test_a_save_without_an_answer_for_long_may_be_left_behind(qtbot, session, monkeypatch) -> None:  # noqa: ANN001
    """A server gone quiet mid-save: the main window waits for the save, then after a while asks
    whether to close anyway (the save may not have been made)."""
    from jiujinan.ui import main_window
    from jiujinan.ui.main_window import MainWindow

    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    release = threading.Event()
    session.ops.change(window, lambda: release.wait(10))
    asked: list[float] = []
    monkeypatch.setattr(window, "ask_close_while_saving", lambda waited: asked.append(waited) or False)
    assert not window.close() and asked == []  # just started: waited for, not asked
    monkeypatch.setattr(main_window, "STUCK_AFTER_S", 0.2)
    qtbot.wait(300)
    assert not window.close() and len(asked) == 1 and asked[0] >= 0.2  # asked; the clerk goes on waiting
    monkeypatch.setattr(window, "ask_close_while_saving", lambda waited: True)
    assert window.close()
    release.set()
    session.ops.finish()


def test_a_case_window_opened_while_the_worker_is_busy_waits_for_its_case(qtbot, session) -> None:  # noqa: ANN001
    """The worker still on something slow (测试连接, a restore): the case window says it is
    reading, offers nothing to click, and a click that gets through does nothing."""
    from jiujinan.services import intake
    from jiujinan.ui.case_dialog import CaseDialog
    from tests.conftest import application

    case = intake.register_application(session.ctx, session.society_id, application(), "王会计")
    release = threading.Event()
    session.ops.query(None, lambda: release.wait(10), done=lambda _r: None)
    window = CaseDialog(session, case.id)
    qtbot.addWidget(window)
    window.show()
    assert window.windowTitle() == "正在读取案件……" and window.header.text() == "正在读取案件……"
    assert not any(b.isEnabled() for b in (window.edit_button, window.print_button, window.letter_button))
    assert window.print_paper("form") is None and window.pay() is None and window.open_application() is None
    release.set()
    qtbot.waitUntil(lambda: window.view is not None, timeout=10_000)
    assert window.windowTitle() == f"案件 {case.case_no}" and window.edit_button.isEnabled()
    assert window.print_button.isEnabled() and not window.letter_button.isVisible()
    session.ops.finish()
