from __future__ import annotations

import io
import pickle
import struct
import zipfile

import pytest

from desktop.core.formats import SEEKABLE_FORMATS, WEIGHT_FORMATS, detect_format


def _zip(names: list[str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name in names:
            zf.writestr(name, b"x")
    return buf.getvalue()


@pytest.mark.parametrize(("name", "head", "label"), [
    ("pytorch_model.bin", _zip(["archive/data.pkl", "archive/version"]), "pytorch-zip"),
    ("model.ckpt", _zip(["m/version"]), "pytorch-zip"),
    ("bundle.zip", _zip(["archive/data.pkl"]), "zip"),
    ("random.bin", _zip(["a.txt"]), "pytorch-zip"),   # torch.load opens any zip it is given
    ("random.zip", _zip(["a.txt"]), "zip"),
    ("model.pth", pickle.dumps({}, protocol=2), "pickle"),
    ("weights.safetensors", struct.pack("<Q", 2) + b"{}", "safetensors"),
    ("m.gguf", b"GGUF\x03\x00\x00\x00", "gguf"),
    ("m.h5", b"\x89HDF\r\n\x1a\n", "hdf5"),
    ("m.keras", b"\x89HDF\r\n\x1a\n", "hdf5"),
    ("m.bin", b"\x1c\x00\x00\x00TFL3", "tflite"),
    ("m.onnx", b"\x08\x07", "onnx"),
    ("a/b.mlpackage/Data/com.apple.CoreML/weights/weight.bin", b"\0", "coreml"),
    ("saved_model.pb", b"\x08\x01", "tf-savedmodel"),
    ("doc.bin", b"%PDF-1.7", "pdf"),
    ("doc.pdf", b"\n\n%PDF-1.4", "pdf"),
    ("agreement.docx", _zip(["[Content_Types].xml", "word/document.xml"]), "docx"),
    ("renamed", _zip(["[Content_Types].xml", "word/document.xml"]), "docx"),
    ("x.tar", b"\0" * 257 + b"ustar\x0000", "tar"),
    ("x.tgz", b"\x1f\x8b\x08", "gzip"),
    ("x.bz2", b"BZh91AY", "bzip2"),
    ("x.xz", b"\xfd7zXZ\x00", "xz"),
    ("arr.npz", _zip(["a.npy"]), "numpy"),
    ("tokenizer.model", b"\x0a\x0b", "sentencepiece"),
    ("spiece.model", b"\x0a\x0b", "sentencepiece"),
    ("LICENSE", b"Apache License", "text"),
    ("NOTICE.txt", b"x", "text"),
    ("notes", "d\u00e9j\u00e0 vu".encode(), "text"),
    ("blob", b"\x00\x01\x02", "unknown"),
    ("modeling_acme.py", b"import torch", "python"),
    ("kernels/attn.cu", b"__global__", "source"),
    ("README.md", b"# hi", "markdown"),
    ("empty", b"", "unknown"),
])
def test_detect_format(name, head, label):
    assert detect_format(name, head[:65536]) == label


def test_label_sets():
    assert {"safetensors", "gguf", "pickle", "pytorch-zip", "onnx"} <= WEIGHT_FORMATS
    assert "json" not in WEIGHT_FORMATS
    assert {"pytorch-zip", "keras", "pdf", "docx"} <= SEEKABLE_FORMATS
