from __future__ import annotations

import io
import json
import struct
import zipfile

from desktop.core.formats import detect_format, read_format


def _varint(n: int) -> bytes:
    out = b""
    while True:
        byte = n & 0x7F
        n >>= 7
        out += bytes([byte | (0x80 if n else 0)])
        if not n:
            return out


def _field(number: int, value: int | bytes | str) -> bytes:
    if isinstance(value, int):
        return _varint(number << 3) + _varint(value)
    raw = value.encode() if isinstance(value, str) else value
    return _varint(number << 3 | 2) + _varint(len(raw)) + raw


def _read(fmt: str, blob: bytes, name: str):
    info = read_format(fmt, io.BytesIO(blob), len(blob), name)
    assert info is not None and info.format == fmt
    return info


ONNX = (_field(1, 8) + _field(2, "pytorch") + _field(3, "2.3.0") + _field(5, 1)
        + _field(7, b"\x0a\x04node" * 1000)
        + _field(8, _field(1, "") + _field(2, 17)) + _field(8, _field(1, "com.microsoft") + _field(2, 1))
        + _field(14, _field(1, "license") + _field(2, "apache-2.0"))
        + _field(14, _field(1, "source") + _field(2, "org-a/base-7b")))


def test_onnx_model_fields():
    info = _read("onnx", ONNX, "model.onnx")
    assert info.problems == []
    meta = info.metadata
    assert (meta["ir_version"], meta["producer_name"], meta["producer_version"], meta["model_version"]) == (
        8, "pytorch", "2.3.0", 1)
    assert meta["opset_import"] == [{"domain": "", "version": 17}, {"domain": "com.microsoft", "version": 1}]
    assert meta["metadata_props"] == {"license": "apache-2.0", "source": "org-a/base-7b"}
    assert detect_format("model.onnx", ONNX[:100]) == "onnx"


def test_onnx_corrupt_inputs():
    assert _read("onnx", ONNX[:-5], "m.onnx").problems[0].code == "onnx-corrupt"
    huge = _field(1, 8) + _varint(7 << 3 | 2) + _varint(2**62)
    assert "past the end" in _read("onnx", huge, "m.onnx").problems[0].message
    assert "ir_version" in _read("onnx", b"", "m.onnx").problems[0].message
    assert _read("onnx", b"\x0f\xff\xff", "m.onnx").problems[0].code == "onnx-corrupt"
    assert _read("onnx", b"\xff" * 12, "m.onnx").problems[0].code == "onnx-corrupt"


def _keras(config: dict, metadata: dict | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("metadata.json", json.dumps(metadata or {"keras_version": "3.3.3",
                                                             "date_saved": "2024-05-01@10:00:00"}))
        zf.writestr("config.json", json.dumps(config))
        zf.writestr("model.weights.h5", b"\x89HDF\r\n\x1a\n")
    return buf.getvalue()


def test_keras_clean_model():
    config = {"module": "keras", "class_name": "Sequential", "registered_name": None,
              "config": {"layers": [{"module": "keras.layers", "class_name": "Dense", "registered_name": None,
                                     "config": {"units": 2}}]}}
    blob = _keras(config)
    assert detect_format("m.keras", blob[:1000]) == "keras"
    info = _read("keras", blob, "m.keras")
    assert info.problems == []
    assert info.metadata["keras_version"] == "3.3.3"
    assert info.metadata["date_saved"] == "2024-05-01@10:00:00"
    assert info.metadata["lambda_layers"] == 0


def test_keras_lambda_and_custom_objects():
    config = {"module": "keras", "class_name": "Sequential", "config": {"layers": [
        {"module": "keras.layers", "class_name": "Lambda", "config": {"function": "gASV..."}},
        {"module": "acme.layers", "class_name": "Magic", "registered_name": "Acme>Magic", "config": {}}]}}
    info = _read("keras", _keras(config), "m.keras")
    assert [p.code for p in info.problems] == ["keras-lambda", "keras-custom-object"]
    assert info.metadata["lambda_layers"] == 1
    assert info.metadata["custom_objects"] == [
        {"module": "acme.layers", "class_name": "Magic", "registered_name": "Acme>Magic"}]
    assert "acme.layers.Magic" in info.problems[1].message


def test_keras_broken():
    assert _read("keras", b"PK\x03\x04nope", "m.keras").problems[0].code == "keras-broken"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("config.json", "[" * 100_000)
    info = _read("keras", buf.getvalue(), "m.keras")
    assert {p.code for p in info.problems} == {"keras-broken"}


def test_hdf5_and_legacy_keras_lambda():
    blob = b"\x89HDF\r\n\x1a\n\x00" + b"\0" * 100 + b'keras_version model_config {"class_name": "Lambda"}'
    assert detect_format("model.h5", blob) == "hdf5"
    info = _read("hdf5", blob, "model.h5")
    assert info.metadata == {"container": "hdf5", "superblock_version": 0, "keras": True}
    assert [p.code for p in info.problems] == ["keras-lambda"]
    assert _read("hdf5", b"nothdf5", "x.h5").problems[0].code == "hdf5-corrupt"


def test_tflite():
    blob = struct.pack("<I", 16) + b"TFL3" + struct.pack("<HHH", 6, 8, 4) + b"\0\0" + struct.pack("<iI", 8, 3)
    assert detect_format("model.tflite", blob) == "tflite"
    info = _read("tflite", blob, "model.tflite")
    assert info.metadata == {"file_identifier": "TFL3", "schema_version": 3}
    assert _read("tflite", b"\0" * 8, "model.tflite").problems[0].code == "tflite-corrupt"
    assert _read("tflite", b"\xff\xff\xff\x7fTFL3", "m.tflite").metadata == {"file_identifier": "TFL3"}


def test_coreml_mlmodel_metadata():
    metadata = (_field(1, "Demo") + _field(2, "1.0") + _field(3, "Acme") + _field(4, "MIT")
                + _field(100, _field(1, "source") + _field(2, "org-a/base")))
    blob = _field(1, 7) + _field(2, _field(1, b"in") + _field(100, metadata)) + _field(400, b"\0" * 50)
    assert detect_format("Model.mlmodel", blob) == "coreml"
    info = _read("coreml", blob, "Model.mlmodel")
    assert info.problems == []
    assert info.metadata == {"specification_version": 7, "short_description": "Demo", "version": "1.0",
                             "author": "Acme", "license": "MIT", "user_defined": {"source": "org-a/base"}}
    assert _read("coreml", b"\xff" * 11, "M.mlmodel").problems[0].code == "coreml-corrupt"
    assert detect_format("x.mlpackage/Manifest.json", b"{}") == "coreml"
    assert _read("coreml", b"{}", "x.mlpackage/Manifest.json").metadata == {"package_member": True}


def test_savedmodel_detection():
    assert detect_format("sm/saved_model.pb", b"\x08\x01") == "tf-savedmodel"
    assert detect_format("sm/variables/variables.index", b"\x00") == "tf-savedmodel"
    assert _read("tf-savedmodel", b"\x08\x01", "saved_model.pb").problems == []
