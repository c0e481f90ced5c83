"""``aireview review note|notes|comment|comments`` and ``aireview diff --redline``."""

from __future__ import annotations

import json

import pytest
from store_samples import ADA, BOB
from test_notes import LICENSE_V1, LICENSE_V2, _delivery, _review

from desktop.cli import build_parser
from desktop.core.store import Store


def _cli(store_url: str, *args: str) -> int:
    ns = build_parser().parse_args([*args, "--db", store_url])
    return int(ns.func(ns))


def test_notes_and_comments_from_the_command_line(store: Store, store_url: str,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    rid = _review(store, _delivery(LICENSE_V1))
    assert _cli(store_url, "review", "note", str(rid), "LICENSE", "Final text per vendor", "--as", ADA, "--json") == 0
    assert json.loads(capsys.readouterr().out) == {"id": 1, "review": rid, "path": "LICENSE"}
    assert _cli(store_url, "review", "comment", str(rid), "commercial_use", "Threshold?", "--as", BOB) == 0
    assert "Comment 1 added on commercial_use" in capsys.readouterr().out
    assert _cli(store_url, "review", "notes", str(rid), "--json") == 0
    [note] = json.loads(capsys.readouterr().out)
    assert (note["path"], note["author"], note["text"]) == ("LICENSE", ADA, "Final text per vendor")
    assert _cli(store_url, "review", "comments", str(rid), "--item", "commercial_use") == 0
    assert f"{BOB} on commercial_use: Threshold?" in capsys.readouterr().out
    assert _cli(store_url, "review", "note", str(rid), "nope.txt", "x", "--as", ADA) == 2
    assert "no file 'nope.txt'" in capsys.readouterr().err


def test_diff_keeps_its_fields_and_adds_redlines_on_request(store: Store, store_url: str,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    old = _review(store, _delivery(LICENSE_V1))
    new = _review(store, _delivery(LICENSE_V2, weights="weights v2"), version="1.1")
    assert _cli(store_url, "diff", str(old), str(new), "--json") == 0
    plain = json.loads(capsys.readouterr().out)
    assert "redlines" not in plain and {"files", "licenses", "findings", "items_to_review"} <= set(plain)
    assert _cli(store_url, "diff", str(old), str(new), "--redline", "--json") == 0
    with_redline = json.loads(capsys.readouterr().out)
    assert {k: v for k, v in with_redline.items() if k != "redlines"} == plain
    assert [r["path"] for r in with_redline["redlines"]] == ["LICENSE"]
    assert _cli(store_url, "diff", str(old), str(new), "--redline") == 0
    assert "line 1: [-research.-] {+any purpose.+}" in capsys.readouterr().out
