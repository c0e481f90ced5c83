"""Small readers for HDF5, TFLite, Core ML and TF SavedModel files (cheap facts only)."""

from __future__ import annotations

import struct
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

HDF5_MAGIC = b"\x89HDF\r\n\x1a\n"
_HDF5_OFFSETS = (0, 512, 1024, 2048)
_KERAS_SCAN_BYTES = 4 * MiB
KERAS_LAMBDA = "keras-lambda"
MAX_DESCRIPTION = 16 * MiB
_COREML_TEXT = {1: "short_description", 2: "version", 3: "author", 4: "license"}


def read_hdf5(stream: BinaryIO, size: int, name: str) -> FormatInfo:
    """Recognise an HDF5 container; flag legacy Keras models and Lambda layers by a byte search."""
    info = FormatInfo(format="hdf5", metadata={"container": "hdf5"})
    head = SequentialReader(stream, size).take_upto(_KERAS_SCAN_BYTES)
    offset = next((o for o in _HDF5_OFFSETS if head[o:o + 8] == HDF5_MAGIC), None)
    if offset is None:
        info.problems.append(Problem("hdf5-corrupt", f"{name}: no HDF5 signature at offset 0, 512, "
                                                     "1024 or 2048"))
        return info
    if len(head) > offset + 8:
        info.metadata["superblock_version"] = head[offset + 8]
    if b"keras_version" in head or b"model_config" in head:
        info.metadata["keras"] = True
        if b'"class_name": "Lambda"' in head or b'"class_name":"Lambda"' in head:
            info.problems.append(Problem(KERAS_LAMBDA, f"{name}: Keras model config contains a Lambda "
                                                       "layer (serialized Python code runs when loaded)"))
    return info


def _tflite_version(head: bytes) -> int | None:
    """Model.version (field 0 of the FlatBuffer root table), when it lies in ``head``."""
    try:
        (root,) = struct.unpack_from("<I", head, 0)
        (soffset,) = struct.unpack_from("<i", head, root)
        vtable = root - soffset
        vt_size, _ = struct.unpack_from("<HH", head, vtable)
        if vt_size < 6:
            return None
        (field_offset,) = struct.unpack_from("<H", head, vtable + 4)
        if not field_offset:
            return None
        return int(struct.unpack_from("<I", head, root + field_offset)[0])
    except struct.error:
        return None


def read_tflite(stream: BinaryIO, size: int, name: str) -> FormatInfo:
    """Check the TFL3 file identifier and read the schema version when it is cheap."""
    info = FormatInfo(format="tflite")
    head = SequentialReader(stream, size).take_upto(64 * 1024)
    if head[4:8] != b"TFL3":
        info.problems.append(Problem("tflite-corrupt", f"{name}: file identifier is {head[4:8]!r}, "
                                                       "not b'TFL3'"))
        return info
    info.metadata["file_identifier"] = "TFL3"
    version = _tflite_version(head)
    if version is not None:
        info.metadata["schema_version"] = version
    return info


def _coreml_metadata(data: bytes) -> dict[str, Any]:
    """Fields of Core ML's Metadata message (ModelDescription field 100)."""
    out: dict[str, Any] = {}
    user: dict[str, str] = {}
    reader = message_reader(data)
    for number, wire, value in iter_fields(reader, reader.size):
        if number in _COREML_TEXT and wire == LENGTH:
            out[_COREML_TEXT[number]] = clean_text(take_text(reader, value, 64 * 1024))
        elif number == 100 and wire == LENGTH and len(user) < 1000:
            entry = message_reader(reader.take(value))
            key = item = ""
            for sub, sub_wire, sub_value in iter_fields(entry, entry.size):
                if sub_wire != LENGTH:
                    continue
                text = take_text(entry, sub_value, 64 * 1024)
                if sub == 1:
                    key = text
                elif sub == 2:
                    item = text
            user[clean_text(key, 1024)] = clean_text(item)
        elif wire == LENGTH:
            reader.skip(value)
    if user:
        out["user_defined"] = user
    return out


def _walk_mlmodel(reader: SequentialReader, meta: dict[str, Any]) -> None:
    for number, wire, value in iter_fields(reader, reader.size):
        if number == 1 and wire == VARINT:
            meta["specification_version"] = signed64(value)
        elif number == 2 and wire == LENGTH and value <= MAX_DESCRIPTION:
            description = message_reader(reader.take(value))
            for sub, sub_wire, sub_value in iter_fields(description, description.size):
                if sub == 100 and sub_wire == LENGTH:
                    meta.update(_coreml_metadata(description.take(sub_value)))
                elif sub_wire == LENGTH:
                    description.skip(sub_value)
            return                       # the model itself follows; nothing more to learn
        elif wire == LENGTH:
            reader.skip(value)


def read_coreml(stream: BinaryIO, size: int, name: str) -> FormatInfo:
    """Core ML: ``.mlmodel`` specification metadata (author, licence, version); package parts as-is."""
    info = FormatInfo(format="coreml")
    lowered = name.lower()
    if ".mlpackage/" in lowered.replace("\\", "/") and not lowered.endswith(".mlmodel"):
        info.metadata["package_member"] = True
        return info
    if not lowered.endswith(".mlmodel"):
        return info
    try:
        _walk_mlmodel(SequentialReader(stream, size), info.metadata)
        if "specification_version" not in info.metadata:
            info.problems.append(Problem("coreml-corrupt", f"{name}: no specificationVersion field"))
    except (WireError, Truncated) as exc:
        info.problems.append(Problem("coreml-corrupt", f"{name}: not a well-formed Core ML protobuf "
                                                       f"({exc})"))
    return info


def read_savedmodel(stream: BinaryIO, size: int, name: str) -> FormatInfo:
    """TF SavedModel parts are recognised only (no cheap metadata)."""
    return FormatInfo(format="tf-savedmodel")
