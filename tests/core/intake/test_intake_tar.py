"""Tar deliveries: compressed or not, links, devices, hostile names, truncation and bombs."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest
from intake_support import named, read_delivery

from desktop.core.intake import Limits, UnusableInput, open_delivery

GOOD = {"README.md": b"# model\n", "weights/config.json": b'{"a": 1}'}


def _info(name: str, kind: bytes = tarfile.REGTYPE, size: int = 0, link: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.size, info.linkname = kind, size, link
    return info


def _tar(path: Path, members: list[tuple[tarfile.TarInfo | str, bytes]], mode: str = "w:gz",
         **options: object) -> Path:
    with tarfile.open(path, mode, **options) as archive:  # type: ignore[call-overload]
        for name, data in members:
            info = name if isinstance(name, tarfile.TarInfo) else _info(name, size=len(data))
            archive.addfile(info, io.BytesIO(data) if info.isreg() else None)
    return path


def _assert_good_members(outcome) -> None:
    for name, data in GOOD.items():
        seen = outcome.by_path(name)
        assert seen.data == data
        assert seen.member.problems == []


@pytest.mark.parametrize(("suffix", "mode"), [(".tar", "w"), (".tar.gz", "w:gz"), (".tgz", "w:gz"),
                                              (".tar.bz2", "w:bz2"), (".tar.xz", "w:xz")])
def test_tars_of_every_compression_list_in_order(tmp_path: Path, work_dir: Path, suffix: str,
                                                 mode: str) -> None:
    folder = (_info("weights", tarfile.DIRTYPE), b"")
    bundle = _tar(tmp_path / f"bundle{suffix}", [folder, *GOOD.items()], mode)
    outcome = read_delivery(bundle, work_dir)
    assert outcome.kind == "tar"
    assert outcome.paths() == list(GOOD)
    _assert_good_members(outcome)
    assert outcome.problems == []


def test_tar_gz_recognised_by_magic_without_suffix(tmp_path: Path, work_dir: Path) -> None:
    bundle = _tar(tmp_path / "delivery", list(GOOD.items()))
    assert read_delivery(bundle, work_dir).kind == "tar"


def test_links_devices_and_hostile_names_are_recorded(tmp_path: Path, work_dir: Path) -> None:
    bundle = _tar(tmp_path / "hostile.tar.gz", [
        (_info("etc-link", tarfile.SYMTYPE, link="/etc/passwd"), b""),
        (_info("sub/up", tarfile.SYMTYPE, link="../../x"), b""),
        (_info("sub/ok", tarfile.SYMTYPE, link="../README.md"), b""),
        (_info("hard", tarfile.LNKTYPE, link="README.md"), b""),
        (_info("tty", tarfile.CHRTYPE), b""),
        (_info("pipe", tarfile.FIFOTYPE), b""),
        ("/etc/evil", b"abs"),
        ("../evil.txt", b"up"),
        *GOOD.items(),
    ])
    outcome = read_delivery(bundle, work_dir)
    etc = outcome.by_path("etc-link").member
    assert (etc.kind, etc.link_target, etc.opener) == ("symlink", "/etc/passwd", None)
    assert named(etc.problems, "symlink-outside").message.startswith("etc-link:")
    assert outcome.codes("sub/up") == ["symlink-outside"]
    assert outcome.codes("sub/ok") == ["symlink"]
    hard = outcome.by_path("hard").member
    assert (hard.kind, hard.link_target, hard.opener) == ("hardlink", "README.md", None)
    assert named(hard.problems, "hardlink").message.startswith("hard:")
    tty, pipe = outcome.by_path("tty").member, outcome.by_path("pipe").member
    assert (tty.kind, tty.opener, outcome.codes("tty")) == ("device", None, ["device-file"])
    assert (pipe.kind, pipe.opener, outcome.codes("pipe")) == ("other", None, ["device-file"])
    assert named(tty.problems, "device-file").message.startswith("tty:")
    assert outcome.codes("etc/evil") == ["absolute-path"]
    assert outcome.by_path("etc/evil").data == b"abs"
    assert outcome.codes("../evil.txt") == ["path-traversal"]
    assert outcome.by_path("../evil.txt").data == b"up"
    _assert_good_members(outcome)


def test_duplicate_tar_names_are_all_scanned(tmp_path: Path, work_dir: Path) -> None:
    bundle = _tar(tmp_path / "dup.tar", [("a.txt", b"first"), ("a.txt", b"second"), *GOOD.items()], "w")
    outcome = read_delivery(bundle, work_dir)
    first, second = [s for s in outcome.seen if s.member.path == "a.txt"]
    assert first.data == b"first"
    assert second.data == b"second"         # extraction keeps the later copy: it is read too
    assert named(second.member.problems, "duplicate-name").message.startswith("a.txt:")
    _assert_good_members(outcome)


def test_undecodable_tar_name(tmp_path: Path, work_dir: Path) -> None:
    odd = b"bad\xff.txt".decode("utf-8", "surrogateescape")
    bundle = _tar(tmp_path / "names.tar", [(odd, b"odd"), *GOOD.items()], "w",
                  format=tarfile.GNU_FORMAT, encoding="utf-8", errors="surrogateescape")
    outcome = read_delivery(bundle, work_dir)
    seen = outcome.by_path("bad\ufffd.txt")
    assert seen.data == b"odd"
    assert named(seen.member.problems, "undecodable-name").message.startswith("bad\ufffd.txt:")
    _assert_good_members(outcome)


def _noise(size: int) -> bytes:
    return bytes((i * 7919 + i // 251) % 256 for i in range(size))


def test_truncated_tar_gz_keeps_the_members_before(tmp_path: Path, work_dir: Path) -> None:
    big = _noise(200_000)
    bundle = _tar(tmp_path / "cut.tar.gz", [*GOOD.items(), ("big.bin", big), ("after.txt", b"after")])
    data = bundle.read_bytes()
    bundle.write_bytes(data[: len(data) // 2])
    outcome = read_delivery(bundle, work_dir)
    _assert_good_members(outcome)
    assert outcome.paths() == [*GOOD, "big.bin"]
    broken = outcome.by_path("big.bin")
    assert broken.error is not None
    assert broken.error.code == "truncated-archive"
    assert named(outcome.problems, "truncated-archive").message.startswith("cut.tar.gz:")


def test_truncated_plain_tar_fails_the_cut_member(tmp_path: Path, work_dir: Path) -> None:
    bundle = _tar(tmp_path / "cut.tar", [*GOOD.items(), ("big.bin", _noise(50_000))], "w")
    data = bundle.read_bytes()
    bundle.write_bytes(data[: data.find(b"big.bin") + 512 + 20_000])
    outcome = read_delivery(bundle, work_dir)
    _assert_good_members(outcome)
    broken = outcome.by_path("big.bin")
    assert broken.error is not None
    assert broken.error.code == "truncated-archive"
    assert "20,000" in broken.error.message
    assert "truncated-archive" in outcome.delivery_codes()


def test_garbage_is_unusable(tmp_path: Path, work_dir: Path) -> None:
    fake = tmp_path / "fake.tar.gz"
    fake.write_bytes(b"\x1f\x8bnot really gzip")
    with pytest.raises(UnusableInput, match=r"fake\.tar\.gz"):
        open_delivery(fake, work_dir)


def test_tar_bomb_stops_the_archive(tmp_path: Path, work_dir: Path) -> None:
    members = [*GOOD.items(), ("zeros.bin", bytes(50 << 20)), ("after.txt", b"x")]
    bundle = _tar(tmp_path / "bomb.tar.gz", members)
    outcome = read_delivery(bundle, work_dir, Limits(ratio_grace_bytes=1 << 20))
    bomb = outcome.by_path("zeros.bin")
    assert bomb.error is not None
    assert bomb.error.code == "ratio-limit"
    assert "bomb.tar.gz" in bomb.error.message
    assert "after.txt" not in outcome.paths()
    assert named(outcome.problems, "ratio-limit").message.startswith("bomb.tar.gz:")
    _assert_good_members(outcome)


def test_too_many_tar_members(tmp_path: Path, work_dir: Path) -> None:
    bundle = _tar(tmp_path / "many.tar", [(f"f{i}", b"x") for i in range(8)], "w")
    outcome = read_delivery(bundle, work_dir, Limits(max_members=3))
    assert outcome.paths() == ["f0", "f1", "f2"]
    assert all(s.data == b"x" for s in outcome.seen)
    assert "too-many-members" in outcome.delivery_codes()
