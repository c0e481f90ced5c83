"""Crash safety and two processes on one SQLite file.

The writers are forked children (an already-imported interpreter: 50 fresh Pythons would take
far longer than the writes).  Each prints an answer's number only after its commit returned;
the parent SIGKILLs it at a random point of the stream and then checks the file.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
from pathlib import Path

import pytest
from store_samples import ADA, BOB, build_scan

from desktop.core.store import CHECKLIST_ITEMS, StoreBusy, open_store

ROUNDS = 50


def _fork_writer(url: str, review_id: int, prefix: str, count: int, who: str) -> tuple[int, int]:
    """Start a child writing ``count`` answers; returns (pid, read end of its output pipe)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 1
        try:
            os.close(read_end)
            store = open_store(url)
            for n in range(count):
                item = CHECKLIST_ITEMS[n % len(CHECKLIST_ITEMS)]
                store.answer(review_id, item, "accept", f"{prefix}-{n}", reviewer=who)
                os.write(write_end, f"{prefix}-{n}\n".encode())
            store.close()
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    return pid, read_end


def _read_lines(fd: int, stop_after: int | None = None) -> list[str]:
    lines: list[str] = []
    buffer = b""
    with os.fdopen(fd, "rb", buffering=0) as pipe:
        while stop_after is None or len(lines) < stop_after:
            chunk = pipe.read(4096)
            if not chunk:
                break
            buffer += chunk
            *done, buffer = buffer.split(b"\n")
            lines += [d.decode() for d in done]
    return lines


def _rationales_in_trail(store_url: str) -> set[str]:
    with open_store(store_url) as store:
        return {e["new"]["rationale"] for e in store.history(entity="answer")
                if e["new"] and e["new"]["rationale"]}


def _integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


@pytest.mark.slow
def test_sigkill_during_answer_writes(tmp_path: Path) -> None:
    path = tmp_path / "reviews.db"
    url = f"sqlite:///{path}"
    with open_store(url) as store:
        review_id = store.create_review(build_scan(), reviewer=ADA, purpose="chat")
    rng = random.Random(20250101)
    acknowledged: set[str] = set()
    for round_no in range(ROUNDS):
        pid, fd = _fork_writer(url, review_id, f"r{round_no}", 1000, ADA)
        lines = _read_lines(fd, stop_after=rng.randint(1, 25))
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        acknowledged.update(lines)
        assert _integrity(path) == "ok"
        with open_store(url) as store:
            report = store.audit_verify()
            assert report.ok, report.problems
    missing = acknowledged - _rationales_in_trail(url)
    assert not missing, f"committed answers lost: {sorted(missing)[:5]}"
    assert len(acknowledged) >= ROUNDS


def test_two_processes_on_one_file(tmp_path: Path) -> None:
    path = tmp_path / "reviews.db"
    url = f"sqlite:///{path}"
    with open_store(url) as store:
        review_id = store.create_review(build_scan(), reviewer=ADA, purpose="chat")
    writers = [_fork_writer(url, review_id, name, 30, who)
               for name, who in (("ada", ADA), ("bob", BOB))]
    outputs = [_read_lines(fd) for _, fd in writers]
    for pid, _ in writers:
        _, status = os.waitpid(pid, 0)
        assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    assert [len(o) for o in outputs] == [30, 30]
    assert _integrity(path) == "ok"
    with open_store(url) as store:
        report = store.audit_verify()
        assert report.ok, report.problems
        assert set(outputs[0] + outputs[1]) <= _rationales_in_trail(url)


def test_locked_database_gives_a_clear_in_use_message(tmp_path: Path) -> None:
    path = tmp_path / "reviews.db"
    url = f"sqlite:///{path}"
    with open_store(url) as store:
        review_id = store.create_review(build_scan(), reviewer=ADA, purpose="chat")
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        with open_store(url, busy_timeout=0.2) as waiting:
            assert waiting.get_review(review_id)["id"] == review_id  # reading still works (WAL)
            with pytest.raises(StoreBusy, match="is in use by another program"):
                waiting.answer(review_id, "openness", "accept", "x", reviewer=ADA)
        holder.execute("ROLLBACK")
        with open_store(url) as store:
            store.answer(review_id, "openness", "accept", "after the lock", reviewer=ADA)
            assert store.audit_verify().ok
    finally:
        holder.close()
