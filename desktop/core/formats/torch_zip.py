"""Pickle scans inside containers: PyTorch zip checkpoints and NumPy ``.npy``/``.npz`` object arrays."""

from __future__ import annotations

import ast
import posixpath
import re
import struct
import zipfile
import zlib
from typing import Any, BinaryIO

from desktop.core.formats.pickle_scan import (
    UNVERIFIED_CODES,
    PickleFindings,
    findings_metadata,
    findings_problems,
    scan_pickles,
)
from desktop.core.formats.streams import short
from desktop.core.results import FormatInfo, Problem

MAX_MEMBERS = 100_000
MAX_PICKLE_MEMBERS = 200
MAX_PICKLE_BYTES = 1 << 30
MAX_NPY_HEADER = 64 * 1024
NPY_MAGIC = b"\x93NUMPY"
ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, zlib.error,
               NotImplementedError, RuntimeError, ValueError, KeyError, struct.error)


def _open_zip(stream: BinaryIO, name: str, code: str, info: FormatInfo) -> zipfile.ZipFile | None:
    try:
        return zipfile.ZipFile(stream)
    except ZIP_ERRORS as exc:
        info.problems.append(Problem(code, f"{name}: not a readable zip archive ({short(str(exc))})"))
        return None


def _open_unchecked(zf: zipfile.ZipFile, member: zipfile.ZipInfo) -> BinaryIO:
    """Open a member without the CRC check: torch and numpy read a member whose CRC is wrong."""
    handle = zf.open(member)
    if hasattr(handle, "_expected_crc"):
        handle._expected_crc = None
    return handle


def _scan_member(zf: zipfile.ZipFile, member: zipfile.ZipInfo, findings: PickleFindings,
                 label: str, code: str, problems: list[Problem]) -> PickleFindings | None:
    if member.flag_bits & 0x1:
        findings.note(f"{member.filename}: member is encrypted and cannot be scanned")
        problems.append(Problem(code, f"{label}: member is encrypted and cannot be scanned (unverified)"))
        return None
    if member.file_size > MAX_PICKLE_BYTES:
        findings.note(f"{member.filename}: larger than the 1 GiB scan limit")
        problems.append(Problem(code, f"{label}: pickle of {member.file_size} bytes is larger than the "
                                      "1 GiB scan limit and was not scanned (unverified)"))
        return None
    try:
        with _open_unchecked(zf, member) as handle:
            found = scan_pickles(handle, member.file_size)
    except ZIP_ERRORS as exc:
        findings.note(f"{member.filename}: cannot be read")
        problems.append(Problem(code, f"{label}: member cannot be read ({short(str(exc))}; unverified)"))
        return None
    findings.merge(found)
    return found


def _zip_unverified(info: FormatInfo, reason: str) -> None:
    info.metadata.update({"verdict": "unverified", "unverified_reasons": [reason]})


def read_pytorch_zip(stream: BinaryIO, size: int, name: str) -> FormatInfo:
    """Scan every ``*.pkl`` member of a ``torch.save`` zip and report its layout."""
    code = "pytorch-zip-broken"
    info = FormatInfo(format="pytorch-zip")
    zf = _open_zip(stream, name, code, info)
    if zf is None:
        _zip_unverified(info, "not a readable zip archive")
        return info
    with zf:
        listed = zf.infolist()
        members = listed[:MAX_MEMBERS]
        # torch.load unpickles <root>/data.pkl; other loaders any *.pkl: every copy, any casing.
        pickles = [m for m in members if m.filename.lower().endswith(".pkl") and not m.is_dir()]
        data_pkl = next((m for m in pickles if posixpath.basename(m.filename) == "data.pkl"), None)
        root = data_pkl.filename.rsplit("/", 1)[0] if data_pkl and "/" in data_pkl.filename else ""
        prefix = f"{root}/data/" if root else "data/"
        findings = PickleFindings()
        problems: list[Problem] = []
        for member in pickles[:MAX_PICKLE_MEMBERS]:
            label = f"{name}!/{member.filename}"
            found = _scan_member(zf, member, findings, label, code, problems)
            if found is not None:
                problems.extend(p for p in findings_problems(found, label) if p.code in UNVERIFIED_CODES)
        if len(listed) > MAX_MEMBERS:
            findings.note(f"more than {MAX_MEMBERS} members; the rest were not looked at")
            problems.append(Problem("pickle-scan-limit", f"{name}: more than {MAX_MEMBERS} members; "
                                    "the rest were not looked at (unverified)"))
        if len(pickles) > MAX_PICKLE_MEMBERS:
            findings.note(f"only the first {MAX_PICKLE_MEMBERS} of {len(pickles)} pickles were scanned")
        if not pickles:
            findings.note("no pickle member was found, so the loader's layout is unknown")
        info.metadata = {
            "archive_root": root,
            "pickles": [m.filename for m in pickles[:MAX_PICKLE_MEMBERS]],
            "storages": sum(1 for m in members if m.filename.startswith(prefix) and not m.is_dir()),
            "members": len(members),
            **findings_metadata(findings),
        }
        info.problems.extend(p for p in findings_problems(findings, name) if p.code not in UNVERIFIED_CODES)
        info.problems.extend(problems)
        if data_pkl is None:
            info.problems.append(Problem("pytorch-layout", f"{name}: no data.pkl member, so this is not "
                                                           "a torch.save checkpoint"))
        if len(pickles) > MAX_PICKLE_MEMBERS:
            info.problems.append(Problem("pickle-scan-limit", f"{name}: only the first "
                                         f"{MAX_PICKLE_MEMBERS} of {len(pickles)} pickles were scanned"))
    return info


_PLAIN_DTYPE = re.compile(r"[<>|=]?(?:[?bBhHiIlLqQnNpPefdgFDG]|[biufc]\d{1,2}|[SUVa]\d{0,12}"
                          r"|[mM]8(?:\[\d*\w{1,3}\])?)")


def _has_object(descr: Any) -> bool:
    """False only for a descr made of plain (non-object) types; anything odd counts as object."""
    if isinstance(descr, str):
        parts = descr.split(",")
        return not all(_PLAIN_DTYPE.fullmatch(p.strip()) for p in parts)
    if isinstance(descr, tuple):                 # (base, shape) subarray
        return len(descr) != 2 or _has_object(descr[0]) or not isinstance(descr[1], int | tuple)
    if isinstance(descr, list) and descr:
        for f in descr:
            if not isinstance(f, tuple | list) or len(f) not in (2, 3):
                return True
            if not isinstance(f[0], str | tuple) or _has_object(f[1]):
                return True
            if len(f) == 3 and not isinstance(f[2], int | tuple):
                return True
        return False
    return True


def _npy_header(handle: BinaryIO) -> dict[str, Any]:
    """Parse a ``.npy`` header (the stream is left at the start of the data); raise ValueError."""
    magic = handle.read(8)
    if len(magic) < 8 or not magic.startswith(NPY_MAGIC):
        raise ValueError("missing the \\x93NUMPY magic")
    major = magic[6]
    if major not in (1, 2, 3):
        raise ValueError(f"unsupported .npy version {major}")
    width = "<H" if major == 1 else "<I"
    raw_len = handle.read(struct.calcsize(width))
    (length,) = struct.unpack(width, raw_len)
    if length > MAX_NPY_HEADER:
        raise ValueError(f"header of {length} bytes exceeds the {MAX_NPY_HEADER}-byte cap")
    raw = handle.read(length)
    if len(raw) != length:
        raise ValueError("header is truncated")
    try:
        header = ast.literal_eval(raw.decode("utf-8" if major == 3 else "latin-1"))
    except (SyntaxError, ValueError, MemoryError, RecursionError, TypeError) as exc:
        raise ValueError(f"header is not a Python literal ({short(str(exc))})") from None
    if not isinstance(header, dict) or "descr" not in header or "shape" not in header:
        raise ValueError("header lacks descr/shape")
    return {"npy_version": major, "descr": short(str(header["descr"]), 200),
            "shape": short(str(header["shape"]), 200), "object": _has_object(header["descr"])}


def _scan_npy(handle: BinaryIO, size: int, label: str, findings: PickleFindings,
              problems: list[Problem]) -> dict[str, Any] | None:
    try:
        header = _npy_header(handle)
    except (ValueError, struct.error) as exc:
        problems.append(Problem("numpy-corrupt", f"{label}: not a valid .npy array ({exc})"))
        findings.note(f"{label}: not a valid .npy array, so whether numpy.load unpickles it is unknown")
        return None
    if header["object"]:
        found = scan_pickles(handle, max(0, size))
        findings.merge(found)
        problems.extend(p for p in findings_problems(found, label) if p.code in UNVERIFIED_CODES)
    return header


def read_numpy(stream: BinaryIO, size: int, name: str) -> FormatInfo:
    """``.npy``: shape and dtype; ``.npz``: array counts; object arrays get a pickle scan."""
    info = FormatInfo(format="numpy")
    findings = PickleFindings()
    problems: list[Problem] = []
    head = stream.read(4)
    stream.seek(0)
    if head.startswith(NPY_MAGIC[:4]):
        header = _scan_npy(stream, size, name, findings, problems)
        if header is not None:
            info.metadata.update(header)
    else:
        zf = _open_zip(stream, name, "numpy-corrupt", info)
        if zf is None:
            _zip_unverified(info, "not a readable zip archive")
            return info
        with zf:
            # numpy.load reads any member that starts with the .npy magic, whatever its name.
            arrays = []
            for member in zf.infolist()[:MAX_MEMBERS]:
                if member.is_dir():
                    continue
                if member.filename.lower().endswith(".npy"):
                    arrays.append(member)
                    continue
                try:
                    with _open_unchecked(zf, member) as handle:
                        if handle.read(6) == NPY_MAGIC:
                            arrays.append(member)
                except ZIP_ERRORS:
                    findings.note(f"{member.filename}: member cannot be read")
            objects = 0
            for member in arrays[:MAX_PICKLE_MEMBERS]:
                label = f"{name}!/{member.filename}"
                try:
                    with _open_unchecked(zf, member) as handle:
                        header = _scan_npy(handle, member.file_size, label, findings, problems)
                except ZIP_ERRORS as exc:
                    problems.append(Problem("numpy-corrupt", f"{label}: cannot be read ({short(str(exc))})"))
                    findings.note(f"{label}: member cannot be read")
                    continue
                objects += bool(header and header["object"])
            if len(arrays) > MAX_PICKLE_MEMBERS:
                findings.note(f"only the first {MAX_PICKLE_MEMBERS} of {len(arrays)} arrays were scanned")
            info.metadata.update({"arrays": len(arrays), "object_arrays": objects})
    if findings.globals:
        info.metadata.update(findings_metadata(findings))
    else:
        meta = findings_metadata(findings)
        info.metadata.update({"verdict": meta["verdict"], "unverified_reasons": meta["unverified_reasons"]})
    info.problems.extend(p for p in findings_problems(findings, name) if p.code not in UNVERIFIED_CODES)
    info.problems.extend(problems)
    return info
