"""Vetting a PDF's pages with pypdf before native code reads them.

A page's text depends on its content streams and on everything its resources reach (fonts and
their embedded programs, ToUnicode maps, form XObjects and their own resources).  Each such
stream is decoded once with pypdf under :data:`LIMITS` and thrown away; a page reaching a
stream that expands past :data:`STREAM_BUDGET` is a possible decompression bomb, and a page
whose objects cannot be walked within :data:`MAX_VISITS` is not checked.  Images are not
decoded: text extraction never draws them.
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

# pypdf logs every oddity of real-world PDFs at WARNING; they are not our problems to show.
logging.getLogger("pypdf").setLevel(logging.ERROR)


class _TooMany(Exception):
    """The document's walking budget ran out."""


@dataclass
class PageRisks:
    """1-based pages whose text must not be extracted, and why."""

    bombs: list[int] = field(default_factory=list)
    unchecked: list[int] = field(default_factory=list)

    @property
    def skipped(self) -> frozenset[int]:
        """Every page left unread."""
        return frozenset(self.bombs) | frozenset(self.unchecked)


def page_risks(reader: pypdf.PdfReader, count: int) -> PageRisks:
    """Check pages 1..count of an opened (and, if need be, decrypted) reader.

    Call inside ``pypdf.apply_configuration(**LIMITS)``.  Broken objects are not risks: the
    extractor reports what it cannot read.
    """
    risks = PageRisks()
    verdicts: dict[Any, bool] = {}      # stream -> it expands past the budget
    visits = [MAX_VISITS]
    for index in range(count):
        try:
            page = reader.pages[index]
            roots = [page.get("/Contents"), _resources(page)]
            if _reaches_bomb(roots, verdicts, visits):
                risks.bombs.append(index + 1)
        except _TooMany:
            risks.unchecked.extend(range(index + 1, count + 1))
            break
        except LimitReachedError:
            risks.bombs.append(index + 1)
        except Exception:
            continue
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


def _reaches_bomb(roots: list[Any], verdicts: dict[Any, bool], visits: list[int]) -> bool:
    """Walk everything reachable from ``roots``; True when a reached stream is a bomb."""
    seen: set[Any] = set()
    stack: list[tuple[Any, int]] = [(root, 0) for root in roots if root is not None]
    while stack:
        item, depth = stack.pop()
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
            if stream_key not in verdicts:
                verdicts[stream_key] = _expands_too_far(item)
            if verdicts[stream_key]:
                return True
        if isinstance(item, DictionaryObject):
            stack.extend((value, depth + 1) for name, value in item.items() if name not in _SKIPPED_KEYS)
        elif isinstance(item, ArrayObject):
            stack.extend((value, depth + 1) for value in item)
    return False


def _expands_too_far(stream: StreamObject) -> bool:
    """Decode (and drop) one stream under the configured limits."""
    if "/Filter" not in stream:
        return False
    try:
        decode_stream_data(stream)
    except LimitReachedError:
        return True
    except Exception:
        return False
    return False
