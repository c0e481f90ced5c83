"""PDF text, page by page, with pypdf under tighter resource limits."""

from __future__ import annotations

import logging
import warnings
from typing import Any, BinaryIO

import pypdf
from pypdf import PasswordType
from pypdf.errors import LimitReachedError

from desktop.core.formats.streams import MiB, clean_text, short
from desktop.core.intake.base import LimitExceeded
from desktop.core.jobs import Cancelled
from desktop.core.results import FormatInfo, Problem

MAX_PAGES = 2_000
MAX_PAGE_CHARS = 2_000_000
MAX_TOTAL_CHARS = 50_000_000
ENCRYPTED = "pdf-encrypted"
BROKEN = "pdf-broken"
TRUNCATED = "pdf-text-truncated"

# Decompression and parsing budgets well below pypdf's defaults; no external jbig2dec process.
_LIMITS: dict[str, Any] = {
    "maximum_declared_stream_length": 64 * MiB,
    "zlib_maximum_output_length": 32 * MiB,
    "lzw_maximum_output_length": 32 * MiB,
    "run_length_maximum_output_length": 32 * MiB,
    "brotli_maximum_output_length": 32 * MiB,
    "jbig2_maximum_output_length": 32 * MiB,
    "stream_decoding_work_maximum_length": 128 * MiB,
    "jbig2dec_binary": None,
}

# pypdf logs every oddity of real-world PDFs at WARNING; they are not our problems to show.
logging.getLogger("pypdf").setLevel(logging.ERROR)


def _extract_pages(reader: pypdf.PdfReader, name: str, info: FormatInfo) -> None:
    total_pages = len(reader.pages)
    info.metadata["pages"] = total_pages
    pages: list[str] = []
    failed: list[int] = []
    bombs: list[int] = []
    total = 0
    for index in range(min(total_pages, MAX_PAGES)):
        try:
            text = reader.pages[index].extract_text() or ""
        except LimitReachedError:
            bombs.append(index + 1)
            text = ""
        except Exception:
            failed.append(index + 1)
            text = ""
        text = clean_text(text, MAX_PAGE_CHARS)
        if total + len(text) > MAX_TOTAL_CHARS:
            info.problems.append(Problem(TRUNCATED, f"{name}: text extraction stopped at page {index + 1} "
                                                    f"after {MAX_TOTAL_CHARS} characters"))
            break
        total += len(text)
        pages.append(text)
    info.pages = pages
    if total_pages > MAX_PAGES:
        info.problems.append(Problem(TRUNCATED, f"{name}: only the first {MAX_PAGES} of {total_pages} "
                                                "pages were read"))
    if bombs:
        info.problems.append(Problem(BROKEN, f"{name}: page(s) {_pages(bombs)} hold a stream that expands "
                                             f"past the {_LIMITS['zlib_maximum_output_length'] // MiB} MiB "
                                             "limit (a possible decompression bomb); their text was not read"))
    if failed:
        info.problems.append(Problem(BROKEN, f"{name}: text of page(s) {_pages(failed)} could not be extracted"))


def _pages(numbers: list[int]) -> str:
    return ", ".join(str(p) for p in numbers[:20]) + (" ..." if len(numbers) > 20 else "")


def read_pdf(stream: BinaryIO, size: int, name: str) -> FormatInfo:
    """Extract the text of each page (at most 2,000 pages, 2 MB of text each)."""
    info = FormatInfo(format="pdf", metadata={"pages": 0, "encrypted": False})
    with warnings.catch_warnings(), pypdf.apply_configuration(**_LIMITS):
        warnings.simplefilter("ignore")
        try:
            reader = pypdf.PdfReader(stream)
            if reader.is_encrypted:
                info.metadata["encrypted"] = True
                try:
                    opened = reader.decrypt("") != PasswordType.NOT_DECRYPTED
                    cause = "a password"
                except Exception as exc:
                    opened, cause = False, f"an unsupported method ({short(str(exc), 120)})"
                if not opened:
                    info.problems.append(Problem(ENCRYPTED, f"{name}: PDF is encrypted with {cause}; "
                                                            "its text cannot be read"))
                    return info
            _extract_pages(reader, name, info)
        except (LimitExceeded, Cancelled):
            raise
        except Exception as exc:
            info.problems.append(Problem(BROKEN, f"{name}: PDF cannot be read "
                                                 f"({type(exc).__name__}: {short(str(exc), 200)})"))
    return info
