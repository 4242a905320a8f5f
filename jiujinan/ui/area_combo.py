"""The 工作范围 picker in the user dialogs: the areas the administrator may hand out (his own
and what lies within it), by the places the database holds. The places are read on the
runner (``area_options``) before the dialog opens."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox, QWidget

from jiujinan.cases.areas import area_choices, area_label

if TYPE_CHECKING:
    from jiujinan.services.context import AppContext

AreaOptions = list[tuple[str, str]]  # (area code, what the picker says)


def area_options(ctx: AppContext, admin: str) -> AreaOptions:
    """On the runner: the areas ``admin`` may hand out."""
    from jiujinan.services import societies, users

    record = users.get_user(ctx, admin) if admin else None
    records = societies.list_societies(ctx, admin) if record else []
    places = [(r.settings.area_code, r.settings.district, r.settings.town, r.settings.name) for r in records]
    return list(area_choices(record.area if record else "", places))


class AreaCombo(QComboBox):
    def __init__(self, options: AreaOptions, current: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        for code, label in options:
            self.addItem(label, code)
        if self.findData(current) < 0:  # an area without societies yet: shown as it is
            self.addItem(area_label(current), current)
        self.setCurrentIndex(self.findData(current))
        self.setToolTip(self.tr("用户只能看到并办理该范围内互助社的案件和资金"))

    def area(self) -> str:
        return str(self.currentData() or "")
