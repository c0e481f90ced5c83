"""Horizontal bars drawn with QPainter in palette colours: how many checklist items sit at each
suggested level, or how many carry each decision.  Each bar is labelled with what it counts."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from desktop.ui.review_data import LEVELS

# Levels and decisions are told apart by hue; the hues are mixed with the palette's text colour so
# they keep their contrast on light and dark backgrounds (-1: a tint of the text colour).
LEVEL_HUES = {"block": 0, "high": 20, "medium": 45, "low": 210, "info": -1}
DECISION_HUES = {"accept": 120, "accept-with-conditions": 45, "reject": 0, "needs-info": 280, "undecided": -1}
BAR_HEIGHT = 18
GAP = 6


class FindingsChart(QWidget):
    """One row per level or decision: its label, then a bar as long as its count."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, dict[str, int]]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

    def set_rows(self, rows: list[tuple[str, dict[str, int]]]) -> None:
        """``rows`` are (label, {level or decision: count}); a row may stack several keys."""
        self._rows = rows
        self.setAccessibleDescription("; ".join(f"{title}: {sum(counts.values())}" for title, counts in rows))
        self.updateGeometry()
        self.update()

    def level_color(self, key: str) -> QColor:
        hue = LEVEL_HUES.get(key, DECISION_HUES.get(key, -1))
        text = self.palette().color(QPalette.ColorRole.Text)
        if hue < 0:
            color = QColor(text)
            color.setAlpha(90)
            return color
        dark = text.lightness() > 128
        return QColor.fromHsl(hue, 170, 150 if dark else 110)

    def sizeHint(self) -> QSize:
        return QSize(300, (BAR_HEIGHT + GAP) * len(self._rows) + GAP)

    def minimumSizeHint(self) -> QSize:
        return QSize(160, self.sizeHint().height())

    def paintEvent(self, _event: object) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = painter.fontMetrics()
        label_width = min(max((metrics.horizontalAdvance(t) for t, _ in self._rows), default=0) + 12,
                          self.width() // 2)
        most = max((sum(c.values()) for _, c in self._rows), default=0) or 1
        bar_space = max(10, self.width() - label_width - 40)
        text_color = self.palette().color(QPalette.ColorRole.Text)
        y = GAP
        for title, counts in self._rows:
            painter.setPen(text_color)
            shown = metrics.elidedText(title, Qt.TextElideMode.ElideRight, label_width - 8)
            painter.drawText(QRectF(0, y, label_width - 8, BAR_HEIGHT),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, shown)
            x = float(label_width)
            for key in [*LEVELS, *DECISION_HUES]:
                n = counts.get(key, 0)
                if n:
                    width = bar_space * n / most
                    painter.fillRect(QRectF(x, y, width, BAR_HEIGHT), self.level_color(key))
                    x += width
            painter.setPen(text_color)
            painter.drawText(QRectF(x + 4, y, 36, BAR_HEIGHT), Qt.AlignmentFlag.AlignVCenter,
                             str(sum(counts.values())))
            y += BAR_HEIGHT + GAP
        painter.end()
