"""Compressed pickle streams (joblib's gzip/zlib/bz2/xz/lzma files), read forward within a cap."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import zlib
from typing import Any, BinaryIO

MAX_DECOMPRESSED = 4 << 30       # a compressed pickle stream is read up to this many bytes


class _Decompressed(io.RawIOBase):
    """A decompressing reader that refuses to produce more than ``cap`` bytes."""

    def __init__(self, inner: BinaryIO, cap: int) -> None:
        super().__init__()
        self._inner, self._left = inner, cap

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        want = self._left + 1 if size is None or size < 0 else min(size, self._left + 1)
        data = self._inner.read(want)
        self._left -= len(data)
        if self._left < 0:
            raise ValueError(f"decompresses to more than {MAX_DECOMPRESSED >> 30} GiB")
        return data


class _ZlibReader(io.RawIOBase):
    """A raw zlib stream (joblib's ``zlib`` compressor) read forward."""

    def __init__(self, inner: BinaryIO) -> None:
        super().__init__()
        self._inner, self._d, self._pending = inner, zlib.decompressobj(), b""

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        size = 1 << 20 if size is None or size < 0 else size
        while len(self._pending) < size and not self._d.eof:
            chunk = self._d.unconsumed_tail or self._inner.read(1 << 16)
            if not chunk:
                break
            self._pending += self._d.decompress(chunk, size)
        out, self._pending = self._pending[:size], self._pending[size:]
        return out


def compression_of(head: bytes) -> str | None:
    """``gzip``, ``bz2``, ``xz``, ``lzma`` or ``zlib`` from a stream's first bytes, else None."""
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head.startswith(b"BZh"):
        return "bz2"
    if head.startswith(b"\xfd7zXZ\x00"):
        return "xz"
    if head.startswith(b"]\x00\x00"):
        return "lzma"
    if len(head) >= 2 and head[0] & 0x0F == 8 and head[0] >> 4 <= 7 and (head[0] << 8 | head[1]) % 31 == 0:
        return "zlib"
    return None


def decompressed_head(head: bytes, n: int = 8192) -> bytes:
    """The first ``n`` decompressed bytes of a compressed head (b"" when it is not one)."""
    kind = compression_of(head)
    try:
        if kind == "gzip":
            return zlib.decompressobj(wbits=31).decompress(head, n)
        if kind == "zlib":
            return zlib.decompressobj().decompress(head, n)
        if kind == "bz2":
            return bz2.BZ2Decompressor().decompress(head, n)
        if kind in ("xz", "lzma"):
            return lzma.LZMADecompressor().decompress(head, n)
    except (zlib.error, OSError, EOFError, lzma.LZMAError, ValueError):
        return b""
    return b""


def open_decompressed(stream: BinaryIO, kind: str) -> BinaryIO:
    """A forward reader of the decompressed stream, refusing more than ``MAX_DECOMPRESSED`` bytes."""
    inner: Any
    if kind == "gzip":
        inner = gzip.GzipFile(fileobj=stream, mode="rb")
    elif kind == "bz2":
        inner = bz2.BZ2File(stream, "rb")
    elif kind in ("xz", "lzma"):
        inner = lzma.LZMAFile(stream, "rb")
    else:
        inner = _ZlibReader(stream)
    return _Decompressed(inner, MAX_DECOMPRESSED)  # type: ignore[return-value]


class Prefixed(io.RawIOBase):
    """``prefix`` followed by the rest of ``inner`` (the bytes already read are put back)."""

    def __init__(self, prefix: bytes, inner: BinaryIO) -> None:
        super().__init__()
        self._prefix, self._inner = prefix, inner

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._prefix:
            n = min(len(buffer), len(self._prefix))
            buffer[:n] = self._prefix[:n]
            self._prefix = self._prefix[n:]
            return n
        data = self._inner.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)
