"""Memo files are written with the user's normal permissions (the umask), never 0600."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from desktop.core.memo.export import write_new_file


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_memo_file_follows_the_umask(tmp_path: Path, umask: int) -> None:
    old = os.umask(umask)
    try:
        written = write_new_file(b"%PDF-1.7 memo", tmp_path / "acme-model-1-0-review-memo.pdf")
        again = write_new_file(b"%PDF-1.7 memo 2", tmp_path / "acme-model-1-0-review-memo.pdf")
    finally:
        os.umask(old)
    assert written.name == "acme-model-1-0-review-memo.pdf"
    assert again.name == "acme-model-1-0-review-memo-2.pdf"
    for path in (written, again):
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
