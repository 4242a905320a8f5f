"""The sort arrow in a table header points the way the list runs: ▲ when the smallest (or
earliest) comes first, ▼ when the largest (or newest) does.

Qt hands styles "SortDown" for ascending order and "SortUp" for descending, and each style
draws those its own way (Fusion shows ▼ for ascending, the Windows styles ▲), so the same
list showed opposite arrows on different PCs. This style draws the arrow from the order
itself, with the style's own plain arrows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QHeaderView, QProxyStyle, QStyle, QStyleOption, QStyleOptionHeader, QWidget


def arrow_for(order: Qt.SortOrder) -> QStyle.PrimitiveElement:
    """▲ for ascending, ▼ for descending."""
    if order == Qt.SortOrder.AscendingOrder:
        return QStyle.PrimitiveElement.PE_IndicatorArrowUp
    return QStyle.PrimitiveElement.PE_IndicatorArrowDown


class SortArrowStyle(QProxyStyle):
    """The application's style, with the header's sort arrow drawn from the sort order."""

    def drawPrimitive(self, element: QStyle.PrimitiveElement, option: QStyleOption, painter: QPainter,  # noqa: N802
                      widget: QWidget | None = None) -> None:
        if element == QStyle.PrimitiveElement.PE_IndicatorHeaderArrow and isinstance(option, QStyleOptionHeader) \
                and isinstance(widget, QHeaderView):
            if option.sortIndicator == QStyleOptionHeader.SortIndicator.None_:
                return
            # QHeaderView sets SortDown for AscendingOrder; ask the header instead of decoding it.
            self.baseStyle().drawPrimitive(arrow_for(widget.sortIndicatorOrder()), option, painter, widget)
            return
        super().drawPrimitive(element, option, painter, widget)


def use_sort_arrows(header: QHeaderView) -> SortArrowStyle:
    """Give ``header`` arrows that point the way its list is sorted."""
    style = SortArrowStyle()
    style.setParent(header)  # lives as long as the header
    header.setStyle(style)
    return style
