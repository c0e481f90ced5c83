"""Model-file and document readers: detect a member's format, then read what matters in it.

Sequential readers only call ``stream.read(n)`` (the scanner hashes the same stream and
drains what is left); readers of ``SEEKABLE_FORMATS`` get a seekable stream at offset 0.
Readers never raise for bad content: every failure is a :class:`Problem` in the result.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO

from desktop.core.formats.detect import detect_format
from desktop.core.formats.docx_text import read_docx
from desktop.core.formats.gguf_header import read_gguf
from desktop.core.formats.json_configs import read_json
from desktop.core.formats.keras_archive import read_keras
from desktop.core.formats.model_card import read_model_card, split_front_matter
from desktop.core.formats.onnx_model import read_onnx
from desktop.core.formats.other_models import (
    read_coreml,
    read_hdf5,
    read_savedmodel,
    read_tflite,
)
from desktop.core.formats.pickle_scan import read_pickle
from desktop.core.formats.safe_yaml import read_yaml
from desktop.core.formats.safetensors_header import read_safetensors
from desktop.core.formats.streams import short
from desktop.core.formats.torch_zip import read_numpy, read_pytorch_zip
from desktop.core.intake.base import LimitExceeded
from desktop.core.jobs import Cancelled
from desktop.core.results import FormatInfo, Problem

__all__ = ["SEEKABLE_FORMATS", "WEIGHT_FORMATS", "detect_format", "read_format", "split_front_matter"]

WEIGHT_FORMATS: frozenset[str] = frozenset({
    "safetensors", "gguf", "pickle", "pytorch-zip", "numpy", "onnx", "keras", "hdf5", "tflite",
    "coreml", "tf-savedmodel",
})
SEEKABLE_FORMATS: frozenset[str] = frozenset({"pytorch-zip", "keras", "pdf", "docx", "numpy"})

_Reader = Callable[[BinaryIO, int, str], FormatInfo]


def read_pdf(stream: BinaryIO, size: int, name: str) -> FormatInfo:
    """:func:`desktop.core.formats.pdf_text.read_pdf`, imported when a PDF is met (pypdf and
    PDFium take a noticeable part of a scan's start)."""
    from desktop.core.formats.pdf_text import read_pdf as read

    return read(stream, size, name)

_READERS: dict[str, _Reader] = {
    "safetensors": read_safetensors,
    "gguf": read_gguf,
    "pickle": read_pickle,
    "pytorch-zip": read_pytorch_zip,
    "numpy": read_numpy,
    "onnx": read_onnx,
    "keras": read_keras,
    "hdf5": read_hdf5,
    "tflite": read_tflite,
    "coreml": read_coreml,
    "tf-savedmodel": read_savedmodel,
    "pdf": read_pdf,
    "docx": read_docx,
    "json": read_json,
    "yaml": read_yaml,
    "markdown": read_model_card,
}


def read_format(fmt: str, stream: BinaryIO, size: int, name: str) -> FormatInfo | None:
    """Read ``stream`` as format ``fmt``; None when that label has no reader (text, archives ...).

    Never raises for bad content: an unexpected failure becomes a ``<fmt>-unreadable`` problem.
    Only the caller's own :class:`LimitExceeded` and :class:`Cancelled` pass through.
    """
    reader = _READERS.get(fmt)
    if reader is None:
        return None
    try:
        return reader(stream, size, name)
    except (LimitExceeded, Cancelled):
        raise                         # the caller's stream limits and cancellation are not content
    except Exception as exc:
        return FormatInfo(format=fmt, problems=[Problem(
            f"{fmt}-unreadable",
            f"{name}: could not be read ({type(exc).__name__}: {short(str(exc), 200)})")])
