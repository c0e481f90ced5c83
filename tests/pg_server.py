"""A throwaway PostgreSQL server for the tests: initdb + pg_ctl in a temp dir, on a free port.

Finds ``initdb``/``pg_ctl`` on PATH or under ``/usr/lib/postgresql/*/bin``; when absent and
running as root, installs Debian's ``postgresql`` package.  ``initdb`` refuses to run as root, so
as root the server runs as an unprivileged user (``postgres``, created when missing) via
``runuser``.  Usable as a context manager or from the command line::

    python tests/pg_server.py        # starts, prints the URL, waits for Enter, stops
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

SERVER_USER = "postgres"


class PgServerError(RuntimeError):
    """The throwaway server could not be started."""


def _find_binaries() -> tuple[str, str] | None:
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if initdb and pg_ctl:
        return initdb, pg_ctl
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if os.access(f"{folder}/initdb", os.X_OK) and os.access(f"{folder}/pg_ctl", os.X_OK):
            return f"{folder}/initdb", f"{folder}/pg_ctl"
    return None


def _install_postgresql() -> None:
    if os.geteuid() != 0:
        raise PgServerError("PostgreSQL (initdb, pg_ctl) is not installed and installing it "
                            "needs root: run `apt-get install postgresql`.")
    from tools import apt_install

    failure = apt_install(["postgresql"])
    if failure:
        raise PgServerError(failure)


def find_or_install() -> tuple[str, str]:
    """Paths of ``initdb`` and ``pg_ctl``, installing PostgreSQL when needed and possible."""
    found = _find_binaries()
    if found is None:
        _install_postgresql()
        found = _find_binaries()
    if found is None:
        raise PgServerError("PostgreSQL was installed but initdb/pg_ctl were not found.")
    return found


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _ensure_user(name: str) -> None:
    if subprocess.run(["id", "-u", name], capture_output=True, check=False).returncode != 0:
        subprocess.run(["useradd", "--system", "--no-create-home", name], check=True,
                       capture_output=True)


class PgServer:
    """One server; :meth:`start` then :meth:`url`/:meth:`create_database`; :meth:`stop` always."""

    def __init__(self) -> None:
        self.port = 0
        self.root: Path | None = None
        self._as_root = os.geteuid() == 0
        self._pg_ctl = ""
        self._started = False

    def _run(self, argv: list[str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
        if self._as_root:
            argv = ["runuser", "-u", SERVER_USER, "--", *argv]
        done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False,
                              cwd=self.root)
        if done.returncode != 0:
            log = ""
            if self.root and (self.root / "server.log").exists():
                log = (self.root / "server.log").read_text(errors="replace")[-2000:]
            raise PgServerError(f"`{' '.join(argv)}` failed ({done.returncode}): "
                                f"{done.stderr[-2000:]}{done.stdout[-500:]}\n{log}")
        return done

    def start(self) -> PgServer:
        """initdb a fresh cluster in a temp dir and start it on a free 127.0.0.1 port."""
        initdb, self._pg_ctl = find_or_install()
        self.root = Path(tempfile.mkdtemp(prefix="aireview-pg-"))
        if self._as_root:
            _ensure_user(SERVER_USER)
            shutil.chown(self.root, SERVER_USER)
        self.root.chmod(0o700)
        data = self.root / "data"
        self._run([initdb, "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                   "--no-sync", "--locale=C"])
        self.port = _free_port()
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=60")
        self._run([self._pg_ctl, "-D", str(data), "-l", str(self.root / "server.log"),
                   "-o", options, "-w", "-t", "60", "start"])
        self._started = True
        return self

    def stop(self) -> None:
        """Stop the server (immediately) and delete its files."""
        if self._started and self.root is not None:
            with contextlib.suppress(PgServerError, subprocess.TimeoutExpired):
                self._run([self._pg_ctl, "-D", str(self.root / "data"), "-m", "immediate",
                           "-w", "stop"], timeout=60)
            self._started = False
        if self.root is not None:
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None

    def url(self, database: str = "postgres") -> str:
        """A SQLAlchemy URL (psycopg 3) for ``database`` on this server."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _admin(self, sql: str, database: str = "postgres") -> None:
        import psycopg  # only needed once a server runs

        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres",
                             dbname=database, autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def empty_tables(self, database: str, keep: tuple[str, ...] = ()) -> None:
        """Delete every row of every table in ``database`` (ids restart at 1)."""
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres",
                             dbname=database, autocommit=True) as conn:
            tables = [r[0] for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'") if r[0] not in keep]
            if tables:
                names = ", ".join(f'"{t}"' for t in tables)
                conn.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")  # type: ignore[arg-type]

    def create_database(self, template: str | None = None) -> str:
        """A new empty database (or a copy of ``template``); returns its name."""
        name = f"t_{uuid.uuid4().hex[:16]}"
        suffix = f" TEMPLATE {template}" if template else ""
        self._admin(f"CREATE DATABASE {name}{suffix}")
        return name

    def drop_database(self, name: str) -> None:
        """Drop a database, disconnecting anyone still connected."""
        self._admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def __enter__(self) -> PgServer:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *_: object) -> None:
        self.stop()


if __name__ == "__main__":
    with PgServer() as server:
        print(server.url(), flush=True)
        input("PostgreSQL is running; press Enter to stop it. ")
