from __future__ import annotations

import io
import struct
import time

from desktop.core.formats import detect_format, read_format

STRING, ARRAY, U32, BOOL, F32 = 8, 9, 4, 7, 6


def _str(text: str | bytes) -> bytes:
    raw = text.encode() if isinstance(text, str) else text
    return struct.pack("<Q", len(raw)) + raw


def _value(vtype: int, value) -> bytes:
    if vtype == STRING:
        return _str(value)
    if vtype == U32:
        return struct.pack("<I", value)
    if vtype == BOOL:
        return struct.pack("<B", value)
    if vtype == F32:
        return struct.pack("<f", value)
    elem_type, items = value
    return struct.pack("<IQ", elem_type, len(items)) + b"".join(_value(elem_type, i) for i in items)


def _gguf(kvs: list[tuple[str, int, object]], version: int = 3, tensors: int = 0,
          kv_count: int | None = None) -> bytes:
    out = b"GGUF" + struct.pack("<IQQ", version, tensors, len(kvs) if kv_count is None else kv_count)
    for key, vtype, value in kvs:
        out += _str(key) + struct.pack("<I", vtype) + _value(vtype, value)
    return out


def _read(blob: bytes, name: str = "model.gguf"):
    info = read_format("gguf", io.BytesIO(blob), len(blob), name)
    assert info is not None
    return info


KVS = [
    ("general.architecture", STRING, "llama"),
    ("general.name", STRING, "Demo 1b"),
    ("general.license", STRING, "apache-2.0"),
    ("general.base_model.count", U32, 1),
    ("general.base_model.0.repo_url", STRING, "https://huggingface.co/org-a/base-1b"),
    ("general.tags", ARRAY, (STRING, ["text-generation", "merge"])),
    ("general.dataset.0.name", STRING, "corpus"),
    ("adapter.type", STRING, "lora"),
    ("tokenizer.ggml.tokens", ARRAY, (STRING, [f"tok{i}" for i in range(5000)])),
    ("tokenizer.ggml.scores", ARRAY, (F32, [0.5] * 5000)),
    ("llama.context_length", U32, 4096),
    ("general.file_type", U32, 15),
]


def test_reads_general_keys_and_skips_the_rest():
    blob = _gguf(KVS, tensors=2) + b"\0" * 64
    info = _read(blob)
    assert info.problems == []
    meta = info.metadata
    assert (meta["version"], meta["tensor_count"], meta["kv_count"]) == (3, 2, len(KVS))
    general = meta["general"]
    assert general["general.license"] == "apache-2.0"
    assert general["general.base_model.0.repo_url"].endswith("org-a/base-1b")
    assert general["general.tags"] == ["text-generation", "merge"]
    assert general["general.file_type"] == 15
    assert general["adapter.type"] == "lora"
    assert general["general.dataset.0.name"] == "corpus"
    assert "tokenizer.ggml.tokens" not in general and "llama.context_length" not in general
    assert detect_format("x/model-q4.gguf", blob[:64]) == "gguf"


def test_version_2_is_accepted_and_1_is_not():
    assert _read(_gguf(KVS[:2], version=2)).problems == []
    info = _read(_gguf(KVS[:2], version=1))
    assert [p.code for p in info.problems] == ["gguf-unsupported"]


def test_big_endian_is_reported():
    blob = b"GGUF" + struct.pack(">IQQ", 3, 0, 0)
    assert "big-endian" in _read(blob).problems[0].message


def test_claimed_2_pow_60_keys_fails_fast():
    blob = _gguf(KVS[:1], kv_count=2**60)
    start = time.perf_counter()
    info = _read(blob)
    assert time.perf_counter() - start < 30.0  # hang guard; bench/responsiveness.py times it
    assert [p.code for p in info.problems] == ["gguf-corrupt"]
    assert "1152921504606846976 metadata keys" in info.problems[0].message


def test_huge_string_and_array_lengths():
    value = b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + _str("general.name") + struct.pack("<IQ", STRING, 2**62)
    info = _read(value)
    assert info.problems[0].code == "gguf-corrupt" and "runs past the end" in info.problems[0].message
    key = b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + struct.pack("<Q", 2**40) + b"x" * 32
    assert "exceeds" in _read(key).problems[0].message
    arr = b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + _str("general.tags") + struct.pack("<IIQ", ARRAY, STRING, 2**59)
    info = _read(arr)
    assert "array claims" in info.problems[0].message


def test_bad_magic_truncated_and_duplicates():
    assert "magic" in _read(b"GGUX" + b"\0" * 20).problems[0].message
    assert _read(b"").problems[0].code == "gguf-corrupt"
    blob = _gguf(KVS)
    info = _read(blob[: len(blob) // 2])
    assert info.problems[0].code == "gguf-corrupt" and "truncated" in info.problems[0].message
    dup = _gguf([("general.name", STRING, "a"), ("general.name", STRING, "b")])
    assert "twice" in _read(dup).problems[0].message


def test_unknown_value_type_and_bad_bool():
    blob = b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + _str("general.name") + struct.pack("<I", 77)
    assert "unknown value type 77" in _read(blob).problems[0].message
    flag = _gguf([("general.flag", BOOL, 5)])
    assert "boolean" in _read(flag).problems[0].message


def test_wrong_magic_keeps_label():
    assert detect_format("weights.gguf", b"\0\0\0\0") == "gguf"
