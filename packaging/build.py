"""Build the installable desktop app: one entry point for CI and people.

    python packaging/build.py            # PyInstaller bundle for this system in dist/
    python packaging/build.py --self-test  # ... then run the frozen app's --self-test

Linux: dist/AIReviewDesk/ (+ .desktop file and icon). Windows: the same folder, then an
Inno Setup installer when `iscc` is on PATH. macOS: dist/AI Review Desk.app (signing:
packaging/macos/sign.sh).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "packaging"))


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def bundle_dir(dist: Path) -> Path:
    return dist / "AIReviewDesk"


def executable(dist: Path) -> Path:
    if sys.platform == "darwin":
        return dist / "AI Review Desk.app" / "Contents" / "MacOS" / "aireview"
    return bundle_dir(dist) / ("aireview.exe" if sys.platform == "win32" else "aireview")


def strip_binaries(folder: Path) -> None:
    """Drop debug symbols from shared libraries (not the vendored *.libs, whose layout strip breaks)."""
    if not shutil.which("strip"):
        return
    libs = [p for p in folder.rglob("*.so*") if p.is_file() and not p.is_symlink()
            and not any(part.endswith(".libs") for part in p.parts)]
    for lib in libs:
        subprocess.run(["strip", "--strip-unneeded", str(lib)], check=False, capture_output=True)


def build(dist: Path, work: Path) -> Path:
    """Run PyInstaller on packaging/desktop.spec; return the frozen executable."""
    from icons import write_icons

    from desktop import __version__
    from desktop.core.licenses import reference_dir
    from desktop.core.licenses.bundled import write_bundle_zip

    icons = write_icons(work / "icons")
    texts = write_bundle_zip(reference_dir(), work / "reference" / "licenses.zip")
    env = {**os.environ, "AIREVIEW_LICENSE_ZIP": str(texts), "AIREVIEW_ICON_DIR": str(icons),
           "AIREVIEW_VERSION": __version__}
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
           "--distpath", str(dist), "--workpath", str(work / "pyinstaller"), str(ROOT / "packaging" / "desktop.spec")]
    subprocess.run(cmd, check=True, env=env, cwd=ROOT)
    if sys.platform.startswith("linux"):
        strip_binaries(bundle_dir(dist))
        share = bundle_dir(dist) / "share"
        (share / "applications").mkdir(parents=True, exist_ok=True)
        (share / "icons").mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "packaging" / "linux" / "aireview.desktop", share / "applications")
        shutil.copy(icons / "app.png", share / "icons" / "aireview.png")
    if sys.platform == "win32" and shutil.which("iscc"):
        subprocess.run(["iscc", f"/DAppVersion={__version__}", f"/DSourceDir={bundle_dir(dist)}",
                        f"/DIconFile={icons / 'app.ico'}",
                        str(ROOT / "packaging" / "windows" / "installer.iss")], check=True)
    return executable(dist)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build")
    parser.add_argument("--self-test", action="store_true", help="run the frozen app's --self-test afterwards")
    args = parser.parse_args()
    t0 = time.monotonic()
    exe = build(args.dist, args.work)
    size = folder_size(exe.parent if sys.platform != "darwin" else exe.parents[2])
    print(f"built {exe} in {time.monotonic() - t0:.0f} s; bundle size {size / 1e6:.0f} MB unpacked")
    if args.self_test:
        return subprocess.run([str(exe), "--self-test"], check=False).returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
