"""`aireview review|precedent|audit|diff` end to end on a real scanned folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from store_samples import ADA, BOB

from desktop.cli import build_parser


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    ns = build_parser().parse_args(list(args))
    code = int(ns.func(ns))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _delivery(root: Path, weights: bytes) -> Path:
    root.mkdir(parents=True)
    (root / "LICENSE").write_text("Permission is hereby granted, free of charge, to any person.\n")
    (root / "config.json").write_text('{"model_type": "llama"}')
    (root / "notes.txt").write_bytes(weights)
    return root


def test_review_commands(store_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                         monkeypatch: pytest.MonkeyPatch) -> None:
    db = ("--db", store_url)
    monkeypatch.setenv("AIREVIEW_REVIEWER", ADA)
    v1 = _delivery(tmp_path / "v1", b"one")
    code, out, err = _run(capsys, "review", "create", str(v1), "--vendor", "Acme", "--product",
                          "acme-7b", "--version", "1.0", "--purpose", "chatbot", "--no-licenses", *db)
    assert code == 0, err
    first = int(out.strip())
    code, out, _ = _run(capsys, "review", "answer", str(first), "openness", "--decision",
                        "accept-with-conditions", "--rationale", "open weights",
                        "--conditions", "keep notices", *db)
    assert code == 0
    code, _, err = _run(capsys, "review", "status", str(first), "rejected", *db)
    assert code == 2
    assert "four-eyes" in err
    code, out, _ = _run(capsys, "review", "status", str(first), "rejected", "--as", BOB, *db)
    assert (code, out.strip()) == (0, f"Review {first} is rejected by {BOB}")

    code, out, _ = _run(capsys, "review", "show", str(first), "--json", *db)
    shown = json.loads(out)
    assert (shown["status"], shown["preparer"], shown["approver"]) == ("rejected", ADA, BOB)
    assert shown["delivery"]["file_count"] == 3
    openness = next(a for a in shown["answers"] if a["item"] == "openness")
    assert (openness["decision"], openness["conditions"]) == ("accept-with-conditions",
                                                             "keep notices")

    v2 = _delivery(tmp_path / "v2", b"two")
    code, out, _ = _run(capsys, "review", "create", str(v2), "--vendor", "Acme", "--product",
                        "acme-7b", "--version", "1.1", "--purpose", "chatbot", "--json", "--no-licenses", *db)
    second = json.loads(out)
    assert second["previous_review"] == first
    code, out, _ = _run(capsys, "diff", str(first), str(second["review"]), "--json", *db)
    diff = json.loads(out)
    assert [c["path"] for c in diff["files"]["changed"]] == ["notes.txt"]
    code, out, _ = _run(capsys, "review", "carry-over", str(second["review"]), *db)
    assert "openness" in out

    code, out, _ = _run(capsys, "review", "list", "--json", "--vendor", "Acme", *db)
    assert [r["id"] for r in json.loads(out)] == [second["review"], first]
    code, out, _ = _run(capsys, "review", "list", "--status", "rejected", *db)
    assert out.split()[0] == str(first)
    code, out, _ = _run(capsys, "precedent", "list", "--json", *db)
    assert (code, json.loads(out)) == (0, [])
    code, out, _ = _run(capsys, "review", "history", str(first), "--json", *db)
    assert [e["action"] for e in json.loads(out)][-2:] == ["answer", "status"]
    code, out, _ = _run(capsys, "audit", "verify", *db)
    assert code == 0
    assert out.startswith("Audit trail intact")
    code, _, err = _run(capsys, "review", "show", "999", *db)
    assert code == 2
    assert "Review 999 does not exist" in err
