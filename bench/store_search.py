"""Time review search with 10,000 reviews: median and max per filter (target < 100 ms).

    .venv/bin/python bench/store_search.py [--reviews 10000] [--repeats 20] [--pg]

Builds a temporary SQLite file (``--pg``: also a throwaway PostgreSQL server from
``tests/pg_server.py``), migrates it, bulk-inserts vendors, deliveries, license files and
matches, reviewers, reviews and 12 answers each, then times ``Store.search`` by each filter.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from desktop.core.store import CHECKLIST_ITEMS, REVIEW_STATUSES, open_store  # noqa: E402
from desktop.core.store.models import (  # noqa: E402
    Answer,
    Delivery,
    File,
    LicenseMatch,
    Review,
    Reviewer,
    Vendor,
)

LICENSES = ("apache-2.0", "mit", "llama3.1", "gemma", "openrail-m", "cc-by-nc-4.0", "bsd-3-clause",
            "other")
START = dt.datetime(2023, 1, 1, tzinfo=dt.UTC)


def populate(url: str, reviews: int, seed: int = 7) -> None:
    """Bulk-insert ``reviews`` reviews with their deliveries into a migrated database."""
    rng = random.Random(seed)
    store = open_store(url)
    engine = store._engine  # the bench writes in bulk, bypassing the per-action API
    vendors = [{"id": i + 1, "name": f"vendor-{i:02d}"} for i in range(50)]
    people = [{"id": i + 1, "name": f"Reviewer {i:02d}", "email": f"r{i:02d}@firm.example"}
              for i in range(30)]
    deliveries, files, matches, rows, answers = [], [], [], [], []
    for i in range(1, reviews + 1):
        created = START + dt.timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60))
        deliveries.append({"id": i, "vendor_id": rng.randint(1, 50),
                           "name": f"model-{rng.randint(0, 499):03d}", "version": f"1.{i % 9}",
                           "received_on": created.date(), "source_path": f"/d/{i}",
                           "source_kind": "folder", "fingerprint": f"{i:064x}", "components": [],
                           "problems": [], "previous_id": None})
        for n, key in enumerate(rng.sample(LICENSES, rng.randint(1, 3))):
            file_id = len(files) + 1
            files.append({"id": file_id, "delivery_id": i, "path": f"LICENSE-{n}", "size": 100,
                          "sha256": f"{file_id:064x}", "role": "license", "format": "text",
                          "format_metadata": {}, "problems": []})
            matches.append({"file_id": file_id, "delivery_id": i, "key": key, "spdx": None,
                            "details": {}})
        status = rng.choice(REVIEW_STATUSES)
        decided = status in ("approved", "approved-with-conditions", "rejected")
        rows.append({"id": i, "delivery_id": i, "checklist": "aireview-default/1",
                     "purpose": rng.choice(("chatbot", "internal search", "resale")),
                     "status": status, "preparer_id": rng.randint(1, 30),
                     "approver_id": rng.randint(1, 30) if decided else None,
                     "created_at": created, "updated_at": created})
        answers += [{"review_id": i, "item": item, "suggested": "no finding", "evidence": [],
                     "decision": "accept" if decided else None} for item in CHECKLIST_ITEMS]
    with engine.begin() as conn:
        for model, data in ((Vendor, vendors), (Reviewer, people), (Delivery, deliveries),
                            (File, files), (LicenseMatch, matches), (Review, rows),
                            (Answer, answers)):
            conn.execute(sa.insert(model), data)
    with engine.connect() as conn:  # statistics, as autovacuum / a later ANALYZE would keep
        conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
    store.close()


QUERIES = {
    "no filter": {},
    "vendor": {"vendor": "vendor-07"},
    "product (model)": {"product": "model-123"},
    "license key": {"license_key": "gemma"},
    "status": {"status": "needs-info"},
    "reviewer": {"reviewer": "r05@firm.example"},
    "date range": {"since": "2024-03-01", "until": "2024-03-31"},
    "vendor+license+status": {"vendor": "vendor-07", "license_key": "mit", "status": "approved"},
}


def time_searches(url: str, repeats: int) -> dict[str, tuple[float, float, int]]:
    """name -> (median ms, max ms, rows returned) for each query in :data:`QUERIES`."""
    results = {}
    with open_store(url) as store:
        store.search()  # warm the connection pool and statement cache
        for name, filters in QUERIES.items():
            times, count = [], 0
            for _ in range(repeats):
                started = time.perf_counter()
                count = len(store.search(**filters))
                times.append((time.perf_counter() - started) * 1000)
            results[name] = (statistics.median(times), max(times), count)
    return results


def report(label: str, url: str, reviews: int, repeats: int) -> bool:
    started = time.perf_counter()
    populate(url, reviews)
    print(f"\n{label}: {reviews} reviews inserted in {time.perf_counter() - started:.1f} s")
    print(f"{'filter':<24} {'median ms':>10} {'max ms':>8} {'rows':>6}")
    ok = True
    for name, (median, worst, count) in time_searches(url, repeats).items():
        print(f"{name:<24} {median:>10.1f} {worst:>8.1f} {count:>6}")
        ok = ok and worst < 100
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--pg", action="store_true", help="also run on a throwaway PostgreSQL")
    ns = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        ok = report("SQLite", f"sqlite:///{Path(folder) / 'bench.db'}", ns.reviews, ns.repeats)
    if ns.pg:
        from pg_server import PgServer

        with PgServer() as server:
            ok = report("PostgreSQL", server.url(server.create_database()), ns.reviews,
                        ns.repeats) and ok
    print("\nall under 100 ms" if ok else "\nSOME SEARCHES TOOK 100 ms OR MORE")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
