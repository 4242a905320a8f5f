"""The case list as a lazy Qt table model: a count, then pages of rows only as they are seen."""

from __future__ import annotations

from collections.abc import Callable

from collections import OrderedDict
from dataclasses import dataclass, replace

from PySide6.QtGui import QBrush, QColor
from PySide6.QtCore import (
    QT_TRANSLATE_NOOP, QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt, Signal,
)

from jiujinan.cases.listing import CaseListQuery, CaseListRow, SortKey
from jiujinan.cases.dates import format_date, format_moment
from jiujinan.cases.masking import mask_id
from jiujinan.cases.money import format_fen
from jiujinan.cases.enums import INACTIVE_STATUSES
from jiujinan.cases.errors import DomainError
from jiujinan.cases.review import REVIEW_DONE
from jiujinan.services import case_list, review
from jiujinan.services.context import AppContext

PAGE_SIZE = 500
MAX_CACHED_PAGES = 40

_tr = lambda text: QCoreApplication.translate("CaseTableModel", text)  # noqa: E731

# (header, sort key or None when the column cannot be sorted, how the cell shows the row)
COLUMNS: list[tuple[str, SortKey | None, object]] = [
    (QT_TRANSLATE_NOOP("CaseTableModel", "案件编号"), SortKey.CASE_NO, lambda r: r.case_no),
    (QT_TRANSLATE_NOOP("CaseTableModel", "申请人"), SortKey.NAME, lambda r: r.applicant_name),
    (QT_TRANSLATE_NOOP("CaseTableModel", "身份证号"), SortKey.ID_NUMBER, lambda r: mask_id(r.id_number)),
    (QT_TRANSLATE_NOOP("CaseTableModel", "救助事由"), SortKey.CAUSE, lambda r: r.cause.label),
    (QT_TRANSLATE_NOOP("CaseTableModel", "申请金额（元）"), SortKey.AMOUNT,
     lambda r: format_fen(r.requested_fen, grouped=True)),
    (QT_TRANSLATE_NOOP("CaseTableModel", "状态"), SortKey.STATUS, lambda r: r.status.label),
    (QT_TRANSLATE_NOOP("CaseTableModel", "申请日期"), SortKey.APPLIED_ON, lambda r: format_date(r.applied_on)),
    (QT_TRANSLATE_NOOP("CaseTableModel", "最后修改"), SortKey.UPDATED_AT, lambda r: format_moment(r.updated_at)),
    # 先行救助期限 is filled by the model: it needs the working-day calendar
    (QT_TRANSLATE_NOOP("CaseTableModel", "先行救助期限"), None, None),
]
AMOUNT_COLUMN = 4
DEADLINE_COLUMN = 8
OVERDUE_BRUSH = QBrush(QColor("#c62828"))
CASE_ID_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class Fetched:
    """What showing a query needs, read off the GUI thread."""

    query: CaseListQuery
    count: int
    first_page: list[CaseListRow]
    calendar: object | None = None


class CaseTableModel(QAbstractTableModel):
    """Rows come from the case-list service in pages of ``PAGE_SIZE``; nothing loads it all."""

    unavailable = Signal(str)  # a page could not be read (the message for the clerk)

    def __init__(self, ctx: AppContext, query: CaseListQuery, user: str | Callable[[], str],
                 parent=None, *, load: bool = True) -> None:  # noqa: ANN001
        """``user``: who reads (a name, or a function giving the signed-in one as it changes).
        ``load=False``: empty until ``show(fetch(...))`` (the page reads it on the worker)."""
        super().__init__(parent)
        self._ctx = ctx
        self._user: Callable[[], str] = user if callable(user) else (lambda: user)
        self._query = query
        self._count = 0
        self._pages: OrderedDict[int, list[CaseListRow]] = OrderedDict()
        self.pages_loaded = 0  # how many page queries ran (for tests and benchmarks)
        self._failing = False  # told the page once that rows cannot be read; reset by the next reload
        self._today = ctx.clock.today()
        self._calendar: object | None = None
        if load:
            self._calendar = review.calendar(ctx)
            self._count = case_list.count(self._ctx, self._query, self._user())

    # --- what the view asks -------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201
        if not index.isValid() or not 0 <= index.row() < self._count:
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if index.column() == AMOUNT_COLUMN:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, CASE_ID_ROLE,
                        Qt.ItemDataRole.ForegroundRole):
            return None
        try:
            row = self.row_at(index.row())
        except DomainError as err:  # the server is gone for now: blank cells, the page says why
            if not self._failing:
                self._failing = True
                self.unavailable.emit(str(err))
            return None
        if row is None:
            return None
        if role == CASE_ID_ROLE:
            return row.id
        left = self._days_left(row)
        if role == Qt.ItemDataRole.ForegroundRole:
            return OVERDUE_BRUSH if left is not None and left < 0 else None
        if index.column() == DEADLINE_COLUMN:
            if left is None:
                return ""
            return self.tr("超期{0}个工作日").format(-left) if left < 0 else self.tr("剩{0}个工作日").format(left)
        return COLUMNS[index.column()][2](row)  # type: ignore[operator]

    def _days_left(self, row: CaseListRow) -> int | None:
        """先行救助: working days to the paperwork deadline while the review is unfinished."""
        if row.emergency_deadline is None or row.status in REVIEW_DONE or row.status in INACTIVE_STATUSES:
            return None
        return self._calendar.working_days_between(self._today, row.emergency_deadline)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201, N802
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return _tr(COLUMNS[section][0])
        if orientation == Qt.Orientation.Vertical:
            return section + 1
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS) or COLUMNS[column][1] is None:
            return
        # The same rows in another order: the count stays, only the pages go.
        self.set_query(replace(self._query, sort=COLUMNS[column][1],
                               descending=order == Qt.SortOrder.DescendingOrder), recount=False)

    # --- what the page asks -------------------------------------------------------------
    @property
    def query(self) -> CaseListQuery:
        return self._query

    def set_query(self, query: CaseListQuery, *, recount: bool = True) -> None:
        """Apply a new filter or order here and now (sorting by a header click: the count
        stays). If the count cannot be read, the list stays as it was."""
        self.show(self.fetch(query, recount=recount))

    def refresh(self) -> None:
        """Re-read after a change elsewhere (same filter and order), here and now."""
        self.show(self.fetch(self._query, calendar=True))

    def fetch(self, query: CaseListQuery, *, recount: bool = True, calendar: bool = False) -> Fetched:
        """Read what showing ``query`` needs: its count and first page (and the calendar).
        Touches no Qt object, so it can run on the operations' worker thread."""
        count = case_list.count(self._ctx, query, self._user()) if recount else self._count
        first = case_list.page(self._ctx, query, self._user(), limit=min(PAGE_SIZE, count), offset=0) \
            if count and recount else []  # a new order (recount=False) reads its pages as they are seen
        needs_calendar = calendar or self._calendar is None  # the first read brings it
        return Fetched(query, count, first, review.calendar(self._ctx) if needs_calendar else None)

    def show(self, fetched: Fetched) -> None:
        """Show what ``fetch`` read: every cached page goes."""
        self.beginResetModel()
        self._query = fetched.query
        self._pages.clear()
        if fetched.first_page:
            self._pages[0] = fetched.first_page
            self.pages_loaded += 1
        self._failing = False
        self._today = self._ctx.clock.today()
        self._count = fetched.count
        if fetched.calendar is not None:
            self._calendar = fetched.calendar
        self.endResetModel()

    def row_at(self, row: int) -> CaseListRow | None:
        """The case shown on ``row``, loading its page if needed."""
        if not 0 <= row < self._count:
            return None
        number, offset = divmod(row, PAGE_SIZE)
        page = self._page(number)
        return page[offset] if offset < len(page) else None

    # --- paging -------------------------------------------------------------------------
    def _page(self, number: int) -> list[CaseListRow]:
        page = self._pages.get(number)
        if page is not None:
            self._pages.move_to_end(number)
            return page
        page = self._load(number)
        self._pages[number] = page
        if len(self._pages) > MAX_CACHED_PAGES:
            self._pages.popitem(last=False)
        return page

    def _load(self, number: int) -> list[CaseListRow]:
        """Read one page: after the page before it (keyset), before the page after it, or
        by offset from whichever end of the list is nearer."""
        self.pages_loaded += 1
        start = number * PAGE_SIZE
        size = min(PAGE_SIZE, self._count - start)
        sort = self._query.sort
        before = self._pages.get(number - 1)
        if before and len(before) == PAGE_SIZE:
            last = before[-1]
            return case_list.page(self._ctx, self._query, self._user(), limit=size,
                                  after=(last.sort_value(sort), last.id))
        following = self._pages.get(number + 1)
        if following:
            first = following[0]
            return case_list.page(self._ctx, self._query, self._user(), limit=size, from_end=True,
                                  after=(first.sort_value(sort), first.id))
        from_end_offset = self._count - (start + size)
        if from_end_offset < start:
            return case_list.page(self._ctx, self._query, self._user(), limit=size, offset=from_end_offset,
                                  from_end=True)
        return case_list.page(self._ctx, self._query, self._user(), limit=size, offset=start)
