"""Folder and single-file deliveries: sorted walk, links, special files, odd names."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

import pytest
from intake_support import named, read_delivery

from desktop.core.intake import LimitExceeded, UnusableInput, is_archive_name, open_delivery
from desktop.core.intake.delivery import single_kind
from desktop.core.jobs import CancelToken

GOOD = {"README.md": b"# model\n", "weights/config.json": b'{"a": 1}'}
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file types")


def _folder(root: Path, files: dict[str, bytes] = GOOD) -> Path:
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return root


def _assert_good_members(outcome, root: Path) -> None:
    for name, data in GOOD.items():
        seen = outcome.by_path(name)
        assert seen.data == data
        assert seen.member.problems == []
        assert seen.member.local_path == root / name


def test_folder_walk_is_sorted_with_slash_paths(tmp_path: Path, work_dir: Path) -> None:
    root = _folder(tmp_path / "model", {**GOOD, "b/z.txt": b"z", "a.txt": b"a", "b/a/deep.txt": b"d"})
    outcome = read_delivery(root, work_dir)
    assert outcome.kind == "folder"
    assert outcome.paths() == ["README.md", "a.txt", "b/a/deep.txt", "b/z.txt", "weights/config.json"]
    _assert_good_members(outcome, root)
    assert outcome.problems == []


def test_empty_file_is_a_member_with_a_problem(tmp_path: Path, work_dir: Path) -> None:
    root = _folder(tmp_path / "model", {**GOOD, "empty.txt": b""})
    outcome = read_delivery(root, work_dir)
    empty = outcome.by_path("empty.txt")
    assert empty.data == b""
    assert named(empty.member.problems, "empty-file").message.startswith("empty.txt:")
    _assert_good_members(outcome, root)


@posix_only
def test_symlinks_are_recorded_never_followed(tmp_path: Path, work_dir: Path) -> None:
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "key.txt").write_text("secret")
    root = _folder(tmp_path / "model")
    (root / "escape").symlink_to(secret / "key.txt")
    (root / "escape-rel").symlink_to("../secret/key.txt")
    (root / "escape-dir").symlink_to(secret, target_is_directory=True)
    (root / "inside").symlink_to("README.md")
    outcome = read_delivery(root, work_dir)
    escape = outcome.by_path("escape").member
    assert (escape.kind, escape.opener, escape.link_target) == ("symlink", None, str(secret / "key.txt"))
    assert named(escape.problems, "symlink-outside").message.startswith("escape:")
    assert outcome.codes("escape-rel") == ["symlink-outside"]
    assert outcome.codes("escape-dir") == ["symlink-outside"]
    assert not any("key.txt" in p for p in outcome.paths())
    inside = outcome.by_path("inside").member
    assert (inside.kind, inside.opener, inside.link_target) == ("symlink", None, "README.md")
    assert outcome.codes("inside") == ["symlink"]
    _assert_good_members(outcome, root)


@posix_only
def test_fifo_and_socket_are_skipped(tmp_path: Path, work_dir: Path) -> None:
    root = _folder(tmp_path / "model")
    os.mkfifo(root / "pipe")
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(root / "sock"))
        outcome = read_delivery(root, work_dir)
    finally:
        server.close()
    pipe = outcome.by_path("pipe").member
    assert (pipe.kind, pipe.opener) == ("other", None)
    assert named(pipe.problems, "device-file").message.startswith("pipe:")
    sock = outcome.by_path("sock").member
    assert (sock.kind, sock.opener, outcome.codes("sock")) == ("other", None, ["special-file"])
    _assert_good_members(outcome, root)


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0,
                    reason="permissions do not stop root (or Windows) from reading")
def test_unreadable_file_is_skipped(tmp_path: Path, work_dir: Path) -> None:
    root = _folder(tmp_path / "model", {**GOOD, "locked.bin": b"x"})
    (root / "locked.bin").chmod(0)
    try:
        outcome = read_delivery(root, work_dir)
    finally:
        (root / "locked.bin").chmod(0o600)
    locked = outcome.by_path("locked.bin").member
    assert locked.opener is None
    assert named(locked.problems, "unreadable").message.startswith("locked.bin:")
    _assert_good_members(outcome, root)


@pytest.mark.skipif(sys.platform != "linux", reason="byte file names")
def test_undecodable_file_name(tmp_path: Path, work_dir: Path) -> None:
    root = _folder(tmp_path / "model")
    with open(os.path.join(os.fsencode(root), b"bad\xff.txt"), "wb") as odd:
        odd.write(b"odd")
    outcome = read_delivery(root, work_dir)
    seen = outcome.by_path("bad\ufffd.txt")
    assert seen.data == b"odd"
    assert named(seen.member.problems, "undecodable-name").message.startswith("bad\ufffd.txt:")
    _assert_good_members(outcome, root)


def test_single_files(tmp_path: Path, work_dir: Path) -> None:
    pdf = tmp_path / "agreement.pdf"
    pdf.write_bytes(b"%PDF-1.7\n...")
    docx = tmp_path / "memo.docx"
    docx.write_bytes(b"PK\x03\x04 pretend docx")
    other = tmp_path / "LICENSE"
    other.write_text("MIT License")
    for path, kind in ((pdf, "pdf"), (docx, "docx"), (other, "file")):
        outcome = read_delivery(path, work_dir)
        assert outcome.kind == kind
        [seen] = outcome.seen
        assert (seen.member.path, seen.member.local_path, seen.data) == (path.name, path, path.read_bytes())


def test_missing_path_is_unusable(tmp_path: Path, work_dir: Path) -> None:
    with pytest.raises(UnusableInput, match="missing"):
        open_delivery(tmp_path / "missing", work_dir)
    assert list(work_dir.iterdir()) == []


def test_file_growing_while_read_is_reported(tmp_path: Path, work_dir: Path) -> None:
    root = _folder(tmp_path / "model", {"grow.txt": b"abc"})
    delivery = open_delivery(root, work_dir)
    try:
        [member] = list(delivery.members(CancelToken()))
        (root / "grow.txt").write_bytes(b"abcdef")
        with member.opener() as stream, pytest.raises(LimitExceeded, match="more than") as caught:
            stream.read()
        assert caught.value.code == "changed-while-reading"
    finally:
        delivery.close()


@pytest.mark.parametrize(("name", "expected"), [
    ("a.zip", True), ("A.ZIP", True), ("x.tar", True), ("x.tar.gz", True), ("x.tgz", True),
    ("x.tar.bz2", True), ("x.tbz2", True), ("x.tar.xz", True), ("x.txz", True),
    ("memo.docx", False), ("m.keras", False), ("m.pt", False), ("data.gz", False),
    ("x.tar.gz.part", False), ("zip", False),
])
def test_is_archive_name(name: str, expected: bool) -> None:
    assert is_archive_name(name) is expected


def test_single_kind_by_suffix_and_magic() -> None:
    assert single_kind("bundle.bin", b"PK\x03\x04") == "file"      # torch-style zip stays a file
    assert single_kind("bundle", b"PK\x03\x04") == "zip"
    assert single_kind("scan", b"%PDF-1.4") == "pdf"
    assert single_kind("notes.txt", b"hello") == "file"
