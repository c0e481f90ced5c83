"""Refresh packaging/requirements.lock: every package the app and its tests install, pinned.

    python3.11 packaging/lock.py && bash .ci/run        # refresh the lock, then run the whole suite

The ranges stay in pyproject.toml (for people who embed the package); this resolves them once,
for every platform at once (uv's universal mode writes Windows- and macOS-only packages with
markers), and adds the two pins the resolver does not see: setuptools, the build backend used
with ``--no-build-isolation``, and scancode-toolkit-mini, whose license texts are read as data and
which is installed without its dependencies. The README's commands and ``.ci/run`` install with
``pip install --no-deps -r packaging/requirements.lock``, so a new release upstream changes nothing
until this script is run again and the suite passes.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "packaging" / "requirements.lock"
UV = "uv==0.13.9"
BUILD = "setuptools>=68"
REFERENCE_TEXTS = "scancode-toolkit-mini==32.5.0"
HEADER = """\
# Every package of AI Review Desk and its test suite, pinned for CPython 3.11 on Windows, macOS and
# Linux. Install with: pip install --no-deps -r packaging/requirements.lock
# Refresh with:        python3.11 packaging/lock.py && bash .ci/run   (ranges live in pyproject.toml)
"""


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="aireview-lock-") as tmp:
        env_dir = Path(tmp) / "uv"
        venv.create(env_dir, with_pip=True)
        python = env_dir / ("Scripts" if sys.platform == "win32" else "bin") / "python"
        subprocess.run([str(python), "-m", "pip", "install", "-q", UV], check=True)
        extra = Path(tmp) / "build.in"
        extra.write_text(BUILD + "\n", encoding="utf-8")
        resolved = Path(tmp) / "resolved.txt"
        subprocess.run([str(python), "-m", "uv", "pip", "compile", str(ROOT / "pyproject.toml"), str(extra),
                        "--extra", "test", "--universal", "--python-version", "3.11", "--no-header",
                        "--no-annotate", "--quiet", "-o", str(resolved)], check=True, cwd=ROOT)
        body = resolved.read_text(encoding="utf-8")
    LOCK.write_text(HEADER + body + "# read as data only, installed without its dependencies:\n"
                    + REFERENCE_TEXTS + "\n", encoding="utf-8")
    print(f"wrote {LOCK.relative_to(ROOT)} ({body.count(chr(10))} packages)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
