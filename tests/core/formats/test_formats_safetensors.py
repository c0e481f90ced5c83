from __future__ import annotations

import io
import json
import struct

from desktop.core.formats import detect_format, read_format


def _file(header: dict | bytes, data_len: int) -> bytes:
    raw = header if isinstance(header, bytes) else json.dumps(header).encode()
    return struct.pack("<Q", len(raw)) + raw + b"\0" * data_len


def _read(blob: bytes, name: str = "model.safetensors"):
    info = read_format("safetensors", io.BytesIO(blob), len(blob), name)
    assert info is not None
    return info


GOOD = {
    "__metadata__": {"format": "pt", "license": "apache-2.0"},
    "w": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]},
    "b": {"dtype": "F16", "shape": [3], "data_offsets": [24, 30]},
    "q": {"dtype": "F4", "shape": [4], "data_offsets": [30, 32]},
}


def test_valid_header_metadata():
    info = _read(_file(GOOD, 32))
    assert info.problems == []
    assert info.metadata["tensors"] == 3
    assert info.metadata["parameters"] == 6 + 3 + 4
    assert info.metadata["dtypes"] == {"F32": 1, "F16": 1, "F4": 1}
    assert info.metadata["metadata"] == {"format": "pt", "license": "apache-2.0"}
    assert info.metadata["header_bytes"] == len(json.dumps(GOOD))
    assert detect_format("a/b/model.safetensors", _file(GOOD, 32)[:100]) == "safetensors"
    assert detect_format("blob", _file(GOOD, 32)[:100]) == "safetensors"


def test_scalar_and_empty_tensors_are_valid():
    header = {"s": {"dtype": "I64", "shape": [], "data_offsets": [0, 8]},
              "e": {"dtype": "F32", "shape": [0, 5], "data_offsets": [8, 8]}}
    info = _read(_file(header, 8))
    assert info.problems == []
    assert info.metadata["parameters"] == 1


def _codes(info) -> list[str]:
    return [p.code for p in info.problems]


def test_huge_header_length_is_refused_without_reading():
    blob = struct.pack("<Q", 2**63 - 1) + b"{}"
    info = _read(blob)
    assert _codes(info) == ["safetensors-header"]
    assert "9223372036854775807 exceeds the 16 MiB cap" in info.problems[0].message
    assert info.problems[0].message.startswith("model.safetensors: ")


def test_header_past_end_of_file():
    blob = struct.pack("<Q", 1000) + b"{}"
    assert "runs past the end" in _read(blob).problems[0].message


def test_too_small_and_empty():
    assert _codes(_read(b"")) == ["safetensors-header"]
    assert _codes(_read(b"\x01\x02")) == ["safetensors-header"]


def test_header_must_start_with_brace():
    raw = b' {"w": {"dtype": "U8", "shape": [1], "data_offsets": [0, 1]}}'
    info = _read(_file(raw, 1))
    assert "does not start with '{'" in info.problems[0].message


def test_duplicate_tensor_names():
    raw = (b'{"w": {"dtype": "U8", "shape": [1], "data_offsets": [0, 1]},'
           b' "w": {"dtype": "U8", "shape": [1], "data_offsets": [1, 2]}}')
    info = _read(_file(raw, 2))
    assert _codes(info) == ["safetensors-header"]
    assert "twice" in info.problems[0].message


def test_overlapping_offsets():
    header = {"a": {"dtype": "U8", "shape": [4], "data_offsets": [0, 4]},
              "b": {"dtype": "U8", "shape": [4], "data_offsets": [2, 6]}}
    info = _read(_file(header, 6))
    assert _codes(info) == ["safetensors-layout"]
    assert "overlaps" in info.problems[0].message


def test_gap_and_uncovered_buffer():
    gap = {"a": {"dtype": "U8", "shape": [2], "data_offsets": [1, 3]}}
    assert "gap" in _read(_file(gap, 3)).problems[0].message
    ok = {"a": {"dtype": "U8", "shape": [2], "data_offsets": [0, 2]}}
    info = _read(_file(ok, 5))             # 3 trailing bytes: a polyglot tail
    assert _codes(info) == ["safetensors-layout"]
    assert "covered exactly" in info.problems[0].message


def test_wrong_length_for_shape_and_partial_bytes():
    bad = {"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 4]}}
    assert "need 8" in _read(_file(bad, 4)).problems[0].message
    odd = {"a": {"dtype": "F4", "shape": [3], "data_offsets": [0, 2]}}
    assert "whole bytes" in _read(_file(odd, 2)).problems[0].message


def test_non_string_metadata_and_unknown_dtype():
    meta = {"__metadata__": {"epochs": 3}, "a": {"dtype": "U8", "shape": [1], "data_offsets": [0, 1]}}
    assert "strings to strings" in _read(_file(meta, 1)).problems[0].message
    dtype = {"a": {"dtype": "F128", "shape": [1], "data_offsets": [0, 16]}}
    assert "unknown dtype" in _read(_file(dtype, 16)).problems[0].message


def test_invalid_json_utf8_and_non_object():
    assert "not valid JSON" in _read(_file(b"{nope", 0)).problems[0].message
    assert "UTF-8" in _read(_file(b'{"\xff": 1}', 0)).problems[0].message
    deep = b"{" + b'"a":' * 0 + b'"x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    assert _read(_file(deep, 0)).problems[0].code == "safetensors-header"


def test_truncated_header():
    blob = _file(GOOD, 32)
    info = _read(blob[:20])
    assert info.problems and info.problems[0].code == "safetensors-header"


def test_wrong_magic_keeps_label():
    assert detect_format("model.safetensors", b"PK\x03\x04junk") == "safetensors"
