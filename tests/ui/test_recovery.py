"""A damaged review database at start: the window says so and opens a salvaged copy on request."""

from __future__ import annotations

import hashlib
from pathlib import Path

from desktop.core.store import open_store


def _damaged_db(path: Path) -> str:
    store = open_store(f"sqlite:///{path}")
    store.close()
    data = bytearray(path.read_bytes())
    data[-4096:-3896] = b"\xff" * 200
    path.write_bytes(bytes(data))
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_damaged_database_offers_a_recovered_copy(make_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    before = _damaged_db(tmp_path / "reviews.db")
    window = make_window()
    window.choosers.answers["choice"] = "Open a recovered copy"
    store = window.store()
    assert store is not None
    assert "recovered" in window._store_url
    assert any("was left as it was" in m for m in window.choosers.messages)
    assert hashlib.sha256((tmp_path / "reviews.db").read_bytes()).hexdigest() == before
    store.search()


def test_declining_recovery_opens_nothing_and_says_why(make_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    before = _damaged_db(tmp_path / "reviews.db")
    window = make_window()
    window.choosers.answers["choice"] = "Do not open"
    assert window.store() is None
    assert "reviews.db" in window.summary.text()
    assert hashlib.sha256((tmp_path / "reviews.db").read_bytes()).hexdigest() == before
    assert not list(tmp_path.glob("*.recovered-*"))
