"""Roles of files and the components a reviewer thinks in (model, code, data, ...)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from desktop.core.results import Component, FileEntry

LICENSE_NAME = re.compile(
    r"(?i)^(licen[cs]e|copying|use[_-]?policy|acceptable[_-]use(?:[_-]policy)?|terms(?:[_-]of[_-]use)?|eula)"
    r"([-_. ].*)?$")
MODEL_LICENSE_NAME = re.compile(
    r"(?i)^([a-z0-9]+[_-])?((?:model|weights?)[_-]licen[cs]e|licen[cs]e[_-](?:model|weights?))([-_. ].*)?$")
NOTICE_NAME = re.compile(r"(?i)^notice([-_. ].*)?$")
AGREEMENT_NAME = re.compile(r"(?i)(agreement|terms|eula|contract|conditions)")

TOKENIZER_NAMES = frozenset({
    "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json",
    "vocab.json", "vocab.txt", "merges.txt", "tokenizer.model", "spiece.model",
    "sentencepiece.bpe.model", "chat_template.jinja", "chat_template.json",
})
CODE_EXT = frozenset({
    ".py", ".pyi", ".ipynb", ".js", ".mjs", ".ts", ".tsx", ".jsx", ".c", ".h", ".cc", ".cpp", ".hpp",
    ".cu", ".cuh", ".rs", ".go", ".java", ".kt", ".scala", ".swift", ".m", ".mm", ".rb", ".php",
    ".sh", ".bash", ".ps1", ".bat", ".cmake", ".pl", ".lua", ".r", ".jl", ".cs", ".sql",
})
CODE_NAMES = frozenset({"makefile", "cmakelists.txt", "dockerfile", "setup.cfg", "pyproject.toml",
                        "requirements.txt", "package.json", "cargo.toml"})
CONFIG_EXT = frozenset({".json", ".yaml", ".yml", ".toml", ".ini", ".cfg", ".conf"})
DATA_EXT = frozenset({".csv", ".tsv", ".jsonl", ".parquet", ".arrow", ".tfrecord", ".npz", ".npy",
                      ".feather", ".avro", ".wav", ".flac", ".mp3", ".png", ".jpg", ".jpeg", ".webp"})
DOC_EXT = frozenset({".md", ".markdown", ".txt", ".rst", ".html", ".htm", ".pdf", ".docx", ".rtf",
                     ".adoc", ".org"})
ARCHIVE_FORMATS = frozenset({"zip", "tar", "gzip", "bzip2", "xz"})
WEIGHT_LIKE = frozenset({"safetensors", "gguf", "pickle", "pytorch-zip", "onnx", "keras", "hdf5",
                         "tflite", "coreml", "tf-savedmodel", "numpy"})
MODEL_CARD_KEYS = frozenset({"license", "license_name", "license_link", "base_model", "pipeline_tag",
                             "library_name", "datasets", "model-index", "base_model_relation", "tags",
                             "language"})

# How much of a file's content the scanner keeps for license identification and evidence.
TEXT_ROLES = frozenset({"license", "notice", "model_card", "docs", "agreement"})
TEXT_CAP = 10 << 20
CODE_HEADER_CAP = 16 << 10

COMPONENT_OF_ROLE = {
    "weights": "model", "tokenizer": "model", "config": "model", "model_card": "model",
    "code": "code", "data": "data", "docs": "docs", "agreement": "agreements",
    "license": "licenses", "notice": "licenses", "archive": "other", "other": "other",
}
COMPONENT_ORDER = ("model", "code", "data", "docs", "agreements", "licenses", "other")
COMPONENT_TITLES = {
    "model": "Model (weights, config, tokenizer, card)", "code": "Code", "data": "Data",
    "docs": "Documentation", "agreements": "Agreements", "licenses": "License texts and notices",
    "other": "Other files",
}


def base_name(path: str) -> str:
    """The last path segment of a member path (``a.zip!/x/y.txt`` -> ``y.txt``)."""
    return path.rsplit("!/", 1)[-1].rsplit("/", 1)[-1]


def _suffix(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


def role_by_name(path: str, fmt: str = "unknown") -> str:
    """The role a file plays, judged from its name and detected format (before its content)."""
    name = base_name(path)
    lower = name.lower()
    ext = _suffix(name)
    if fmt in ("pdf", "docx") or ext in (".pdf", ".docx"):
        stem = lower.rsplit(".", 1)[0]
        if AGREEMENT_NAME.search(stem):
            return "agreement"
        return "license" if LICENSE_NAME.match(stem) or MODEL_LICENSE_NAME.match(stem) else "docs"
    if MODEL_LICENSE_NAME.match(name) or LICENSE_NAME.match(name):
        return "license"
    if NOTICE_NAME.match(name):
        return "notice"
    if fmt in WEIGHT_LIKE or ".mlpackage/" in path:
        return "weights"
    if lower in TOKENIZER_NAMES or lower.endswith(".tiktoken") or fmt == "sentencepiece":
        return "tokenizer"
    if fmt in ARCHIVE_FORMATS:
        return "archive"
    if ext in CODE_EXT or lower in CODE_NAMES or fmt in ("python", "source"):
        return "code"
    if ext in DATA_EXT:
        return "data"
    if ext in CONFIG_EXT or fmt in ("json", "yaml"):
        return "config"
    if ext in DOC_EXT or fmt in ("markdown", "text") or lower.startswith("readme"):
        return "docs"
    return "other"


def is_model_card(path: str, front_matter: dict[str, Any] | None) -> bool:
    """A README whose YAML front matter names a license, base model or similar card keys."""
    if not base_name(path).lower().startswith("readme") or not front_matter:
        return False
    return any(k in front_matter for k in MODEL_CARD_KEYS)


def keep_bytes(role: str, fmt: str) -> int:
    """How many leading bytes of a file the scanner keeps as text."""
    if role in TEXT_ROLES or fmt == "markdown":
        return TEXT_CAP
    if role == "code":
        return CODE_HEADER_CAP
    return 0


def build_components(files: Iterable[FileEntry]) -> list[Component]:
    """Group files into reviewer components with file counts and byte totals."""
    groups: dict[str, list[FileEntry]] = {}
    for entry in files:
        groups.setdefault(COMPONENT_OF_ROLE.get(entry.role, "other"), []).append(entry)
    return [
        Component(kind=kind, name=COMPONENT_TITLES[kind], files=[f.path for f in groups[kind]],
                  bytes=sum(f.size for f in groups[kind]))
        for kind in COMPONENT_ORDER if kind in groups
    ]


def decode_text(data: bytes, cut: bool = False) -> str:
    """Decode kept bytes as UTF-8 (BOM dropped), falling back to Latin-1 for legacy files.

    ``cut`` says the bytes are a prefix of a longer file, so a last character may be split.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if cut and exc.start >= len(data) - 3:  # a multi-byte character cut by the keep cap
            return data[: exc.start].decode("utf-8")
        return data.decode("latin-1")
