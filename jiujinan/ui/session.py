"""What every screen is handed: the open database, the society and person at work, and
one signal that tells screens to reload after a change."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from jiujinan.services.context import AppContext
from jiujinan.ui.prefs import Preferences


class UiSession(QObject):
    """The explicit context passed to each screen (no globals)."""

    data_changed = Signal()
    society_changed = Signal(int)
    user_changed = Signal(str)

    def __init__(self, ctx: AppContext, prefs: Preferences, society_id: int, user: str) -> None:
        super().__init__()
        self.ctx = ctx
        self.prefs = prefs
        self.society_id = society_id
        self.user = user

    def notify_changed(self) -> None:
        """Tell every screen that data changed (they decide what to reload)."""
        self.data_changed.emit()

    def switch_society(self, society_id: int) -> None:
        if society_id != self.society_id:
            self.society_id = society_id
            self.prefs.set_last_society(self.ctx.db_label, society_id)
            self.society_changed.emit(society_id)

    def switch_user(self, user: str) -> None:
        if user != self.user:
            self.user = user
            self.prefs.last_user = user
            self.user_changed.emit(user)
