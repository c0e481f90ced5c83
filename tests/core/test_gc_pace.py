"""A scan runs with fewer young collections and leaves the collector's pace as it found it."""

from __future__ import annotations

import gc
import threading

import pytest

from desktop.core.gc_pace import SCAN_THRESHOLD, fewer_collections


@pytest.fixture
def default_pace():
    saved = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield
    gc.set_threshold(*saved)


def test_the_pace_is_slower_inside_and_restored_after(default_pace):
    with fewer_collections():
        assert gc.get_threshold() == (SCAN_THRESHOLD, 10, 10)
    assert gc.get_threshold() == (700, 10, 10)


def test_restored_after_an_error(default_pace):
    with pytest.raises(RuntimeError), fewer_collections():
        raise RuntimeError("scan failed")
    assert gc.get_threshold() == (700, 10, 10)


def test_overlapping_scans_restore_the_pace_when_the_last_ends(default_pace):
    first_inside, release = threading.Event(), threading.Event()

    def first_scan() -> None:
        with fewer_collections():
            first_inside.set()
            release.wait(10)

    thread = threading.Thread(target=first_scan)
    thread.start()
    first_inside.wait(10)
    with fewer_collections():
        assert gc.get_threshold()[0] == SCAN_THRESHOLD
    assert gc.get_threshold()[0] == SCAN_THRESHOLD  # the first scan still runs
    release.set()
    thread.join(10)
    assert gc.get_threshold() == (700, 10, 10)


def test_a_switched_off_collector_stays_off(default_pace):
    gc.set_threshold(0, 10, 10)
    with fewer_collections():
        assert gc.get_threshold()[0] == 0
    assert gc.get_threshold() == (0, 10, 10)


def test_a_slower_pace_already_set_is_kept(default_pace):
    gc.set_threshold(SCAN_THRESHOLD * 3, 10, 10)
    with fewer_collections():
        assert gc.get_threshold()[0] == SCAN_THRESHOLD * 3
    assert gc.get_threshold()[0] == SCAN_THRESHOLD * 3


def test_a_scan_runs_at_the_slower_pace(default_pace, sample_dir, monkeypatch):
    from desktop.core import scan

    seen = []
    real = scan._scan_members

    def members(*args):
        seen.append(gc.get_threshold()[0])
        return real(*args)

    monkeypatch.setattr(scan, "_scan_members", members)
    scan.scan_path(sample_dir, options=scan.ScanOptions(identify=False, findings=False))
    assert seen == [SCAN_THRESHOLD]
    assert gc.get_threshold() == (700, 10, 10)
