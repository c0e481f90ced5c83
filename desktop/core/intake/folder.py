"""Folder deliveries: a sorted walk that never follows links and never blocks on special files."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

from desktop.core.intake.base import Member
from desktop.core.intake.names import has_surrogates, link_problem, readable_name
from desktop.core.intake.sniff import SNIFF_BYTES
from desktop.core.intake.streams import read_head
from desktop.core.intake.walker import Session, expand, local_opener
from desktop.core.jobs import CancelToken
from desktop.core.results import Problem


def walk_folder(session: Session, root: Path, cancel: CancelToken) -> Iterator[Member]:
    """Yield the members under ``root`` depth-first, each folder's entries sorted by name."""
    root_real = os.path.realpath(root)
    label = root.name or str(root)
    stack = [iter(_listing(session, str(root), ""))]
    while stack:
        item = next(stack[-1], None)
        if item is None:
            stack.pop()
            continue
        cancel.check()
        raw_rel, entry = item
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError as exc:
            session.count_entry(label)
            yield _unreadable(raw_rel, exc)
            continue
        if stat.S_ISDIR(info.st_mode):
            stack.append(iter(_listing(session, entry.path, raw_rel + "/")))
            continue
        session.count_entry(label)
        member = _member(raw_rel, entry, info, root_real, session)
        if member.opener is not None:
            yield from expand(session, member, cancel, archive_depth=0, parent=None)
        else:
            yield member


def _listing(session: Session, folder: str, prefix: str) -> list[tuple[str, os.DirEntry[str]]]:
    try:
        with os.scandir(folder) as found:
            entries = sorted(found, key=lambda e: e.name)
    except OSError as exc:
        shown = readable_name(prefix.rstrip("/")) or "."
        session.note(Problem("unreadable", f"{shown}: the folder cannot be listed ({exc.strerror or exc})"))
        return []
    return [(prefix + e.name, e) for e in entries]


def _name_problems(raw_rel: str, path: str) -> list[Problem]:
    if not has_surrogates(raw_rel):
        return []
    return [Problem("undecodable-name",
                    f"{path}: the name is not valid UTF-8; bad bytes are shown as \ufffd")]


def _unreadable(raw_rel: str, exc: OSError) -> Member:
    path = readable_name(raw_rel)
    problems = _name_problems(raw_rel, path)
    problems.append(Problem("unreadable", f"{path}: cannot be read ({exc.strerror or exc})"))
    return Member(path=path, size=0, kind="other", problems=problems)


def _member(raw_rel: str, entry: os.DirEntry[str], info: os.stat_result, root_real: str,
            session: Session) -> Member:
    path = readable_name(raw_rel)
    local = Path(entry.path)
    member = Member(path=path, size=info.st_size, problems=_name_problems(raw_rel, path))
    mode = info.st_mode
    if stat.S_ISLNK(mode):
        member.kind, member.size = "symlink", 0
        try:
            member.link_target = readable_name(os.readlink(local))
        except OSError as exc:
            member.link_target = ""
            member.problems.append(Problem("unreadable", f"{path}: the link cannot be read ({exc.strerror})"))
            return member
        member.problems.append(_folder_link_problem(path, member.link_target, entry.path, root_real))
    elif stat.S_ISREG(mode):
        try:  # readable now; the head also serves the archive sniff
            member.head = read_head(local, SNIFF_BYTES if info.st_size else 0)
        except OSError as exc:
            member.problems.append(Problem("unreadable", f"{path}: cannot be read ({exc.strerror or exc})"))
            return member
        member.opener = local_opener(local, info.st_size, session.limits)
        member.local_path = local       # only regular files: a link's path would be followed
        if info.st_size == 0:
            member.problems.append(Problem("empty-file", f"{path}: the file is empty"))
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISFIFO(mode):
        member.kind = "device" if not stat.S_ISFIFO(mode) else "other"
        member.size = 0
        member.problems.append(Problem("device-file", f"{path}: a device or FIFO, not a file; skipped"))
    else:
        member.kind, member.size = "other", 0
        member.problems.append(Problem("special-file", f"{path}: a socket or other special file; skipped"))
    return member


def _folder_link_problem(path: str, target: str, link: str, root_real: str) -> Problem:
    """Judge a link by where it really ends up (resolving chains), without reading through it."""
    real = os.path.realpath(link)
    try:
        inside = os.path.commonpath([real, root_real]) == root_real
    except ValueError:          # another drive on Windows
        inside = False
    return link_problem(path, target, outside=not inside)
