"""Vetting a PDF's pages with pypdf before native code reads them.

A page's text depends on its content streams and on everything its resources reach (fonts and
their embedded programs, ToUnicode maps, form XObjects and their own resources).  Each such
stream is decoded once with pypdf under :data:`LIMITS` and thrown away; a page reaching a
stream that expands past :data:`STREAM_BUDGET` is a possible decompression bomb.  PDFium keeps
every drawing instruction of a page in memory (about 15 times its size), so a page whose
instructions (content and form streams, font programs aside) exceed :data:`PAGE_CONTENT_BUDGET`,
or that comes after :data:`DOCUMENT_CONTENT_BUDGET` of them, is not read either.  A page whose
objects cannot be walked within :data:`MAX_VISITS` is not checked.  Images are not decoded:
text extraction never draws them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import pypdf
from pypdf.errors import LimitReachedError
from pypdf.filters import decode_stream_data
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

from desktop.core.formats.streams import MiB

STREAM_BUDGET = 32 * MiB       # the most one decoded stream may hold
PAGE_CONTENT_BUDGET = 4 * MiB  # drawing instructions of one page (a dense text page holds ~100 KiB)
DOCUMENT_CONTENT_BUDGET = 64 * MiB
MAX_VISITS = 200_000           # objects walked per document, summed over its pages
MAX_DEPTH = 32                 # nesting of dictionaries and arrays followed

# Decompression and parsing budgets well below pypdf's defaults; no external jbig2dec process.
LIMITS: dict[str, Any] = {
    "maximum_declared_stream_length": 64 * MiB,
    "zlib_maximum_output_length": STREAM_BUDGET,
    "lzw_maximum_output_length": STREAM_BUDGET,
    "run_length_maximum_output_length": STREAM_BUDGET,
    "brotli_maximum_output_length": STREAM_BUDGET,
    "jbig2_maximum_output_length": STREAM_BUDGET,
    "stream_decoding_work_maximum_length": 128 * MiB,
    "jbig2dec_binary": None,
}
_SKIPPED_KEYS = frozenset({"/Parent", "/P", "/Annots", "/B", "/Thumb", "/StructParents", "/Metadata"})
_FONT_PROGRAMS = frozenset({"/FontFile", "/FontFile2", "/FontFile3"})
_BOMB = -1

# pypdf logs every oddity of real-world PDFs at WARNING; they are not our problems to show.
logging.getLogger("pypdf").setLevel(logging.ERROR)


class _TooMany(Exception):
    """The document's walking budget ran out."""


@dataclass
class PageRisks:
    """1-based pages whose text must not be extracted, and why."""

    bombs: list[int] = field(default_factory=list)
    heavy: list[int] = field(default_factory=list)
    unchecked: list[int] = field(default_factory=list)

    @property
    def skipped(self) -> frozenset[int]:
        """Every page left unread."""
        return frozenset(self.bombs) | frozenset(self.heavy) | frozenset(self.unchecked)


def page_risks(reader: pypdf.PdfReader, count: int) -> PageRisks:
    """Check pages 1..count of an opened (and, if need be, decrypted) reader.

    Call inside ``pypdf.apply_configuration(**LIMITS)``.  Broken objects are not risks: the
    extractor reports what it cannot read.
    """
    risks = PageRisks()
    sizes: dict[Any, int] = {}          # stream -> decoded bytes, or _BOMB
    visits = [MAX_VISITS]
    content_left = DOCUMENT_CONTENT_BUDGET
    for index in range(count):
        try:
            page = reader.pages[index]
            bomb, content = _walk([page.get("/Contents"), _resources(page)], sizes, visits)
        except _TooMany:
            risks.unchecked.extend(range(index + 1, count + 1))
            break
        except LimitReachedError:
            bomb, content = True, 0
        except Exception:
            continue
        if bomb:
            risks.bombs.append(index + 1)
        elif content > min(PAGE_CONTENT_BUDGET, content_left):
            risks.heavy.append(index + 1)
        else:
            content_left -= content
    return risks


def _resources(page: DictionaryObject) -> Any:
    """The page's resources, inherited from its page-tree ancestors when it has none."""
    node: Any = page
    for _ in range(MAX_DEPTH):
        if node is None:
            return None
        node = node.get_object()
        if not isinstance(node, DictionaryObject):
            return None
        if "/Resources" in node:
            return node["/Resources"]
        node = node.get("/Parent")
    return None


def _walk(roots: list[Any], sizes: dict[Any, int], visits: list[int]) -> tuple[bool, int]:
    """Walk everything reachable from ``roots``: (a reached stream is a bomb, bytes of drawing
    instructions reached).  Stops at the first bomb."""
    seen: set[Any] = set()
    content = 0
    stack: list[tuple[Any, int, bool]] = [(root, 0, False) for root in roots if root is not None]
    while stack:
        item, depth, font_program = stack.pop()
        visits[0] -= 1
        if visits[0] < 0:
            raise _TooMany
        key: Any = None
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            try:
                item = item.get_object()
            except Exception:
                continue
        if depth > MAX_DEPTH:
            continue
        if isinstance(item, StreamObject):
            if item.get("/Subtype") == "/Image":
                continue
            stream_key = key if key is not None else id(item)
            if stream_key not in sizes:
                sizes[stream_key] = _decoded_size(item)
            if sizes[stream_key] == _BOMB:
                return True, content
            if not font_program:
                content += sizes[stream_key]
        if isinstance(item, DictionaryObject):
            stack.extend((value, depth + 1, name in _FONT_PROGRAMS) for name, value in item.items()
                         if name not in _SKIPPED_KEYS)
        elif isinstance(item, ArrayObject):
            stack.extend((value, depth + 1, False) for value in item)
    return False, content


def _decoded_size(stream: StreamObject) -> int:
    """Bytes of one stream once decoded (under the configured limits), or _BOMB."""
    if "/Filter" not in stream:
        return len(stream.get_data() or b"")
    try:
        return len(decode_stream_data(stream))
    except LimitReachedError:
        return _BOMB
    except Exception:
        return 0
