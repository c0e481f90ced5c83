"""PDF text through PDFium: printed PDFs read as pypdf read them, hostile ones are refused with a reason."""

from __future__ import annotations

import html
import io
import re
import threading
import zlib

import pypdf
import pytest
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject, StreamObject

from desktop.core.formats import pdf_guard, pdf_text
from desktop.core.formats.pdf_text import read_pdf
from desktop.core.formats.streams import MiB
from desktop.core.licenses.library import reference_dir
from desktop.core.licenses.reference_file import read_reference

_FOOTER = re.compile(r"Page\s*\d+\s*of\s*\d+|Vendor\s*terms|\s+")


@pytest.fixture(scope="module")
def printed() -> bytes:
    """A license printed by Qt as the memo is printed: subset fonts, hyphens at line ends, footers."""
    from desktop.pdf import html_to_pdf

    text = read_reference(reference_dir() / "cc-by-nc-sa-4.0.LICENSE").text
    body = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n"))
    return html_to_pdf(body, reserve_signature_band=False, footer="Vendor terms")


def _pdf(texts: list[str], font_file: StreamObject | None = None) -> bytes:
    writer = pypdf.PdfWriter()
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    font_ref = writer._add_object(font)
    for n, text in enumerate(texts):
        page = writer.add_blank_page(300, 300)
        stream = DecodedStreamObject()
        stream.set_data(f"BT /F{n} 12 Tf 20 200 Td ({text}) Tj ET".encode())
        page[NameObject("/Contents")] = writer._add_object(stream)
        this_font = font_ref
        if font_file is not None and n == 0:
            descriptor = DictionaryObject({NameObject("/Type"): NameObject("/FontDescriptor"),
                                           NameObject("/FontFile2"): writer._add_object(font_file)})
            this_font = writer._add_object(DictionaryObject(
                {**font, NameObject("/FontDescriptor"): writer._add_object(descriptor)}))
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject(f"/F{n}"): this_font})})
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def test_printed_pdf_has_pypdfs_pages_and_text(printed: bytes) -> None:
    info = read_pdf(io.BytesIO(printed), len(printed), "terms.pdf")
    old = [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(printed)).pages]
    assert info.problems == []
    assert info.metadata["pages"] == len(old) == len(info.pages) > 3
    for ours, theirs in zip(info.pages, old, strict=True):      # footers come in another order
        assert _FOOTER.sub("", ours) == _FOOTER.sub("", theirs)
    assert "\r" not in "".join(info.pages) and "\ufffe" not in "".join(info.pages)
    assert "NonCommercial" in info.pages[0] and "Page 1 of" in info.pages[0]


def test_threads_read_the_same_text(printed: bytes) -> None:
    expected = read_pdf(io.BytesIO(printed), len(printed), "terms.pdf").pages
    results: list[list[str] | None] = []
    threads = [threading.Thread(target=lambda: results.append(
        read_pdf(io.BytesIO(printed), len(printed), "terms.pdf").pages)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [expected] * 4


def test_bomb_in_an_embedded_font_is_not_handed_to_pdfium() -> None:
    bomb = StreamObject()
    bomb._data = zlib.compress(b"\0" * (40 * MiB), 9)
    bomb[NameObject("/Filter")] = NameObject("/FlateDecode")
    blob = _pdf(["Licence grant", "Termination clause"], font_file=bomb)
    info = read_pdf(io.BytesIO(blob), len(blob), "fonts.pdf")
    assert [p.code for p in info.problems] == ["pdf-broken"]
    assert "page(s) 1 hold a stream" in info.problems[0].message
    assert "decompression bomb" in info.problems[0].message
    assert info.pages == ["", "Termination clause"]


def _content(size: int) -> StreamObject:
    stream = StreamObject()
    stream._data = zlib.compress(b"BT /F0 1 Tf 10 10 Td (ab) Tj ET\n" * (size // 32), 9)
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    return stream


def test_page_with_megabytes_of_drawing_is_not_handed_to_pdfium() -> None:
    blob = _pdf(["Licence grant", "Termination clause"])
    reader = pypdf.PdfReader(io.BytesIO(blob))
    writer = pypdf.PdfWriter(clone_from=reader)
    writer.pages[0][NameObject("/Contents")] = writer._add_object(_content(pdf_guard.PAGE_CONTENT_BUDGET + MiB))
    buf = io.BytesIO()
    writer.write(buf)
    heavy = buf.getvalue()
    info = read_pdf(io.BytesIO(heavy), len(heavy), "drawing.pdf")
    assert [p.message for p in info.problems] == [
        "drawing.pdf: page(s) 1 hold more than 4 MiB of drawing instructions (or come after too many); "
        "their text was not read"]
    assert info.pages == ["", "Termination clause"]


def test_pages_past_the_document_drawing_budget_are_not_read(monkeypatch: pytest.MonkeyPatch) -> None:
    blob = _pdf(["one", "two", "three"])
    monkeypatch.setattr(pdf_guard, "DOCUMENT_CONTENT_BUDGET", 80)   # each page draws ~38 bytes
    info = read_pdf(io.BytesIO(blob), len(blob), "many.pdf")
    assert [p.code for p in info.problems] == ["pdf-broken"] and "page(s) 3 hold more" in info.problems[0].message
    assert [p.strip() for p in info.pages] == ["one", "two", ""]


def test_oversized_pdf_is_not_opened() -> None:
    blob = _pdf(["Licence grant"])
    info = read_pdf(io.BytesIO(blob), pdf_text.MAX_BYTES + 1, "huge.pdf")
    assert [p.code for p in info.problems] == ["pdf-text-truncated"]
    assert "larger than 512 MiB" in info.problems[0].message and info.pages is None


def test_pages_past_the_cap_are_not_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_text, "MAX_PAGES", 2)
    blob = _pdf(["one", "two", "three"])
    info = read_pdf(io.BytesIO(blob), len(blob), "long.pdf")
    assert [p.message for p in info.problems] == ["long.pdf: only the first 2 of 3 pages were read"]
    assert info.metadata["pages"] == 3 and [p.strip() for p in info.pages] == ["one", "two"]


def test_text_past_the_total_budget_is_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_text, "MAX_TOTAL_CHARS", 10)
    blob = _pdf(["first page", "second page"])
    info = read_pdf(io.BytesIO(blob), len(blob), "wordy.pdf")
    assert [p.code for p in info.problems] == ["pdf-text-truncated"]
    assert "stopped at page 2" in info.problems[0].message and len(info.pages) == 1


def test_pages_pdfium_cannot_find_are_read_by_pypdf() -> None:
    blob = _pdf(["Licence grant", "Termination clause"])
    damaged = blob.replace(b"/Count 2", b"/Count 1")           # PDFium trusts the count, pypdf the kids
    info = read_pdf(io.BytesIO(damaged), len(damaged), "odd.pdf")
    assert info.problems == []
    assert info.metadata["pages"] == 2 and info.pages == ["Licence grant", "Termination clause"]


def test_identify_command_reads_pdfs_as_the_scan_does(printed: bytes, tmp_path) -> None:
    from desktop.cli.identify import Unusable, read_document

    good, bad = tmp_path / "terms.pdf", tmp_path / "bad.pdf"
    good.write_bytes(printed)
    bad.write_bytes(b"%PDF-1.7\n garbage")
    assert read_document(good) == ("", read_pdf(io.BytesIO(printed), len(printed), "terms.pdf").pages)
    with pytest.raises(Unusable, match=r"not a readable PDF \(PDF cannot be read"):
        read_document(bad)
