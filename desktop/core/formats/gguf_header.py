"""Bounded sequential GGUF reader: keeps the provenance keys (``general.*``), skips the rest."""

from __future__ import annotations

import re
import struct
from typing import Any, BinaryIO

from desktop.core.formats.streams import SequentialReader, Truncated, clean_text, short
from desktop.core.results import FormatInfo, Problem

CORRUPT = "gguf-corrupt"
UNSUPPORTED = "gguf-unsupported"
MAX_KEPT_STRING = 16 << 20
MAX_KEY_BYTES = 65_535
MAX_KEPT_ITEMS = 10_000
MAX_ARRAY_DEPTH = 8
MAX_WALKED_ITEMS = 2_000_000       # strings/arrays walked one by one (real vocabularies hold ~300k)
_SCALAR = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<B",
           10: "<Q", 11: "<q", 12: "<d"}
_STRING, _ARRAY = 8, 9
_MIN_KV_BYTES = 8 + 4 + 1          # empty key, value type, smallest value
_MIN_TENSOR_INFO_BYTES = 8 + 4 + 4 + 8
_KEPT_KEYS = re.compile(
    r"general\.(name|license|license\.name|license\.link|author|organization|architecture|type"
    r"|file_type|quantized_by|size_label|basename|finetune|version|description|url|repo_url"
    r"|tags|languages|datasets|dataset\.count|dataset\.\d+\.[a-z_]+|base_model\.count"
    r"|base_model\.\d+\.[a-z_]+|source\.[a-z_]+|quantization_version)"
    r"|adapter\.type")


class _Corrupt(Exception):
    def __init__(self, code: str, cause: str) -> None:
        super().__init__(cause)
        self.code = code
        self.cause = cause


def _keep(key: str) -> bool:
    return _KEPT_KEYS.fullmatch(key) is not None


class _GGUFWalker:
    def __init__(self, reader: SequentialReader) -> None:
        self.r = reader
        self.walked = 0

    def string(self, keep: bool) -> str | None:
        length = self.r.u64()
        if length > self.r.remaining:
            raise _Corrupt(CORRUPT, f"string of {length} bytes at offset {self.r.pos - 8} runs past "
                                    "the end of the file")
        if not keep:
            self.r.skip(length)
            return None
        if length > MAX_KEPT_STRING:
            raise _Corrupt(CORRUPT, f"metadata string of {length} bytes exceeds the 16 MiB cap")
        return clean_text(self.r.take(length).decode("utf-8", "replace"), MAX_KEPT_STRING)

    def value(self, vtype: int, keep: bool, depth: int = 0) -> Any:
        if vtype in _SCALAR:
            fmt = _SCALAR[vtype]
            (val,) = struct.unpack(fmt, self.r.take(struct.calcsize(fmt)))
            if vtype == 7:
                if val > 1:
                    raise _Corrupt(CORRUPT, f"boolean value {val} at offset {self.r.pos - 1}")
                return bool(val)
            return val
        if vtype == _STRING:
            return self.string(keep)
        if vtype == _ARRAY:
            return self.array(keep, depth)
        raise _Corrupt(CORRUPT, f"unknown value type {vtype} at offset {self.r.pos - 4}")

    def array(self, keep: bool, depth: int) -> list[Any] | None:
        if depth >= MAX_ARRAY_DEPTH:
            raise _Corrupt(CORRUPT, f"arrays nested more than {MAX_ARRAY_DEPTH} deep")
        elem_type, count = self.r.u32(), self.r.u64()
        if elem_type in _SCALAR:
            width = struct.calcsize(_SCALAR[elem_type])
        elif elem_type == _STRING:
            width = 8
        elif elem_type == _ARRAY:
            width = 12
        else:
            raise _Corrupt(CORRUPT, f"unknown array element type {elem_type} at offset {self.r.pos - 12}")
        if count * width > self.r.remaining:
            raise _Corrupt(CORRUPT, f"array claims {count} elements, more than the "
                                    f"{self.r.remaining} remaining bytes can hold")
        if not keep and elem_type in _SCALAR:
            self.r.skip(count * width)
            return None
        self.walked += count
        if self.walked > MAX_WALKED_ITEMS:
            raise _Corrupt(CORRUPT, f"metadata arrays hold more than {MAX_WALKED_ITEMS} strings or arrays; "
                                    "the rest was not read (scan limit)")
        items: list[Any] = []
        for _ in range(count):
            item = self.value(elem_type, keep and len(items) < MAX_KEPT_ITEMS, depth + 1)
            if keep and len(items) < MAX_KEPT_ITEMS:
                items.append(item)
        return items if keep else None


def _header(reader: SequentialReader) -> tuple[int, int, int]:
    magic = reader.take(4)
    if magic != b"GGUF":
        raise _Corrupt(CORRUPT, f"magic is {magic!r}, not b'GGUF'")
    raw_version = reader.take(4)
    version = struct.unpack("<I", raw_version)[0]
    if version not in (2, 3):
        if struct.unpack(">I", raw_version)[0] in (2, 3):
            raise _Corrupt(UNSUPPORTED, "big-endian GGUF files are not supported")
        raise _Corrupt(UNSUPPORTED, f"GGUF version {version} is not supported (only 2 and 3)")
    tensor_count, kv_count = reader.u64(), reader.u64()
    if kv_count * _MIN_KV_BYTES > reader.remaining:
        raise _Corrupt(CORRUPT, f"header claims {kv_count} metadata keys, more than the "
                                f"{reader.size}-byte file can hold")
    if tensor_count * _MIN_TENSOR_INFO_BYTES > reader.remaining:
        raise _Corrupt(CORRUPT, f"header claims {tensor_count} tensors, more than the "
                                f"{reader.size}-byte file can hold")
    return version, tensor_count, kv_count


def read_gguf(stream: BinaryIO, size: int, name: str) -> FormatInfo:
    """Read GGUF version, counts and provenance keys sequentially, within strict bounds."""
    info = FormatInfo(format="gguf")
    reader = SequentialReader(stream, size)
    general: dict[str, Any] = {}
    try:
        version, tensor_count, kv_count = _header(reader)
        info.metadata = {"version": version, "tensor_count": tensor_count, "kv_count": kv_count,
                         "general": general}
        walker = _GGUFWalker(reader)
        for _ in range(kv_count):
            key_len = reader.u64()
            if key_len > MAX_KEY_BYTES:
                raise _Corrupt(CORRUPT, f"key of {key_len} bytes at offset {reader.pos - 8} exceeds "
                                        f"the {MAX_KEY_BYTES}-byte limit")
            key = reader.take(key_len).decode("utf-8", "replace")
            vtype = reader.u32()
            keep = _keep(key)
            value = walker.value(vtype, keep)
            if keep:
                if key in general:
                    raise _Corrupt(CORRUPT, f"key {short(key)} appears twice")
                general[key] = value
    except _Corrupt as bad:
        info.problems.append(Problem(bad.code, f"{name}: {bad.cause}"))
    except Truncated as exc:
        info.problems.append(Problem(CORRUPT, f"{name}: file is truncated ({exc})"))
    if not info.metadata:
        info.metadata = {"general": general}
    return info
