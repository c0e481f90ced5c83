"""UI fixtures: fail any test that leaves a worker thread running."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QThread


@pytest.fixture(autouse=True)
def _no_leftover_threads(qapp):  # type: ignore[no-untyped-def]
    yield
    leftovers = [t for t in qapp.findChildren(QThread) if t.isRunning()]
    assert not leftovers, f"test left {len(leftovers)} QThread(s) running"
