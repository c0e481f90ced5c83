"""The intake contract: a delivery is a read-only sequence of members."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Protocol

from desktop.core.jobs import CancelToken
from desktop.core.results import Problem

GiB = 1 << 30


class UnusableInput(Exception):
    """The delivery cannot be opened at all (missing, unreadable, not a supported kind)."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


class LimitExceeded(Exception):
    """A stream went past a size or ratio limit while it was read; ``code`` is the problem code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Limits:
    """Bounds that keep hostile archives harmless."""

    max_members: int = 100_000
    # Many tiny members cost time, not bytes: past `busy_members` entries, listing stops once
    # the delivery has been read for `max_busy_seconds` (a "time-limit" problem).
    busy_members: int = 10_000
    max_busy_seconds: float = 30.0
    max_total_bytes: int = 2 << 40          # 2 TiB expanded over the whole delivery
    max_ratio: float = 200.0                 # expanded : compressed ...
    ratio_grace_bytes: int = GiB             # ... checked once this much has been expanded
    max_depth: int = 3                       # nested archives: an archive inside the top one is depth 1
    max_spool_bytes: int = 64 * GiB          # largest nested member copied to the work dir


@dataclass
class Member:
    """One entry of a delivery.

    ``path`` is relative with ``/`` separators; members of archives read as
    ``bundle.zip!/inner/path`` (one ``!/`` per nesting level).
    ``opener`` returns a fresh binary stream of the content, or is ``None`` when the
    member was skipped (its ``problems`` say why).  For tar streams an opener is valid
    only until the iteration moves on.  ``local_path`` is set when the content is a real
    seekable file on disk (folder sources, spooled nested archives).
    """

    path: str
    size: int
    kind: str = "file"              # file | symlink | hardlink | device | other
    opener: Callable[[], BinaryIO] | None = None
    local_path: Path | None = None
    link_target: str | None = None
    depth: int = 0
    problems: list[Problem] = field(default_factory=list)
    # Leading bytes already read by intake (folder files), so the archive sniff needs no second open.
    head: bytes | None = field(default=None, repr=False)


class Delivery(Protocol):
    """What intake returns for a path: its kind, delivery-level problems and its members."""

    kind: str                 # folder | zip | tar | file | pdf | docx
    path: Path
    problems: list[Problem]

    def members(self, cancel: CancelToken) -> Iterator[Member]: ...

    def close(self) -> None: ...
