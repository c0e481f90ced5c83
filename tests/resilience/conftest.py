"""Fixtures of the resilience suite (the helpers live in ``resilience_support``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from resilience_support import Sandbox


@pytest.fixture
def sandbox(tmp_path: Path) -> Sandbox:
    """A private HOME, TMPDIR, working folder and app folders under ``tmp_path``."""
    return Sandbox(tmp_path / "sandbox")
