"""Streams that enforce the intake limits while a member is read."""

from __future__ import annotations

import io
import lzma
import os
import stat
import tarfile
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO

from desktop.core.intake.base import LimitExceeded, Limits

MAX_READ = 16 << 20        # one read() call returns at most this much, whatever was asked


class Budget:
    """Expanded bytes over the whole delivery, against ``limits.max_total_bytes``."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.expanded = 0
        self.exceeded = False

    def add(self, count: int) -> None:
        """Count ``count`` newly expanded bytes; raise ``size-limit`` past the total."""
        self.expanded += count
        if self.expanded > self.limits.max_total_bytes:
            self.exceeded = True
            raise LimitExceeded("size-limit", f"the delivery expanded past its limit of "
                                              f"{self.limits.max_total_bytes:,} bytes")


class ArchiveMeter:
    """Expanded bytes of one archive (and of the archives inside it) against its size on disk."""

    def __init__(self, label: str, packed_size: int, limits: Limits,
                 parent: ArchiveMeter | None = None) -> None:
        self.label = label
        self.packed_size = max(packed_size, 1)
        self.limits = limits
        self.parent = parent
        self.expanded = 0
        self.tripped = False

    def chain(self) -> list[ArchiveMeter]:
        """This meter and the meters of the archives that contain it."""
        meters: list[ArchiveMeter] = []
        meter: ArchiveMeter | None = self
        while meter is not None:
            meters.append(meter)
            meter = meter.parent
        return meters

    def add(self, count: int) -> None:
        """Count expanded bytes here and in every enclosing archive; raise ``ratio-limit`` when over."""
        over: ArchiveMeter | None = None
        for meter in self.chain():
            meter.expanded += count
            if over is None and ratio_exceeded(meter.expanded, meter.packed_size, meter.limits):
                meter.tripped = True
                over = meter
        if over is not None:
            raise LimitExceeded("ratio-limit", f"{over.label} expanded to {over.expanded:,} bytes from "
                                               f"{over.packed_size:,} bytes, past the "
                                               f"{over.limits.max_ratio:g}:1 limit")

    @property
    def stopped(self) -> bool:
        """True once this archive or one containing it went past the ratio limit."""
        return any(m.tripped for m in self.chain())


def ratio_exceeded(expanded: int, packed: int, limits: Limits) -> bool:
    """The bomb rule: past the grace bytes, expanded may not exceed ``max_ratio`` x packed."""
    return expanded > limits.ratio_grace_bytes and expanded > limits.max_ratio * max(packed, 1)


class Tally:
    """The furthest any stream of one member has read, so re-reads are not counted twice."""

    def __init__(self) -> None:
        self.high = 0


class MeteredReader(io.RawIOBase):
    """A read-only stream over a member's content that enforces sizes, ratios and the total.

    ``declared`` is the size the header claims: more bytes raise ``size-mismatch``, fewer
    raise ``truncated-archive`` (``changed-while-reading`` for local files).
    ``packed_size`` (zip members) adds a per-member ratio check.
    """

    def __init__(self, source: BinaryIO, *, declared: int, tally: Tally, limits: Limits,
                 budget: Budget | None = None, meter: ArchiveMeter | None = None,
                 packed_size: int | None = None, local: bool = False) -> None:
        super().__init__()
        self._source = source
        self._declared = declared
        self._tally = tally
        self._limits = limits
        self._budget = budget
        self._meter = meter
        self._packed = packed_size
        self._local = local
        self._pos = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def read(self, size: int | None = -1) -> bytes:
        """Read up to ``size`` bytes (at most 16 MiB per call); ``-1`` reads to the end."""
        if size is None or size < 0:
            return self.readall()
        size = min(size, MAX_READ)
        chunks: list[bytes] = []
        wanted = size
        while wanted > 0:
            data = self._read_source(wanted)
            if not data:
                break
            chunks.append(data)
            wanted -= len(data)
        data = b"".join(chunks)
        self._account(len(data), at_end=size > 0 and not data)
        return data

    def readall(self) -> bytes:
        parts = []
        while data := self.read(1 << 20):
            parts.append(data)
        return b"".join(parts)

    def close(self) -> None:
        if not self.closed:
            try:
                self._source.close()
            finally:
                super().close()

    def _read_source(self, size: int) -> bytes:
        if self._local:
            return self._source.read(size)
        try:
            return self._source.read(size)
        except Exception as exc:
            mapped = archive_error(exc)
            if mapped is None:
                raise
            raise mapped from None

    def _account(self, count: int, at_end: bool) -> None:
        self._pos += count
        if self._pos > self._declared:
            code = "changed-while-reading" if self._local else "size-mismatch"
            raise LimitExceeded(code, f"holds more than the {self._declared:,} bytes its header declares")
        if at_end and self._pos < self._declared:
            code = "changed-while-reading" if self._local else "truncated-archive"
            raise LimitExceeded(code, f"ended after {self._pos:,} of its {self._declared:,} bytes")
        fresh = self._pos - self._tally.high
        if fresh <= 0:
            return
        self._tally.high = self._pos
        if self._budget is not None:
            self._budget.add(fresh)
        if self._meter is not None:
            self._meter.add(fresh)
        if self._packed is not None and ratio_exceeded(self._pos, self._packed, self._limits):
            raise LimitExceeded("ratio-limit",
                                f"expanded to {self._pos:,} bytes from {self._packed:,} compressed bytes, "
                                f"past the {self._limits.max_ratio:g}:1 limit")


def archive_error(exc: BaseException) -> LimitExceeded | None:
    """The ``LimitExceeded`` a decompression or archive error stands for, or None for real I/O errors."""
    if isinstance(exc, LimitExceeded):
        return exc
    if isinstance(exc, zipfile.BadZipFile):
        return LimitExceeded("corrupt-archive", f"is damaged in its archive ({exc})")
    if isinstance(exc, EOFError):
        return LimitExceeded("truncated-archive", f"ends early: its archive is truncated ({exc})")
    if isinstance(exc, zlib.error | lzma.LZMAError | tarfile.TarError):
        return LimitExceeded("corrupt-archive", f"cannot be decompressed ({exc})")
    if isinstance(exc, NotImplementedError):
        return LimitExceeded("unsupported-compression", f"uses an unsupported compression method ({exc})")
    if isinstance(exc, OSError) and exc.errno is None:   # gzip/bz2 data errors carry no errno
        return LimitExceeded("corrupt-archive", f"cannot be decompressed ({exc})")
    return None


def read_head(path: Path, size: int) -> bytes:
    """The first ``size`` bytes of a regular file (no symlink followed, no FIFO blocking)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    flags |= getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path} is not a regular file")
        return os.read(fd, size) if size > 0 else b""
    finally:
        os.close(fd)


def open_regular_file(path: Path) -> BinaryIO:
    """Open a regular file for reading without following a symlink or blocking on a FIFO."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    flags |= getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path} is not a regular file")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
