"""What every screen is handed: the open database, the society and person at work, the
runner of its database operations, and one signal that tells screens what changed."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QDialog

from jiujinan.cases.errors import DomainError
from jiujinan.cases.users import PermissionDenied
from jiujinan.services import societies
from jiujinan.services.changes import EVERYTHING, Changes, changes_since
from jiujinan.services.context import AppContext
from jiujinan.ui.dialog_keys import AsksBeforeDiscarding
from jiujinan.ui.ops import Ops
from jiujinan.ui.prefs import Preferences


class UiSession(QObject):
    """The explicit context passed to each screen (no globals)."""

    changed = Signal(object)  # Changes: each screen reloads what concerns it
    society_changed = Signal(int)
    user_changed = Signal(str)
    checked = Signal(object)  # a CheckReport: 设置 → 检查数据 ran; the red band shows its findings

    def __init__(self, ctx: AppContext, prefs: Preferences, society_id: int | None, user: str) -> None:
        super().__init__()
        self.ctx = ctx
        self.prefs = prefs
        self.society_id = society_id  # None: a town's or district's office without a society of its own
        self.user = user
        # (database, chain length) at the last look: read and written on the worker only.
        self._seen: tuple[AppContext, int] | None = None
        self.ops = Ops(self._look, self)
        self.ops.looked.connect(self._looked)
        self.ops.look()  # where the chain stands, so the first change is told as a change
        self._watch = QTimer(self)
        self._watch.timeout.connect(self.ops.look)
        self._case_windows: dict[int, QDialog] = {}

    def case_window(self, case_id: int, make: Callable[[], QDialog]) -> QDialog:
        """The one window of a case: an open one is brought to the front, else ``make`` builds
        it. Two windows of one case would let a clerk record a step in one and read stale
        state in the other."""
        window = self._case_windows.get(case_id)
        if window is not None and window.isVisible():
            window.raise_()
            window.activateWindow()
            return window
        window = make()
        self._case_windows[case_id] = window
        window.finished.connect(lambda _r, c=case_id, w=window: self._forget_case_window(c, w))
        window.show()  # not modal: the list stays usable and other cases can be open beside it
        window.raise_()
        window.activateWindow()
        return window

    def _forget_case_window(self, case_id: int, window: QDialog) -> None:
        if self._case_windows.get(case_id) is window:
            del self._case_windows[case_id]

    def close_case_windows(self) -> bool:
        """Close every open case window; a form in one with typed changes asks first. False
        when the clerk goes on editing (nothing is closed then)."""
        windows = [w for w in self._case_windows.values() if w.isVisible()]
        for window in windows:
            for dialog in (window, *window.findChildren(QDialog)):
                if isinstance(dialog, AsksBeforeDiscarding) and dialog.isVisible() and dialog.has_changes() \
                        and not dialog.ask_discard():
                    return False
        for window in windows:
            for dialog in (*window.findChildren(QDialog), window):  # its forms first: they are windows too
                if dialog.isVisible():
                    dialog.done(QDialog.DialogCode.Rejected)  # already asked: no second question
        self._case_windows.clear()
        return True

    def _look(self) -> Changes:
        """On the worker: what changed since the last look (nothing at the first look of a
        database: it only learns where the chain stands)."""
        ctx = self.ctx
        seen = self._seen[1] if self._seen is not None and self._seen[0] is ctx else None
        count, changes = changes_since(ctx, seen)
        self._seen = (ctx, count)
        return changes

    def _looked(self, changes: Changes) -> None:
        if changes:
            self.changed.emit(changes)

    def database_replaced(self) -> None:
        """Another database, or this one restored from a backup: every screen reloads."""
        self.changed.emit(EVERYTHING)
        self.ops.look()

    def watch_for_changes(self, every_ms: int = 5000) -> None:
        """Look every few seconds, off the GUI thread, whether another clerk changed something
        (a shared database); if so, the screens it concerns reload as after one's own change."""
        self._watch.start(every_ms)

    def switch_society(self, society_id: int) -> None:
        if society_id != self.society_id:
            self.society_id = society_id
            self.prefs.set_last_society(self.ctx.db_label, society_id)
            self.society_changed.emit(society_id)

    def switch_user(self, user: str, visible: list[int] | None = None) -> None:
        """Another person signed in; if the society on screen is outside their area, the
        first one in it is shown instead. ``visible``: the ids of the societies in their area,
        as the sign-in read them on the runner (else read here)."""
        if user != self.user:
            if self.ops.saving():  # the save was the signed-in person's: it lands before anyone else works
                raise DomainError(self.tr("正在保存，请稍候再切换用户"))
            if visible is None:
                visible = [r.id for r in societies.list_societies(self.ctx, user)]
            if not visible and self.society_id is not None:
                raise PermissionDenied(self.tr("{0} 的工作范围内还没有互助社，请管理员调整工作范围").format(user))
            # Case windows are not modal: the next person must not inherit the cases on screen
            # (another village's, perhaps), so they close, asking for unsaved typing first.
            if not self.close_case_windows():
                raise DomainError(self.tr("还有未保存的修改：请先保存或放弃，再切换用户"))
            self.user = user
            self.prefs.last_user = user
            if self.society_id is not None and self.society_id not in visible:
                self.switch_society(visible[0])
            self.user_changed.emit(user)
