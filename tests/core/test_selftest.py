"""`aireview --self-test` runs the whole flow headless and exits 0."""

from __future__ import annotations

import os
import subprocess
import sys


def test_self_test_passes_from_the_installed_package(tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = {**os.environ, "AIREVIEW_DATA_DIR": str(tmp_path / "data")}
    out = subprocess.run([sys.executable, "-m", "desktop", "--self-test"], capture_output=True, text=True,
                         env=env, timeout=600)
    assert out.returncode == 0, out.stdout + out.stderr
    lines = out.stdout.splitlines()
    assert lines[-1].startswith("self-test passed")
    assert any("LICENSE = apache-2.0" in line for line in lines)
    assert any("both signatures intact and trusted, delivery identical" in line for line in lines)
    assert not (tmp_path / "data" / "reviews.db").exists(), "the self-test uses a throwaway database"
