"""The index's arrays live in a memory-mapped file beside the SQLite index; a missing, cut or
mismatched arrays file makes the library rebuild its index, never load wrong numbers."""

from __future__ import annotations

import os

import numpy as np
import pytest

from desktop.core.licenses import load_library
from desktop.core.licenses.library import _drop_old_caches, arrays_path


def _index_file(cache):
    (found,) = cache.glob("licenses-*.sqlite")
    return found


def _same_library(a, b) -> None:
    assert [r.to_json() for r in a.references] == [r.to_json() for r in b.references]
    assert a.vocabulary == b.vocabulary
    for name in ("words", "trigrams", "offsets", "postings", "indexed", "word_counts", "ref_codes",
                 "ref_code_offsets"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name


def test_arrays_are_mapped_read_only_from_the_file_beside_the_index(library):
    arrays = arrays_path(library.path)
    assert arrays.is_file() and arrays.stat().st_size > 0
    assert not library.words.flags.writeable
    assert library.words.dtype == np.int32 and library.trigrams.dtype == np.int64
    ref = library.by_key["mit"]
    assert len(library.ids(ref)) == ref.length > 100
    assert np.all(np.diff(library.codes(ref)) > 0)  # sorted, distinct


@pytest.mark.parametrize("damage", ["missing", "cut", "grown"])
def test_a_damaged_arrays_file_rebuilds_the_index(refs_dir, library, tmp_path, damage):
    cache = tmp_path / "cache"
    first = load_library(cache, refs_dir=refs_dir)
    arrays = arrays_path(_index_file(cache))
    size = arrays.stat().st_size
    del first  # the map is released with the arrays (Windows keeps a mapped file)
    if damage == "missing":
        arrays.unlink()
    elif damage == "cut":
        os.truncate(arrays, size // 2)
    else:
        with open(arrays, "ab") as out:
            out.write(b"\0" * 64)
    again = load_library(cache, refs_dir=refs_dir)
    assert arrays.stat().st_size == size
    _same_library(again, library)


def test_dropping_an_old_index_drops_its_arrays(tmp_path):
    for n in range(4):
        old = tmp_path / f"licenses-old{n}.sqlite"
        old.write_bytes(b"stale")
        arrays_path(old).write_bytes(b"stale")
        os.utime(old, (1_000_000 + n, 1_000_000 + n))
    keep = tmp_path / "licenses-new.sqlite"
    keep.write_bytes(b"fresh")
    arrays_path(keep).write_bytes(b"fresh")
    _drop_old_caches(tmp_path, keep)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "licenses-new.arrays", "licenses-new.sqlite", "licenses-old2.arrays", "licenses-old2.sqlite",
        "licenses-old3.arrays", "licenses-old3.sqlite"]
