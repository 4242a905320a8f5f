"""本单位 in 设置: which office this is and its card's fingerprint (read out over the phone), the
card to hand to the offices above and below, and theirs, enrolled after the fingerprint check."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QPushButton,
    QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from jiujinan.cases.offices import Office, TrustedOffice
from jiujinan.exchange.card import SUFFIX, Card
from jiujinan.services import offices
from jiujinan.ui.errors import message_for, show_error
from jiujinan.ui.office_dialogs import OfficeDialog, TrustDialog
from jiujinan.ui.session import UiSession

COLUMNS = (QT_TRANSLATE_NOOP("OfficeBox", "类别"), QT_TRANSLATE_NOOP("OfficeBox", "区划代码"),
           QT_TRANSLATE_NOOP("OfficeBox", "名称"), QT_TRANSLATE_NOOP("OfficeBox", "卡片指纹"),
           QT_TRANSLATE_NOOP("OfficeBox", "登记"))


@dataclass(frozen=True)
class OfficeView:
    office: Office | None
    fingerprint: str
    trusted: list[TrustedOffice]


def read_office(ctx, user: str) -> OfficeView:  # noqa: ANN001
    """On the runner: the office, its card's fingerprint (its keys made on first use) and the
    offices enrolled."""
    office = offices.current_office(ctx)
    fingerprint = offices.own_card(ctx, user).fingerprint if office is not None else ""
    return OfficeView(office, fingerprint, offices.trusted(ctx, user))


class OfficeBox(QGroupBox):
    def __init__(self, ui: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("本单位与上下级单位"), parent)
        self.ui = ui
        self.view: OfficeView | None = None
        self.office_label = QLabel()
        self.office_label.setWordWrap(True)
        self.fingerprint = QLabel()
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setup_button = QPushButton(self.tr("设立本单位…"))
        self.setup_button.clicked.connect(self.set_up)
        self.card_button = QPushButton(self.tr("导出本单位卡片…"))
        self.card_button.clicked.connect(self.export_card)
        self.trust_button = QPushButton(self.tr("登记其他单位的卡片…"))
        self.trust_button.clicked.connect(self.trust_card)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(110)
        self.status = QLabel()
        self.status.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.office_label, 1)
        top.addWidget(self.setup_button)
        card_row = QHBoxLayout()
        card_row.addWidget(self.fingerprint, 1)
        card_row.addWidget(self.card_button)
        form = QFormLayout()
        form.addRow(self.tr("本单位"), top)
        form.addRow(self.tr("卡片指纹"), card_row)
        trust_row = QHBoxLayout()
        trust_row.addWidget(QLabel(self.tr("已登记的上下级单位（凭卡片收发数据包）")), 1)
        trust_row.addWidget(self.trust_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(trust_row)
        layout.addWidget(self.table)
        layout.addWidget(self.status)
        ui.changed.connect(lambda changes: changes.touches("office", "trusted_office", "society") and self.reload())

    def set_admin(self, admin: bool) -> None:
        self._admin = admin
        self._buttons()

    def reload(self) -> None:
        ctx, user = self.ui.ctx, self.ui.user
        self.ui.ops.query(self, lambda: read_office(ctx, user), done=self._show, failed=self._unreadable)

    def _unreadable(self, err: BaseException) -> None:
        self.status.setText(message_for(err))

    def _show(self, view: OfficeView) -> None:
        self.view = view
        office = view.office
        if office is None:
            self.office_label.setText(self.tr("尚未设立"))
        elif office.derived:
            self.office_label.setText(self.tr("{0}（按本数据库的互助社视为村互助社；可正式设立）").format(office.label))
        else:
            self.office_label.setText(office.label)
        self.fingerprint.setText(view.fingerprint or self.tr("（设立本单位后生成）"))
        self.table.setRowCount(len(view.trusted))
        for row, entry in enumerate(view.trusted):
            values = (entry.kind.label, entry.area_code, entry.name, entry.fingerprint,
                      f"{entry.enrolled_at:%Y-%m-%d} {entry.enrolled_by}")
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self._buttons()

    def _buttons(self) -> None:
        admin = getattr(self, "_admin", False)
        office = self.view.office if self.view else None
        self.setup_button.setVisible(admin and (office is None or office.derived))
        self.card_button.setEnabled(office is not None)
        self.trust_button.setVisible(admin)
        self.trust_button.setEnabled(office is not None)

    def set_up(self) -> None:
        dialog = OfficeDialog(self.ui.ops, self.ui.ctx, user=self.ui.user, parent=self)
        if dialog.exec() and dialog.office is not None:
            self.status.setText(self.tr("已设立本单位：{0}").format(dialog.office.label))

    def choose_card_to_save(self, suggested: str) -> str:
        """Where to write this office's card (tests replace this)."""
        return QFileDialog.getSaveFileName(self, self.tr("导出本单位卡片"), suggested,
                                           self.tr("单位卡片 (*{0})").format(SUFFIX))[0]

    def choose_card_to_open(self) -> str:
        """Which card to enrol (tests replace this)."""
        return QFileDialog.getOpenFileName(self, self.tr("选择对方单位的卡片"), "",
                                           self.tr("单位卡片 (*{0});;所有文件 (*)").format(SUFFIX))[0]

    def export_card(self) -> None:
        office = self.view.office if self.view else None
        if office is None:
            return
        name = self.choose_card_to_save(office.name + SUFFIX)
        if not name:
            return
        ctx, user = self.ui.ctx, self.ui.user
        self.ui.ops.change(self, lambda: offices.write_card(ctx, Path(name), user), done=lambda made: self.status.setText(
            self.tr("已导出卡片 {0}（指纹 {1}）。交给对方后，请在电话中向对方读出指纹。").format(
                offices.card_path(Path(name)), made.fingerprint)))

    def trust_card(self) -> None:
        name = self.choose_card_to_open()
        if not name:
            return
        self.ui.ops.query(self, lambda: offices.read_card(Path(name)), done=lambda card: self._confirm(Path(name), card),
                          failed=lambda err: show_error(self, err))

    def trust_dialog(self, path: Path, card: Card, enrolled: str) -> TrustDialog:
        return TrustDialog(self.ui.ops, self.ui.ctx, path, card, user=self.ui.user, enrolled=enrolled, parent=self)

    def _confirm(self, path: Path, card: Card) -> None:
        known = next((t for t in (self.view.trusted if self.view else []) if t.area_code == card.area_code), None)
        enrolled = known.fingerprint if known is not None and known.fingerprint != card.fingerprint else ""
        dialog = self.trust_dialog(path, card, enrolled)
        if dialog.exec() and dialog.enrolled is not None:
            done = dialog.enrolled
            if done.already:
                said = self.tr("{0}的这张卡片早已登记，无需改动").format(done.office.label)
            elif done.replaced:
                said = self.tr("已替换{0}的卡片：原指纹 {1}，新指纹 {2}").format(done.office.label, done.replaced,
                                                                  done.office.fingerprint)
            else:
                said = self.tr("已登记{0}").format(done.office.label)
            self.status.setText(said)
