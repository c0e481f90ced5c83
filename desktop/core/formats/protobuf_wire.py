"""Minimal protobuf wire-format walker (ONNX and Core ML headers), bounded and forward-only."""

from __future__ import annotations

import io
from collections.abc import Iterator

from desktop.core.formats.streams import SequentialReader

VARINT, FIXED64, LENGTH, FIXED32 = 0, 1, 2, 5
_MAX_FIELD = (1 << 29) - 1


class WireError(Exception):
    """The bytes are not a well-formed protobuf message."""


def read_varint(reader: SequentialReader) -> int:
    """A base-128 varint (at most 10 bytes)."""
    value = shift = 0
    for _ in range(10):
        byte = reader.u8()
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value
        shift += 7
    raise WireError(f"varint longer than 10 bytes at offset {reader.pos}")


def signed64(value: int) -> int:
    """Interpret a varint as a two's-complement int64."""
    value &= (1 << 64) - 1
    return value - (1 << 64) if value >= 1 << 63 else value


def iter_fields(reader: SequentialReader, end: int) -> Iterator[tuple[int, int, int]]:
    """Yield (field number, wire type, value) until ``end``.

    For varints the value is the number; for fixed32/64 it is the raw little-endian integer;
    for length-delimited fields it is the payload length, and the caller must consume
    exactly that many bytes (``take`` or ``skip``) before asking for the next field.
    """
    while reader.pos < end:
        tag = read_varint(reader)
        number, wire = tag >> 3, tag & 7
        if number == 0 or number > _MAX_FIELD:
            raise WireError(f"invalid field number {number} at offset {reader.pos}")
        if wire == VARINT:
            yield number, wire, read_varint(reader)
        elif wire == FIXED64:
            yield number, wire, int.from_bytes(reader.take(8), "little")
        elif wire == FIXED32:
            yield number, wire, int.from_bytes(reader.take(4), "little")
        elif wire == LENGTH:
            length = read_varint(reader)
            if reader.pos + length > end:
                raise WireError(f"field {number} claims {length} bytes, past the end of its message")
            before = reader.pos
            yield number, wire, length
            if reader.pos != before + length:
                raise WireError(f"field {number} was not consumed")   # a bug in the caller
        else:
            raise WireError(f"unsupported wire type {wire} (field {number}) at offset {reader.pos}")
        if reader.pos > end:
            raise WireError(f"field {number} runs past the end of its message")


def message_reader(data: bytes) -> SequentialReader:
    """A reader over an embedded message's bytes."""
    return SequentialReader(io.BytesIO(data), len(data))


def take_text(reader: SequentialReader, length: int, keep: int) -> str:
    """Decode a string field, keeping at most ``keep`` bytes and skipping the rest."""
    data = reader.take(min(length, keep))
    if length > keep:
        reader.skip(length - keep)
    return data.decode("utf-8", "replace")
