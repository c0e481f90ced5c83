"""Strict safetensors header reader: validates the layout, never reads tensor data."""

from __future__ import annotations

import contextlib
import json
import struct
from typing import Any, BinaryIO

from desktop.core.formats.streams import LARGE_PARSE, SequentialReader, Truncated, large_parse_lock, short
from desktop.core.results import FormatInfo, Problem

MAX_HEADER_BYTES = 16 << 20        # ~100,000 tensors; parsing costs ~25x this in memory
_MAX_NUMEL = 1 << 64
DTYPE_BITS = {
    "BOOL": 8, "U8": 8, "I8": 8, "F8_E5M2": 8, "F8_E4M3": 8, "F8_E8M0": 8, "F8_E4M3FNUZ": 8,
    "F8_E5M2FNUZ": 8, "I16": 16, "U16": 16, "F16": 16, "BF16": 16, "I32": 32, "U32": 32, "F32": 32,
    "I64": 64, "U64": 64, "F64": 64, "C64": 64, "F4": 4, "F6_E2M3": 6, "F6_E3M2": 6,
}
HEADER = "safetensors-header"
LAYOUT = "safetensors-layout"


class _Invalid(Exception):
    def __init__(self, code: str, cause: str) -> None:
        super().__init__(cause)
        self.code = code
        self.cause = cause


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _Invalid(HEADER, f"header names {short(key)!s} twice (duplicate keys are not allowed)")
        out[key] = value
    return out


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _tensor_span(name: str, entry: Any) -> tuple[int, int, str, int]:
    """(begin, end, dtype, numel) of one tensor entry, or raise _Invalid."""
    label = short(name)
    if not isinstance(entry, dict):
        raise _Invalid(HEADER, f"tensor {label} is not a JSON object")
    dtype, shape, offsets = entry.get("dtype"), entry.get("shape"), entry.get("data_offsets")
    if not isinstance(dtype, str) or dtype not in DTYPE_BITS:
        raise _Invalid(HEADER, f"tensor {label} has unknown dtype {short(dtype)}")
    if not isinstance(shape, list) or not all(_is_count(d) for d in shape):
        raise _Invalid(HEADER, f"tensor {label} has an invalid shape {short(shape)}")
    if (not isinstance(offsets, list) or len(offsets) != 2 or not all(_is_count(o) for o in offsets)
            or offsets[0] > offsets[1]):
        raise _Invalid(HEADER, f"tensor {label} has invalid data_offsets {short(offsets)}")
    numel = 1
    for dim in shape:
        numel *= dim
        if numel > _MAX_NUMEL:
            raise _Invalid(LAYOUT, f"tensor {label} has a shape whose size overflows 64 bits")
    bits = numel * DTYPE_BITS[dtype]
    if bits % 8:
        raise _Invalid(LAYOUT, f"tensor {label} ({dtype} x {numel}) does not fill whole bytes")
    begin, end = offsets
    if end - begin != bits // 8:
        raise _Invalid(LAYOUT, f"tensor {label} spans {end - begin} bytes but its shape and dtype "
                               f"need {bits // 8}")
    return begin, end, dtype, numel


def _validate(header: dict[str, Any], header_len: int, size: int) -> dict[str, Any]:
    metadata = header.pop("__metadata__", None)
    if metadata is None:
        metadata = {}
    if not isinstance(metadata, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()):
        raise _Invalid(HEADER, "__metadata__ must map strings to strings")
    spans = [(*_tensor_span(name, entry), name) for name, entry in header.items()]
    spans.sort(key=lambda s: (s[0], s[1]))
    end = 0
    dtypes: dict[str, int] = {}
    parameters = 0
    for begin, stop, dtype, numel, name in spans:
        if begin != end:
            what = "overlaps the previous tensor" if begin < end else "leaves a gap before it"
            raise _Invalid(LAYOUT, f"tensor {short(name)} starts at byte {begin}: it {what} "
                                   f"(expected {end})")
        end = stop
        dtypes[dtype] = dtypes.get(dtype, 0) + 1
        parameters += numel
    expected = 8 + header_len + end
    if expected != size:
        raise _Invalid(LAYOUT, f"header and tensors cover {expected} bytes but the file has {size} "
                               "(the data buffer must be covered exactly)")
    return {"tensors": len(spans), "parameters": parameters, "dtypes": dtypes,
            "header_bytes": header_len, "metadata": metadata}


def read_safetensors(stream: BinaryIO, size: int, name: str) -> FormatInfo:
    """Validate a safetensors header read sequentially from ``stream`` (tensor data is not read)."""
    info = FormatInfo(format="safetensors")
    reader = SequentialReader(stream, size)
    try:
        if size < 8:
            raise _Invalid(HEADER, f"file is {size} bytes, too small for the 8-byte header length")
        (header_len,) = struct.unpack("<Q", reader.take(8))
        info.metadata["header_bytes"] = header_len
        if header_len > MAX_HEADER_BYTES:
            raise _Invalid(HEADER, f"header length {header_len} exceeds the {MAX_HEADER_BYTES >> 20} MiB cap "
                                   "(not parsed)")
        if 8 + header_len > size:
            raise _Invalid(HEADER, f"header length {header_len} runs past the end of the "
                                   f"{size}-byte file")
        raw = reader.take(header_len)
        if not raw.startswith(b"{"):
            raise _Invalid(HEADER, "header does not start with '{'")
        try:
            with large_parse_lock if header_len > LARGE_PARSE else contextlib.nullcontext():
                header = json.loads(raw.decode("utf-8"), object_pairs_hook=_no_duplicates)
        except UnicodeDecodeError as exc:
            raise _Invalid(HEADER, f"header is not valid UTF-8 (byte {exc.start})") from None
        except RecursionError:
            raise _Invalid(HEADER, "header JSON is nested too deeply") from None
        except ValueError as exc:
            raise _Invalid(HEADER, f"header is not valid JSON ({short(str(exc))})") from None
        if not isinstance(header, dict):
            raise _Invalid(HEADER, "header JSON is not an object")
        info.metadata = _validate(header, header_len, size)
    except _Invalid as bad:
        info.problems.append(Problem(bad.code, f"{name}: {bad.cause}"))
    except Truncated as exc:
        info.problems.append(Problem(HEADER, f"{name}: file is truncated ({exc})"))
    return info
