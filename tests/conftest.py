"""Suite-wide set-up: offscreen Qt, private app folders, and the network guard."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["HF_HUB_OFFLINE"] = "1"

TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS))

import netguard_impl  # noqa: E402

# The suite runs in parallel workers (pytest-xdist). The first process to load this file (the
# controller, or the only process) makes the session folder and the network-guard log; workers
# inherit both through the environment, so the controller's final check sees every attempt.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if "AIREVIEW_TEST_SESSION" not in os.environ:
    os.environ["AIREVIEW_TEST_SESSION"] = tempfile.mkdtemp(prefix="aireview-tests-")
_SESSION_DIR = Path(os.environ["AIREVIEW_TEST_SESSION"])
NETGUARD_LOG = _SESSION_DIR / "netguard.log"
NETGUARD_LOG.touch()
os.environ["AIREVIEW_NETGUARD_LOG"] = str(NETGUARD_LOG)
if str(TESTS / "netguard") not in os.environ.get("PYTHONPATH", "").split(os.pathsep):
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [str(TESTS / "netguard"), *filter(None, [os.environ.get("PYTHONPATH")])])
# The app's data and cache folders live in the session folder (one per worker), never in the user's.
_OWN_DIR = _SESSION_DIR / (WORKER or "main")
os.environ["AIREVIEW_DATA_DIR"] = str(_OWN_DIR / "data")
os.environ["AIREVIEW_CACHE_DIR"] = str(Path(os.environ.get("AIREVIEW_TEST_CACHE", _OWN_DIR / "cache")))
netguard_impl.install(str(NETGUARD_LOG))

# Property tests run the same examples every time (a CI run is repeatable); the long, random
# fuzzing lives in bench/fuzz_long.py.
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("suite", derandomize=True, database=None)
_hypothesis_settings.load_profile("suite")


def pytest_collection_modifyitems(items):  # type: ignore[no-untyped-def]
    """Tests that use a QApplication are marked ``gui`` (``-m "not gui"`` is the fast run)."""
    import pytest

    for item in items:
        if {"qtbot", "qapp", "qtmodeltester"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.gui)


def pytest_sessionfinish(session, exitstatus):  # type: ignore[no-untyped-def]
    """Fail the run if anything, in any worker or a child, tried to reach the network (checked
    by the controller, after every worker has ended)."""
    if WORKER:
        return
    attempts = NETGUARD_LOG.read_text(encoding="utf-8").strip()
    if attempts:
        sys.stderr.write(f"\nNetwork access was attempted during the tests:\n{attempts}\n")
        session.exitstatus = 1
