"""Setup problems and closed pipes: one line naming the fix and exit 2, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LIBRARY_USERS = [
    ("scan", "{delivery}", "--json"),
    ("identify", "{license}"),
    ("review", "create", "{delivery}", "--db", "sqlite:///{tmp}/r.db", "--as", "Ada <ada@firm.example>"),
    ("--sample",),
]


def _env(**extra: str) -> dict[str, str]:
    env = os.environ.copy()
    env.update(extra)
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def _delivery(tmp_path: Path) -> Path:
    folder = tmp_path / "delivery"
    folder.mkdir()
    (folder / "LICENSE").write_text("Permission is hereby granted, free of charge, to any person.\n")
    (folder / "weights.bin").write_bytes(b"\0" * 64)
    return folder


@pytest.mark.parametrize("args", LIBRARY_USERS, ids=lambda a: " ".join(a[:2]))
def test_a_missing_reference_library_is_one_line_and_exit_2(tmp_path: Path, args: tuple[str, ...]) -> None:
    delivery = _delivery(tmp_path)
    argv = [a.format(delivery=delivery, license=delivery / "LICENSE", tmp=tmp_path) for a in args]
    out = subprocess.run([sys.executable, "-m", "desktop", *argv], capture_output=True, text=True, timeout=120,
                         env=_env(AIREVIEW_REFERENCE_DIR=str(tmp_path / "no-such-folder")))
    assert out.returncode == 2, out.stderr
    assert "Traceback" not in out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    assert lines[0].startswith("aireview: AIREVIEW_REFERENCE_DIR=")


def _site_without_reference_texts(tmp_path: Path) -> Path:
    """A copy (by symlinks) of this environment's site-packages without scancode-toolkit-mini."""
    site = Path(sysconfig.get_paths()["purelib"])
    view = tmp_path / "site"
    view.mkdir()
    for item in site.iterdir():
        name = item.name.lower()
        if name.startswith(("scancode_toolkit_mini", "licensedcode", "__editable__", "aireview_desk")):
            continue
        (view / item.name).symlink_to(item)
    return view


def test_an_install_without_the_reference_package_names_the_fix(tmp_path: Path) -> None:
    """What `pip install -e .` alone gives: the CLI says which package to install, exit 2."""
    view = _site_without_reference_texts(tmp_path)
    code = ("import sys; sys.path[:0] = [sys.argv.pop(1), sys.argv.pop(1)]; "
            "from desktop.cli import main; sys.exit(main())")
    out = subprocess.run([sys.executable, "-S", "-c", code, str(ROOT), str(view), "scan",
                          str(_delivery(tmp_path)), "--json"],
                         capture_output=True, text=True, timeout=120, env=_env())
    assert out.returncode == 2, out.stderr
    assert "Traceback" not in out.stderr
    assert out.stderr.strip().splitlines() == [
        "aireview: The license reference texts are missing: install them with "
        "`pip install --no-deps scancode-toolkit-mini==32.5.0` (see the README)."]


def test_output_piped_into_a_reader_that_stops_ends_quietly(sample_dir: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "desktop", "scan", str(sample_dir), "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env())
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # like `| head` exiting before the scan prints
    with proc.stderr:
        stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=300) in (0, 1)
    assert "Traceback" not in stderr
    assert "BrokenPipe" not in stderr
