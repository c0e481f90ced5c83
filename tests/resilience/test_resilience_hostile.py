"""Hand-made hostile deliveries, each scanned end to end in a fresh interpreter.

Every test checks the clear reason (problem code, and a message that starts with the member's
path), that the child stayed under 500 MB peak RSS and finished (a hang guard, not a speed
target), and that nothing was written outside the app's own folders.  Bomb tests in the normal
run use a 16 MiB ratio grace instead of 1 GiB so they stop in a second; the ``slow`` tests run
the same bombs through ``aireview scan`` with the default limits.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
import resilience_builders as build
from resilience_support import MEMORY_BOUND_MB, Measured, Sandbox

FAST_BOMB_LIMITS = {"ratio_grace_bytes": 16 << 20}


def _files(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["path"]: f for f in doc["files"]}


def _codes(entry: dict[str, Any]) -> set[str]:
    return {p["code"] for p in entry["problems"]}


def _all_codes(doc: dict[str, Any]) -> set[str]:
    return {p["code"] for f in doc["files"] for p in f["problems"]} | {
        p["code"] for p in doc["source"]["problems"]}


def _assert_named(entry: dict[str, Any], code: str) -> str:
    """The member carries ``code`` with a message that names it; returns the message."""
    messages = [p["message"] for p in entry["problems"] if p["code"] == code]
    assert messages, f"{entry['path']}: no {code} in {entry['problems']}"
    assert messages[0].startswith(entry["path"].rsplit("!/", 1)[-1].split("/")[0]) or \
        messages[0].startswith(entry["path"]), messages[0]
    return messages[0]


def _bounded(measured: Measured) -> None:
    assert measured.peak_rss_mb < MEMORY_BOUND_MB, f"peak RSS {measured.peak_rss_mb:.0f} MB"


def _scan(sandbox: Sandbox, delivery: Path, limits: dict[str, object] | None = None) -> dict[str, Any]:
    sandbox.start_watch()
    doc, measured = sandbox.scan(delivery, limits)
    _bounded(measured)
    sandbox.assert_contained()
    assert doc["unusable"] is None, doc["unusable"]
    return doc["result"]


def test_zip_slip_names_are_flagged_never_extracted(sandbox: Sandbox) -> None:
    delivery = build.zip_slip(sandbox.input / "slip.zip", sandbox.marker)
    sandbox.start_watch()
    doc, measured = sandbox.cli_scan(delivery)
    _bounded(measured)
    sandbox.assert_contained()
    files = _files(doc)
    climbing = [f for f in files.values() if sandbox.marker in f["path"]]
    assert len(climbing) == 3
    for entry in climbing:
        assert "path-traversal" in _codes(entry)
        assert "never extracted" in _assert_named(entry, "path-traversal")
    assert "backslash-path" in _codes(next(f for f in climbing if "backslash" in f["path"]))
    assert _codes(files["model/README.md"]) == set()


def test_absolute_member_names_in_zip_and_tar(sandbox: Sandbox) -> None:
    for delivery in (build.absolute_paths(sandbox.input / "abs.zip", sandbox.marker),
                     build.tar_absolute(sandbox.input / "abs.tar", sandbox.marker)):
        doc = _scan(sandbox, delivery)
        marked = [f for f in doc["files"] if sandbox.marker in f["path"]]
        assert marked and all(not f["path"].startswith("/") for f in marked)
        flagged = [f for f in marked if "absolute-path" in _codes(f)]
        assert flagged, marked
        for entry in flagged:
            assert "is an absolute path; it is never extracted" in _assert_named(entry, "absolute-path")


def test_symlinks_in_zip_and_tar_are_recorded_not_followed(sandbox: Sandbox) -> None:
    for delivery in (build.zip_symlinks(sandbox.input / "links.zip", sandbox.marker),
                     build.tar_links(sandbox.input / "links.tar", sandbox.marker)):
        files = _files(_scan(sandbox, delivery))
        for name, target in (("passwd", "/etc/passwd"), ("etc-passwd", "/etc/passwd"),
                             ("tmp", "../../../../../../tmp"), ("up", "../../../../../../tmp")):
            if name in files:
                entry = files[name]
                assert entry["sha256"] is None and entry["metadata"]["link_target"] == target
                assert "never followed" in _assert_named(entry, "symlink-outside")
        through = [f for f in files.values() if f["path"].endswith(f"{sandbox.marker}-through-link.txt")]
        assert len(through) == 1  # listed as the archive member it is; nothing is written anywhere


def test_hardlinks_in_tar_are_recorded_not_read(sandbox: Sandbox) -> None:
    files = _files(_scan(sandbox, build.tar_links(sandbox.input / "links.tar", sandbox.marker)))
    for name in ("shadow-hard", "up-hard"):
        assert files[name]["sha256"] is None
        assert "never followed" in _assert_named(files[name], "hardlink")
    assert files["ok.txt"]["sha256"] == hashlib.sha256(b"fine\n").hexdigest()


def test_symlinks_in_a_folder_never_reach_outside(sandbox: Sandbox) -> None:
    outside = sandbox.root / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("the firm's secret")
    delivery = build.folder_links(sandbox.input / "delivery", outside)
    files = _files(_scan(sandbox, delivery))
    assert set(files) == {"README.md", "secret-link", "outside-dir", "loop"}
    for name in ("secret-link", "outside-dir"):
        assert files[name]["sha256"] is None
        _assert_named(files[name], "symlink-outside")
    assert files["loop"]["sha256"] is None  # a link back into the delivery is not walked twice


def test_tar_device_files_are_skipped(sandbox: Sandbox) -> None:
    files = _files(_scan(sandbox, build.tar_devices(sandbox.input / "dev.tar")))
    for name in ("dev/null", "dev/sda", "dev/kmsg", "pipe"):
        assert files[name]["sha256"] is None
        assert "skipped" in _assert_named(files[name], "device-file")
    assert files["config.json"]["metadata"]["model_type"] == "llama"


def test_flat_zip_bomb_is_stopped(sandbox: Sandbox) -> None:
    delivery = build.flat_zip_bomb(sandbox.input / "flat.zip", members=8, member_bytes=256 << 20)
    doc = _scan(sandbox, delivery, FAST_BOMB_LIMITS)
    files = _files(doc)
    assert len(files) == 8
    for entry in files.values():
        assert entry["sha256"] is None
        assert "past the 200:1 limit" in _assert_named(entry, "ratio-limit")


def test_nested_zip_bomb_is_stopped_by_ratio_and_depth(sandbox: Sandbox) -> None:
    ratio = _scan(sandbox, build.nested_zip_bomb(sandbox.input / "n3.zip", levels=3, copies=10,
                                                  leaf_bytes=256 << 20), FAST_BOMB_LIMITS)
    leaves = [f for f in ratio["files"] if f["path"].endswith("zeros.bin")]
    assert leaves and all(f["sha256"] is None and "ratio-limit" in _codes(f) for f in leaves)
    assert "ratio-limit" in {p["code"] for p in ratio["source"]["problems"]}
    assert len(ratio["files"]) < 40  # the walk stopped; 10^3 leaves were never listed

    deep = _scan(sandbox, build.nested_zip_bomb(sandbox.input / "n5.zip", levels=5, copies=3,
                                                 leaf_bytes=64 << 20), FAST_BOMB_LIMITS)
    too_deep = [f for f in deep["files"] if "nesting-too-deep" in _codes(f)]
    assert too_deep
    assert "only 3 levels are opened" in _assert_named(too_deep[0], "nesting-too-deep")
    assert not any(f["path"].count("!/") > 3 for f in deep["files"])


def test_pdf_decompression_bomb_stream(sandbox: Sandbox) -> None:
    delivery = build.pdf_bomb(sandbox.input / "agreement.pdf", expanded=2 << 30)
    files = _files(_scan(sandbox, delivery))
    entry = files["agreement.pdf"]
    message = _assert_named(entry, "pdf-broken")
    assert "decompression bomb" in message and "page(s) 1" in message
    assert entry["sha256"] == hashlib.sha256(delivery.read_bytes()).hexdigest()


def test_yaml_billion_laughs(sandbox: Sandbox) -> None:
    files = _files(_scan(sandbox, build.yaml_laughs(sandbox.input / "model")))
    for name in ("README.md", "conf.yaml"):
        assert "too many aliases" in _assert_named(files[name], "malformed-yaml")
    assert files["README.md"]["metadata"].get("license") is None


def test_deeply_nested_json(sandbox: Sandbox) -> None:
    files = _files(_scan(sandbox, build.deep_json(sandbox.input / "model")))
    for name in ("config.json", "tokenizer_config.json"):
        assert "nested too deeply" in _assert_named(files[name], "malformed-json")


def test_pickles_calling_the_system_are_flagged_never_loaded(sandbox: Sandbox) -> None:
    delivery = build.pickles(sandbox.input / "model", sandbox.marker)
    files = _files(_scan(sandbox, delivery))
    expected = {"os_system.pkl": "os.system", "posix_system.bin": "posix.system",
                "eval.pkl": "builtins.eval", "exec.pickle": "__builtin__.exec",
                "getattr.pkl": "builtins.getattr", "pytorch_model.bin": "subprocess.check_output"}
    for name, call in expected.items():
        message = _assert_named(files[name], "unsafe-pickle")
        assert call in message, message
    assert files["pytorch_model.bin"]["format"] == "pytorch-zip"
    assert files["posix_system.bin"]["format"] == "pickle"   # protocol 0, no PROTO opcode
    assert not list(Path("/tmp").glob(f"{sandbox.marker}*"))   # nothing was ever unpickled


def test_gguf_claiming_2_pow_60_keys(sandbox: Sandbox) -> None:
    delivery = build.gguf_2_60_keys(sandbox.input / "model.gguf")
    sandbox.start_watch()
    doc, measured = sandbox.cli_scan(delivery)
    _bounded(measured)
    sandbox.assert_contained()
    entry = _files(doc)["model.gguf"]
    assert "1152921504606846976 metadata keys" in _assert_named(entry, "gguf-corrupt")


def test_safetensors_header_claiming_2_pow_63_bytes(sandbox: Sandbox) -> None:
    entry = _files(_scan(sandbox, build.safetensors_2_63(sandbox.input / "model.safetensors")))[
        "model.safetensors"]
    assert "9223372036854775808" in _assert_named(entry, "safetensors-header")


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["flat", "nested"])
def test_bombs_with_default_limits_through_the_cli(sandbox: Sandbox, kind: str) -> None:
    if kind == "flat":
        delivery = build.flat_zip_bomb(sandbox.input / "flat.zip", members=8, member_bytes=1 << 30)
    else:
        delivery = build.nested_zip_bomb(sandbox.input / "nested.zip", levels=3, copies=16,
                                         leaf_bytes=1 << 30)
    sandbox.start_watch()
    doc, measured = sandbox.cli_scan(delivery, timeout=300)
    _bounded(measured)
    sandbox.assert_contained()
    assert "ratio-limit" in _all_codes(doc)
    expanded = sum(f["size"] for f in doc["files"] if f["sha256"] is not None)
    assert expanded < 3 << 30
