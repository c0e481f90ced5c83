"""DOCX text: the paragraphs of word/document.xml, parsed with expat, DTDs refused."""

from __future__ import annotations

import zipfile
from typing import BinaryIO
from xml.parsers import expat

from desktop.core.formats.streams import MiB, clean_text, large_parse_lock, short
from desktop.core.formats.torch_zip import ZIP_ERRORS
from desktop.core.results import FormatInfo, Problem

BROKEN = "docx-broken"
DOCUMENT = "word/document.xml"
MAX_XML_BYTES = 16 * MiB        # a long agreement is ~1 MiB of XML
MAX_TEXT_CHARS = 4_000_000
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_P, _T, _TAB, _BR, _CR = (f"{_W} {tag}" for tag in ("p", "t", "tab", "br", "cr"))
_CHUNK = 256 * 1024


class _Refused(Exception):
    pass


class _ParagraphCollector:
    """Expat handlers: one string per ``w:p`` (nested paragraphs, e.g. in text boxes, kept apart)."""

    def __init__(self) -> None:
        self.paragraphs: list[str] = []
        self._open: list[list[str]] = []
        self._in_text = 0
        self.chars = 0

    def start(self, tag: str, _attrs: dict[str, str]) -> None:
        if tag == _P:
            self._open.append([])
        elif tag == _T:
            self._in_text += 1
        elif tag == _TAB and self._open:
            self._open[-1].append("\t")
        elif tag in (_BR, _CR) and self._open:
            self._open[-1].append(" ")

    def end(self, tag: str) -> None:
        if tag == _P and self._open:
            self.paragraphs.append("".join(self._open.pop()).strip())
        elif tag == _T:
            self._in_text = max(0, self._in_text - 1)

    def text(self, data: str) -> None:
        if self._in_text and self._open:
            self.chars += len(data)
            if self.chars > MAX_TEXT_CHARS:
                raise _Refused(f"text exceeds {MAX_TEXT_CHARS} characters")
            self._open[-1].append(data)


def _refuse_dtd(*_args: object) -> None:
    raise _Refused("document.xml contains a DTD (<!DOCTYPE>); DTDs and entities are refused")


def _parse(handle: BinaryIO) -> list[str]:
    collector = _ParagraphCollector()
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    parser.StartElementHandler = collector.start
    parser.EndElementHandler = collector.end
    parser.CharacterDataHandler = collector.text
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    read = 0
    while chunk := handle.read(_CHUNK):
        read += len(chunk)
        if read > MAX_XML_BYTES:
            raise _Refused(f"document.xml expands beyond {MAX_XML_BYTES >> 20} MiB")
        parser.Parse(chunk, False)
    parser.Parse(b"", True)
    return collector.paragraphs


def read_docx(stream: BinaryIO, size: int, name: str) -> FormatInfo:
    """Read a DOCX as one page with one paragraph per line."""
    info = FormatInfo(format="docx")
    try:
        with zipfile.ZipFile(stream) as zf:
            try:
                member = zf.getinfo(DOCUMENT)
            except KeyError:
                raise _Refused(f"has no {DOCUMENT}") from None
            if member.file_size > MAX_XML_BYTES:
                raise _Refused(f"{DOCUMENT} is {member.file_size} bytes, over the "
                               f"{MAX_XML_BYTES >> 20} MiB limit")
            with zf.open(member) as handle, large_parse_lock:
                paragraphs = _parse(handle)
    except _Refused as exc:
        info.problems.append(Problem(BROKEN, f"{name}: {exc}"))
        return info
    except expat.ExpatError as exc:
        info.problems.append(Problem(BROKEN, f"{name}: {DOCUMENT} is not well-formed XML "
                                             f"({short(str(exc))})"))
        return info
    except ZIP_ERRORS as exc:
        info.problems.append(Problem(BROKEN, f"{name}: not a readable DOCX zip ({short(str(exc))})"))
        return info
    info.metadata = {"paragraphs": len(paragraphs)}
    info.pages = [clean_text("\n".join(paragraphs), MAX_TEXT_CHARS)]
    return info
