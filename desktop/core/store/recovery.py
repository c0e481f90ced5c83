"""A damaged SQLite review database: find out at start, and copy it aside for recovery.

Nothing here deletes, truncates or rewrites the original file: :func:`check_database` opens it
read-only (``mode=ro``), and :func:`copy_for_recovery` reads it and writes a new file next to
it (or in another folder), with its write-ahead log so committed answers are in the copy.
The app offers that copy to open, and keeps the original as it was for the firm's IT.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import quote

SQLITE_MAGIC = b"SQLite format 3\x00"
MAX_NAME_TRIES = 1000
_CHECK_TIMEOUT = 5.0
_QUICK_CHECK_ROWS = 20


def check_database(path: Path) -> str | None:
    """``None`` when ``path`` is a sound SQLite file (or does not exist yet), else the damage, in words.

    Reads the header and runs ``PRAGMA quick_check`` on a read-only connection; the file is
    never written.  The sentence names the file.
    """
    path = Path(path)
    try:
        with open(path, "rb") as stream:
            header = stream.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"The review database {path} cannot be read ({exc.strerror or exc})."
    if not header:
        return None                                   # an empty file becomes a new database
    if header != SQLITE_MAGIC:
        return f"The file {path} is not an SQLite database (its first bytes are wrong); it may be damaged."
    try:
        conn = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, timeout=_CHECK_TIMEOUT)
    except sqlite3.Error as exc:
        return f"The review database {path} cannot be opened ({exc})."
    try:
        rows = conn.execute("PRAGMA quick_check").fetchmany(_QUICK_CHECK_ROWS)
    except sqlite3.Error as exc:
        return f"The review database {path} is damaged ({exc})."
    finally:
        conn.close()
    found = [str(row[0]) for row in rows]
    if found == ["ok"]:
        return None
    return f"The review database {path} is damaged: " + "; ".join(found[:5]) + "."


def sqlite_damage(engine: Any) -> str | None:
    """``PRAGMA quick_check`` through an open SQLAlchemy engine: ``None`` when sound, else the findings."""
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("PRAGMA quick_check").fetchmany(_QUICK_CHECK_ROWS)
        conn.rollback()
    found = [str(row[0]) for row in rows]
    return None if found == ["ok"] else "; ".join(found[:5])


def copy_for_recovery(path: Path, folder: Path | None = None) -> Path:
    """Copy a (damaged) database and its write-ahead log to a new file; returns the copy's path.

    The copy is named ``<name>.recovered-<UTC time>.db`` in ``folder`` (default: next to the
    original) and never replaces an existing file.  The original is only read.
    """
    source = Path(path)
    target_dir = Path(folder) if folder is not None else source.parent
    target_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    with open(source, "rb") as original:
        copy = _exclusive_copy(original, target_dir, f"{source.stem}.recovered-{stamp}")
    wal = source.with_name(source.name + "-wal")
    if wal.is_file():
        with open(wal, "rb") as log, open(copy.with_name(copy.name + "-wal"), "xb") as out:
            shutil.copyfileobj(log, out)
            out.flush()
            os.fsync(out.fileno())
    return copy


def _exclusive_copy(original: object, folder: Path, stem: str) -> Path:
    for number in range(1, MAX_NAME_TRIES + 1):
        candidate = folder / (f"{stem}.db" if number == 1 else f"{stem}-{number}.db")
        try:
            out = open(candidate, "xb")  # noqa: SIM115 - closed below
        except FileExistsError:
            continue
        try:
            with out:
                shutil.copyfileobj(original, out)  # type: ignore[arg-type]
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            candidate.unlink(missing_ok=True)
            raise
        return candidate
    raise OSError(f"No free file name for a recovery copy in {folder}.")


def salvage_copy(path: Path, folder: Path | None = None) -> tuple[Path, dict[str, Any]]:
    """Build a new, sound database from what can still be read of a damaged one.

    The schema and every row that reads back are copied, table by table, into a new file named
    like :func:`copy_for_recovery`'s; rows past a damaged page are counted as lost.  Returns the
    new file and a report ``{"tables": {name: rows copied}, "errors": [...]}``.  The original is
    opened read-only and left exactly as it was.
    """
    source = Path(path)
    raw = copy_for_recovery(source, folder)  # reserves the name; then rebuilt in place from the original
    target = raw.with_name(raw.stem + ".salvage.db")
    raw.unlink()
    raw.with_name(raw.name + "-wal").unlink(missing_ok=True)
    report: dict[str, Any] = {"tables": {}, "errors": []}
    src = sqlite3.connect(f"file:{quote(str(source))}?mode=ro", uri=True, timeout=_CHECK_TIMEOUT)
    dst = sqlite3.connect(target)
    try:
        try:
            schema = src.execute("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL "
                                 "AND name NOT LIKE 'sqlite_%' ORDER BY type = 'table' DESC").fetchall()
        except sqlite3.Error as exc:
            raise OSError(f"The schema of {source} cannot be read ({exc}); nothing can be salvaged.") from exc
        for kind, name, sql in schema:
            try:
                dst.execute(sql)
            except sqlite3.Error as exc:
                report["errors"].append(f"{kind} {name}: {exc}")
            if kind == "table":
                report["tables"][name] = _copy_rows(src, dst, name, report["errors"])
        dst.commit()
    finally:
        src.close()
        dst.close()
    return target, report


def _copy_rows(src: sqlite3.Connection, dst: sqlite3.Connection, table: str, errors: list[str]) -> int:
    copied = 0
    quoted = '"' + table.replace('"', '""') + '"'
    try:
        cursor = src.execute(f"SELECT * FROM {quoted}")
        marks = ",".join("?" * len(cursor.description))
        while True:
            rows = cursor.fetchmany(500)
            if not rows:
                break
            dst.executemany(f"INSERT OR IGNORE INTO {quoted} VALUES ({marks})", rows)
            copied += len(rows)
    except sqlite3.Error as exc:
        errors.append(f"table {table}: stopped after {copied} rows ({exc})")
    return copied
