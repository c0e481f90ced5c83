"""A damaged review database: refused at start, salvaged into a new file, the original untouched."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from store_samples import build_scan  # type: ignore[import-not-found]

from desktop.core.store import StoreError, open_store
from desktop.core.store.recovery import check_database, salvage_copy


def _damage(path: Path) -> None:
    data = bytearray(path.read_bytes())
    page = 4096
    last = len(data) // page - 1
    data[last * page: last * page + 200] = b"\xff" * 200  # scribble over the last page
    path.write_bytes(bytes(data))


def test_damaged_database_is_salvaged_into_a_new_file(tmp_path: Path) -> None:
    db = tmp_path / "reviews.db"
    store = open_store(f"sqlite:///{db}")
    ids = [store.create_review(build_scan(source=f"/deliveries/d{n}"), reviewer="Ada <ada@firm.example>", vendor="V",
                               product=f"p{n}", version="1", purpose="x") for n in range(3)]
    store.close()
    _damage(db)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    assert check_database(db) is not None
    with pytest.raises(StoreError, match=r"reviews\.db"):
        open_store(f"sqlite:///{db}")
    copy, report = salvage_copy(db)
    assert copy != db and copy.parent == db.parent
    assert check_database(copy) is None
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before, "the original was changed"
    assert report["tables"].get("review", 0) >= 1
    recovered = open_store(f"sqlite:///{copy}")
    assert {r["id"] for r in recovered.search()} <= set(ids)
    recovered.close()
