"""Draw the app icon with Qt and write it as PNG, Windows .ico and macOS .icns (no external tools)."""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

ICNS_TYPES = {16: b"icp4", 32: b"icp5", 64: b"icp6", 128: b"ic07", 256: b"ic08", 512: b"ic09", 1024: b"ic10"}
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def render_png(size: int) -> bytes:
    """The icon at ``size`` pixels: a rounded navy tile with a balance scale and an "AI" mark."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
    from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter, QPen

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = size / 64.0
    p.setBrush(QColor("#1f3a5f"))
    p.setPen(Qt.PenStyle.NoPen)
    p.drawRoundedRect(QRectF(2 * s, 2 * s, 60 * s, 60 * s), 12 * s, 12 * s)
    pen = QPen(QColor("#f2c14e"), max(1.0, 3 * s))
    p.setPen(pen)
    p.drawLine(QPointF(32 * s, 14 * s), QPointF(32 * s, 50 * s))
    p.drawLine(QPointF(14 * s, 20 * s), QPointF(50 * s, 20 * s))
    p.drawLine(QPointF(22 * s, 50 * s), QPointF(42 * s, 50 * s))
    for cx in (16, 48):
        p.drawArc(QRectF((cx - 8) * s, 22 * s, 16 * s, 14 * s), 180 * 16, 180 * 16)
        p.drawLine(QPointF(cx * s, 20 * s), QPointF((cx - 8) * s, 29 * s))
        p.drawLine(QPointF(cx * s, 20 * s), QPointF((cx + 8) * s, 29 * s))
    if size >= 32:
        p.setPen(QColor("#ffffff"))
        font = QFont("Sans Serif")
        font.setPixelSize(int(11 * s))
        font.setBold(True)
        p.setFont(font)
        p.drawText(QRectF(0, 36 * s, 64 * s, 14 * s), Qt.AlignmentFlag.AlignCenter, "AI")
    p.end()
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "PNG")
    return bytes(data.data())


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """A Windows .ico holding PNG images (supported since Windows Vista)."""
    sizes = [n for n in ICO_SIZES if n in pngs]
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = 6 + 16 * len(sizes)
    entries, blobs = b"", b""
    for n in sizes:
        data = pngs[n]
        entries += struct.pack("<BBBBHHII", n % 256, n % 256, 0, 0, 1, 32, len(data), offset + len(blobs))
        blobs += data
    return header + entries + blobs


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """A macOS .icns holding PNG images."""
    body = b"".join(ICNS_TYPES[n] + struct.pack(">I", 8 + len(pngs[n])) + pngs[n]
                    for n in sorted(ICNS_TYPES) if n in pngs)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def write_icons(out: Path) -> Path:
    """Write app.png (256), app.ico and app.icns into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    pngs = {n: render_png(n) for n in sorted(set(ICO_SIZES) | set(ICNS_TYPES))}
    (out / "app.png").write_bytes(pngs[256])
    (out / "app.ico").write_bytes(ico_bytes(pngs))
    (out / "app.icns").write_bytes(icns_bytes(pngs))
    return out


if __name__ == "__main__":
    print(write_icons(Path(sys.argv[1] if len(sys.argv) > 1 else "build/icons")))
