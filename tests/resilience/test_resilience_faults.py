"""Faults: a full disk under the database and under a memo, a read-only and a corrupt database,
and SIGKILL in the middle of a scan and of memo exports.

A full disk is a small tmpfs mounted for the test when that is allowed (root on Linux);
elsewhere a child process runs with ``RLIMIT_FSIZE``, so writes past the cap fail with EFBIG.
The read-only database sits on that tmpfs remounted read-only (``chmod 444`` means nothing
to root); without a mount (not root) the file and its folder are made read-only with chmod.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import resilience_builders as build
from resilience_support import HERE, Sandbox

from desktop.core.memo.export import MemoError, write_new_file
from desktop.core.results import FileEntry, ScanResult
from desktop.core.store import CHECKLIST_ITEMS, Store, StoreError, open_store
from desktop.core.store.recovery import check_database, copy_for_recovery

ADA = "Ada Lovelace <ada@firm.example>"
MEMO_CHILD = HERE / "resilience_memo_child.py"


@contextlib.contextmanager
def small_disk(folder: Path, size: str = "2m") -> Iterator[bool]:
    """Mount a ``size`` tmpfs on ``folder``; yields False (nothing mounted) where not permitted."""
    folder.mkdir(parents=True, exist_ok=True)
    mounted = sys.platform.startswith("linux") and hasattr(os, "geteuid") and os.geteuid() == 0 and \
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                       capture_output=True, check=False).returncode == 0
    try:
        yield mounted
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)


def _fill(folder: Path) -> Path:
    """Take every free byte of the file system holding ``folder``."""
    filler = folder / "filler.bin"
    with open(filler, "wb") as out:
        try:
            while True:
                out.write(b"\0" * 65536)
                out.flush()
        except OSError:
            pass
    return filler


def _integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def _tiny_scan() -> ScanResult:
    files = [FileEntry(path="LICENSE", size=11, sha256="a" * 64, role="license"),
             FileEntry(path="model.safetensors", size=99, sha256="b" * 64, role="weights")]
    return ScanResult(source_path="/deliveries/acme", source_kind="folder", fingerprint="f" * 64,
                      files=files, components=[])


def _review(url: str) -> int:
    with open_store(url) as store:
        review_id = store.create_review(_tiny_scan(), reviewer=ADA, purpose="chat")
        store.answer(review_id, CHECKLIST_ITEMS[0], "accept", "answered before the disk filled", reviewer=ADA)
    return review_id


def _answer_until_failure(store: Store, review_id: int) -> tuple[list[str], StoreError]:
    saved: list[str] = []
    for n in range(500):
        rationale = f"answer {n} " + "x" * 20_000
        try:
            store.answer(review_id, CHECKLIST_ITEMS[n % len(CHECKLIST_ITEMS)], "accept", rationale,
                         reviewer=ADA)
        except StoreError as exc:
            return saved, exc
        saved.append(rationale)
    raise AssertionError("the database never ran out of space")


def _rationales(url: str) -> set[str]:
    with open_store(url) as store:
        assert store.audit_verify().ok
        return {e["new"]["rationale"] for e in store.history(entity="answer") if e["new"]}


def test_disk_full_while_writing_the_database(tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk") as mounted:
        if not mounted:
            _disk_full_database_in_child(tmp_path / "disk")
            return
        path = tmp_path / "disk" / "reviews.db"
        url = f"sqlite:///{path}"
        review_id = _review(url)
        with open_store(url) as store:          # the app holds the database open, then the disk fills
            filler = _fill(path.parent)
            saved, error = _answer_until_failure(store, review_id)
            assert "is full; the last change was not saved" in str(error) and str(path) in str(error)
            filler.unlink()
        assert _integrity(path) == "ok"
        kept = _rationales(url)
        assert {"answered before the disk filled", *saved} <= kept
        with open_store(url) as store:   # with space again, work goes on
            store.answer(review_id, CHECKLIST_ITEMS[0], "accept", "after freeing space", reviewer=ADA)
        assert "after freeing space" in _rationales(url)


def _disk_full_database_in_child(folder: Path) -> None:
    """The RLIMIT_FSIZE stand-in: a forked child writes until a file would pass 1 MB."""
    import resource

    path = folder / "reviews.db"
    url = f"sqlite:///{path}"
    review_id = _review(url)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))
            with open_store(url) as store:
                saved, error = _answer_until_failure(store, review_id)
            os.write(write_end, json.dumps({"saved": saved, "error": str(error)}).encode())
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        report = json.loads(pipe.read() or b"{}")
    os.waitpid(pid, 0)
    assert "the last change was not saved" in report["error"]
    assert _integrity(path) == "ok"
    assert set(report["saved"]) <= _rationales(url)


def test_read_only_database_gives_a_clear_error_and_keeps_answers(tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk", "8m") as mounted:
        path = tmp_path / "disk" / "reviews.db"
        url = f"sqlite:///{path}"
        review_id = _review(url)
        if mounted:                                  # the drive becomes read-only (as a locked share)
            subprocess.run(["mount", "-o", "remount,ro", str(path.parent)], check=True)
        else:                                        # not root: plain permissions are honoured
            path.chmod(0o444)
            path.parent.chmod(0o555)
        before = path.read_bytes()
        with pytest.raises(StoreError, match="is read-only") as err:
            open_store(url).get_review(review_id)
        assert str(path) in str(err.value)
        assert path.read_bytes() == before
        assert sorted(p.name for p in path.parent.iterdir()) == ["reviews.db"]
        if mounted:
            subprocess.run(["mount", "-o", "remount,rw", str(path.parent)], check=True)
        else:
            path.parent.chmod(0o755)
        assert "answered before the disk filled" in _rationales(url)


def test_corrupt_database_at_start_is_named_and_copied_never_touched(tmp_path: Path) -> None:
    path = tmp_path / "reviews.db"
    url = f"sqlite:///{path}"
    review_id = _review(url)
    with open_store(url) as store:
        for n in range(30):
            store.answer(review_id, CHECKLIST_ITEMS[n % len(CHECKLIST_ITEMS)], "accept", f"r{n} " + "y" * 3000,
                         reviewer=ADA)
    assert check_database(path) is None
    data = bytearray(path.read_bytes())
    page = 4096
    assert len(data) > 6 * page
    data[3 * page: 5 * page] = os.urandom(2 * page)          # two b-tree pages overwritten
    path.write_bytes(bytes(data))
    original = path.read_bytes()

    damage = check_database(path)
    assert damage is not None and str(path) in damage and "damaged" in damage
    with pytest.raises(StoreError, match="is damaged") as err:
        open_store(url)                                      # refused at start, not mid-review
    assert str(path) in str(err.value)

    copy = copy_for_recovery(path)
    assert copy != path and copy.parent == path.parent and copy.name.startswith("reviews.recovered-")
    assert copy.read_bytes() == original
    second = copy_for_recovery(path, tmp_path / "recovery")
    assert second.read_bytes() == original and second.parent == tmp_path / "recovery"
    assert path.read_bytes() == original                     # never rewritten, never deleted

    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(os.urandom(9000))
    assert "is not an SQLite database" in (check_database(garbage) or "")
    with pytest.raises(StoreError, match="is not a review database or is damaged"):
        open_store(f"sqlite:///{garbage}")
    assert check_database(tmp_path / "absent.db") is None


def test_disk_full_while_writing_a_memo(tmp_path: Path, sandbox: Sandbox) -> None:
    ids = tmp_path / "ids"
    ids.mkdir()
    with small_disk(tmp_path / "disk", "1m") as mounted:
        out = tmp_path / "disk" / "memos" / "memo.pdf"
        out.parent.mkdir()
        command = [sys.executable, str(MEMO_CHILD), str(ids), str(out)]
        if mounted:
            filler = _fill(out.parent.parent)
            with open(filler, "r+b") as f:           # leave 16 KB: the memo (~56 KB) cannot fit
                f.truncate(filler.stat().st_size - 16384)
        else:
            command += ["--fsize", "16384"]
        done = subprocess.run(command, env=sandbox.env, cwd=sandbox.cwd, capture_output=True, text=True,
                              timeout=120, check=False)
        assert done.returncode == 3, done.stderr[-2000:]
        report = json.loads(done.stdout.strip().splitlines()[-1])
        assert report["error"] == "MemoError"
        assert "no memo file was saved" in report["message"] and str(out.parent) in report["message"]
        assert list(out.parent.iterdir()) == []              # no half-written memo, no temporary file


def test_sigkill_during_memo_writes_never_leaves_a_partial_memo(tmp_path: Path) -> None:
    data = os.urandom(8 << 20)
    out = tmp_path / "memos" / "memo.pdf"
    rng = random.Random(11)
    for _ in range(12):
        pid = os.fork()
        if pid == 0:
            try:
                while True:
                    write_new_file(data, out)
            finally:
                os._exit(1)
        time.sleep(rng.uniform(0.01, 0.25))   # the kill lands at a random point of the writes
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    finals = [p for p in out.parent.iterdir() if not p.name.startswith(".")]
    assert finals, "no memo was ever completed"
    for memo in finals:
        assert memo.name.startswith("memo") and memo.suffix == ".pdf"
        assert memo.stat().st_size == len(data) and memo.read_bytes() == data, f"{memo.name} is partial"
    for leftover in set(out.parent.iterdir()) - set(finals):
        assert leftover.name.startswith(".memo-") and leftover.name.endswith(".part")


def test_memo_write_error_is_a_memo_error(tmp_path: Path) -> None:
    target = tmp_path / "not-a-folder"
    target.write_text("a file where the memo folder should be")
    with pytest.raises(MemoError, match="cannot be written in"):
        write_new_file(b"%PDF-1.7", target / "memo.pdf")


@pytest.mark.slow
def test_sigkill_during_real_memo_exports(tmp_path: Path, sandbox: Sandbox) -> None:
    from desktop.core.memo.identity import trust_roots
    from desktop.core.memo.verify import verify_memo

    ids = tmp_path / "ids"
    ids.mkdir()
    out = tmp_path / "memos" / "memo.pdf"
    out.parent.mkdir()
    rng = random.Random(7)
    for _ in range(6):
        child = subprocess.Popen([sys.executable, str(MEMO_CHILD), str(ids), str(out), "--repeat", "1000"],
                                 env=sandbox.env, cwd=sandbox.cwd, stdout=subprocess.PIPE, text=True)
        assert child.stdout is not None
        assert json.loads(child.stdout.readline()) == {"ready": True}
        # Kill at a random moment after the first memo is written (the first export warms Qt up,
        # later ones take ~0.1 s): the test waits on the child's word, not on the clock, so a
        # loaded machine changes where the kill lands, never whether each child wrote a memo.
        assert "path" in json.loads(child.stdout.readline())
        time.sleep(rng.uniform(0.0, 0.4))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
        child.stdout.close()
    roots = trust_roots(folder=ids)
    finals = sorted(p for p in out.parent.iterdir() if not p.name.startswith("."))
    assert len(finals) >= 6, [p.name for p in out.parent.iterdir()]
    for memo in finals:
        report = verify_memo(memo, trust=roots)
        assert report["valid"], (memo.name, report["problems"])
    for leftover in set(out.parent.iterdir()) - set(finals):
        assert leftover.name.startswith(".memo-") and leftover.name.endswith(".part")


def test_sigkill_during_a_scan_then_a_rerun_works(sandbox: Sandbox) -> None:
    big = sandbox.input / "delivery"
    big.mkdir()
    inner = build.hand_zip([("weights.bin", *build.repeated_deflate(os.urandom(1 << 20), 4)[:2], 4 << 20)])
    import zipfile

    with zipfile.ZipFile(big / "bundle.zip", "w") as zf:   # stored: the nested zip is spooled to work/
        for n in range(40):
            zf.writestr(f"part-{n:02d}.zip", inner)
    with open(big / "weights.bin", "wb") as f:
        f.truncate(3 << 30)                                  # sparse: hashing it takes seconds
    env = sandbox.env
    command = [sys.executable, str(HERE / "resilience_child.py"), str(big), str(sandbox.work)]
    child = subprocess.Popen(command, env=env, cwd=sandbox.cwd, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(sandbox.work.rglob("*.spool")):
        time.sleep(0.005)
    time.sleep(0.2)
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=60)
    stale = [p for p in sandbox.work.rglob("*") if p.is_file()]
    assert all(p.parent.name.startswith("intake-") for p in stale), stale   # private, random folders
    stale_folders = set(sandbox.work.iterdir())
    (big / "weights.bin").unlink()
    with open(big / "weights.bin", "wb") as f:
        f.truncate(16 << 20)
    doc, _measured = sandbox.scan(big)
    result = doc["result"]
    names = {f["path"] for f in result["files"]}
    assert {"weights.bin", "bundle.zip", "bundle.zip!/part-39.zip!/weights.bin"} <= names
    assert all(f["sha256"] for f in result["files"]), [f for f in result["files"] if not f["sha256"]]
    assert set(sandbox.work.iterdir()) == stale_folders   # the rerun cleaned up after itself
