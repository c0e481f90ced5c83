"""ONNX ModelProto header fields, read with a bounded protobuf walker (no onnx package)."""

from __future__ import annotations

from typing import Any, BinaryIO

from desktop.core.formats.protobuf_wire import (
    LENGTH,
    VARINT,
    WireError,
    iter_fields,
    message_reader,
    signed64,
    take_text,
)
from desktop.core.formats.streams import MiB, SequentialReader, Truncated, clean_text
from desktop.core.results import FormatInfo, Problem

CORRUPT = "onnx-corrupt"
MAX_NESTED = MiB           # opset_import / metadata_props entries larger than this are skipped
MAX_TEXT = 64 * 1024
MAX_ENTRIES = 1000
_STRINGS = {2: "producer_name", 3: "producer_version", 4: "domain", 6: "doc_string"}


def _pairs(data: bytes, second_is_int: bool) -> tuple[str, Any]:
    """(field 1 string, field 2 string-or-int) of a small embedded message."""
    reader = message_reader(data)
    first: str = ""
    second: Any = 0 if second_is_int else ""
    for number, wire, value in iter_fields(reader, reader.size):
        if number == 1 and wire == LENGTH:
            first = take_text(reader, value, MAX_TEXT)
        elif number == 2 and wire == VARINT and second_is_int:
            second = signed64(value)
        elif number == 2 and wire == LENGTH and not second_is_int:
            second = take_text(reader, value, MAX_TEXT)
        elif wire == LENGTH:
            reader.skip(value)
    return clean_text(first), second if second_is_int else clean_text(second)


def _walk(reader: SequentialReader, meta: dict[str, Any]) -> None:
    opsets: list[dict[str, Any]] = []
    props: dict[str, str] = {}
    for number, wire, value in iter_fields(reader, reader.size):
        if number == 1 and wire == VARINT:
            meta["ir_version"] = signed64(value)
        elif number == 5 and wire == VARINT:
            meta["model_version"] = signed64(value)
        elif number in _STRINGS and wire == LENGTH:
            meta[_STRINGS[number]] = clean_text(take_text(reader, value, MAX_TEXT))
        elif number == 7 and wire == LENGTH:
            meta["has_graph"] = True
            reader.skip(value)
        elif number in (8, 14) and wire == LENGTH:
            if value > MAX_NESTED or len(opsets) + len(props) >= MAX_ENTRIES:
                reader.skip(value)
                continue
            key, item = _pairs(reader.take(value), second_is_int=number == 8)
            if number == 8:
                opsets.append({"domain": key, "version": item})
            else:
                props[key] = item
        elif number in (1, 2, 3, 4, 5, 6, 7, 8, 14):
            raise WireError(f"field {number} has the wrong wire type {wire}")
        elif wire == LENGTH:
            reader.skip(value)
    meta["opset_import"] = opsets
    meta["metadata_props"] = props


def read_onnx(stream: BinaryIO, size: int, name: str) -> FormatInfo:
    """Read the top-level ModelProto fields of an ONNX file; the graph is skipped."""
    info = FormatInfo(format="onnx")
    meta: dict[str, Any] = {}
    try:
        _walk(SequentialReader(stream, size), meta)
        if "ir_version" not in meta:
            info.problems.append(Problem(CORRUPT, f"{name}: no ir_version field, so this is not an "
                                                  "ONNX model"))
    except (WireError, Truncated) as exc:
        info.problems.append(Problem(CORRUPT, f"{name}: not a well-formed ONNX protobuf ({exc})"))
    info.metadata = meta
    return info
