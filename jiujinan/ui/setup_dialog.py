"""A society's details: on first start (after the administrator is set up) and 新增互助社."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from jiujinan.cases.errors import ValidationError
from jiujinan.cases.offices import Office, OfficeKind
from jiujinan.cases.society import SocietyRecord
from jiujinan.services import societies
from jiujinan.services.context import AppContext
from jiujinan.ui.errors import message_for
from jiujinan.ui.field_errors import ERROR_STYLE
from jiujinan.ui.ops import Ops
from jiujinan.ui.screen_fit import resize_to_fit
from jiujinan.ui.society_form import SocietyForm
from jiujinan.ui.wheel_guard import guard_wheel

WIDTH = 760


class SetupDialog(QDialog):
    """Creates the first society (or another one), as ``user``."""

    def __init__(self, ops: Ops, ctx: AppContext, *, user: str, first: bool = False, office: Office | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.ctx = ctx
        self.record: SocietyRecord | None = None
        self.user = user
        self.setWindowTitle(self.tr("首次使用：填写互助社信息") if first else self.tr("互助社信息"))
        intro = QLabel(self.tr("请填写本互助社的基本信息和审批设置。以后可在“设置”中修改。"))
        intro.setWordWrap(True)
        self.form = SocietyForm()
        if office is not None and office.kind is OfficeKind.VILLAGE:  # the village's society is the office
            self.form.area_code.setText(office.area_code)
            self.form.name.setText(office.name)
        self.banner = QLabel()
        self.banner.setStyleSheet(ERROR_STYLE)
        self.banner.setWordWrap(True)
        self.banner.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("保存"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        # Some twenty-five fields and their red lines are taller than a 1366×768 screen at larger
        # text sizes: the fields scroll, the buttons stay in sight.
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(self.form)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.banner)
        layout.addWidget(buttons)
        self.intro = intro
        guard_wheel(self)  # the fields scroll: the wheel must not change a limit on the way
        self._fit()

    def _fit(self) -> None:
        """As wide and tall as the fields need (larger text sizes need more), but no larger
        than the screen."""
        margins = self.layout().contentsMargins()
        spacing = self.layout().spacing()
        parts = [self.intro, self.form, self.buttons] + ([self.banner] if not self.banner.isHidden() else [])
        height = sum(w.sizeHint().height() for w in parts) + spacing * len(parts) + margins.top() + margins.bottom()
        width = self.form.sizeHint().width() + self.scroll.verticalScrollBar().sizeHint().width() \
            + margins.left() + margins.right()
        resize_to_fit(self, max(WIDTH, width, self.width() if self.isVisible() else 0), height)

    def save(self) -> None:
        try:
            settings = self.form.settings()
        except ValidationError:
            self._fit()
            return
        ctx, user = self.ctx, self.user
        self.ops.change(self, lambda: societies.create_society(ctx, settings, user), done=self._saved,
                        failed=self._refused)

    def _saved(self, record: SocietyRecord) -> None:
        self.record = record
        self.accept()

    def _refused(self, err: BaseException) -> None:
        if isinstance(err, ValidationError):
            self.form.show_errors(err.errors)
            return
        self.banner.setText(message_for(err))
        self.banner.show()
        self._fit()
