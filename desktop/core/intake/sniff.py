"""Recognise archives and documents by their first bytes."""

from __future__ import annotations

import bz2
import lzma
import zlib

SNIFF_BYTES = 8192
_TAR_BLOCK = 512


def is_zip_head(head: bytes) -> bool:
    """A zip starts with a local header, or is an empty zip (end record only)."""
    return head.startswith((b"PK\x03\x04", b"PK\x05\x06"))


def is_pdf_head(head: bytes) -> bool:
    """PDF files carry ``%PDF-`` within their first kilobyte."""
    return b"%PDF-" in head[:1024]


def is_tar_block(block: bytes) -> bool:
    """A tar header block: ``ustar`` magic, or an old-style header whose checksum adds up."""
    if len(block) < _TAR_BLOCK:
        return False
    if block[257:262] == b"ustar":
        return True
    field = block[148:156].replace(b"\x00", b" ").strip()
    if not field or not all(48 <= c <= 55 for c in field):
        return False
    stored = int(field, 8)
    computed = sum(block[:148]) + 8 * 32 + sum(block[156:_TAR_BLOCK])
    return stored == computed and block[:100].strip(b"\x00") != b""


def _decompressed_head(head: bytes) -> bytes | None:
    """The first tar block of a gzip, bzip2 or xz stream, or None if it is not compressed."""
    try:
        if head.startswith(b"\x1f\x8b"):
            return zlib.decompressobj(wbits=31).decompress(head, _TAR_BLOCK)
        if head.startswith(b"BZh"):
            return bz2.BZ2Decompressor().decompress(head, _TAR_BLOCK)
        if head.startswith(b"\xfd7zXZ\x00"):
            return lzma.LZMADecompressor().decompress(head, _TAR_BLOCK)
    except (zlib.error, OSError, EOFError, lzma.LZMAError, ValueError):
        return b""
    return None


def archive_kind(head: bytes) -> str | None:
    """``"zip"`` or ``"tar"`` (plain or gzip/bzip2/xz-compressed) from a file's first bytes, else None."""
    if is_zip_head(head):
        return "zip"
    if is_tar_block(head[:_TAR_BLOCK]):
        return "tar"
    inner = _decompressed_head(head)
    if inner and is_tar_block(inner):
        return "tar"
    return None

