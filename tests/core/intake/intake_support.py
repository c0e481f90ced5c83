"""Helpers for the intake tests: read a whole delivery and prove nothing was written."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from desktop.core.intake import LimitExceeded, Limits, Member, open_delivery
from desktop.core.jobs import CancelToken
from desktop.core.results import Problem


@dataclass
class Seen:
    """One yielded member with what reading it gave (bytes, or the limit it hit)."""

    member: Member
    data: bytes | None
    error: LimitExceeded | None
    spool_existed: bool


@dataclass
class Outcome:
    kind: str
    problems: list[Problem]
    seen: list[Seen]
    archive_paths: set[str]

    def by_path(self, path: str) -> Seen:
        matches = [s for s in self.seen if s.member.path == path]
        assert len(matches) == 1, f"{path!r} yielded {len(matches)} times: {self.paths()}"
        return matches[0]

    def paths(self) -> list[str]:
        return [s.member.path for s in self.seen]

    def codes(self, path: str) -> list[str]:
        return [p.code for p in self.by_path(path).member.problems]

    def delivery_codes(self) -> list[str]:
        return [p.code for p in self.problems]


def snapshot(root: Path, skip: Path) -> dict[str, tuple[int, int]]:
    """Every file and folder under ``root`` (not under ``skip``) with its size and mtime."""
    found: dict[str, tuple[int, int]] = {}
    skip_text = str(skip)
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if os.path.join(folder, d) != skip_text]
        for name in [*dirs, *files]:
            full = os.path.join(folder, name)
            info = os.lstat(full)
            found[full] = (info.st_size, info.st_mtime_ns if not os.path.isdir(full) else 0)
    return found


def read_delivery(path: Path, work_dir: Path, limits: Limits = Limits()) -> Outcome:  # noqa: B008
    """Open, read every member fully (as the scanner does), close, and check nothing was written."""
    watched = work_dir.parent.parent
    before = snapshot(watched, work_dir)
    delivery = open_delivery(path, work_dir, limits)
    seen: list[Seen] = []
    try:
        for member in delivery.members(CancelToken()):
            data, error = None, None
            spool = member.local_path is not None and work_dir in member.local_path.parents
            if member.opener is not None:
                try:
                    with member.opener() as stream:
                        parts = []
                        while chunk := stream.read(1 << 16):
                            parts.append(chunk)
                        data = b"".join(parts)
                except LimitExceeded as exc:
                    error = exc
            seen.append(Seen(member, data, error, spool and member.local_path.exists()))
        outcome = Outcome(delivery.kind, list(delivery.problems), seen, set(delivery.archive_paths))
    finally:
        delivery.close()
    assert snapshot(watched, work_dir) == before, "intake wrote outside its work folder"
    assert list(work_dir.iterdir()) == [], "intake left files in the work folder"
    return outcome


def named(problems: list[Problem], code: str) -> Problem:
    """The one problem with ``code``."""
    matches = [p for p in problems if p.code == code]
    assert len(matches) == 1, f"{code} not found once in {problems}"
    return matches[0]


def patch_zip_member(data: bytes, name: bytes, *, set_flags: int = 0, method: int | None = None) -> bytes:
    """Edit one member's flags / method in both its local and its central header, by hand."""
    import struct

    out = bytearray(data)
    pos = out.find(b"PK\x01\x02")
    patched = False
    while pos >= 0:
        n_name, n_extra, n_comment = struct.unpack_from("<3H", out, pos + 28)
        if bytes(out[pos + 46: pos + 46 + n_name]) == name:
            local = struct.unpack_from("<L", out, pos + 42)[0]
            for header, flag_at, method_at in ((pos, 8, 10), (local, 6, 8)):
                flags = struct.unpack_from("<H", out, header + flag_at)[0]
                struct.pack_into("<H", out, header + flag_at, flags | set_flags)
                if method is not None:
                    struct.pack_into("<H", out, header + method_at, method)
            patched = True
        pos = out.find(b"PK\x01\x02", pos + 46 + n_name + n_extra + n_comment)
    assert patched, name
    return bytes(out)
