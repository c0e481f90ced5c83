"""Search reviews by vendor, model, license key, status, reviewer and date."""

from __future__ import annotations

import datetime as dt

from store_samples import ADA, BOB, build_scan

from desktop.core.store import Store


def _ids(rows: list[dict]) -> list[int]:  # type: ignore[type-arg]
    return sorted(r["id"] for r in rows)


def test_search_filters(store: Store) -> None:
    apache = store.create_review(build_scan(), reviewer=ADA, vendor="Acme", product="acme-7b",
                                 purpose="chat")
    mit = store.create_review(build_scan({"LICENSE": ("mit", ["mit"])}), reviewer=BOB,
                              vendor="Beta", product="beta-1b", purpose="chat")
    store.set_status(mit, "rejected", reviewer=ADA)
    assert _ids(store.search()) == [apache, mit]
    assert _ids(store.list_reviews(vendor="Acme")) == [apache]
    assert _ids(store.search(product="beta-1b")) == [mit]
    assert _ids(store.search(license_key="mit")) == [mit]
    assert _ids(store.search(status="rejected")) == [mit]
    assert _ids(store.search(status="draft")) == [apache]
    assert _ids(store.search(reviewer=ADA)) == [apache, mit]  # preparer or approver
    assert _ids(store.search(reviewer="Bob Marley")) == [mit]
    assert _ids(store.search(reviewer="nobody@x.example")) == []
    today = dt.datetime.now(dt.UTC).date()
    assert _ids(store.search(since=today, until=today.isoformat())) == [apache, mit]
    assert _ids(store.search(until=today - dt.timedelta(days=1))) == []
    assert _ids(store.search(vendor="Acme", status="rejected")) == []
    row = store.search(vendor="Beta")[0]
    assert (row["licenses"], row["preparer"], row["approver"], row["status"]) == \
        (["mit"], BOB, ADA, "rejected")
    assert len(store.search(limit=1)) == 1
