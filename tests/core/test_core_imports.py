"""desktop.core never imports PySide6 (the CLI and the tests run it headless)."""

from __future__ import annotations

import subprocess
import sys

CODE = """
import importlib, pkgutil, sys
import desktop.core
names = [m.name for m in pkgutil.walk_packages(desktop.core.__path__, "desktop.core.")]
for name in names:
    importlib.import_module(name)
assert len(names) > 5, names
bad = sorted(m for m in sys.modules if m.split(".")[0] == "PySide6")
print(len(names), bad)
"""


def test_core_modules_do_not_import_qt() -> None:
    out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, check=True,
                         timeout=120)
    count, bad = out.stdout.strip().split(" ", 1)
    assert bad == "[]", f"desktop.core pulled in Qt: {bad}"
    assert int(count) > 5
