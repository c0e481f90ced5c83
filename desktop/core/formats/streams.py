"""Bounded, forward-only reading helpers shared by the format readers."""

from __future__ import annotations

import datetime
import struct
import threading
from typing import Any, BinaryIO

MiB = 1 << 20
SKIP_CHUNK = MiB            # the largest read used to skip bytes
_BUFFER = 64 * 1024         # read-ahead of SequentialReader (the caller drains the rest anyway)


class Truncated(Exception):
    """The stream ended before a structure it announced was complete."""


class SequentialReader:
    """A forward-only cursor over ``stream``: only ``stream.read(n)`` is ever called.

    ``size`` is the length the caller announced; ``pos`` counts bytes consumed through
    this cursor.  Reads ahead at most 64 KiB, and skips in chunks of at most 1 MiB.
    """

    def __init__(self, stream: BinaryIO, size: int) -> None:
        self._stream = stream
        self.size = max(0, int(size))
        self.pos = 0
        self._buf = b""          # read-ahead; bytes before _off are consumed
        self._off = 0
        self._eof = False

    @property
    def remaining(self) -> int:
        """Bytes left before the announced end of the file."""
        return max(0, self.size - self.pos)

    def _fill(self, want: int) -> None:
        """Make at least ``want`` unconsumed bytes available (fewer at end of stream)."""
        if len(self._buf) - self._off >= want or self._eof:
            return
        parts = [self._buf[self._off:]]
        have = len(parts[0])
        while have < want:
            chunk = self._stream.read(max(_BUFFER, min(want - have, SKIP_CHUNK)))
            if not chunk:
                self._eof = True
                break
            parts.append(chunk)
            have += len(chunk)
        self._buf, self._off = b"".join(parts), 0

    def take(self, n: int) -> bytes:
        """Return exactly ``n`` bytes or raise :class:`Truncated`."""
        if n < 0:
            raise Truncated("negative length")
        if n > self.remaining:
            raise Truncated(f"needs {n} bytes at offset {self.pos} but only {self.remaining} remain")
        off = self._off
        if n <= len(self._buf) - off:
            self._off = off + n
            self.pos += n
            return self._buf[off:off + n]
        parts = [self._buf[off:]]
        got = len(parts[0])
        self._buf, self._off = b"", 0
        while got < n:
            chunk = self._stream.read(min(n - got, SKIP_CHUNK))
            if not chunk:
                self._eof = True
                raise Truncated(f"file ends at offset {self.pos + got}, {n - got} bytes short")
            parts.append(chunk)
            got += len(chunk)
        self.pos += n
        return b"".join(parts)

    def take_upto(self, n: int) -> bytes:
        """Return up to ``n`` bytes (fewer at the end of the stream or of the announced size)."""
        n = min(n, self.remaining)
        self._fill(n)
        off = self._off
        data = self._buf[off:off + n]
        self._off = off + len(data)
        self.pos += len(data)
        return data

    def take_line(self, limit: int) -> bytes:
        """Return bytes up to and including the next newline; raise if none within ``limit``."""
        window = min(limit, self.remaining)
        self._fill(min(window, _BUFFER) or 1)
        end = self._buf.find(b"\n", self._off, self._off + window)
        while end < 0 and len(self._buf) - self._off < window and not self._eof:
            self._fill(len(self._buf) - self._off + _BUFFER)
            end = self._buf.find(b"\n", self._off, self._off + window)
        if end < 0:
            raise Truncated(f"no line end within {limit} bytes at offset {self.pos}")
        return self.take(end + 1 - self._off)

    def skip_line(self, limit: int) -> int:
        """Discard bytes up to and including the next newline; return how many; raise past ``limit``."""
        skipped = 0
        while skipped < limit:
            window = min(self.remaining, _BUFFER)
            if window <= 0:
                break
            self._fill(window)
            have = min(len(self._buf) - self._off, self.remaining)
            if have <= 0:
                break
            end = self._buf.find(b"\n", self._off, self._off + have)
            n = end + 1 - self._off if end >= 0 else have
            self._off += n
            self.pos += n
            skipped += n
            if end >= 0:
                return skipped
        raise Truncated(f"no line end within {limit} bytes at offset {self.pos}")

    def skip(self, n: int) -> None:
        """Read and discard ``n`` bytes, or raise :class:`Truncated`."""
        if n < 0 or n > self.remaining:
            raise Truncated(f"cannot skip {n} bytes at offset {self.pos}: only {self.remaining} remain")
        from_buf = min(n, len(self._buf) - self._off)
        self._off += from_buf
        left = n - from_buf
        while left:
            chunk = self._stream.read(min(left, SKIP_CHUNK))
            if not chunk:
                self._eof = True
                raise Truncated(f"file ends {left} bytes before offset {self.pos + n}")
            left -= len(chunk)
        self.pos += n

    def u8(self) -> int:
        return self.take(1)[0]

    def u32(self) -> int:
        return int(struct.unpack("<I", self.take(4))[0])

    def u64(self) -> int:
        return int(struct.unpack("<Q", self.take(8))[0])


# Parsing a large JSON/XML document costs ~25x its size in memory: one such parse at a time.
LARGE_PARSE = 1 << 20
large_parse_lock = threading.Lock()


def clean_text(value: str, limit: int = 64 * 1024) -> str:
    """``value`` cut to ``limit`` characters, with lone surrogates replaced (JSON/UTF-8 safe)."""
    cut = value[:limit]
    return cut.encode("utf-8", "replace").decode("utf-8")


def big_int_text(value: int) -> str:
    """An integer as text; past Python's digit limit for str(), its hex form (cut to 200 chars)."""
    try:
        return short(str(value), 200)
    except ValueError:
        return short(hex(value), 200)


def json_safe(value: Any, budget: list[int] | None = None, depth: int = 0) -> Any:
    """A JSON-serialisable copy of YAML/JSON data, bounded in size (dates become ISO strings).

    ``budget`` is a one-item list counting nodes still allowed; past it, values become None.
    """
    if budget is None:
        budget = [100_000]
    budget[0] -= 1
    if budget[0] < 0 or depth > 64:
        return None
    if value is None or isinstance(value, bool | int | float):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2**63:
            return big_int_text(value)
        if isinstance(value, float) and value != value:  # NaN
            return None
        if isinstance(value, float) and value in (float("inf"), float("-inf")):
            return "Infinity" if value > 0 else "-Infinity"
        return value
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, datetime.date | datetime.datetime | datetime.time):
        return value.isoformat()
    if isinstance(value, bytes | bytearray):
        return clean_text(bytes(value[:4096]).decode("utf-8", "replace"))
    if isinstance(value, dict):
        return {clean_text(str(k), 1024): json_safe(v, budget, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [json_safe(v, budget, depth + 1) for v in value]
    return clean_text(str(value), 1024)


def short(value: object, limit: int = 120) -> str:
    """A printable, shortened representation for problem messages."""
    text = value if isinstance(value, str) else repr(value)
    text = clean_text(text, limit + 1)
    return text if len(text) <= limit else text[:limit] + "..."
