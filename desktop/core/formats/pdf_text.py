"""PDF text, page by page: pypdf vets the file, PDFium (pypdfium2) extracts the text.

pypdf's object model answers what PDFium cannot tell us safely: is the file encrypted, how many
pages it has, does any stream a page's text depends on expand past our budgets (a possible
decompression bomb), and does a page hold more drawing instructions than PDFium should keep in
memory (both checked in :mod:`desktop.core.formats.pdf_guard`).  Only pages that pass
go to PDFium, which is native code: it gets a file under :data:`MAX_BYTES`, at most
:data:`MAX_PAGES` pages, at most :data:`MAX_PAGE_CHARS` characters a page, one thread at a
time, and any error it raises becomes a problem.  PDFium reads the file through the stream
(no copy in memory) and every page is closed as soon as its text is out.
"""

from __future__ import annotations

import threading
import warnings
from typing import BinaryIO

import pypdf
import pypdfium2 as pdfium
from pypdf import PasswordType
from pypdf.errors import LimitReachedError

from desktop.core.char_table import translated
from desktop.core.formats.pdf_guard import LIMITS, PAGE_CONTENT_BUDGET, STREAM_BUDGET, PageRisks, page_risks
from desktop.core.formats.streams import MiB, clean_text, short
from desktop.core.intake.base import LimitExceeded
from desktop.core.jobs import Cancelled
from desktop.core.results import FormatInfo, Problem

MAX_BYTES = 512 * MiB          # larger PDFs are not opened at all
MAX_PAGES = 2_000
MAX_PAGE_CHARS = 2_000_000
MAX_TOTAL_CHARS = 50_000_000
ENCRYPTED = "pdf-encrypted"
BROKEN = "pdf-broken"
TRUNCATED = "pdf-text-truncated"

__all__ = ["BROKEN", "ENCRYPTED", "LIMITS", "MAX_BYTES", "MAX_PAGES", "TRUNCATED", "read_pdf"]

# PDFium is not thread-safe: the scan's worker threads take turns (its calls release the GIL,
# so the other workers keep running Python meanwhile).
_PDFIUM = threading.Lock()
# PDFium marks a hyphen that ends a line (U+FFFE, in older builds U+0002); it is the text's own hyphen.
_PDFIUM_CHARS = str.maketrans({"\ufffe": "-", "\x02": "-"})


def read_pdf(stream: BinaryIO, size: int, name: str) -> FormatInfo:
    """Extract the text of each page (at most 2,000 pages, 2 MB of text each).

    ``stream`` must be seekable.  Encrypted, broken, oversized and bomb-carrying files give a
    ``pdf-*`` problem naming the reason instead of (some of) their text.  A page PDFium cannot
    find or read is read by pypdf, as before PDFium (slow, but such files are rare).
    """
    info = FormatInfo(format="pdf", metadata={"pages": 0, "encrypted": False})
    if size > MAX_BYTES:
        info.problems.append(Problem(TRUNCATED, f"{name}: PDF is larger than {MAX_BYTES // MiB} MiB; "
                                                "its text was not read"))
        return info
    with warnings.catch_warnings(), pypdf.apply_configuration(**LIMITS):
        warnings.simplefilter("ignore")
        try:
            reader = pypdf.PdfReader(stream)
            if reader.is_encrypted:
                info.metadata["encrypted"] = True
                refusal = _refusal(reader)
                if refusal:
                    info.problems.append(Problem(ENCRYPTED, f"{name}: PDF is encrypted with {refusal}; "
                                                            "its text cannot be read"))
                    return info
            total_pages = len(reader.pages)
            count = min(total_pages, MAX_PAGES)
            risks = page_risks(reader, count)
        except (LimitExceeded, Cancelled):
            raise
        except Exception as exc:
            info.problems.append(_broken(name, exc))
            return info
        info.metadata["pages"] = total_pages
        texts = _pdfium_texts(stream, count, risks)
        failed = _pypdf_texts(reader, texts, risks)
    pages, cut_at = _within_budget(texts)
    info.pages = pages
    _report(info, name, total_pages, risks, failed, cut_at)
    return info


def _refusal(reader: pypdf.PdfReader) -> str:
    """Why an encrypted PDF cannot be opened with the empty password ("" when it can)."""
    try:
        opened = reader.decrypt("") != PasswordType.NOT_DECRYPTED
    except Exception as exc:
        return f"an unsupported method ({short(str(exc), 120)})"
    return "" if opened else "a password"


def _pdfium_texts(stream: BinaryIO, count: int, risks: PageRisks) -> list[str | None]:
    """Text of pages 1..count by PDFium: "" for a risky page, None where PDFium failed (all None
    when it cannot open the file).  Stops past MAX_TOTAL_CHARS."""
    texts: list[str | None] = [None] * count
    total = 0
    with _PDFIUM:
        try:
            stream.seek(0)
            document = pdfium.PdfDocument(stream, password="", autoclose=False)
        except Exception:
            return texts
        try:
            for index in range(min(count, len(document))):
                text = "" if index + 1 in risks.skipped else _page_text(document, index)
                texts[index] = text
                total += len(text or "")
                if total > MAX_TOTAL_CHARS:
                    return texts[:index + 1]
        finally:
            document.close()
    return texts


def _page_text(document: pdfium.PdfDocument, index: int) -> str | None:
    """One page's text with ``\\n`` line ends and hyphens as printed, at most MAX_PAGE_CHARS long;
    None when PDFium fails."""
    try:
        page = document[index]
    except Exception:
        return None
    try:
        textpage = page.get_textpage()
        try:
            chars = textpage.count_chars()
            raw = textpage.get_text_range(0, min(chars, MAX_PAGE_CHARS)) if chars > 0 else ""
        finally:
            textpage.close()
    except Exception:
        return None
    finally:
        page.close()
    return clean_text(translated(raw, _PDFIUM_CHARS).replace("\r\n", "\n").replace("\r", "\n"), MAX_PAGE_CHARS)


def _pypdf_texts(reader: pypdf.PdfReader, texts: list[str | None], risks: PageRisks) -> list[int]:
    """Fill the pages PDFium left (None) with pypdf's text; return the 1-based pages neither read.

    Call inside ``pypdf.apply_configuration(**LIMITS)``.  Stops past MAX_TOTAL_CHARS.
    """
    failed: list[int] = []
    total = sum(len(t) for t in texts if t)
    for index, text in enumerate(texts):
        if text is not None:
            continue
        try:
            text = clean_text(reader.pages[index].extract_text() or "", MAX_PAGE_CHARS)
        except LimitReachedError:
            risks.bombs.append(index + 1)
            text = ""
        except Exception:
            failed.append(index + 1)
            text = ""
        texts[index] = text
        total += len(text)
        if total > MAX_TOTAL_CHARS:
            del texts[index + 1:]
            break
    return failed


def _within_budget(texts: list[str | None]) -> tuple[list[str], int | None]:
    """The pages whose text fits MAX_TOTAL_CHARS, and the page that did not (None: all fit)."""
    pages: list[str] = []
    total = 0
    for index, text in enumerate(texts):
        total += len(text or "")
        if total > MAX_TOTAL_CHARS:
            return pages, index + 1
        pages.append(text or "")
    return pages, None


def _report(info: FormatInfo, name: str, total_pages: int, risks: PageRisks, failed: list[int],
            cut_at: int | None) -> None:
    """Problems for pages not (fully) read."""
    if cut_at is not None:
        info.problems.append(Problem(TRUNCATED, f"{name}: text extraction stopped at page {cut_at} "
                                                f"after {MAX_TOTAL_CHARS} characters"))
    if total_pages > MAX_PAGES:
        info.problems.append(Problem(TRUNCATED, f"{name}: only the first {MAX_PAGES} of {total_pages} "
                                                "pages were read"))
    if risks.bombs:
        info.problems.append(Problem(BROKEN, f"{name}: page(s) {_pages(sorted(risks.bombs))} hold a stream that "
                                             f"expands past the {STREAM_BUDGET // MiB} MiB limit (a possible "
                                             "decompression bomb); their text was not read"))
    if risks.heavy:
        info.problems.append(Problem(BROKEN, f"{name}: page(s) {_pages(risks.heavy)} hold more than "
                                             f"{PAGE_CONTENT_BUDGET // MiB} MiB of drawing instructions (or come "
                                             "after too many); their text was not read"))
    if risks.unchecked:
        info.problems.append(Problem(BROKEN, f"{name}: page(s) {_pages(risks.unchecked)} hold too many "
                                             "objects to check safely; their text was not read"))
    if failed:
        info.problems.append(Problem(BROKEN, f"{name}: text of page(s) {_pages(failed)} could not be extracted"))


def _broken(name: str, exc: Exception) -> Problem:
    return Problem(BROKEN, f"{name}: PDF cannot be read ({type(exc).__name__}: {short(str(exc), 200)})")


def _pages(numbers: list[int]) -> str:
    return ", ".join(str(p) for p in numbers[:20]) + (" ..." if len(numbers) > 20 else "")
