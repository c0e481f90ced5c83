"""A tiny PDF writer for the corpus: text lines on A4 pages in Helvetica (WinAnsi), no dependencies."""

from __future__ import annotations

import textwrap

LINES_PER_PAGE = 60
WIDTH = 95
_SPACES = str.maketrans({c: " " for c in "\t\u00a0\u2002\u2003\u2009\u202f\u3000"})


def _escape(line: bytes) -> bytes:
    return line.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def text_pdf(text: str) -> bytes | None:
    """A PDF showing ``text`` wrapped at WIDTH characters, or None if cp1252 cannot encode it."""
    text = text.translate(_SPACES)
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return None
    lines: list[str] = []
    for line in text.split("\n"):
        lines.extend(textwrap.wrap(line, WIDTH, break_long_words=False, break_on_hyphens=False) or [""])
    pages = [lines[i:i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)] or [[""]]
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", b"", font]
    kids = []
    for page in pages:
        body = b"BT /F1 9 Tf 11 TL 40 800 Td\n" + b"".join(
            b"(" + _escape(line.encode("cp1252")) + b") Tj T*\n" for line in page) + b"ET"
        objects.append(b"<< /Length %d >>\nstream\n" % len(body) + body + b"\nendstream")
        content = len(objects)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                       b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % content)
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
