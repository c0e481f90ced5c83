"""Zip deliveries: order, hostile names, links, duplicates, encryption, damage and bombs."""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

import pytest
from intake_support import named, patch_zip_member, read_delivery

from desktop.core.intake import Limits, UnusableInput, open_delivery

GOOD = {"README.md": b"# model\n", "weights/config.json": b'{"a": 1}'}


def _zip(path: Path, members: list[tuple[str | zipfile.ZipInfo, bytes]],
         method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return path


def _assert_good_members(outcome) -> None:
    for name, data in GOOD.items():
        seen = outcome.by_path(name)
        assert seen.data == data
        assert seen.member.problems == []


def test_plain_zip_lists_members_in_archive_order(tmp_path: Path, work_dir: Path) -> None:
    bundle = _zip(tmp_path / "bundle.zip", [("weights/", b""), *GOOD.items(), ("z/a.txt", b"z")])
    outcome = read_delivery(bundle, work_dir)
    assert outcome.kind == "zip"
    assert outcome.paths() == ["README.md", "weights/config.json", "z/a.txt"]
    assert all(s.member.local_path is None and s.member.depth == 0 for s in outcome.seen)
    _assert_good_members(outcome)
    assert outcome.problems == []


def test_zip_recognised_by_magic_without_suffix(tmp_path: Path, work_dir: Path) -> None:
    bundle = _zip(tmp_path / "delivery-2024", list(GOOD.items()))
    outcome = read_delivery(bundle, work_dir)
    assert outcome.kind == "zip"
    _assert_good_members(outcome)


def test_zip_slip_absolute_and_backslash_names_are_flagged(tmp_path: Path, work_dir: Path) -> None:
    bundle = _zip(tmp_path / "slip.zip", [
        (zipfile.ZipInfo("../evil.txt"), b"evil"),
        (zipfile.ZipInfo("/etc/evil"), b"abs"),
        (zipfile.ZipInfo("..\\..\\win.txt"), b"win"),
        *GOOD.items(),
    ])
    # zipfile strips a leading "/" when writing; put it back by hand in both headers.
    bundle.write_bytes(bundle.read_bytes().replace(b"etc/evil", b"/tc/evil"))
    outcome = read_delivery(bundle, work_dir)
    assert outcome.codes("../evil.txt") == ["path-traversal"]
    assert "'../evil.txt'" in named(outcome.by_path("../evil.txt").member.problems, "path-traversal").message
    assert outcome.by_path("../evil.txt").data == b"evil"
    absolute = outcome.by_path("tc/evil")
    assert [p.code for p in absolute.member.problems] == ["absolute-path"]
    assert "/tc/evil" in absolute.member.problems[0].message
    win = outcome.by_path("../../win.txt")
    assert [p.code for p in win.member.problems] == ["backslash-path", "path-traversal"]
    assert win.data == b"win"
    _assert_good_members(outcome)


def _unix_info(name: str, mode: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = mode << 16
    return info


def test_zip_symlinks_and_devices_are_recorded_not_read(tmp_path: Path, work_dir: Path) -> None:
    bundle = _zip(tmp_path / "links.zip", [
        (_unix_info("passwd", stat.S_IFLNK | 0o777), b"/etc/passwd"),
        (_unix_info("docs/readme", stat.S_IFLNK | 0o777), b"../README.md"),
        (_unix_info("tty", stat.S_IFCHR | 0o600), b""),
        *GOOD.items(),
    ])
    outcome = read_delivery(bundle, work_dir)
    passwd = outcome.by_path("passwd").member
    assert (passwd.kind, passwd.link_target, passwd.opener) == ("symlink", "/etc/passwd", None)
    assert named(passwd.problems, "symlink-outside").message.startswith("passwd:")
    inner = outcome.by_path("docs/readme").member
    assert (inner.kind, inner.link_target, [p.code for p in inner.problems]) == \
        ("symlink", "../README.md", ["symlink"])
    tty = outcome.by_path("tty").member
    assert (tty.kind, tty.opener, [p.code for p in tty.problems]) == ("device", None, ["device-file"])
    _assert_good_members(outcome)


def test_duplicate_names_are_all_scanned(tmp_path: Path, work_dir: Path) -> None:
    with pytest.warns(UserWarning, match="Duplicate name"):
        bundle = _zip(tmp_path / "dup.zip", [("a.txt", b"first"), ("a.txt", b"second"), *GOOD.items()])
    outcome = read_delivery(bundle, work_dir)
    first, second = [s for s in outcome.seen if s.member.path == "a.txt"]
    assert (first.data, first.member.problems) == (b"first", [])
    assert second.data == b"second"         # extraction keeps the later copy: it is read too
    assert named(second.member.problems, "duplicate-name").message.startswith("a.txt:")
    _assert_good_members(outcome)


def test_encrypted_member_is_skipped_with_a_problem(tmp_path: Path, work_dir: Path) -> None:
    bundle = _zip(tmp_path / "enc.zip", [("secret.bin", b"x" * 100), *GOOD.items()])
    bundle.write_bytes(patch_zip_member(bundle.read_bytes(), b"secret.bin", set_flags=0x1))
    outcome = read_delivery(bundle, work_dir)
    secret = outcome.by_path("secret.bin").member
    assert secret.opener is None
    assert secret.size == 100
    assert named(secret.problems, "encrypted").message.startswith("secret.bin:")
    _assert_good_members(outcome)


def test_unsupported_compression_method_is_skipped(tmp_path: Path, work_dir: Path) -> None:
    bundle = _zip(tmp_path / "m.zip", [("odd.bin", b"data"), *GOOD.items()])
    bundle.write_bytes(patch_zip_member(bundle.read_bytes(), b"odd.bin", method=9))
    outcome = read_delivery(bundle, work_dir)
    assert outcome.codes("odd.bin") == ["unsupported-compression"]
    assert outcome.by_path("odd.bin").member.opener is None
    _assert_good_members(outcome)


def test_undecodable_utf8_name_is_shown_with_replacement(tmp_path: Path, work_dir: Path) -> None:
    bundle = _zip(tmp_path / "names.zip", [("bad_XX.txt", b"odd"), *GOOD.items()])
    raw = bundle.read_bytes().replace(b"bad_XX", b"bad_\xff\xfe")
    bundle.write_bytes(patch_zip_member(raw, b"bad_\xff\xfe.txt", set_flags=0x800))
    outcome = read_delivery(bundle, work_dir)
    seen = outcome.by_path("bad_\ufffd\ufffd.txt")
    assert seen.data == b"odd"
    assert named(seen.member.problems, "undecodable-name").message.startswith("bad_\ufffd\ufffd.txt:")
    _assert_good_members(outcome)


def test_corrupt_member_data_fails_only_that_member(tmp_path: Path, work_dir: Path) -> None:
    bundle = _zip(tmp_path / "crc.zip", [*GOOD.items(), ("broken.txt", b"A" * 64)], zipfile.ZIP_STORED)
    bundle.write_bytes(bundle.read_bytes().replace(b"A" * 64, b"B" * 64))
    outcome = read_delivery(bundle, work_dir)
    broken = outcome.by_path("broken.txt")
    assert broken.error is not None
    assert broken.error.code == "corrupt-archive"
    assert "CRC" in broken.error.message
    _assert_good_members(outcome)


def test_damaged_central_directory_keeps_the_members_before(tmp_path: Path, work_dir: Path) -> None:
    bundle = _zip(tmp_path / "cd.zip", [*GOOD.items(), ("last.txt", b"last")])
    data = bytearray(bundle.read_bytes())
    third = data.rfind(b"PK\x01\x02")
    data[third: third + 4] = b"XXXX"
    bundle.write_bytes(bytes(data))
    outcome = read_delivery(bundle, work_dir)
    assert outcome.paths() == ["README.md", "weights/config.json"]
    _assert_good_members(outcome)
    assert named(outcome.problems, "corrupt-archive").message.startswith("cd.zip:")


def test_truncated_top_level_zip_is_unusable(tmp_path: Path, work_dir: Path) -> None:
    bundle = _zip(tmp_path / "cut.zip", [*GOOD.items(), ("big.bin", bytes(range(256)) * 40)])
    bundle.write_bytes(bundle.read_bytes()[:-200])
    with pytest.raises(UnusableInput, match="truncated") as caught:
        open_delivery(bundle, work_dir)
    assert caught.value.path == str(bundle)
    assert list(work_dir.iterdir()) == []


def test_not_a_zip_is_unusable(tmp_path: Path, work_dir: Path) -> None:
    fake = tmp_path / "fake.zip"
    fake.write_bytes(b"this is not a zip at all")
    with pytest.raises(UnusableInput, match="central directory"):
        open_delivery(fake, work_dir)


def test_too_many_members_stops_the_listing(tmp_path: Path, work_dir: Path) -> None:
    bundle = _zip(tmp_path / "many.zip", [(f"f{i:02}.txt", str(i).encode()) for i in range(10)])
    outcome = read_delivery(bundle, work_dir, Limits(max_members=4))
    assert outcome.paths() == ["f00.txt", "f01.txt", "f02.txt", "f03.txt"]
    assert [s.data for s in outcome.seen] == [b"0", b"1", b"2", b"3"]
    assert named(outcome.problems, "too-many-members").message.startswith("many.zip:")


def test_ratio_bomb_member_is_stopped_and_the_rest_continues(tmp_path: Path, work_dir: Path) -> None:
    members = [*GOOD.items(), ("zeros.bin", bytes(50 << 20)), ("after.txt", b"ok")]
    bundle = _zip(tmp_path / "bomb.zip", members)
    outcome = read_delivery(bundle, work_dir, Limits(ratio_grace_bytes=1 << 20))
    bomb = outcome.by_path("zeros.bin")
    assert bomb.error is not None
    assert bomb.error.code == "ratio-limit"
    assert "200:1" in bomb.error.message
    assert outcome.by_path("after.txt").data == b"ok"
    _assert_good_members(outcome)


def test_total_size_limit_stops_the_archive(tmp_path: Path, work_dir: Path) -> None:
    blocks = [(f"part{i}.bin", bytes([i]) * 4000) for i in range(5)]
    bundle = _zip(tmp_path / "total.zip", [*GOOD.items(), *blocks])
    outcome = read_delivery(bundle, work_dir, Limits(max_total_bytes=10_000))
    assert outcome.paths() == ["README.md", "weights/config.json", "part0.bin", "part1.bin", "part2.bin"]
    assert outcome.by_path("part1.bin").data == bytes([1]) * 4000
    assert outcome.by_path("part2.bin").error.code == "size-limit"
    assert named(outcome.problems, "size-limit").message.startswith("total.zip:")
    _assert_good_members(outcome)
