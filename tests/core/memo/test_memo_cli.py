"""``aireview memo | identity | export`` against a real review store, and the CycloneDX BOM."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

from desktop.cli import main
from desktop.core.memo.bom import build_cyclonedx, validate_cyclonedx
from desktop.core.memo.verify import verify_memo
from desktop.core.scan import ScanOptions, scan_path
from desktop.core.store import CHECKLIST_ITEMS, open_store

JANE = "Jane Preparer <jane@acme-legal.example>"
BOB = "Bob Approver <bob@acme-legal.example>"


@pytest.fixture(scope="module")
def store_url(tmp_path_factory: pytest.TempPathFactory, memo_delivery: Path) -> tuple[str, int, int]:
    url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'reviews.db'}"
    scan = scan_path(memo_delivery, options=ScanOptions(identify=False, workers=2))
    with open_store(url) as store:
        decided = store.create_review(scan, reviewer=JANE, vendor="Example Vendor Ltd.",
                                      product="tiny-sample-model", version="1.0",
                                      purpose="Drafting assistant")
        for item in CHECKLIST_ITEMS:
            store.answer(decided, item, "accept", f"Checked {item}.", reviewer=JANE)
        store.set_status(decided, "approved", reviewer=BOB)
        draft = store.create_review(scan, reviewer=JANE, product="tiny-sample-model")
    return url, decided, draft


def test_identity_create_memo_export_and_record(store_url: tuple[str, int, int], tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    url, decided, draft = store_url
    monkeypatch.setenv("AIREVIEW_P12_PASSPHRASE", "s3cret")
    p12 = tmp_path / "jane.p12"
    assert main(["identity", "create", "--name", "Jane Preparer", "--email",
                 "jane@acme-legal.example", "--out", str(p12)]) == 0
    assert (tmp_path / "jane.ca.pem").is_file()

    out = tmp_path / "memos" / "memo.pdf"
    args = ["memo", str(decided), "--out", str(out), "--identity", str(p12), "--db", url,
            "--firm", "Acme Legal LLP", "--json"]
    capsys.readouterr()
    assert main(args) == 0
    first = json.loads(capsys.readouterr().out)
    assert main(args) == 0
    second = json.loads(capsys.readouterr().out)
    assert (Path(first["path"]).name, Path(second["path"]).name) == ("memo.pdf", "memo-2.pdf")
    with open_store(url) as store:
        memos = store.get_review(decided)["memos"]
    assert [(m["file_sha256"], m["signer"]) for m in memos] == \
        [(first["sha256"], JANE), (second["sha256"], JANE)]

    report = verify_memo(Path(first["path"]), trust=[])
    assert report["valid"] and report["manifest"]["review_id"] == decided
    # A fresh process, as users run it: no third-party deprecation warning reaches stderr.
    child = subprocess.run([sys.executable, "-m", "desktop", "verify", first["path"]], capture_output=True,
                           text=True, timeout=120, env={**os.environ, "PYTHONWARNINGS": ""})
    assert child.returncode in (0, 1), child.stderr
    assert "Warning" not in child.stderr and "deprecated" not in child.stderr, child.stderr

    assert main(["memo", str(draft), "--out", str(out), "--identity", str(p12), "--db", url]) == 1
    assert "a memo can be exported only" in capsys.readouterr().err
    assert main(["memo", "999", "--out", str(out), "--identity", str(p12), "--db", url]) == 2
    assert "Review 999 does not exist" in capsys.readouterr().err

    monkeypatch.setenv("AIREVIEW_P12_PASSPHRASE", "wrong")
    assert main(args) == 2
    assert capsys.readouterr().err.strip() == f"aireview: The passphrase for {p12} is wrong."


def test_cyclonedx_export_is_valid_1_6_with_model_card(store_url: tuple[str, int, int],
                                                       tmp_path: Path) -> None:
    url, decided, _ = store_url
    out = tmp_path / "bom.json"
    missing = tmp_path / "no-such-folder" / "bom.json"
    assert main(["export", str(decided), "--cyclonedx", str(missing), "--db", url]) == 2  # unwritable
    assert not missing.parent.exists()
    assert main(["export", str(decided), "--cyclonedx", str(out), "--db", url]) == 0
    text = out.read_text(encoding="utf-8")
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None
    document = json.loads(text)
    assert (document["bomFormat"], document["specVersion"]) == ("CycloneDX", "1.6")
    by_ref = {c["bom-ref"]: c for c in document["components"]}
    model = by_ref["model"]
    assert model["type"] == "machine-learning-model"
    assert model["modelCard"]["modelParameters"]["modelArchitecture"] == "LlamaForCausalLM"
    assert model["modelCard"]["modelParameters"]["task"] == "text-generation"
    files = [c for c in document["components"] if c["type"] == "file"]
    assert len(files) == 10
    assert all(c["hashes"][0]["alg"] == "SHA-256" and len(c["hashes"][0]["content"]) == 64
               for c in files)


def test_bom_licenses_are_spdx_ids_or_scancode_refs(snapshot: dict[str, Any]) -> None:
    snapshot["scan"]["files"][0]["licenses"].append({"key": "llama-3.1-license-2024"})
    snapshot["scan"]["files"][2]["metadata"]["datasets"] = ["org-c/corpus"]
    document = build_cyclonedx(snapshot)
    text = json.dumps(document)
    assert validate_cyclonedx(text) == []
    by_ref = {c["bom-ref"]: c for c in document["components"]}
    licenses = by_ref["file:LICENSE"]["licenses"]
    assert {"license": {"id": "Apache-2.0"}} in licenses
    assert {"license": {"name": "LicenseRef-scancode-llama-3.1-license-2024"}} in licenses
    assert by_ref["model"]["modelCard"]["modelParameters"]["datasets"] == [{"ref": "dataset:1"}]
    assert by_ref["dataset:1"]["data"][0]["type"] == "dataset"
    by_ref["model"]["modelCard"]["modelParameters"]["approach"] = {"type": "guesswork"}
    assert validate_cyclonedx(json.dumps(document))      # the schema check is real
