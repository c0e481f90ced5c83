"""Support for the resilience suite: a sandbox, a measured child process, a file-system guard.

Children run with HOME, TMPDIR, the working directory and the app's data and cache folders all
inside the test's ``tmp_path``; :meth:`Sandbox.assert_contained` then proves that nothing was
written anywhere but the app's folders, and that no file named after the test's marker (the
name every escape attempt uses) exists in any folder an escape could reach.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
CHILD = HERE / "resilience_child.py"
MEMORY_BOUND_MB = 500
HANG_GUARD_S = 120.0


@dataclass
class Measured:
    """What a child process did: exit status, output, peak RSS (MB) and wall time."""

    returncode: int
    stdout: str
    stderr: str
    peak_rss_mb: float
    seconds: float
    timed_out: bool = False


# Linux counts the memory of the process a child was forked from in the child's peak RSS (the
# fork's image until exec). A pytest worker can be large, so the command is started by a small
# launcher, and the launcher's report of its own child is the figure: the command's own peak.
LAUNCHER = """
import os, signal, subprocess, sys
child = subprocess.Popen(sys.argv[2:])
_pid, status, usage = os.wait4(child.pid, 0)
with open(sys.argv[1], "w") as report:
    report.write(str(usage.ru_maxrss))
if os.WIFSIGNALED(status):
    signal.signal(os.WTERMSIG(status), signal.SIG_DFL)
    os.kill(os.getpid(), os.WTERMSIG(status))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_measured(command: list[str], *, env: dict[str, str], cwd: Path,
                 timeout: float = HANG_GUARD_S) -> Measured:
    """Run ``command``; kill it after ``timeout`` s; its own peak RSS (see ``LAUNCHER``)."""
    tag = uuid.uuid4().hex
    out_path, err_path, rss_path = (cwd.parent / f".{kind}-{tag}" for kind in ("out", "err", "rss"))
    started = time.perf_counter()
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        process = subprocess.Popen([sys.executable, "-c", LAUNCHER, str(rss_path), *command], env=env, cwd=cwd,
                                   stdout=out, stderr=err, start_new_session=True)
    killed = threading.Event()

    def kill() -> None:
        killed.set()
        os.killpg(process.pid, 9)  # the launcher and the command it started

    timer = threading.Timer(timeout, kill)
    timer.start()
    try:
        _pid, status, _usage = os.wait4(process.pid, 0)
    finally:
        timer.cancel()
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    stdout = out_path.read_text(encoding="utf-8", errors="replace")
    stderr = err_path.read_text(encoding="utf-8", errors="replace")
    peak_kib = int(rss_path.read_text() or 0) if rss_path.exists() else 0
    for path in (out_path, err_path, rss_path):
        path.unlink(missing_ok=True)
    return Measured(process.returncode, stdout, stderr, peak_kib / 1024, seconds, killed.is_set())


def _tree(root: Path, skip: set[Path]) -> dict[str, tuple[int, int]]:
    found: dict[str, tuple[int, int]] = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if Path(folder, d) not in skip]
        for name in files + dirs:
            full = Path(folder, name)
            info = os.lstat(full)
            found[str(full)] = (info.st_size, 0 if full.is_dir() else info.st_mtime_ns)
    return found


@dataclass
class Sandbox:
    """One test's private world; ``env`` is what children get."""

    root: Path
    marker: str = field(default_factory=lambda: f"aireview-escape-{uuid.uuid4().hex[:12]}")

    def __post_init__(self) -> None:
        for name in ("home", "cwd", "tmp", "work", "data", "cache", "input"):
            (self.root / name).mkdir(parents=True, exist_ok=True)
        self.env = {**os.environ, "HOME": str(self.home), "TMPDIR": str(self.tmp),
                    "AIREVIEW_DATA_DIR": str(self.data), "AIREVIEW_CACHE_DIR": str(self.cache),
                    "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
        self._before: dict[str, tuple[int, int]] | None = None

    home = property(lambda self: self.root / "home")
    cwd = property(lambda self: self.root / "cwd")
    tmp = property(lambda self: self.root / "tmp")
    work = property(lambda self: self.root / "work")
    data = property(lambda self: self.root / "data")
    cache = property(lambda self: self.root / "cache")
    input = property(lambda self: self.root / "input")

    @property
    def app_folders(self) -> set[Path]:
        return {self.work, self.data, self.cache}

    def start_watch(self) -> None:
        """Remember every file under the sandbox (the app's own folders aside)."""
        self._before = _tree(self.root, self.app_folders)

    def reachable_folders(self) -> list[Path]:
        """Folders a zip-slip, absolute name or link in a delivery could aim at."""
        folders = {Path("/"), Path("/tmp"), Path("/root"), Path("/etc"), Path.home(), Path.cwd(),
                   self.home, self.cwd, self.tmp, self.root, self.input}
        for start in (self.cwd, self.work, self.input):
            folders.update(start.parents)
        return sorted(f for f in folders if f.is_dir())

    def escaped_files(self) -> list[str]:
        """Every file named after this sandbox's marker in a reachable folder (should be none)."""
        hits = []
        for folder in self.reachable_folders():
            try:
                hits += [str(folder / n) for n in os.listdir(folder) if self.marker in n]
            except OSError:
                continue
        return hits

    def assert_contained(self) -> None:
        """Nothing new or changed outside the app's folders; the work folder is empty again."""
        assert self._before is not None, "start_watch() was not called"
        after = _tree(self.root, self.app_folders)
        added = sorted(set(after) - set(self._before))
        changed = sorted(k for k in self._before if k in after and after[k] != self._before[k])
        removed = sorted(set(self._before) - set(after))
        assert (added, changed, removed) == ([], [], []), \
            f"files outside the app's folders: added {added[:5]}, changed {changed[:5]}, removed {removed[:5]}"
        assert self.escaped_files() == []
        for work in (self.work, self.cache / "work"):
            assert not work.is_dir() or list(work.iterdir()) == [], f"spooled files left in {work}"

    def scan(self, delivery: Path, limits: dict[str, object] | None = None,
             timeout: float = HANG_GUARD_S) -> tuple[dict, Measured]:
        """Scan ``delivery`` in a fresh interpreter; returns (child's JSON, measurements)."""
        import json

        command = [sys.executable, str(CHILD), str(delivery), str(self.work)]
        if limits:
            command.append(json.dumps(limits))
        measured = run_measured(command, env=self.env, cwd=self.cwd, timeout=timeout)
        assert not measured.timed_out, f"scan of {delivery.name} still running after {timeout} s"
        assert measured.returncode == 0, measured.stderr[-3000:]
        return json.loads(measured.stdout), measured

    def cli_scan(self, delivery: Path, timeout: float = HANG_GUARD_S) -> tuple[dict, Measured]:
        """``aireview scan --json --no-licenses`` in a fresh interpreter."""
        import json

        measured = run_measured([sys.executable, "-m", "desktop", "scan", "--json", "--no-licenses",
                                 str(delivery)], env=self.env, cwd=self.cwd, timeout=timeout)
        assert not measured.timed_out, f"aireview scan of {delivery.name} still running after {timeout} s"
        assert measured.returncode == 0, measured.stderr[-3000:]
        return json.loads(measured.stdout), measured
