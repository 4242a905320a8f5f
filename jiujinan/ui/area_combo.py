"""The 工作范围 picker in the user dialogs: the areas the administrator may hand out (his own
and what lies within it), by the places the database holds."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QWidget

from jiujinan.cases.areas import area_choices, area_label
from jiujinan.services import societies, users
from jiujinan.services.context import AppContext


class AreaCombo(QComboBox):
    def __init__(self, ctx: AppContext, admin: str, current: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        record = users.get_user(ctx, admin) if admin else None
        records = societies.list_societies(ctx, admin) if record else []
        places = [(r.settings.area_code, r.settings.district, r.settings.town, r.settings.name) for r in records]
        for code, label in area_choices(record.area if record else "", places):
            self.addItem(label, code)
        if self.findData(current) < 0:  # an area without societies yet: shown as it is
            self.addItem(area_label(current), current)
        self.setCurrentIndex(self.findData(current))
        self.setToolTip(self.tr("用户只能看到并办理该范围内互助社的案件和资金"))

    def area(self) -> str:
        return str(self.currentData() or "")
