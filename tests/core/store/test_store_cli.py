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
    assert "openness" in out and out.strip().endswith("obligations settled the same way: 0")

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


def test_status_with_a_signing_identity_compares_certificates(
        store_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """``--identity`` acts as the certificate's holder; the preparer's certificate cannot
    approve under another typed name, a second certificate can."""
    from desktop.core.memo.identity import create_identity
    from desktop.core.store import CHECKLIST_ITEMS

    monkeypatch.setenv("AIREVIEW_P12_PASSPHRASE", "s3cret")
    ada = create_identity("Ada Lovelace", "ada@firm.example", "s3cret", tmp_path / "ada.p12")
    bob = create_identity("Bob Marley", "bob@firm.example", "s3cret", tmp_path / "bob.p12")
    db = ("--db", store_url)
    code, out, err = _run(capsys, "review", "create", str(_delivery(tmp_path / "d", b"w")),
                          "--no-licenses", "--identity", str(ada.path), *db)
    assert code == 0, err
    review = out.strip()
    for item in CHECKLIST_ITEMS:
        code, _, err = _run(capsys, "review", "answer", review, item, "--decision", "accept",
                            "--rationale", "checked", "--identity", str(ada.path), *db)
        assert code == 0, err
    assert _run(capsys, "review", "status", review, "in-review", "--identity", str(ada.path),
                *db)[0] == 0
    monkeypatch.setenv("AIREVIEW_REVIEWER", "Someone Else <else@firm.example>")
    code, _, err = _run(capsys, "review", "status", review, "approved", "--as", "Other Name",
                        "--identity", str(ada.path), *db)
    assert code == 2 and "four-eyes" in err
    code, out, err = _run(capsys, "review", "status", review, "approved", "--identity",
                          str(bob.path), *db)
    assert code == 0, err
    assert "approved by Bob Marley <bob@firm.example>" in out
    code, out, _ = _run(capsys, "review", "history", review, "--json", *db)
    assert json.loads(out)[-1]["actor"] == f"Bob Marley <bob@firm.example> [cert {bob.cert_fingerprint}]"
    monkeypatch.setenv("AIREVIEW_P12_PASSPHRASE", "wrong")
    code, _, err = _run(capsys, "review", "status", review, "in-review", "--identity",
                        str(bob.path), *db)
    assert code == 2 and "passphrase" in err
