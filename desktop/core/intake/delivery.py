"""``open_delivery``: decide what a path is and hand back its members."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Generator, Iterator
from pathlib import Path

from desktop.core.intake.base import Limits, Member, UnusableInput
from desktop.core.intake.entries import ArchiveDamaged
from desktop.core.intake.folder import walk_folder
from desktop.core.intake.names import is_never_archive_name
from desktop.core.intake.sniff import SNIFF_BYTES, archive_kind, is_pdf_head
from desktop.core.intake.streams import ArchiveMeter, Budget
from desktop.core.intake.walker import (
    Session,
    StopDelivery,
    archive_kind_by_name,
    local_opener,
    open_archive,
    walk_archive,
)
from desktop.core.jobs import CancelToken
from desktop.core.results import Problem

Walk = Callable[[Session, CancelToken], Iterator[Member]]


class IntakeDelivery:
    """A delivery: its kind, delivery-level problems and a read-only walk over its members.

    ``archive_paths`` holds the path of every member that was recognised as an archive (its
    contents follow it as ``path!/...``).  A spooled archive's ``local_path`` lives only until
    the iteration has moved past its contents.
    """

    def __init__(self, kind: str, path: Path, session: Session, walk: Walk) -> None:
        self.kind = kind
        self.path = path
        self._session = session
        self._walk = walk
        self._running: list[Generator[Member, None, None]] = []

    @property
    def problems(self) -> list[Problem]:
        return self._session.problems

    @property
    def archive_paths(self) -> set[str]:
        return self._session.archive_paths

    def members(self, cancel: CancelToken) -> Iterator[Member]:
        """Yield the members in a stable order; raises ``Cancelled`` once ``cancel`` is triggered."""
        generator = self._members(cancel)
        self._running.append(generator)
        return generator

    def _members(self, cancel: CancelToken) -> Generator[Member, None, None]:
        session = self._session
        session.entries_seen = 0
        session.budget = Budget(session.limits)
        cancel.check()
        try:
            yield from self._walk(session, cancel)
        except StopDelivery:
            return

    def close(self) -> None:
        """Stop any walk still running and delete every spooled file."""
        for generator in self._running:
            generator.close()
        self._running.clear()
        self._session.close()

    def __enter__(self) -> IntakeDelivery:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def open_delivery(path: Path, work_dir: Path, limits: Limits = Limits()) -> IntakeDelivery:  # noqa: B008
    """Open a folder, archive, PDF, DOCX or single file for reading; never writes outside ``work_dir``.

    Raises ``UnusableInput`` when the path is missing or unreadable, or a top-level archive
    cannot be opened at all.
    """
    path = Path(path)
    session = Session(limits, work_dir)
    try:
        info = os.stat(path)
    except OSError as exc:
        raise UnusableInput(path, f"cannot be read ({exc.strerror or exc})") from None
    if stat.S_ISDIR(info.st_mode):
        try:
            with os.scandir(path):
                pass
        except OSError as exc:
            raise UnusableInput(path, f"the folder cannot be listed ({exc.strerror or exc})") from None
        return IntakeDelivery("folder", path, session, lambda s, c: walk_folder(s, path, c))
    if not stat.S_ISREG(info.st_mode):
        raise UnusableInput(path, "not a regular file or folder")
    try:
        with open(path, "rb") as stream:
            head = stream.read(SNIFF_BYTES)
    except OSError as exc:
        raise UnusableInput(path, f"cannot be read ({exc.strerror or exc})") from None
    kind = single_kind(path.name, head)
    if kind in ("zip", "tar"):
        try:
            open_archive(path, kind, path.name).close()
        except ArchiveDamaged as exc:
            raise UnusableInput(path, exc.message) from None
        return IntakeDelivery(kind, path, session, _archive_walk(path, kind))
    return IntakeDelivery(kind, path, session, _single_walk(path, info.st_size))


def single_kind(name: str, head: bytes) -> str:
    """``docx``, ``pdf``, ``zip``, ``tar`` or ``file`` for a single file, by suffix and first bytes."""
    lowered = name.lower()
    if lowered.endswith(".docx"):
        return "docx"
    if lowered.endswith(".pdf") or is_pdf_head(head):
        return "pdf"
    by_name = archive_kind_by_name(name)
    if by_name is None and is_never_archive_name(name):
        return "file"
    return archive_kind(head) or by_name or "file"


def _archive_walk(path: Path, kind: str) -> Walk:
    def walk(session: Session, cancel: CancelToken) -> Iterator[Member]:
        try:
            archive = open_archive(path, kind, path.name)
            packed = path.stat().st_size
        except (ArchiveDamaged, OSError) as exc:
            if isinstance(exc, ArchiveDamaged):
                session.note(Problem(exc.code, exc.message))
            else:
                session.note(Problem("unreadable", f"{path.name}: cannot be read ({exc})"))
            return
        meter = ArchiveMeter(path.name, packed, session.limits)
        yield from walk_archive(session, archive, cancel, prefix="", member_depth=0, archive_depth=0,
                                meter=meter)
    return walk


def _single_walk(path: Path, size: int) -> Walk:
    def walk(session: Session, cancel: CancelToken) -> Iterator[Member]:
        cancel.check()
        member = Member(path=path.name, size=size, local_path=path,
                        opener=local_opener(path.resolve(), size, session.limits))
        if size == 0:
            member.problems.append(Problem("empty-file", f"{path.name}: the file is empty"))
        yield member
    return walk
