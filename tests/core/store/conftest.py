"""Store test fixtures: every ``store_url`` test runs on SQLite and on a real PostgreSQL server.

The PostgreSQL server (``tests/pg_server.py``) starts once per session when first needed and is
stopped at the end even when tests fail; if it cannot start, the PostgreSQL tests fail (never
skip).  Each test starts from an empty store: on SQLite a copy of a file migrated once; on
PostgreSQL one migrated database whose tables are emptied before each test (CREATE DATABASE
costs 0.3 s a test).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pg_server import PgServer  # tests/ is on sys.path (tests/conftest.py)

from desktop.core.store import Store, open_store


@pytest.fixture(scope="session")
def pg_server() -> Iterator[tuple[PgServer, str]]:
    """A running throwaway server and the name of a database migrated to head."""
    server = PgServer()
    try:
        try:
            server.start()
        except Exception as exc:
            pytest.fail(f"The PostgreSQL test server could not start: {exc}", pytrace=False)
        template = server.create_database()
        open_store(server.url(template)).close()
        yield server, template
    finally:
        server.stop()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty SQLite store migrated to head (tests copy it)."""
    path = tmp_path_factory.mktemp("store-template") / "reviews.db"
    open_store(f"sqlite:///{path}").close()
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty review database on each backend."""
    if request.param == "sqlite":
        copy = tmp_path / "reviews.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), copy)
        yield f"sqlite:///{copy}"
        return
    server, shared = request.getfixturevalue("pg_server")
    server.empty_tables(shared, keep=("alembic_version",))
    yield server.url(shared)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """An open store on each backend."""
    opened = open_store(store_url)
    try:
        yield opened
    finally:
        opened.close()
