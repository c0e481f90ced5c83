from __future__ import annotations

import io
import zipfile

import pypdf
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from desktop.core.formats import detect_format, docx_text, read_format

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _pdf(texts: list[str], password: str | None = None) -> bytes:
    writer = pypdf.PdfWriter()
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"),
                             NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    font_ref = writer._add_object(font)
    for text in texts:
        page = writer.add_blank_page(300, 300)
        stream = DecodedStreamObject()
        stream.set_data(f"BT /F1 12 Tf 20 200 Td ({text}) Tj ET".encode())
        page[NameObject("/Contents")] = writer._add_object(stream)
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject(
            {NameObject("/F1"): font_ref})})
    if password:
        writer.encrypt(password, algorithm="AES-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def _read(fmt: str, blob: bytes, name: str):
    info = read_format(fmt, io.BytesIO(blob), len(blob), name)
    assert info is not None and info.format == fmt
    return info


def test_pdf_text_page_by_page():
    blob = _pdf(["Licence grant", "Termination clause"])
    assert detect_format("terms.pdf", blob[:100]) == "pdf"
    info = _read("pdf", blob, "terms.pdf")
    assert info.problems == []
    assert info.metadata == {"pages": 2, "encrypted": False}
    assert info.pages is not None and len(info.pages) == 2
    assert "Licence grant" in info.pages[0] and "Termination" in info.pages[1]


def test_encrypted_pdf():
    info = _read("pdf", _pdf(["secret"], password="pw"), "locked.pdf")
    assert [p.code for p in info.problems] == ["pdf-encrypted"]
    assert info.metadata["encrypted"] is True
    assert info.pages is None


def test_pdf_with_empty_user_password_is_read():
    writer_blob = _pdf(["open text"], password="")
    info = _read("pdf", writer_blob, "open.pdf")
    assert info.problems == [] and "open text" in info.pages[0]


def test_broken_pdfs():
    for blob in (b"%PDF-1.7\n garbage", b"", _pdf(["x"])[:200], b"%PDF-1.4\n1 0 obj << /Length 99999999999 >>"):
        info = _read("pdf", blob, "broken.pdf")
        assert [p.code for p in info.problems] == ["pdf-broken"], blob[:30]
        assert info.problems[0].message.startswith("broken.pdf: ")


def _docx(document: str, extra: dict[str, str] | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", document)
        for name, text in (extra or {}).items():
            zf.writestr(name, text)
    return buf.getvalue()


def test_docx_paragraphs_one_per_line():
    doc = (f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>'
           "<w:p><w:r><w:t>Model </w:t></w:r><w:r><w:t>Licence</w:t></w:r></w:p>"
           "<w:p><w:r><w:t>1. Grant</w:t><w:tab/><w:t>of rights</w:t></w:r></w:p>"
           "<w:p/></w:body></w:document>")
    blob = _docx(doc)
    assert detect_format("agreement.docx", blob[:2000]) == "docx"
    info = _read("docx", blob, "agreement.docx")
    assert info.problems == []
    assert info.pages == ["Model Licence\n1. Grant\tof rights\n"]
    assert info.metadata == {"paragraphs": 3}


def test_docx_with_doctype_is_refused():
    doc = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
           f"<w:document {W}><w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>")
    info = _read("docx", _docx(doc), "bomb.docx")
    assert [p.code for p in info.problems] == ["docx-broken"]
    assert "DOCTYPE" in info.problems[0].message and info.pages is None


def test_docx_broken_variants():
    assert _read("docx", b"PK\x03\x04junk", "x.docx").problems[0].code == "docx-broken"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("other.xml", "<a/>")
    assert "has no word/document.xml" in _read("docx", buf.getvalue(), "x.docx").problems[0].message
    bad_xml = _read("docx", _docx(f"<w:document {W}><w:p>"), "x.docx")
    assert bad_xml.problems[0].code == "docx-broken" and "XML" in bad_xml.problems[0].message


def test_docx_zip_bomb_is_bounded(monkeypatch):
    monkeypatch.setattr(docx_text, "MAX_XML_BYTES", 1 << 20)      # a smaller cap keeps the test fast
    doc = f"<w:document {W}><w:body>" + "<w:p/>" * (400 << 10) + "</w:body></w:document>"
    info = _read("docx", _docx(doc), "big.docx")
    assert info.problems[0].code == "docx-broken"
    assert "MiB" in info.problems[0].message
