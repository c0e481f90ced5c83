"""Format detection from a member's name and the first bytes of its content."""

from __future__ import annotations

import posixpath
import struct

from desktop.core.formats.pickle_scan import decompressed_head, head_is_pickle

PICKLE_EXTS = frozenset({".pkl", ".pickle", ".joblib", ".dat", ".data"})
TORCH_EXTS = frozenset({".bin", ".pt", ".pth", ".ckpt", ".pkl", ".pickle", ".joblib", ".model", ".pytorch"})
_TORCH_PICKLE_EXTS = frozenset({".pt", ".pth", ".ckpt"})
_SOURCE_EXTS = frozenset({
    ".c", ".cc", ".cpp", ".cxx", ".h", ".hh", ".hpp", ".cu", ".cuh", ".rs", ".go", ".java", ".kt",
    ".scala", ".js", ".mjs", ".ts", ".tsx", ".jsx", ".sh", ".bash", ".zsh", ".ps1", ".bat", ".rb", ".pl",
    ".php", ".lua", ".r", ".jl", ".swift", ".m", ".mm", ".cs", ".sql", ".ipynb", ".pyx", ".pxd",
    ".jinja", ".j2", ".toml", ".cfg", ".ini", ".cmake", ".proto", ".mk",
})
_TEXT_EXTS = frozenset({".txt", ".rst", ".csv", ".tsv", ".jsonl", ".log", ".html", ".htm", ".xml", ".tex"})
_TEXT_NAMES = frozenset({"license", "licence", "copying", "notice", "authors", "readme", "makefile",
                         "dockerfile", "merges", "vocab", "requirements"})
_BY_EXT = {
    ".safetensors": "safetensors", ".gguf": "gguf", ".onnx": "onnx", ".keras": "keras", ".h5": "hdf5",
    ".hdf5": "hdf5", ".tflite": "tflite", ".mlmodel": "coreml", ".npy": "numpy", ".npz": "numpy",
    ".pdf": "pdf", ".docx": "docx", ".zip": "zip", ".tar": "tar", ".tgz": "gzip", ".gz": "gzip",
    ".bz2": "bzip2", ".xz": "xz", ".json": "json", ".yaml": "yaml", ".yml": "yaml", ".md": "markdown",
    ".markdown": "markdown", ".py": "python", ".pyi": "python",
}
_SENTENCEPIECE = frozenset({"tokenizer.model", "spiece.model", "sentencepiece.bpe.model",
                            "sentencepiece.model"})
MAX_SAFETENSORS_HEADER = 100_000_000


def _safetensors_start(head: bytes) -> bool:
    if len(head) < 10:
        return False
    (length,) = struct.unpack("<Q", head[:8])
    return 2 <= length <= MAX_SAFETENSORS_HEADER and head[8:9] == b"{"


_ZIP_LOADED_BY_TORCH = TORCH_EXTS | PICKLE_EXTS | frozenset({".msgpack", ".mar", ".tar", ".pytorch"})


def _zip_label(ext: str, head: bytes) -> str:
    if ext == ".keras":
        return "keras"
    if ext == ".docx":
        return "docx"
    if ext == ".npz":
        return "numpy"
    # torch.load opens any zip, whatever it is called, and data.pkl may sit anywhere in it.
    if ext in _ZIP_LOADED_BY_TORCH or (ext != ".zip" and b".pkl" in head.lower()):
        return "pytorch-zip"
    if ext != ".zip" and b"word/document.xml" in head and b"[Content_Types].xml" in head:
        return "docx"
    return "zip"


def _by_magic(ext: str, head: bytes) -> str | None:
    if head.startswith(b"GGUF"):
        return "gguf"
    if head.startswith(b"\x89HDF\r\n\x1a\n"):
        return "hdf5"
    if head[4:8] == b"TFL3":
        return "tflite"
    if head.startswith(b"%PDF-") or (ext == ".pdf" and b"%PDF-" in head[:1024]):
        return "pdf"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_label(ext, head)
    if head.startswith(b"\x93NUMPY"):
        return "numpy"
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head.startswith(b"BZh") and ext in (".bz2", ".tbz", ".tbz2", ""):
        return "bzip2"
    if head.startswith(b"\xfd7zXZ\x00"):
        return "xz"
    if head[257:262] == b"ustar":
        return "tar"
    if _safetensors_start(head):
        return "safetensors"
    return None


def _compressed_pickle(head: bytes) -> bool:
    inner = decompressed_head(head, 4096)
    return bool(inner) and head_is_pickle(inner)


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 3      # a character cut at the end of the head
    return True


def detect_format(name: str, head: bytes) -> str:
    """Label a member by its content first, then its name (see the package docstring).

    A pickle (any protocol, also behind another format's magic, or gzip/zlib/bz2/xz/lzma-compressed)
    is a pickle whatever its name or folder says; only ``.safetensors``/``.gguf`` names, whose
    loaders never unpickle, go to their own readers regardless.
    """
    path = name.replace("\\", "/")
    base = posixpath.basename(path).lower()
    ext = posixpath.splitext(base)[1]
    folders = path.lower().split("/")[:-1]
    if ext not in (".safetensors", ".gguf") and (head_is_pickle(head) or _compressed_pickle(head)):
        return "pickle"          # content first: names and folders do not make a pickle safe
    if any(f.endswith((".mlpackage", ".mlmodelc")) for f in folders):
        return "coreml"
    if base in ("saved_model.pb", "saved_model.pbtxt", "keras_metadata.pb", "fingerprint.pb") or (
            folders and folders[-1] == "variables" and base.startswith("variables.")):
        return "tf-savedmodel"
    if ext in (".safetensors", ".gguf"):
        return _BY_EXT[ext]            # even with a wrong magic: its reader reports the problem
    label = _by_magic(ext, head)
    if label is not None:
        return label
    if ext in _BY_EXT:
        return _BY_EXT[ext]
    if base in _SENTENCEPIECE or ext == ".spm":
        return "sentencepiece"
    if ext in PICKLE_EXTS or ext in _TORCH_PICKLE_EXTS:
        return "pickle"
    if ext in _SOURCE_EXTS:
        return "source"
    stem = posixpath.splitext(base)[0]
    if ext in _TEXT_EXTS or stem in _TEXT_NAMES or base.split(".")[0] in _TEXT_NAMES:
        return "text"
    if not ext and head and _looks_like_text(head):
        return "text"
    return "unknown"
