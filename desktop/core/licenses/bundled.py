"""Reference texts inside the packaged app: a zip in the bundle, unpacked once to the cache.

The installed (unfrozen) app reads the texts straight from the scancode-toolkit-mini package;
the frozen app carries them as ``licensedcode/licenses.zip`` to keep the bundle small.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

BUNDLED_ZIP = Path("licensedcode") / "licenses.zip"


def bundled_zip() -> Path | None:
    """The zip of reference texts when running frozen, else None."""
    base = getattr(sys, "_MEIPASS", None)
    if not getattr(sys, "frozen", False) or not base:
        return None
    path = Path(base) / BUNDLED_ZIP
    return path if path.is_file() else None


def unpacked_reference_dir(archive: Path, cache_dir: Path) -> Path:
    """Unpack ``archive`` into ``cache_dir`` once (keyed by its hash) and return the folder."""
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()[:16]
    target = cache_dir / "reference-texts" / digest
    if (target / "licenses").is_dir():
        return target / "licenses"
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".unpack-", dir=target.parent))
    try:
        (staging / "licenses").mkdir()
        with zipfile.ZipFile(archive) as zf:
            for info in zf.infolist():
                name = Path(info.filename).name  # flat folder: never a path taken from the zip
                if info.is_dir() or not name.endswith(".LICENSE"):
                    continue
                with zf.open(info) as src, open(staging / "licenses" / name, "wb") as dst:
                    shutil.copyfileobj(src, dst)
        staging.rename(target)
    except FileExistsError:
        pass  # another process unpacked it first
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return target / "licenses"


def write_bundle_zip(source_dir: Path, out: Path) -> Path:
    """Zip the ``*.LICENSE`` files of ``source_dir`` (used by packaging/build.py)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for path in sorted(source_dir.glob("*.LICENSE")):
            zf.write(path, path.name)
    return out
