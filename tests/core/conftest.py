"""Fixtures for core tests: the sample delivery built in a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop import paths
from desktop.core.sample import build_sample


@pytest.fixture
def sample_dir(tmp_path: Path) -> Path:
    return build_sample(tmp_path / "sample", paths.resources_dir() / "sample_delivery")


@pytest.fixture
def work_dir(tmp_path: Path) -> Path:
    path = tmp_path / "work"
    path.mkdir()
    return path
