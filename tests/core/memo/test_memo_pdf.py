"""HTML -> PDF with Qt offscreen: page sizes, page numbers, embedded fonts, signature band."""

from __future__ import annotations

import io

import pypdf
import pytest

from desktop.pdf import html_to_pdf


def _fonts(reader: pypdf.PdfReader) -> list[tuple[str, bool]]:
    found = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            keys = set(descriptor.get_object().keys()) if descriptor is not None else set()
            found.append((str(font["/BaseFont"]), bool(keys & {"/FontFile", "/FontFile2", "/FontFile3"})))
    return found


@pytest.mark.parametrize(("size", "points"), [("A4", (595, 842)), ("Letter", (612, 792))])
def test_pages_are_numbered_with_fonts_embedded(size: str, points: tuple[int, int]) -> None:
    html = "<h1>Memo</h1>" + "".join(f"<p>Paragraph {i} of the memo body.</p>" for i in range(120))
    reader = pypdf.PdfReader(io.BytesIO(html_to_pdf(html, page_size=size, footer="Review 7")))
    assert len(reader.pages) >= 2
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == points
    total = len(reader.pages)
    for number, page in enumerate(reader.pages, 1):
        text = " ".join(page.extract_text().split())
        assert f"Page {number} of {total}" in text
        assert "Review 7" in text
    fonts = _fonts(reader)
    assert fonts
    assert all(embedded for _, embedded in fonts), fonts


def test_a_full_last_page_gets_a_page_for_the_signatures() -> None:
    # Find a body that exactly fills whole pages: then the signature band needs a new page.
    lines = 1
    while True:
        html = "<p>" + "<br>".join(f"line {i}" for i in range(lines)) + "</p>"
        plain = pypdf.PdfReader(io.BytesIO(html_to_pdf(html, reserve_signature_band=False)))
        banded = pypdf.PdfReader(io.BytesIO(html_to_pdf(html)))
        if len(banded.pages) > len(plain.pages):
            break
        lines += 10
        assert lines < 400
    assert len(banded.pages) == len(plain.pages) + 1
    assert "line" not in banded.pages[-1].extract_text()


def test_unknown_page_size_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown page size"):
        html_to_pdf("<p>x</p>", page_size="A3")
