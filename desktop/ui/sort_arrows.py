"""Sort arrows that point the way the rows run: up for ascending (A at the top), down for descending.

QHeaderView hands the style ``SortDown`` for an ascending sort, and styles such as Fusion draw that
as a down arrow; a proxy style on each header swaps the two so the arrow matches the order shown.
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QHeaderView, QProxyStyle, QStyle, QStyleOption, QStyleOptionHeader, QWidget

_FLIPPED = {QStyleOptionHeader.SortIndicator.SortUp: QStyleOptionHeader.SortIndicator.SortDown,
            QStyleOptionHeader.SortIndicator.SortDown: QStyleOptionHeader.SortIndicator.SortUp}
_styles: list[QProxyStyle] = []  # kept alive for the headers that use them


class SortArrowStyle(QProxyStyle):
    """The application's style with the header sort arrow turned to match the order."""

    def drawPrimitive(self, element: QStyle.PrimitiveElement, option: QStyleOption, painter, widget=None) -> None:  # type: ignore[no-untyped-def, override]
        if element == QStyle.PrimitiveElement.PE_IndicatorHeaderArrow and isinstance(option, QStyleOptionHeader):
            flipped = QStyleOptionHeader(option)
            flipped.sortIndicator = _FLIPPED.get(option.sortIndicator, option.sortIndicator)
            option = flipped
        super().drawPrimitive(element, option, painter, widget)


def fix_sort_arrows(root: QWidget) -> None:
    """Give every header under ``root`` the arrow that matches its order (macOS draws it right already)."""
    app = QApplication.instance()
    name = app.style().name().lower() if isinstance(app, QApplication) else ""
    if name.startswith("macos"):
        return
    if not _styles:
        _styles.append(SortArrowStyle(name or None))
    for header in root.findChildren(QHeaderView):
        header.setStyle(_styles[0])
