"""What the zip and tar readers hand to the archive walker."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import BinaryIO

from desktop.core.results import Problem


class ArchiveDamaged(Exception):
    """An archive cannot be opened, or its listing breaks off; ``code`` is the problem code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class ArchiveEntry:
    """One raw entry of an archive, before nesting and duplicate checks.

    ``kind`` is ``file``, ``dir``, ``symlink``, ``hardlink``, ``device`` or ``other``.
    ``open_raw`` returns the expanded content (unmetered) or is None when it must not be read.
    ``packed_size`` is the compressed size when the format records one per member (zip).
    """

    path: str
    kind: str
    size: int
    problems: list[Problem] = field(default_factory=list)
    link_target: str | None = None
    open_raw: Callable[[], BinaryIO] | None = None
    packed_size: int | None = None
