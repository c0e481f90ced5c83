"""Tar archives (plain, gzip, bzip2, xz): listed in order with flat memory, read forward."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import tarfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from desktop.core.intake.entries import ArchiveDamaged, ArchiveEntry
from desktop.core.intake.names import clean_archive_name, link_problem, readable_name
from desktop.core.intake.sniff import SNIFF_BYTES
from desktop.core.results import Problem

_BLOCK = tarfile.BLOCKSIZE
_DAMAGE = (tarfile.TarError, OSError, EOFError, zlib.error, lzma.LZMAError, ValueError, OverflowError,
           MemoryError)
MAX_MEMBER_SIZE = 1 << 50          # a header claiming more (base-256 sizes reach 2**95) is damage
MAX_META_RECORD = 1 << 20          # long-name / pax records are read into memory: at most 1 MiB
_META_TYPES = frozenset({tarfile.GNUTYPE_LONGNAME, tarfile.GNUTYPE_LONGLINK, tarfile.XHDTYPE,
                         tarfile.XGLTYPE, tarfile.SOLARIS_XHDTYPE})


class _BoundedTarInfo(tarfile.TarInfo):
    """A header whose claimed size is checked before tarfile seeks past it or reads it into memory."""

    def _proc_member(self, tarfile_: tarfile.TarFile) -> tarfile.TarInfo:  # type: ignore[override]
        if self.size < 0 or self.size > MAX_MEMBER_SIZE:
            raise tarfile.ReadError(f"a header claims a size of {self.size} bytes")
        if self.type in _META_TYPES and self.size > MAX_META_RECORD:
            raise tarfile.ReadError(f"a long-name or extended header record claims {self.size} bytes "
                                    f"(at most {MAX_META_RECORD} are read)")
        return super()._proc_member(tarfile_)  # type: ignore[misc,no-any-return]


class _Recorder(io.RawIOBase):
    """The decompressed tar stream; remembers the last block read so the end can be judged."""

    def __init__(self, inner: BinaryIO) -> None:
        super().__init__()
        self._inner = inner
        self.last = b""

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        data = self._inner.read(-1 if size is None else size)
        self.last = data[-_BLOCK:] if len(data) <= _BLOCK else b"\x00"
        return data

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self._inner.seek(offset, whence)

    def tell(self) -> int:
        return self._inner.tell()

    def close(self) -> None:
        if not self.closed:
            try:
                self._inner.close()
            finally:
                super().close()


def _decompressing(raw: BinaryIO) -> BinaryIO:
    head = raw.read(6)
    raw.seek(0)
    if head.startswith(b"\x1f\x8b"):
        return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
    if head.startswith(b"BZh"):
        return bz2.BZ2File(raw, "rb")  # type: ignore[return-value]
    if head.startswith(b"\xfd7zXZ\x00"):
        return lzma.LZMAFile(raw, "rb")  # type: ignore[return-value]
    return raw


class TarArchive:
    """A tar file on disk whose entries can be listed once, in archive order."""

    def __init__(self, path: Path, label: str) -> None:
        self.path = path
        self.label = label
        try:
            raw = open(path, "rb")  # noqa: SIM115 - owned by the recorder, closed in close()
        except OSError as exc:
            raise ArchiveDamaged("unreadable", f"{label}: cannot be opened ({exc})") from None
        self._raw = raw
        try:
            self._stream = _Recorder(_decompressing(raw))
            self._tar = tarfile.TarFile(fileobj=self._stream, mode="r",  # type: ignore[arg-type]
                                        encoding="utf-8", errors="surrogateescape",
                                        tarinfo=_BoundedTarInfo)
        except _DAMAGE as exc:
            raw.close()
            raise _damage(label, exc, "cannot be opened as a tar archive") from None

    def close(self) -> None:
        """Release the file handle."""
        self._stream.close()
        self._raw.close()

    def entries(self) -> Iterator[ArchiveEntry]:
        """List the entries; raises ``ArchiveDamaged`` where the archive breaks off."""
        tar = self._tar
        count = 0
        while True:
            try:
                info = tar.next()
            except _DAMAGE as exc:
                raise _damage(self.label, exc, f"is damaged after {count} entries") from None
            if info is None:
                self._check_end(count)
                return
            tar.members.clear()     # tarfile keeps every header; we need none of them
            count += 1
            yield self._entry(count, info)

    def _check_end(self, count: int) -> None:
        last = self._stream.last
        if len(last) == _BLOCK and not last.strip(b"\x00"):
            return
        if len(last) == _BLOCK:
            raise ArchiveDamaged("corrupt-archive", f"{self.label}: a damaged header after {count} entries "
                                                    "ends the listing")
        raise ArchiveDamaged("truncated-archive",
                             f"{self.label}: the archive is cut off after {count} entries")

    def _entry(self, index: int, info: tarfile.TarInfo) -> ArchiveEntry:
        clean = clean_archive_name(info.name)
        path = clean.path or f"(unnamed entry {index})"
        entry = ArchiveEntry(path=path, kind="file", size=max(info.size, 0), problems=clean.problems)
        if not clean.path:
            entry.problems.append(Problem("empty-name", f"{path}: the member has an empty name"))
        if info.isdir():
            entry.kind = "dir"
        elif info.issym() or info.islnk():
            entry.kind = "symlink" if info.issym() else "hardlink"
            entry.size = 0
            entry.link_target = readable_name(info.linkname)
            entry.problems.append(link_problem(path, entry.link_target, entry.kind))
        elif info.ischr() or info.isblk() or info.isfifo():
            entry.kind = "device" if not info.isfifo() else "other"
            entry.size = 0
            entry.problems.append(Problem("device-file", f"{path}: a device or FIFO entry; skipped"))
        elif not info.isreg():
            entry.kind = "other"
            entry.problems.append(Problem("unsupported-entry",
                                          f"{path}: tar entry type {info.type!r} is not a file; skipped"))
        elif info.issparse():
            entry.open_raw = lambda: self._tar.extractfile(info)  # type: ignore[return-value,arg-type]
        else:
            entry.open_raw = _TarData(self._stream, info.offset_data, info.size).open
        return entry


def _damage(label: str, exc: BaseException, what: str) -> ArchiveDamaged:
    if isinstance(exc, EOFError) or "unexpected end" in str(exc) or "truncated" in str(exc):
        return ArchiveDamaged("truncated-archive", f"{label}: {what}; the archive is truncated ({exc})")
    return ArchiveDamaged("corrupt-archive", f"{label}: {what} ({exc})")


class _TarData:
    """One member's bytes; the first few KiB are kept so a sniff and a re-open cost no rewind."""

    def __init__(self, stream: BinaryIO, offset: int, size: int) -> None:
        self.stream = stream
        self.offset = offset
        self.size = size
        self._head: bytes | None = None

    def head(self) -> bytes:
        if self._head is None:
            self._head = self.read_at(0, min(SNIFF_BYTES, self.size))
        return self._head

    def read_at(self, pos: int, count: int) -> bytes:
        target = self.offset + pos
        if self.stream.tell() != target:
            self.stream.seek(target)
        parts: list[bytes] = []
        while count > 0:
            data = self.stream.read(count)
            if not data:
                break
            parts.append(data)
            count -= len(data)
        return b"".join(parts)

    def open(self) -> BinaryIO:
        return _TarDataReader(self)  # type: ignore[return-value]


class _TarDataReader(io.RawIOBase):
    def __init__(self, data: _TarData) -> None:
        super().__init__()
        self._data = data
        self._pos = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        left = self._data.size - self._pos
        if size is None or size < 0 or size > left:
            size = left
        if size <= 0:
            return b""
        head = self._data.head()
        inside_head = self._pos < len(head)
        chunk = head[self._pos: self._pos + size] if inside_head else self._data.read_at(self._pos, size)
        self._pos += len(chunk)
        return chunk

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)
