"""Database URLs and engines: SQLite in the per-user data folder by default, PostgreSQL for teams.

SQLite connections run in WAL mode with foreign keys on, ``synchronous=FULL`` (a committed
answer survives a crash or power cut) and a busy timeout.  Write transactions start with
``BEGIN IMMEDIATE`` so two processes never interleave writes; PostgreSQL write transactions take
one advisory lock for the same effect (the audit chain needs one writer at a time).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import make_url

from desktop.core.store.errors import StoreBusy, StoreError

ENV_URL = "AIREVIEW_DB"
SETTINGS_FILE = "store.json"
DEFAULT_BUSY_TIMEOUT = 10.0
WRITE_OPTION = "aireview_write"
PG_WRITE_LOCK = 0x41495256  # "AIRV": the advisory lock serialising writers on PostgreSQL


def default_sqlite_url(data_dir: Path | None = None) -> str:
    """``sqlite:///<data dir>/reviews.db`` (the data dir honours ``AIREVIEW_DATA_DIR``)."""
    if data_dir is None:
        from desktop import paths
        data_dir = paths.data_dir()
    return f"sqlite:///{Path(data_dir) / 'reviews.db'}"


def configured_url(data_dir: Path | None = None) -> str:
    """The URL to use when none is given: env ``AIREVIEW_DB``, the saved setting, else SQLite."""
    env = os.environ.get(ENV_URL, "").strip()
    if env:
        return env
    if data_dir is None:
        from desktop import paths
        data_dir = paths.data_dir()
    settings = Path(data_dir) / SETTINGS_FILE
    try:
        saved = json.loads(settings.read_text(encoding="utf-8")).get("database_url")
    except (OSError, ValueError, AttributeError):
        saved = None
    return saved if isinstance(saved, str) and saved.strip() else default_sqlite_url(data_dir)


def save_database_url(url: str | None, data_dir: Path | None = None) -> None:
    """Remember a team database URL (``None`` goes back to the local SQLite file)."""
    if data_dir is None:
        from desktop import paths
        data_dir = paths.data_dir()
    settings = Path(data_dir) / SETTINGS_FILE
    settings.write_text(json.dumps({"database_url": url}), encoding="utf-8")


def normalise_url(url: str) -> sa.URL:
    """Parse a URL; plain ``postgresql://``/``postgres://`` use the psycopg 3 driver."""
    text = url.strip()
    if text.startswith("postgres://"):
        text = "postgresql://" + text[len("postgres://"):]
    try:
        parsed = make_url(text)
    except sa.exc.ArgumentError as exc:
        raise StoreError(f"The database URL {url!r} is not valid: {exc}.") from None
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise StoreError(f"The database URL {url!r} is neither SQLite nor PostgreSQL.")
    return parsed


def describe(url: sa.URL) -> str:
    """The database named for people: the SQLite file, or the server and database (no password)."""
    if url.get_backend_name() == "sqlite":
        return url.database or ":memory:"
    return url.render_as_string(hide_password=True)


def create_engine(url: str, busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> sa.Engine:
    """An engine with the store's connection settings for SQLite or PostgreSQL."""
    parsed = normalise_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed, busy_timeout)
    return sa.create_engine(parsed, pool_pre_ping=True,
                            connect_args={"connect_timeout": max(1, int(busy_timeout))})


def _sqlite_engine(url: sa.URL, busy_timeout: float) -> sa.Engine:
    if url.database and url.database != ":memory:":
        folder = Path(url.database).parent
        if not folder.is_dir():
            raise StoreError(f"The folder {folder} for the review database does not exist.")
    engine = sa.create_engine(url, connect_args={"timeout": busy_timeout})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (below)
        cursor = dbapi_conn.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        write = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def lock_for_write(conn: sa.Connection, busy_timeout: float) -> None:
    """On PostgreSQL, take the writers' advisory lock for this transaction (SQLite: no-op)."""
    if conn.dialect.name != "postgresql":
        return
    conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{int(busy_timeout * 1000)}ms'")
    conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_WRITE_LOCK})


def translate_error(exc: sa.exc.DBAPIError, where: str) -> StoreError | None:
    """A clear store error for a lock timeout or a file that is not a database, else ``None``."""
    text = str(exc.orig).lower()
    if "locked" in text or "busy" in text or "lock timeout" in text:
        return StoreBusy(f"The review database {where} is in use by another program "
                         "(it holds the write lock); try again in a moment.")
    if "not a database" in text or "malformed" in text:
        return StoreError(f"The file {where} is not a review database or is damaged ({exc.orig}).")
    if "disk is full" in text or "no space left" in text:
        return StoreError(f"The disk holding the review database {where} is full; the last change was "
                          "not saved. Free some space and try again.")
    if "readonly database" in text or "read-only" in text:
        return StoreError(f"The review database {where} is read-only (the file, its folder or its drive "
                          "cannot be written); the last change was not saved.")
    if "disk i/o error" in text:
        return StoreError(f"The review database {where} could not be read or written (disk I/O error); "
                          "the last change was not saved.")
    if "unable to open" in text and os.path.isfile(where) and not os.access(where, os.W_OK):
        return StoreError(f"The review database {where} is read-only (the file, its folder or its drive "
                          "cannot be written), so it cannot be opened.")
    if "unable to open" in text or "could not connect" in text or "connection refused" in text \
            or "connection failed" in text:
        return StoreError(f"The review database {where} cannot be opened: {exc.orig}".rstrip() + ".")
    return None
