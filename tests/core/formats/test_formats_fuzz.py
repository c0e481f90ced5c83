from __future__ import annotations

import io
import json
import re
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core.formats import SEEKABLE_FORMATS, read_format

SEQUENTIAL = {
    "safetensors": ("model.safetensors", [struct.pack("<Q", 40) + b"{", struct.pack("<Q", 2**63)]),
    "gguf": ("model.gguf", [b"GGUF\x03\x00\x00\x00", b"GGUF\x02\x00\x00\x00\x01" + b"\0" * 7]),
    "pickle": ("pytorch_model.bin", [b"\x80\x02", b"\x80\x04\x95", b"c", b"("]),
    "onnx": ("model.onnx", [b"\x08\x08", b"\x3a"]),
    "json": ("config.json", [b"{", b'{"architectures": [', b"["]),
    "markdown": ("README.md", [b"---\n", b"---\nlicense: "]),
    "yaml": ("conf.yaml", [b"a: &x ", b"- "]),
    "hdf5": ("model.h5", [b"\x89HDF\r\n\x1a\n"]),
    "tflite": ("model.tflite", [b"\x10\x00\x00\x00TFL3"]),
    "coreml": ("Model.mlmodel", [b"\x08\x05\x12"]),
}
SEEKABLE = {
    "pytorch-zip": "model.pt", "keras": "m.keras", "pdf": "doc.pdf", "docx": "doc.docx", "numpy": "a.npy",
}
_CODE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)+")


def _check(fmt: str, blob: bytes, name: str) -> None:
    info = read_format(fmt, io.BytesIO(blob), len(blob), name)
    assert info is not None and info.format == fmt
    json.dumps(info.metadata)
    for problem in info.problems:
        assert _CODE.fullmatch(problem.code), problem.code
        assert not problem.code.endswith("-unreadable"), problem.message     # a reader bug, not content
        assert problem.message.startswith(name)


def _inputs(prefixes: list[bytes]) -> st.SearchStrategy[bytes]:
    return st.one_of(st.binary(max_size=512),
                     st.builds(lambda p, tail: p + tail, st.sampled_from(prefixes), st.binary(max_size=512)))


@pytest.mark.parametrize("fmt", sorted(SEQUENTIAL))
def test_sequential_readers_never_raise(fmt):
    name, prefixes = SEQUENTIAL[fmt]

    @settings(max_examples=200, deadline=None, database=None)
    @given(_inputs(prefixes))
    def run(blob: bytes) -> None:
        _check(fmt, blob, name)

    run()


@pytest.mark.parametrize("fmt", sorted(SEEKABLE))
def test_seekable_readers_never_raise(fmt):
    assert fmt in SEEKABLE_FORMATS

    @settings(max_examples=50, deadline=None, database=None)
    @given(_inputs([b"PK\x03\x04", b"%PDF-1.4\n", b"\x93NUMPY\x01\x00"]))
    def run(blob: bytes) -> None:
        _check(fmt, blob, SEEKABLE[fmt])

    run()


def test_announced_size_larger_than_stream_is_handled():
    for fmt, (name, prefixes) in SEQUENTIAL.items():
        info = read_format(fmt, io.BytesIO(prefixes[0]), 10_000, name)
        assert info is not None and info.format == fmt


def test_no_reader_for_plain_labels():
    for fmt in ("text", "unknown", "zip", "tar", "python", "source", "sentencepiece"):
        assert read_format(fmt, io.BytesIO(b"x"), 1, "f") is None
