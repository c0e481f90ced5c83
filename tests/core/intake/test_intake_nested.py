"""Nested archives: depth limits, spooling, damage inside, recognition, cancel and clean-up."""

from __future__ import annotations

import gzip
import io
import tarfile
import zipfile
from pathlib import Path

import pytest
from intake_support import named, read_delivery

from desktop.core.intake import Limits, open_delivery
from desktop.core.jobs import Cancelled, CancelToken


def _zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _tgz_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _chain(levels: int) -> tuple[str, bytes]:
    """d{levels}.zip inside ... inside d1; d2 is a tar.gz; each level holds levelN.txt."""
    name, data = f"d{levels}.zip", _zip_bytes({f"level{levels}.txt": b"deepest"})
    for level in range(levels - 1, 0, -1):
        members = {f"level{level}.txt": f"level {level}".encode(), name: data}
        if level == 2:
            name, data = "d2.tar.gz", _tgz_bytes(members)
        else:
            name, data = f"d{level}.zip", _zip_bytes(members)
    return name, data


CHAIN = ["d1.zip", "d2.tar.gz", "d3.zip", "d4.zip"]


def _expect_depth_three_opened_four_refused(outcome, prefix: str) -> None:
    inner = prefix + "!/".join(CHAIN)
    deepest_read = outcome.by_path(prefix + "!/".join(CHAIN[:3]) + "!/level3.txt")
    assert deepest_read.data == b"level 3"
    assert deepest_read.member.depth == prefix.count("!/") + 3
    refused = outcome.by_path(inner)
    assert [p.code for p in refused.member.problems] == ["nesting-too-deep"]
    assert refused.member.problems[0].message.startswith(inner + ":")
    assert refused.data is not None
    assert refused.data.startswith(b"PK\x03\x04")
    assert not any(p.startswith(inner + "!/") for p in outcome.paths())
    for level in range(1, 3):
        levels = prefix + "!/".join(CHAIN[:level])
        assert outcome.by_path(f"{levels}!/level{level}.txt").data == f"level {level}".encode()
        assert outcome.by_path(levels).spool_existed


def test_depth_three_is_opened_and_depth_four_refused_in_a_zip(tmp_path: Path, work_dir: Path) -> None:
    name, data = _chain(4)
    bundle = tmp_path / "d0.zip"
    bundle.write_bytes(_zip_bytes({"level0.txt": b"top", name: data}))
    outcome = read_delivery(bundle, work_dir)
    assert outcome.by_path("level0.txt").data == b"top"
    _expect_depth_three_opened_four_refused(outcome, "")
    assert {"d1.zip", "d1.zip!/d2.tar.gz"} <= outcome.archive_paths


def test_depth_rule_counts_a_zip_in_a_folder_as_depth_zero(tmp_path: Path, work_dir: Path) -> None:
    name, data = _chain(4)
    folder = tmp_path / "delivery"
    folder.mkdir()
    (folder / "d0.zip").write_bytes(_zip_bytes({"level0.txt": b"top", name: data}))
    (folder / "notes.txt").write_text("notes")
    outcome = read_delivery(folder, work_dir)
    assert outcome.kind == "folder"
    assert outcome.by_path("d0.zip").member.local_path == folder / "d0.zip"
    assert outcome.by_path("d0.zip!/level0.txt").data == b"top"
    _expect_depth_three_opened_four_refused(outcome, "d0.zip!/")
    assert outcome.by_path("notes.txt").data == b"notes"


def test_spools_are_deleted_once_their_archive_is_read(tmp_path: Path, work_dir: Path) -> None:
    bundle = tmp_path / "outer.zip"
    bundle.write_bytes(_zip_bytes({"a.zip": _zip_bytes({"x.txt": b"x"}), "b.txt": b"b"}))
    delivery = open_delivery(bundle, work_dir)
    spools: list[Path] = []
    try:
        for member in delivery.members(CancelToken()):
            if member.path == "a.zip":
                assert member.local_path is not None
                assert member.local_path.is_file()
                assert work_dir in member.local_path.parents
                assert "a.zip" not in member.local_path.name
                spools.append(member.local_path)
            if member.path == "b.txt":
                assert not spools[0].exists()
    finally:
        delivery.close()
    assert list(work_dir.iterdir()) == []


def test_damaged_nested_archives_are_problems_on_their_member(tmp_path: Path, work_dir: Path) -> None:
    cut = _tgz_bytes({"big.bin": bytes(range(256)) * 400, "z.txt": b"z"})
    bundle = tmp_path / "outer.zip"
    bundle.write_bytes(_zip_bytes({"broken.zip": b"PK\x03\x04 not really", "cut.tar.gz": cut[: len(cut) // 2],
                                   "fine.txt": b"fine"}))
    outcome = read_delivery(bundle, work_dir)
    broken = outcome.by_path("broken.zip")
    assert named(broken.member.problems, "truncated-archive").message.startswith("broken.zip:")
    assert broken.data == b"PK\x03\x04 not really"
    assert outcome.by_path("cut.tar.gz!/big.bin").error.code == "truncated-archive"
    assert named(outcome.problems, "truncated-archive").message.startswith("cut.tar.gz:")
    assert outcome.by_path("fine.txt").data == b"fine"


def test_archives_are_recognised_by_magic_but_documents_are_not(tmp_path: Path, work_dir: Path) -> None:
    inner = _zip_bytes({"word/document.xml": b"<w/>"})
    notes = gzip.compress(b'{"a": 1}' * 100, mtime=0)  # one fixed byte string (gzip stamps the time)
    bundle = tmp_path / "outer.zip"
    bundle.write_bytes(_zip_bytes({"payload.dat": _zip_bytes({"in.txt": b"in"}), "memo.docx": inner,
                                   "model.pt": inner, "data.gz": _tgz_bytes({"t.txt": b"t"}),
                                   "notes.json.gz": notes}))
    outcome = read_delivery(bundle, work_dir)
    assert outcome.by_path("payload.dat!/in.txt").data == b"in"
    assert outcome.by_path("data.gz!/t.txt").data == b"t"          # gzip magic with a tar inside
    assert outcome.by_path("memo.docx").data == inner
    assert outcome.by_path("notes.json.gz").data == notes
    assert not any(p.startswith(("memo.docx!/", "model.pt!/", "notes.json.gz!/")) for p in outcome.paths())
    assert outcome.archive_paths == {"payload.dat", "data.gz"}


def test_nested_bomb_trips_the_outer_ratio_too(tmp_path: Path, work_dir: Path) -> None:
    bundle = tmp_path / "outer.zip"
    bundle.write_bytes(_zip_bytes({"a.txt": b"a", "inner.zip": _zip_bytes({"zeros.bin": bytes(20 << 20)}),
                                   "z.txt": b"z"}))
    outcome = read_delivery(bundle, work_dir, Limits(ratio_grace_bytes=1 << 20))
    error = outcome.by_path("inner.zip!/zeros.bin").error
    assert error.code == "ratio-limit"
    assert "outer.zip" in error.message
    assert outcome.by_path("a.txt").data == b"a"
    assert outcome.paths() == ["a.txt", "inner.zip", "inner.zip!/zeros.bin"]     # the outer bomb stops
    assert any(p.message.startswith("outer.zip:") for p in outcome.problems if p.code == "ratio-limit")


def test_cancel_mid_iteration_raises_promptly(tmp_path: Path, work_dir: Path) -> None:
    bundle = tmp_path / "many.zip"
    bundle.write_bytes(_zip_bytes({f"f{i}.txt": b"x" for i in range(50)}))
    cancel = CancelToken()
    delivery = open_delivery(bundle, work_dir)
    members = delivery.members(cancel)
    try:
        seen = [next(members).path for _ in range(3)]
        cancel.cancel()
        with pytest.raises(Cancelled):
            next(members)
    finally:
        delivery.close()
    assert seen == ["f0.txt", "f1.txt", "f2.txt"]


def test_stopping_inside_a_nested_archive_leaves_no_spool(tmp_path: Path, work_dir: Path) -> None:
    bundle = tmp_path / "outer.zip"
    bundle.write_bytes(_zip_bytes({"a.zip": _zip_bytes({"x.txt": b"x", "y.txt": b"y"})}))
    delivery = open_delivery(bundle, work_dir)
    members = delivery.members(CancelToken())
    assert next(members).path == "a.zip"
    assert next(members).path == "a.zip!/x.txt"
    assert any(work_dir.rglob("*.spool"))
    delivery.close()
    assert list(work_dir.iterdir()) == []
