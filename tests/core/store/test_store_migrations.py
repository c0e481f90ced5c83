"""Migrations: the first revision upgrades to head with its data, and head equals the models."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from store_samples import ADA, BOB

from desktop.core.store import StoreError, open_store
from desktop.core.store.engine import create_engine
from desktop.core.store.migrate import HEAD, KNOWN, alembic_config, upgrade
from desktop.core.store.models import Base


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of a database with no tables at all."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.db'}"
        return
    server, _ = request.getfixturevalue("pg_server")
    name = server.create_database()
    try:
        yield server.url(name)
    finally:
        server.drop_database(name)


def test_head_constant_matches_the_scripts(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as conn:
        scripts = ScriptDirectory.from_config(alembic_config(conn))  # type: ignore[arg-type]
        assert scripts.get_current_head() == HEAD
        assert tuple(reversed([s.revision for s in scripts.walk_revisions()])) == KNOWN
    engine.dispose()


def _seed_first_revision(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO vendor (name) VALUES ('Acme')")
        conn.exec_driver_sql(
            "INSERT INTO delivery (vendor_id, name, version, received_on, source_path, "
            "source_kind, fingerprint, components, problems) VALUES "
            "(1, 'acme-7b', '1.0', '2024-05-01', '/d/acme', 'folder', 'fp', '[]', '[]')")
        conn.exec_driver_sql(
            "INSERT INTO file (delivery_id, path, size, sha256, role, format, format_metadata, "
            "problems) VALUES (1, 'LICENSE', 11, 'aa', 'license', 'text', '{}', '[]')")
        conn.exec_driver_sql(
            "INSERT INTO license_match (file_id, delivery_id, key, spdx, details) VALUES "
            "(1, 1, 'apache-2.0', 'Apache-2.0', '{}')")
        conn.exec_driver_sql("INSERT INTO reviewer (name, email) VALUES "
                             "('Ada Lovelace', 'ada@firm.example')")
        conn.exec_driver_sql(
            "INSERT INTO review (delivery_id, checklist, purpose, status, preparer_id, "
            "created_at, updated_at) VALUES (1, 'c/1', 'chat', 'draft', 1, "
            "'2024-05-02 10:00:00', '2024-05-02 10:00:00')")
        conn.exec_driver_sql(
            "INSERT INTO answer (review_id, item, suggested, decision, rationale, evidence) "
            "VALUES (1, 'commercial_use', 'no finding', 'accept', 'fine', '[]')")


def test_first_revision_upgrades_with_data_intact(empty_url: str) -> None:
    engine = create_engine(empty_url)
    assert upgrade(engine, "0001") == "0001"
    _seed_first_revision(engine)
    assert upgrade(engine) == HEAD
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()
    with open_store(empty_url) as store:
        review = store.get_review(1)
        assert review["delivery"]["vendor"] == "Acme"
        assert review["licenses"] == ["apache-2.0"]
        assert review["answers"][0]["decision"] == "accept"
        assert review["created_at"].startswith("2024-05-02T10:00:00")
        assert [r["id"] for r in store.search(license_key="apache-2.0", status="draft")] == [1]
        # the new schema works on the old data: precedents, then the four-eyes rule
        store.save_precedent(1, "commercial_use", reviewer=ADA)
        assert store.precedents()[0]["license_key"] == "apache-2.0"
        store.set_status(1, "approved-with-conditions", reviewer=BOB)
        # rows from before the wider audit trail got baseline events: the trail verifies
        assert store.audit_verify().ok, store.audit_verify().problems
        assert {e["entity"] for e in store.history() if e["action"] == "baseline"} >= {
            "delivery", "reviewer", "review", "answer"}


def test_unusable_databases_are_refused_clearly(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="not a review database"):
        open_store(f"sqlite:///{garbage}")
    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE photos (id INTEGER)")
    conn.close()
    with pytest.raises(StoreError, match="other tables"):
        open_store(f"sqlite:///{foreign}")
    newer = tmp_path / "newer.db"
    open_store(f"sqlite:///{newer}").close()
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.close()
    with pytest.raises(StoreError, match="newer version of the app"):
        open_store(f"sqlite:///{newer}")
    with pytest.raises(StoreError, match="does not exist"):
        open_store(f"sqlite:///{tmp_path / 'missing' / 'x.db'}")
    with pytest.raises(StoreError, match="neither SQLite nor PostgreSQL"):
        open_store("mysql://localhost/x")
