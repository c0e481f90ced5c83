"""Apply the Alembic migrations in ``migrations/`` when a store is opened.

A database already at :data:`HEAD` is recognised by reading ``alembic_version`` directly, so a
normal open does not import Alembic.  Upgrades run inside one write transaction (SQLite
``BEGIN IMMEDIATE``, PostgreSQL advisory lock): two processes opening a new database at once
migrate it once.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from desktop.core.store.engine import WRITE_OPTION, lock_for_write
from desktop.core.store.errors import StoreError

HEAD = "0004"
KNOWN = ("0001", "0002", "0003", "0004")
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def current_revision(conn: sa.Connection) -> str | None:
    """The revision recorded in the database, or ``None`` for an empty database."""
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def alembic_config(conn: sa.Connection) -> object:
    """An Alembic ``Config`` that runs our migrations on ``conn``."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = conn
    return config


def upgrade(engine: sa.Engine, target: str = "head", busy_timeout: float = 10.0) -> str:
    """Bring the database to ``target`` (default the newest revision); returns the revision."""
    with engine.connect() as probe:
        revision = current_revision(probe)
        foreign = revision is None and bool(sa.inspect(probe).get_table_names())
        probe.rollback()
    if foreign:
        raise StoreError(f"The database {engine.url.render_as_string(hide_password=True)} holds "
                         "other tables and is not a review database.")
    _check_known(revision, engine)
    if revision == (HEAD if target == "head" else target):
        return revision
    from alembic import command

    with engine.execution_options(**{WRITE_OPTION: True}).begin() as conn:
        lock_for_write(conn, busy_timeout)
        command.upgrade(alembic_config(conn), target)  # type: ignore[arg-type]
        revision = current_revision(conn)
    return revision or ""


def _check_known(revision: str | None, engine: sa.Engine) -> None:
    if revision is not None and revision not in KNOWN:
        raise StoreError(
            f"The review database {engine.url.render_as_string(hide_password=True)} was written by "
            f"a newer version of the app (schema {revision}); update the app to open it.")
