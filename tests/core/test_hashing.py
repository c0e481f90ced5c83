"""Streaming hashes equal hashlib's; the fingerprint is order-independent and exact."""

from __future__ import annotations

import hashlib
import io
import os

import pytest

from desktop.core.hashing import CHUNK, HashingReader, fingerprint
from desktop.core.jobs import Cancelled, CancelToken


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, 3 * CHUNK + 17])
def test_hash_matches_hashlib_after_peek_read_and_drain(size: int) -> None:
    data = os.urandom(size)
    reader = HashingReader(io.BytesIO(data))
    assert reader.peek(10) == data[:10]
    assert reader.read(4) == data[:4]
    reader.drain()
    assert reader.hexdigest() == hashlib.sha256(data).hexdigest()
    assert reader.count == size


def test_keep_holds_leading_bytes_including_peeked() -> None:
    data = b"x" * 100 + b"y" * 100
    reader = HashingReader(io.BytesIO(data))
    reader.peek(50)
    reader.set_keep(150)
    reader.drain()
    assert reader.kept == data[:150]


def test_drain_stops_on_cancel() -> None:
    token = CancelToken()
    reader = HashingReader(io.BytesIO(b"\0" * (4 * CHUNK)), token)
    token.cancel()
    with pytest.raises(Cancelled):
        reader.drain()


def test_fingerprint_is_sorted_and_sensitive() -> None:
    a = fingerprint([("b", "2"), ("a", "1")])
    assert a == fingerprint([("a", "1"), ("b", "2")])
    assert a != fingerprint([("a", "1"), ("b", "3")])
    expected = hashlib.sha256(b"a\x001\nb\x002\n").hexdigest()
    assert a == expected
