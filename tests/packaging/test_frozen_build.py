"""Build the Linux bundle with packaging/build.py and run the frozen app's --self-test."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MB = 1_000_000


def _tree(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file() and not p.is_symlink()}


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the CI build test is the Linux bundle")
def test_linux_bundle_builds_and_passes_its_self_test(tmp_path: Path) -> None:
    dist, work = tmp_path / "dist", tmp_path / "build"
    subprocess.run([sys.executable, str(ROOT / "packaging" / "build.py"), "--dist", str(dist), "--work", str(work)],
                   check=True, cwd=ROOT, timeout=1200)
    bundle = dist / "AIReviewDesk"
    exe = bundle / "aireview"
    assert exe.is_file()
    size = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file() and not p.is_symlink())
    assert size < 250 * MB, f"bundle is {size / MB:.0f} MB unpacked"
    internal = bundle / "_internal"
    assert (internal / "licensedcode" / "licenses.zip").is_file()
    assert not (internal / "licensedcode" / "data").exists(), "only the zipped texts, not ScanCode"
    assert (internal / "templates" / "memo.html.j2").is_file()
    assert not list(internal.rglob("*WebEngine*")), "QtWebEngine must be left out"
    assert (bundle / "share" / "applications" / "aireview.desktop").is_file()

    # A fresh user: the data and cache folders do not exist yet; the install folder is never written.
    home = tmp_path / "user"
    env = {**os.environ, "AIREVIEW_DATA_DIR": str(home / "data"), "AIREVIEW_CACHE_DIR": str(home / "cache"),
           "QT_QPA_PLATFORM": "offscreen"}
    before = _tree(bundle)
    out = subprocess.run([str(exe), "--self-test"], env=env, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "self-test passed" in out.stdout
    listed = subprocess.run([str(exe), "review", "list", "--json"], env=env, capture_output=True, text=True,
                            timeout=300)
    assert listed.returncode == 0, listed.stderr
    assert (home / "data" / "reviews.db").is_file(), "the first run creates the database"
    assert (home / "cache" / "reference-texts").is_dir(), "reference texts unpacked to the per-user cache"
    assert _tree(bundle) == before, "the app wrote into its install folder"
