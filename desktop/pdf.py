"""HTML -> PDF with QtGui (QTextDocument + QPdfWriter): the one Qt use outside ``desktop/ui``.

Works from the command line with no window: when no Qt application exists yet, an offscreen
``QGuiApplication`` is created.  Fonts are embedded by Qt's PDF engine; every page gets a
"Page N of M" footer, and the bottom of the last page is kept free for the signature boxes
(``desktop.core.memo.layout``), adding a page when the text reaches into that band.
"""

from __future__ import annotations

import os
import sys

from desktop.core.memo.layout import (
    FOOTER_HEIGHT,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_TOP,
    SIGNATURE_BAND,
    page_geometry,
)

RESOLUTION = 300            # device pixels per inch of the PDF writer
BODY_FONT_FAMILIES = ["DejaVu Sans", "Segoe UI", "Helvetica Neue", "Arial", "Liberation Sans"]
BODY_FONT_POINTS = 9.5

_app: object | None = None  # the offscreen application we created, kept alive


def _ensure_gui_application() -> None:
    """Create an offscreen application unless one already runs.

    A QApplication (not a bare QGuiApplication), so that a window opened later in the same
    process (the desktop app, the UI tests) finds the kind of application it needs.
    """
    global _app
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    if QCoreApplication.instance() is not None:
        return
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _app = QApplication([sys.argv[0] if sys.argv else "aireview", "-platform",
                            os.environ["QT_QPA_PLATFORM"]])


def html_to_pdf(html: str, *, page_size: str = "A4", title: str = "", footer: str = "",
                reserve_signature_band: bool = True) -> bytes:
    """Render ``html`` to PDF bytes on A4 or Letter pages with page numbers.

    ``footer`` is printed at the left of every page's footer line; ``title`` goes into the
    PDF's document information.  Raises ValueError for an unknown page size.
    """
    geometry = page_geometry(page_size)
    _ensure_gui_application()
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSizeF, Qt
    from PySide6.QtGui import (
        QFont,
        QPageLayout,
        QPageSize,
        QPainter,
        QPdfWriter,
        QTextDocument,
    )

    scale = RESOLUTION / 72.0
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(RESOLUTION)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4 if page_size == "A4"
                                 else QPageSize.PageSizeId.Letter))
    writer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Point)
    writer.setTitle(title)
    writer.setCreator("AI Review Desk")

    document = QTextDocument()
    document.documentLayout().setPaintDevice(writer)
    font = QFont()
    font.setFamilies(BODY_FONT_FAMILIES)
    font.setPointSizeF(BODY_FONT_POINTS)
    font.setFeature(QFont.Tag("liga"), 0)   # keep "fi" as two letters: paths stay searchable
    document.setDefaultFont(font)
    document.setDocumentMargin(0)
    body_width = geometry.body_width * scale
    body_height = geometry.body_height * scale
    document.setPageSize(QSizeF(body_width, body_height))
    document.setHtml(html)

    pages = max(1, document.pageCount())
    if reserve_signature_band:
        layout = document.documentLayout()
        content_bottom = layout.blockBoundingRect(document.lastBlock()).bottom()
        free_on_last = pages * body_height - content_bottom
        if free_on_last < SIGNATURE_BAND * scale:
            pages += 1

    footer_font = QFont(font)
    footer_font.setPointSizeF(7.5)
    painter = QPainter(writer)
    try:
        for page in range(pages):
            if page:
                writer.newPage()
            painter.save()
            painter.translate(MARGIN_LEFT * scale, MARGIN_TOP * scale - page * body_height)
            document.drawContents(painter, QRectF(0, page * body_height, body_width, body_height))
            painter.restore()
            painter.setFont(footer_font)
            line = QRectF(MARGIN_LEFT * scale,
                          (geometry.height - MARGIN_BOTTOM - FOOTER_HEIGHT) * scale,
                          body_width, FOOTER_HEIGHT * scale)
            painter.drawText(line, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom),
                             f"Page {page + 1} of {pages}")
            if footer:
                painter.drawText(line, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom),
                                 footer)
    finally:
        painter.end()
    buffer.close()
    return bytes(data.data())
