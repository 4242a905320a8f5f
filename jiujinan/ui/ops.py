"""Every database operation of the GUI runs here, off the GUI thread (as Anki's CollectionOp
and QueryOp): one worker thread takes them in order, so writes never race and the window
never waits for a locked database or a lost server. The result, or the error, comes back on
the main thread; a busy state shows only when an operation lasts; errors are shown in one
place unless the caller shows them beside its fields.

A change (``change``) is followed, on the worker, by a look at what changed since the last
look (services/changes.py); the session tells the screens, then the caller gets its result.
A read (``query``) only brings its result back."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget
from shiboken6 import isValid

from jiujinan.cases.errors import DomainError
from jiujinan.ui.errors import show_error

BUSY_AFTER_MS = 300  # an operation shows the busy state only when it lasts longer than this
FINISH_WAIT = 5.0  # seconds the app waits, as it ends, for an operation still under way


class Abandoned(DomainError):
    """The operation asked the clerk a question as the app was ending: it stops there."""

Look = Callable[[], Any]  # run on the worker after a change: what changed since the last look


@dataclass(eq=False)
class _Task:
    work: Callable[[], Any]
    done: Callable[[Any], None] | None
    failed: Callable[[BaseException], None] | None
    parent: QWidget | None
    busy_text: str
    look: Look | None = None
    result: Any = None
    error: BaseException | None = None
    looked: Any = None
    shown_busy: bool = field(default=False)
    once: bool = field(default=False)
    submitted: float = field(default_factory=time.monotonic)

    def run(self) -> None:
        try:
            self.result = self.work()
        except Exception as err:  # noqa: BLE001 - handed to the main thread's one error path
            self.error = err
        if self.look is not None:
            try:
                self.looked = self.look()
            except Exception:  # noqa: BLE001 - the result stands; the next look sees the changes
                self.looked = None


class Ops(QObject):
    """The session's operation runner. ``inline``: run in place (the UI tests, like Picard's
    synchronous thread pool, except those of the runner itself)."""

    inline: ClassVar[bool] = False

    busy_changed = Signal(str)  # what is being waited for; "" when nothing is
    looked = Signal(object)  # the look that followed a change, on the main thread
    _landed = Signal(object)
    _call = Signal(object)  # (function, its box): a question for the clerk, asked from the worker

    def __init__(self, look: Look | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._look = look
        self._pending: list[_Task] = []
        self._queue: queue.SimpleQueue[_Task | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._finishing = threading.Event()  # finish() was called: questions from the worker go unanswered
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.timeout.connect(self._show_busy)
        self._landed.connect(self._land, Qt.ConnectionType.QueuedConnection)
        self._call.connect(self._run_call, Qt.ConnectionType.QueuedConnection)

    # --- submitting -----------------------------------------------------------------------

    def change(self, parent: QWidget | None, work: Callable[[], Any], *, done: Callable[[Any], None] | None = None,
               failed: Callable[[BaseException], None] | None = None, busy: str = "", look: bool = True) -> bool:
        """Run ``work`` (a plain function that writes), then look at what changed: the screens
        are told before ``done`` runs (so a saved case is in the list when the form closes).
        ``look=False``: ``done`` tells them itself (a restore, after which the person signed in
        may be gone). False when ``parent`` already waits for an operation (a second click on
        保存 is not a second save)."""
        return self._submit(_Task(work, done, failed, parent, busy or self.tr("正在保存……"),
                                  look=self._look if look else None))

    def query(self, parent: QWidget | None, work: Callable[[], Any], *, done: Callable[[Any], None],
              failed: Callable[[BaseException], None] | None = None, busy: str | None = "", once: bool = False) -> bool:
        """Run ``work`` (a plain function that reads) and hand its result to ``done``. ``once``:
        not while ``parent`` waits for another (a second click on a button that opens a dialog).
        ``busy=None``: work the clerk did not ask for (the daily backup) shows no busy state."""
        busy_text = self.tr("正在读取……") if busy == "" else busy or ""
        return self._submit(_Task(work, done, failed, parent, busy_text), once_per_parent=once)

    def look(self) -> None:
        """Look whether anything changed (another clerk on a shared database), unless an
        operation is still under way (it looks when it ends)."""
        if self._look is not None and not self._pending:
            self._submit(_Task(lambda: None, None, None, None, "", look=self._look), once_per_parent=False)

    def on_main(self, fn: Callable[[], Any]) -> Any:
        """From an operation on the worker: run ``fn`` on the main thread (a question to the
        clerk in the middle of a restore) and wait for its answer. Once the runner is being
        finished nobody will answer: the operation is stopped (Abandoned) instead."""
        if self.inline or threading.current_thread() is threading.main_thread():
            return fn()
        box: dict[str, Any] = {"done": threading.Event()}
        self._call.emit((fn, box))
        while not box["done"].wait(0.1):
            if self._finishing.is_set():
                raise Abandoned(QCoreApplication.translate("Ops", "已取消"))
        if "error" in box:
            raise box["error"]
        return box["result"]

    def _run_call(self, call: tuple[Callable[[], Any], dict[str, Any]]) -> None:
        fn, box = call
        busy = QApplication.overrideCursor() is not None
        if busy:  # the question is not something to wait for
            QApplication.restoreOverrideCursor()
        try:
            box["result"] = fn()
        except Exception as err:  # noqa: BLE001 - raised again on the worker
            box["error"] = err
        finally:
            if busy:
                QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
            box["done"].set()

    def idle(self) -> bool:
        return not self._pending

    def saving(self, parent: QWidget | None = None) -> bool:
        """Whether a save (or a dialog's opening) is under way, for ``parent`` or for any
        window: closing that window or switching user waits for it."""
        return any(t.once and (parent is None or t.parent is parent) for t in self._pending)

    def saving_for(self) -> float:
        """How many seconds the longest save (or dialog opening) under way has waited (0: none)."""
        now = time.monotonic()
        return max((now - t.submitted for t in self._pending if t.once), default=0.0)

    def _submit(self, task: _Task, once_per_parent: bool = True) -> bool:
        # A save or a dialog's opening is not done twice for one window; reads that refresh
        # it (its list, its figures) do not hold a click back.
        if once_per_parent and task.parent is not None and any(
                t.parent is task.parent and t.once for t in self._pending):
            return False
        task.once = once_per_parent
        self._pending.append(task)
        if self.inline:
            task.run()
            self._land(task)
            return True
        if task.busy_text and not self._busy_timer.isActive():
            self._busy_timer.start(BUSY_AFTER_MS)
        self._worker().put(task)
        return True

    def _worker(self) -> queue.SimpleQueue[_Task | None]:
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._serve, name="jiujinan-ops", daemon=True)
            self._thread.start()
        return self._queue

    def _serve(self) -> None:
        while (task := self._queue.get()) is not None:
            task.run()
            self._landed.emit(task)

    def stop(self) -> None:
        """End the worker after what is queued (the session closes)."""
        if self._thread is not None:
            self._queue.put(None)

    def finish(self, timeout: float = FINISH_WAIT) -> None:
        """End the worker after what is queued, and wait until it has ended, or ``timeout``
        seconds (a server that does not answer holds it up to its own timeouts: the app does
        not wait for those to end; nothing is written that was not committed)."""
        thread = self._thread
        self._finishing.set()
        self.stop()
        if thread is not None:
            thread.join(timeout)

    # --- the busy state -------------------------------------------------------------------

    def _show_busy(self) -> None:
        waiting = [t for t in self._pending if t.busy_text]
        if not waiting:
            return
        for task in waiting:
            task.shown_busy = True
            # A form being saved takes no more typing; a page reading its list stays usable
            # (the clerk typing a filter must not lose the search box).
            if task.once and task.parent is not None and isValid(task.parent):
                task.parent.setEnabled(False)
        QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        self.busy_changed.emit(waiting[0].busy_text)

    def _end_busy(self, task: _Task) -> None:
        if not task.shown_busy:
            return
        if task.once and task.parent is not None and isValid(task.parent):
            task.parent.setEnabled(True)
        QApplication.restoreOverrideCursor()
        if not any(t.shown_busy for t in self._pending):
            self.busy_changed.emit("")

    # --- landing --------------------------------------------------------------------------

    def _land(self, task: _Task) -> None:
        self._pending.remove(task)
        self._end_busy(task)
        if not self._pending:
            self._busy_timer.stop()
        if task.looked is not None:
            self.looked.emit(task.looked)
        if task.parent is not None and not isValid(task.parent):
            return  # its window closed meanwhile: the screens were told, nobody waits for the rest
        if task.error is not None:
            if task.failed is not None:
                task.failed(task.error)
            else:
                show_error(task.parent, task.error)
        elif task.done is not None:
            task.done(task.result)
