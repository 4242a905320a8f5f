"""The case list as a lazy Qt table model: a count, then pages of rows only as they are seen."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

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
from jiujinan.ui.errors import show_error

PAGE_SIZE = 500
MAX_CACHED_PAGES = 40

# How a page is read off the GUI thread: run the first function (it reads) on the runner, then
# hand its result to the second, or its error to the third, on the GUI thread (ui/ops.query).
Runner = Callable[[Callable[[], Any], Callable[[Any], None], Callable[[BaseException], None]], None]

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
                 parent=None, *, load: bool = True, runner: Runner | None = None) -> None:  # noqa: ANN001
        """``user``: who reads (a name, or a function giving the signed-in one as it changes).
        ``load=False``: empty until ``show(fetch(...))`` (the page reads it on the worker).
        ``runner``: pages scrolled to are read on it, their cells blank until they land
        (without one, here and now: the benchmarks and the model's own tests)."""
        super().__init__(parent)
        self._runner = runner
        self._generation = 0  # counts the resets: a page read before the last one is dropped
        self._asked: set[int] = set()  # pages being read on the runner
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
            self._unavailable(err)
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
        # The same rows in another order: the count stays, only the pages go (read as they are seen).
        query = replace(self._query, sort=COLUMNS[column][1], descending=order == Qt.SortOrder.DescendingOrder)
        self.show(Fetched(query, self._count, []))  # nothing to read here: no rows are shown without the calendar

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
        self._generation += 1
        self._asked.clear()
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
        """The case shown on ``row``, loading its page if needed (None while it is read on
        the runner)."""
        if not 0 <= row < self._count:
            return None
        number, offset = divmod(row, PAGE_SIZE)
        page = self._page(number)
        return page[offset] if page is not None and offset < len(page) else None

    # --- paging -------------------------------------------------------------------------
    def _page(self, number: int) -> list[CaseListRow] | None:
        page = self._pages.get(number)
        if page is not None:
            self._pages.move_to_end(number)
            return page
        if self._runner is not None:
            self._ask(number)
            return self._pages.get(number)  # there already when the runner runs in place (the UI tests)
        self._keep(number, self._reader(number)())
        return self._pages[number]

    def _keep(self, number: int, page: list[CaseListRow]) -> None:
        self.pages_loaded += 1
        self._pages[number] = page
        if len(self._pages) > MAX_CACHED_PAGES:
            self._pages.popitem(last=False)

    def _ask(self, number: int) -> None:
        """Read page ``number`` on the runner (once); its rows are shown when it lands."""
        if number in self._asked:
            return
        self._asked.add(number)
        generation = self._generation

        def landed(page: list[CaseListRow]) -> None:
            if generation != self._generation:  # the list was read again meanwhile
                return
            self._asked.discard(number)
            self._keep(number, page)
            first = number * PAGE_SIZE
            last = min(first + len(page), self._count) - 1
            if last >= first:
                self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))

        def failed(err: BaseException) -> None:
            if generation == self._generation:
                self._asked.discard(number)
            if isinstance(err, DomainError):
                self._unavailable(err)
            else:
                show_error(None, err)

        self._runner(self._reader(number), landed, failed)

    def _unavailable(self, err: DomainError) -> None:
        """The server is gone for now: blank cells, the page says why (once, until a reload)."""
        if not self._failing:
            self._failing = True
            self.unavailable.emit(str(err))

    def _reader(self, number: int) -> Callable[[], list[CaseListRow]]:
        """How to read one page: after the page before it (keyset), before the page after
        it, or by offset from whichever end of the list is nearer. Worked out here, from the
        pages at hand; the function it gives touches no Qt object."""
        ctx, query, user = self._ctx, self._query, self._user()
        start = number * PAGE_SIZE
        size = min(PAGE_SIZE, self._count - start)
        sort = query.sort
        before = self._pages.get(number - 1)
        if before and len(before) == PAGE_SIZE:
            after = (before[-1].sort_value(sort), before[-1].id)
            return lambda: case_list.page(ctx, query, user, limit=size, after=after)
        following = self._pages.get(number + 1)
        if following:
            after = (following[0].sort_value(sort), following[0].id)
            return lambda: case_list.page(ctx, query, user, limit=size, from_end=True, after=after)
        from_end_offset = self._count - (start + size)
        if from_end_offset < start:
            return lambda: case_list.page(ctx, query, user, limit=size, offset=from_end_offset, from_end=True)
        return lambda: case_list.page(ctx, query, user, limit=size, offset=start)
