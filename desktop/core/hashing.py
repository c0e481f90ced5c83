"""Streaming SHA-256: read a stream once, hash every byte, keep what later steps need."""

from __future__ import annotations

import hashlib
import threading
from typing import BinaryIO

from desktop.core.jobs import CancelToken

CHUNK = 1 << 20  # 1 MiB: large enough for full hash speed, small enough to cancel quickly
_buffers = threading.local()  # one read buffer per thread, reused for every file


def _thread_buffer() -> bytearray:
    buf: bytearray | None = getattr(_buffers, "buf", None)
    if buf is None:
        buf = _buffers.buf = bytearray(CHUNK)
    return buf


class HashingReader:
    """A read-only stream wrapper that hashes everything read through it.

    Readers of file headers call :meth:`read` (and :meth:`peek` for magic bytes); the
    scanner then calls :meth:`drain` to hash the rest.  Up to ``keep`` leading bytes are
    kept for text extraction.  ``on_bytes`` is called with the size of each chunk read.
    """

    def __init__(self, raw: BinaryIO, cancel: CancelToken | None = None, keep: int = 0,
                 on_bytes: object = None) -> None:
        self._raw = raw
        self._cancel = cancel
        self._hash = hashlib.sha256()
        self._pushback = b""
        self._kept = bytearray()
        self.keep = keep
        self.count = 0
        self._on_bytes = on_bytes

    def _account(self, data: bytes | memoryview) -> None:
        self._hash.update(data)
        self.count += len(data)
        if len(self._kept) < self.keep:
            self._kept += data[: self.keep - len(self._kept)]
        if self._on_bytes is not None:
            self._on_bytes(len(data))  # type: ignore[operator]

    def set_keep(self, n: int) -> None:
        """Keep up to ``n`` leading bytes (those already peeked included)."""
        self.keep = n
        self._kept = bytearray(self._pushback[:n])

    def peek(self, n: int) -> bytes:
        """Up to ``n`` leading bytes without consuming them (only before the first read)."""
        while len(self._pushback) < n:
            data = self._raw.read(n - len(self._pushback))
            if not data:
                break
            self._account(data)
            self._pushback += data
        return self._pushback[:n]

    def read(self, n: int = -1) -> bytes:
        if self._cancel is not None:
            self._cancel.check()
        if n is None or n < 0:
            parts = [self._pushback]
            self._pushback = b""
            while chunk := self._read_raw(CHUNK):
                parts.append(chunk)
            return b"".join(parts)
        if self._pushback:
            out, self._pushback = self._pushback[:n], self._pushback[n:]
            if len(out) < n:
                out += self._read_raw(n - len(out))
            return out
        return self._read_raw(n)

    def _read_raw(self, n: int) -> bytes:
        data = self._raw.read(n)
        if data:
            self._account(data)
        return data

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def drain(self) -> None:
        """Hash whatever has not been read yet, checking for cancellation per chunk."""
        self._pushback = b""
        buf = _thread_buffer()
        view = memoryview(buf)
        readinto = getattr(self._raw, "readinto", None)
        while True:
            if self._cancel is not None:
                self._cancel.check()
            if readinto is not None:
                n = readinto(buf)
                if not n:
                    break
                self._account(view[:n])
            else:
                data = self._raw.read(CHUNK)
                if not data:
                    break
                self._account(data)

    @property
    def kept(self) -> bytes:
        return bytes(self._kept)

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def fingerprint(pairs: list[tuple[str, str | None]]) -> str:
    """SHA-256 over the sorted (path, sha256) list: one ``path NUL sha256 LF`` line per file."""
    digest = hashlib.sha256()
    for path, sha in sorted(pairs, key=lambda pair: (pair[0], pair[1] or "")):   # duplicates: one unread
        digest.update(f"{path}\0{sha or ''}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()
