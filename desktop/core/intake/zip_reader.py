"""Zip archives: our own streaming central-directory reader, zipfile for decompression.

The central directory is read entry by entry (memory stays flat however many entries a
hostile archive declares); each member is decompressed by ``zipfile.ZipExtFile``, which
checks the CRC-32 at the end.
"""

from __future__ import annotations

import io
import stat
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from desktop.core.intake.entries import ArchiveDamaged, ArchiveEntry
from desktop.core.intake.names import (
    clean_archive_name,
    decode_archive_name,
    link_problem,
    readable_name,
)
from desktop.core.results import Problem

_EOCD = struct.Struct("<4s4H2LH")
_EOCD64_LOCATOR = struct.Struct("<4sLQL")
_EOCD64 = struct.Struct("<4sQ2H2L4Q")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_LOCAL_SIZE = 30
_SUPPORTED_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
_MAX_LINK_TARGET = 4096
_UNIX = 3


@dataclass
class _Central:
    raw_name: bytes
    flags: int
    method: int
    crc: int
    packed: int
    size: int
    offset: int
    system: int
    external: int
    unicode_path: bytes | None = None


class ZipArchive:
    """A zip file on disk whose entries can be listed once, in central-directory order."""

    def __init__(self, path: Path, label: str) -> None:
        self.path = path
        self.label = label
        try:
            self._file = open(path, "rb")  # noqa: SIM115 - closed in close()
        except OSError as exc:
            raise ArchiveDamaged("unreadable", f"{label}: cannot be opened ({exc})") from None
        try:
            self._cd_start, self._cd_size, self._concat = self._find_directory()
        except BaseException:
            self._file.close()
            raise

    def close(self) -> None:
        """Release the file handle."""
        self._file.close()

    def _find_directory(self) -> tuple[int, int, int]:
        f = self._file
        f.seek(0, io.SEEK_END)
        file_size = f.tell()
        tail_size = min(file_size, _EOCD.size + 0xFFFF)
        f.seek(file_size - tail_size)
        tail = f.read(tail_size)
        f.seek(0)
        starts_like_zip = f.read(4) == b"PK\x03\x04"
        found = tail.rfind(b"PK\x05\x06")
        while found >= 0 and len(tail) - found < _EOCD.size:
            found = tail.rfind(b"PK\x05\x06", 0, found)
        if found < 0:
            if starts_like_zip:
                raise ArchiveDamaged("truncated-archive",
                                     f"{self.label}: the zip has no central directory; it looks truncated")
            raise ArchiveDamaged("corrupt-archive", f"{self.label}: not a zip file (no central directory)")
        eocd_pos = file_size - tail_size + found
        cd_size, cd_offset = _EOCD.unpack_from(tail, found)[5:7]
        directory_end = eocd_pos
        locator = eocd_pos - _EOCD64_LOCATOR.size
        has_locator = locator >= 0 and self._at(locator, 4) == b"PK\x06\x07"
        if cd_size == 0xFFFFFFFF or cd_offset == 0xFFFFFFFF or has_locator:
            # zip64 (also when only the entry count overflowed: zipfile writes 0xFFFF entries then)
            cd_size, cd_offset, directory_end = self._zip64_directory(eocd_pos)
        concat = directory_end - cd_size - cd_offset
        if concat < 0 or cd_offset + concat > file_size:
            raise ArchiveDamaged("corrupt-archive",
                                 f"{self.label}: the end record points outside the file; the zip is damaged")
        return cd_offset + concat, cd_size, concat

    def _at(self, pos: int, n: int) -> bytes:
        self._file.seek(pos)
        data = self._file.read(n)
        self._file.seek(0)
        return data

    def _zip64_directory(self, eocd_pos: int) -> tuple[int, int, int]:
        f = self._file
        locator_pos = eocd_pos - _EOCD64_LOCATOR.size
        record_pos = locator_pos - _EOCD64.size
        if record_pos < 0:
            raise ArchiveDamaged("corrupt-archive", f"{self.label}: the zip64 end record is missing")
        f.seek(record_pos)
        data = f.read(_EOCD64.size + _EOCD64_LOCATOR.size)
        if len(data) < _EOCD64.size or data[:4] != b"PK\x06\x06":
            raise ArchiveDamaged("corrupt-archive", f"{self.label}: the zip64 end record is damaged")
        fields = _EOCD64.unpack_from(data, 0)
        return fields[8], fields[9], record_pos

    def entries(self) -> Iterator[ArchiveEntry]:
        """List the entries; raises ``ArchiveDamaged`` where the central directory breaks off."""
        for index, central in enumerate(self._central_entries()):
            yield self._entry(index, central)

    def _central_entries(self) -> Iterator[_Central]:
        f = self._file
        offset, end = self._cd_start, self._cd_start + self._cd_size
        count = 0
        while offset < end:
            f.seek(offset)
            head = f.read(_CENTRAL.size)
            if len(head) < _CENTRAL.size:
                raise ArchiveDamaged("truncated-archive", f"{self.label}: the central directory is cut off "
                                                         f"after {count} entries")
            fields = _CENTRAL.unpack(head)
            if fields[0] != b"PK\x01\x02":
                raise ArchiveDamaged("corrupt-archive", f"{self.label}: the central directory is damaged "
                                                        f"after {count} entries")
            n_name, n_extra, n_comment = fields[12], fields[13], fields[14]
            raw_name = f.read(n_name)
            extra = f.read(n_extra)
            if len(raw_name) < n_name or len(extra) < n_extra:
                raise ArchiveDamaged("truncated-archive", f"{self.label}: the central directory is cut off "
                                                          f"after {count} entries")
            packed, size, local = _zip64_sizes(extra, fields[10], fields[11], fields[18])
            yield _Central(raw_name=raw_name, flags=fields[5], method=fields[6], crc=fields[9],
                           packed=packed, size=size, offset=local, system=fields[2], external=fields[17],
                           unicode_path=_unicode_path(extra))
            count += 1
            offset += _CENTRAL.size + n_name + n_extra + n_comment

    def _entry(self, index: int, central: _Central) -> ArchiveEntry:
        text, undecodable = decode_archive_name(central.raw_name, bool(central.flags & 0x800))
        clean = clean_archive_name(text, undecodable)
        path = clean.path or f"(unnamed entry {index + 1})"
        entry = ArchiveEntry(path=path, kind="file", size=central.size, problems=clean.problems,
                             packed_size=central.packed)
        if not clean.path:
            entry.problems.append(Problem("empty-name", f"{path}: the member has an empty name"))
        if b"\x00" in central.raw_name:
            cut = readable_name(central.raw_name.split(b"\x00", 1)[0].decode("utf-8", "replace"))
            entry.problems.append(Problem("nul-in-name", f"{path}: the name holds a NUL byte; extraction "
                                                         f"tools cut it there and write {cut}"))
        if central.unicode_path is not None:
            alt = readable_name(central.unicode_path.decode("utf-8", "replace"))
            if alt != text:
                entry.problems.append(Problem("unicode-path-name", f"{path}: an Info-ZIP Unicode Path field "
                                                                   f"names it {alt}; unzip extracts it under "
                                                                   "that name"))
        mode = central.external >> 16 if central.system == _UNIX else 0
        if clean.is_dir or stat.S_ISDIR(mode):
            entry.kind = "dir"
            return entry
        if central.flags & 0x41:
            entry.problems.append(Problem("encrypted", f"{path}: the member is encrypted; its content "
                                                       "cannot be read or hashed"))
            return entry
        if central.method not in _SUPPORTED_METHODS:
            entry.problems.append(Problem("unsupported-compression",
                                          f"{path}: compression method {central.method} is not supported; "
                                          "its content cannot be read"))
            return entry
        opener = _MemberOpener(self.path, central, self._concat)
        if stat.S_ISLNK(mode):
            entry.kind = "symlink"
            entry.link_target = _read_link_target(opener, entry)
            entry.problems.append(link_problem(path, entry.link_target))
        elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
            entry.kind = "device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "other"
            entry.problems.append(Problem("device-file", f"{path}: a device or special file entry; skipped"))
        else:
            entry.open_raw = opener
        return entry


def _unicode_path(extra: bytes) -> bytes | None:
    """The name in an Info-ZIP Unicode Path extra field (0x7075), if the member has one."""
    pos = 0
    while pos + 4 <= len(extra):
        tag, length = struct.unpack_from("<2H", extra, pos)
        if tag == 0x7075 and length >= 5:
            return extra[pos + 9: pos + 4 + length]
        pos += 4 + length
    return None


def _zip64_sizes(extra: bytes, packed: int, size: int, offset: int) -> tuple[int, int, int]:
    """Replace 0xFFFFFFFF fields with their zip64 extra values, in the order the spec gives."""
    if 0xFFFFFFFF not in (packed, size, offset):
        return packed, size, offset
    pos = 0
    while pos + 4 <= len(extra):
        tag, length = struct.unpack_from("<2H", extra, pos)
        body = extra[pos + 4: pos + 4 + length]
        if tag == 0x0001:
            values = [v[0] for v in struct.iter_unpack("<Q", body[: len(body) // 8 * 8])]
            if size == 0xFFFFFFFF and values:
                size = values.pop(0)
            if packed == 0xFFFFFFFF and values:
                packed = values.pop(0)
            if offset == 0xFFFFFFFF and values:
                offset = values.pop(0)
            break
        pos += 4 + length
    return packed, size, offset


class _MemberOpener:
    """Opens a fresh decompressing stream of one member (a new file handle each time)."""

    def __init__(self, path: Path, central: _Central, concat: int) -> None:
        self._path = path
        self._central = central
        self._concat = concat

    def __call__(self) -> BinaryIO:
        central = self._central
        f = open(self._path, "rb")  # noqa: SIM115 - owned by the returned stream
        try:
            f.seek(central.offset + self._concat)
            head = f.read(_LOCAL_SIZE)
            if len(head) < _LOCAL_SIZE or head[:4] != b"PK\x03\x04":
                raise zipfile.BadZipFile("the local header is missing or damaged")
            n_name, n_extra = struct.unpack_from("<2H", head, 26)
            if f.read(n_name) != central.raw_name:
                raise zipfile.BadZipFile("the local header names a different file than the central directory")
            f.seek(n_extra, io.SEEK_CUR)
            info = zipfile.ZipInfo("member")
            info.compress_type = central.method
            info.compress_size = central.packed
            info.file_size = central.size
            info.CRC = central.crc
            info.flag_bits = central.flags
            return zipfile.ZipExtFile(f, "rb", info, None, True)  # type: ignore[return-value]
        except BaseException:
            f.close()
            raise


def _read_link_target(opener: _MemberOpener, entry: ArchiveEntry) -> str:
    """The stored target of a zip symlink (its content), bounded; never followed."""
    try:
        with opener() as stream:
            data = stream.read(_MAX_LINK_TARGET)
    except Exception as exc:  # a damaged link entry is reported, not fatal
        entry.problems.append(Problem("corrupt-archive",
                                      f"{entry.path}: the link target cannot be read ({exc})"))
        return ""
    return readable_name(data.decode("utf-8", "surrogateescape"))
