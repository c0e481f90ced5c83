"""Member names: archive suffixes, undecodable bytes and unsafe archive paths."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field

from desktop.core.results import Problem

ARCHIVE_SUFFIXES = (".zip", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tbz", ".tar.xz", ".txz")

# Zip- or tar-based formats that are files to read, not bundles to open.
NOT_ARCHIVE_SUFFIXES = frozenset({
    ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp", ".epub",
    ".jar", ".whl", ".egg", ".apk", ".aar", ".ipa", ".xpi", ".vsix", ".nupkg",
    ".keras", ".pt", ".pth", ".ckpt", ".bin", ".npz", ".npy", ".nemo", ".mar", ".pkl", ".pickle",
    ".joblib", ".onnx", ".h5", ".safetensors", ".gguf", ".tflite", ".mlmodel", ".msgpack",
})

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_DRIVE = re.compile(r"^[A-Za-z]:")


def is_archive_name(name: str) -> bool:
    """True when ``name`` ends like a bundle intake opens (.zip, .tar, .tar.gz, .tgz, ...)."""
    lowered = name.lower()
    return lowered.endswith(ARCHIVE_SUFFIXES)


def is_never_archive_name(name: str) -> bool:
    """True when ``name`` ends like a zip- or tar-based file format that is read as one file."""
    base = name.rsplit("/", 1)[-1].lower()
    dot = base.rfind(".")
    return dot > 0 and base[dot:] in NOT_ARCHIVE_SUFFIXES


def has_surrogates(text: str) -> bool:
    """True when ``text`` holds undecoded bytes (lone surrogates from ``surrogateescape``)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def readable_name(text: str) -> str:
    """``text`` with undecodable bytes shown as U+FFFD, for display in paths and messages."""
    if not has_surrogates(text):
        return text
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")


@dataclass
class CleanName:
    """A member name made relative with ``/`` separators, with what was wrong with it."""

    path: str
    is_dir: bool
    problems: list[Problem] = field(default_factory=list)


def decode_archive_name(raw: bytes, utf8_flag: bool) -> tuple[str, bool]:
    """Decode a zip name: UTF-8 when flagged or valid, else CP437; returns (text, undecodable)."""
    try:
        return raw.decode("utf-8"), False
    except UnicodeDecodeError:
        if utf8_flag:
            return raw.decode("utf-8", "replace"), True
        return raw.decode("cp437"), False


def clean_archive_name(name: str, undecodable: bool = False) -> CleanName:
    """Turn an archive member name into a safe relative display path and flag what is unsafe.

    Leading ``/`` and drive letters are dropped (``absolute-path``), backslashes become ``/``
    (``backslash-path``), ``.`` and empty parts are dropped, ``..`` parts are kept visible
    (``path-traversal``), control characters and undecodable bytes become U+FFFD.
    """
    problems: list[Problem] = []
    shown = repr(readable_name(name))
    if undecodable or has_surrogates(name):
        name = readable_name(name)
        problems.append(Problem("undecodable-name",
                                f"{name}: the member name is not valid UTF-8; bad bytes are shown as \ufffd"))
    if _CONTROL.search(name):
        name = _CONTROL.sub("\ufffd", name)
        problems.append(Problem("control-character-name",
                                f"{name}: the member name {shown} contains control characters"))
    is_dir = name.endswith(("/", "\\"))
    text = name
    if "\\" in text:
        text = text.replace("\\", "/")
        problems.append(Problem("backslash-path",
                                f"{text}: the member name {shown} uses backslashes as separators"))
    if _DRIVE.match(text) or text.startswith("/"):
        text = _DRIVE.sub("", text).lstrip("/")
        problems.append(Problem("absolute-path",
                                f"{text}: the member name {shown} is an absolute path; "
                                "it is never extracted"))
    parts = [p for p in text.split("/") if p not in ("", ".")]
    path = "/".join(parts)
    if ".." in parts:
        problems.append(Problem("path-traversal",
                                f"{path}: the member name {shown} climbs out of the archive with '..'; "
                                "it is never extracted"))
    return CleanName(path=path, is_dir=is_dir, problems=problems)


def link_problem(path: str, target: str, kind: str = "symlink", outside: bool | None = None) -> Problem:
    """The problem recorded for a link member: ``symlink-outside`` when it points out of the delivery.

    ``outside`` defaults to a lexical check of ``target`` against the folder of ``path``.
    """
    if kind == "hardlink":
        return Problem("hardlink", f"{path}: hard link to {target!r}; it is recorded, never followed")
    if link_escapes(path, target) if outside is None else outside:
        return Problem("symlink-outside", f"{path}: symbolic link to {target!r}, outside the delivery; "
                                          "it is recorded, never followed")
    return Problem("symlink", f"{path}: symbolic link to {target!r}; it is recorded, never followed")


def link_escapes(path: str, target: str) -> bool:
    """True when ``target``, read relative to the folder of ``path``, leaves the delivery root."""
    target = target.replace("\\", "/")
    if not target or target.startswith("/") or _DRIVE.match(target):
        return True
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
    return joined == ".." or joined.startswith("../")
