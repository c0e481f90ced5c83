"""Walking archives: members in archive order, nested archives spooled and opened in turn."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from desktop.core.intake.base import LimitExceeded, Limits, Member
from desktop.core.intake.entries import ArchiveDamaged, ArchiveEntry
from desktop.core.intake.names import is_archive_name, is_never_archive_name
from desktop.core.intake.sniff import SNIFF_BYTES, archive_kind
from desktop.core.intake.streams import (
    ArchiveMeter,
    Budget,
    MeteredReader,
    Tally,
    archive_error,
    open_regular_file,
)
from desktop.core.intake.tar_reader import TarArchive
from desktop.core.intake.zip_reader import ZipArchive
from desktop.core.jobs import CancelToken
from desktop.core.results import Problem

SPOOL_CHUNK = 1 << 20
SPOOL_HEADROOM = 64 << 20     # free space left on the work disk after a spool


class StopDelivery(Exception):
    """No more members may be listed (member limit); the reason is already a delivery problem."""


class Session:
    """State shared by everything one delivery yields: limits, totals, spool folder, problems."""

    def __init__(self, limits: Limits, work_dir: Path) -> None:
        self.limits = limits
        self.budget = Budget(limits)
        self.problems: list[Problem] = []
        self.archive_paths: set[str] = set()
        self.entries_seen = 0
        self.started = time.monotonic()
        self._work_dir = Path(work_dir)
        self._private: Path | None = None

    def note(self, problem: Problem) -> None:
        """Record a delivery-level problem once."""
        if problem not in self.problems:
            self.problems.append(problem)

    def count_entry(self, label: str) -> None:
        """Count one listed entry; past ``max_members`` record the problem and stop the delivery."""
        self.entries_seen += 1
        if self.entries_seen > self.limits.max_members:
            self.note(Problem("too-many-members",
                              f"{label}: more than {self.limits.max_members:,} entries; "
                              "the rest are not listed"))
            raise StopDelivery
        limits = self.limits
        if self.entries_seen > limits.busy_members and self.entries_seen % 256 == 0 and \
                time.monotonic() - self.started > limits.max_busy_seconds:
            self.note(Problem("time-limit",
                              f"{label}: {self.entries_seen:,} entries took more than "
                              f"{limits.max_busy_seconds:g} s; the rest are not listed"))
            raise StopDelivery

    def spool(self, member: Member, cancel: CancelToken) -> Path:
        """Copy a nested archive, through its metered stream, to a random name in the private folder."""
        assert member.opener is not None
        if self._private is None:
            self._work_dir.mkdir(parents=True, exist_ok=True)
            self._private = Path(tempfile.mkdtemp(prefix="intake-", dir=self._work_dir))
        free = shutil.disk_usage(self._private).free
        if free < member.size + SPOOL_HEADROOM:
            raise OSError(f"only {free:,} bytes free in the work folder")
        fd, name = tempfile.mkstemp(dir=self._private, suffix=".spool")
        path = Path(name)
        try:
            with os.fdopen(fd, "wb") as out, member.opener() as source:
                while True:
                    cancel.check()
                    chunk = source.read(SPOOL_CHUNK)
                    if not chunk:
                        break
                    out.write(chunk)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return path

    def close(self) -> None:
        """Remove the private spool folder and everything in it."""
        if self._private is not None:
            shutil.rmtree(self._private, ignore_errors=True)
            self._private = None


def open_archive(path: Path, kind: str, label: str) -> ZipArchive | TarArchive:
    """Open a zip or tar file on disk; raises ``ArchiveDamaged`` when it cannot be read at all."""
    return ZipArchive(path, label) if kind == "zip" else TarArchive(path, label)


def archive_kind_by_name(name: str) -> str | None:
    """``zip`` or ``tar`` from a bundle suffix, else None."""
    if not is_archive_name(name):
        return None
    return "zip" if name.lower().endswith(".zip") else "tar"


def _sniff(member: Member) -> bytes:
    if member.opener is None or member.size == 0:
        return b""
    if member.head is not None:
        return member.head
    try:
        with member.opener() as stream:
            return stream.read(SNIFF_BYTES)
    except (LimitExceeded, OSError):
        return b""      # the consumer meets the same failure when it reads the member


def nested_kind(member: Member) -> str | None:
    """``zip``/``tar`` when a member is an archive to open (by suffix, else by magic), else None."""
    if member.kind != "file" or member.opener is None:
        return None
    name = member.path.rsplit("!/", 1)[-1].rsplit("/", 1)[-1]
    by_name = archive_kind_by_name(name)
    if by_name is None and is_never_archive_name(name):
        return None
    by_magic = archive_kind(_sniff(member))
    return by_magic or by_name


def metered_opener(entry: ArchiveEntry, session: Session, meter: ArchiveMeter) -> Callable[[], BinaryIO]:
    """An opener whose streams count into the delivery total and the archive's ratio."""
    assert entry.open_raw is not None
    open_raw = entry.open_raw
    tally = Tally()

    def open_member() -> BinaryIO:
        try:
            raw = open_raw()
        except Exception as exc:
            mapped = archive_error(exc)
            if mapped is None:
                raise
            raise mapped from None
        return MeteredReader(raw, declared=entry.size, tally=tally, limits=session.limits,  # type: ignore[return-value]
                             budget=session.budget, meter=meter, packed_size=entry.packed_size)

    return open_member


def local_opener(path: Path, size: int, limits: Limits) -> Callable[[], BinaryIO]:
    """An opener for a file on disk that refuses symlinks and notices a file changing size."""
    tally = Tally()

    def open_local() -> BinaryIO:
        return MeteredReader(open_regular_file(path), declared=size, tally=tally,  # type: ignore[return-value]
                             limits=limits, local=True)

    return open_local


def expand(session: Session, member: Member, cancel: CancelToken, *, archive_depth: int,
           parent: ArchiveMeter | None) -> Iterator[Member]:
    """Yield ``member``; when it is an archive, open it (spooled unless on disk) and yield its contents.

    ``archive_depth`` is the depth ``member`` would have as an archive (0: in the delivery itself).
    """
    kind = nested_kind(member)
    if kind is None:
        yield member
        return
    session.archive_paths.add(member.path)
    limits = session.limits
    if archive_depth > limits.max_depth:
        member.problems.append(Problem("nesting-too-deep",
                                       f"{member.path}: an archive nested {archive_depth} levels deep; "
                                       f"only {limits.max_depth} levels are opened, "
                                       "its contents are not listed"))
        yield member
        return
    if session.budget.exceeded:
        member.problems.append(Problem("size-limit", f"{member.path}: not opened, the delivery already "
                                                     "expanded past its size limit"))
        yield member
        return
    spool: Path | None = None
    if member.local_path is None:
        if member.size > limits.max_spool_bytes:
            member.problems.append(Problem("nested-too-large",
                                           f"{member.path}: a nested archive of {member.size:,} bytes, "
                                           f"over the {limits.max_spool_bytes:,} bytes that may be copied; "
                                           "not opened"))
            yield member
            return
        try:
            spool = session.spool(member, cancel)
        except LimitExceeded as exc:
            member.problems.append(Problem(exc.code, f"{member.path}: {exc.message}"))
            member.opener = None
            yield member
            return
        except OSError as exc:
            member.problems.append(Problem("spool-failed", f"{member.path}: could not be copied to the "
                                                           f"work folder to be opened ({exc})"))
            yield member
            return
        member.local_path = spool
        member.opener = local_opener(spool, spool.stat().st_size, limits)
    try:
        yield from _open_and_walk(session, member, kind, cancel, archive_depth, parent)
    finally:
        if spool is not None:
            _remove(spool)


def _remove(spool: Path) -> None:
    """Delete a spool now; if a reader still holds it open (Windows), ``close()`` removes it later."""
    with contextlib.suppress(OSError):
        spool.unlink(missing_ok=True)


def _open_and_walk(session: Session, member: Member, kind: str, cancel: CancelToken,
                   archive_depth: int, parent: ArchiveMeter | None) -> Iterator[Member]:
    assert member.local_path is not None
    try:
        packed = member.local_path.stat().st_size
        archive = open_archive(member.local_path, kind, member.path)
    except ArchiveDamaged as exc:
        member.problems.append(Problem(exc.code, exc.message))
        yield member
        return
    except OSError as exc:
        member.problems.append(Problem("unreadable", f"{member.path}: cannot be opened ({exc})"))
        yield member
        return
    try:
        yield member
        meter = ArchiveMeter(member.path, packed, session.limits, parent)
        yield from walk_archive(session, archive, cancel, prefix=member.path + "!/",
                                member_depth=member.depth + 1, archive_depth=archive_depth, meter=meter)
    finally:
        archive.close()


def walk_archive(session: Session, archive: ZipArchive | TarArchive, cancel: CancelToken, *, prefix: str,
                 member_depth: int, archive_depth: int, meter: ArchiveMeter) -> Iterator[Member]:
    """Yield an open archive's members (and nested contents) in archive order; closes the archive."""
    seen: set[str] = set()
    folded_seen: dict[str, str] = {}
    label = archive.label
    try:
        for entry in archive.entries():
            cancel.check()
            session.count_entry(label)
            if entry.kind == "dir":
                continue
            member = Member(path=prefix + entry.path, size=entry.size, kind=entry.kind,
                            link_target=entry.link_target, depth=member_depth, problems=entry.problems)
            if entry.path in seen:
                # Extraction keeps the later copy: it is scanned like the first.
                member.problems.append(Problem("duplicate-name", f"{member.path}: a second member with this "
                                                                 "name; extraction keeps this later copy, so "
                                                                 "both are scanned"))
            folded = unicodedata.normalize("NFKC", entry.path).casefold()
            if entry.path not in seen and folded in folded_seen:
                member.problems.append(Problem("name-collision", f"{member.path}: has the same name as "
                                               f"{folded_seen[folded]} on a case-insensitive or Unicode-"
                                               "normalising file system; extraction there keeps one of them"))
            folded_seen.setdefault(folded, entry.path)
            seen.add(entry.path)
            if entry.open_raw is not None:
                member.opener = metered_opener(entry, session, meter)
            yield from expand(session, member, cancel, archive_depth=archive_depth + 1, parent=meter)
            if _stopped(session, meter, label):
                return
    except ArchiveDamaged as exc:
        session.note(Problem(exc.code, exc.message))
    finally:
        archive.close()


def _stopped(session: Session, meter: ArchiveMeter, label: str) -> bool:
    if session.budget.exceeded:
        if any(p.code == "size-limit" for p in session.problems):
            return True
        session.note(Problem("size-limit", f"{label}: the delivery expanded past "
                                           f"{session.limits.max_total_bytes:,} bytes; the rest of this "
                                           "archive is not listed"))
        return True
    if meter.stopped:
        session.note(Problem("ratio-limit", f"{label}: expanded past the {session.limits.max_ratio:g}:1 "
                                            "ratio limit; the rest of this archive is not listed"))
        return True
    return False
