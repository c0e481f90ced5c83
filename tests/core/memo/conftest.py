"""Fixtures for memo tests: real identities, a review snapshot of the sample delivery."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from desktop import paths
from desktop.core.memo.export import countersign_memo, export_memo
from desktop.core.memo.identity import OpenedIdentity, create_identity, open_identity, trust_roots
from desktop.core.sample import build_sample
from desktop.core.scan import ScanOptions, scan_path
from desktop.pdf import html_to_pdf

PASSPHRASE = "correct horse battery staple"


def make_identity(folder: Path, name: str, email: str) -> OpenedIdentity:
    info = create_identity(name, email, PASSPHRASE, folder / f"{email.split('@')[0]}.p12",
                           organization="Acme Legal LLP")
    return open_identity(info.path, PASSPHRASE)


@pytest.fixture
def identities(tmp_path: Path) -> dict[str, OpenedIdentity]:
    folder = tmp_path / "identities"
    return {"preparer": make_identity(folder, "Jane Preparer", "jane@acme-legal.example"),
            "approver": make_identity(folder, "Bob Approver", "bob@acme-legal.example")}


def answers() -> list[dict[str, Any]]:
    return [
        {"item": "weights_coverage", "title": "License covers the weights",
         "question": "Does the license grant rights to the model weights?",
         "suggested": "info: Apache-2.0 covers the whole delivery", "decision": "accept",
         "rationale": "The Apache License 2.0 grants copyright and patent rights to the Work.",
         "conditions": None,
         "evidence": [{"path": "LICENSE", "lines": [66, 70], "quote": "grant of copyright license"}],
         "carried_over": False},
        {"item": "attribution", "title": "Attribution and notices",
         "question": "Which notices must be passed on?",
         "suggested": "low: a NOTICE file ships with the delivery",
         "decision": "accept-with-conditions",
         "rationale": "Redistribution must carry the NOTICE file.",
         "conditions": "Ship the NOTICE file with every copy of the model.",
         "evidence": [{"path": "NOTICE", "lines": [1, 3]}], "carried_over": True},
        {"item": "file_safety", "title": "Files are safe to load",
         "question": "Are there pickle files or custom code?", "suggested": "medium: custom code",
         "decision": "needs-info", "rationale": "Ask the vendor what modeling_sample.py does.",
         "conditions": None, "evidence": [{"path": "modeling_sample.py", "lines": [1, 1]}],
         "carried_over": False},
    ]


def snapshot_for(delivery: Path, status: str = "approved-with-conditions") -> dict[str, Any]:
    scan = scan_path(delivery, options=ScanOptions(identify=False, workers=2)).to_json()
    for entry in scan["files"]:
        if entry["path"] in ("LICENSE", "README.md"):
            entry["licenses"] = [{"key": "apache-2.0", "spdx": "Apache-2.0",
                                  "name": "Apache License 2.0"}]
    return {
        "review": {"id": 42, "status": status, "purpose": "Internal contract-drafting assistant",
                   "checklist": "aireview-default/1",
                   "preparer": {"name": "Jane Preparer", "email": "jane@acme-legal.example"},
                   "approver": {"name": "Bob Approver", "email": "bob@acme-legal.example"},
                   "created": "2026-01-05T09:00:00+00:00", "decided": "2026-01-09T16:30:00+00:00"},
        "firm": {"name": "Acme Legal LLP", "matter": "M-2026-017 Example Vendor model licence"},
        "delivery": {"vendor": "Example Vendor Ltd.", "product": "tiny-sample-model",
                     "version": "1.0", "received": "2026-01-04", "fingerprint": scan["fingerprint"],
                     "source_path": str(delivery)},
        "scan": scan,
        "answers": answers(),
        "knowledge_version": "kb-test-0001",
        "license_facts": {"apache-2.0": {
            "name": "Apache License 2.0",
            "covers_weights": {"value": "yes", "summary": "The Work covers any form, weights included."},
            "commercial_use": {"value": "allowed", "summary": "Commercial use is allowed."},
            "governing_law": {"value": None, "summary": "No governing law is stated."},
        }},
    }


@pytest.fixture(scope="session")
def memo_delivery(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample delivery, built once for the memo tests (copy it before changing it)."""
    return build_sample(tmp_path_factory.mktemp("memo") / "sample",
                        paths.resources_dir() / "sample_delivery")


@pytest.fixture(scope="session")
def _session_snapshot(memo_delivery: Path) -> dict[str, Any]:
    return snapshot_for(memo_delivery)


@pytest.fixture
def snapshot(_session_snapshot: dict[str, Any]) -> dict[str, Any]:
    """A fresh copy of the sample delivery's review snapshot (tests may change it)."""
    return copy.deepcopy(_session_snapshot)


@pytest.fixture(scope="session")
def signed_memo(tmp_path_factory: pytest.TempPathFactory, _session_snapshot: dict[str, Any]
                ) -> dict[str, Any]:
    """A memo signed by the preparer and one countersigned by the approver (made once)."""
    folder = tmp_path_factory.mktemp("signed")
    ids = {"preparer": make_identity(folder / "ids", "Jane Preparer", "jane@acme-legal.example"),
           "approver": make_identity(folder / "ids", "Bob Approver", "bob@acme-legal.example")}
    first = export_memo(copy.deepcopy(_session_snapshot), ids["preparer"], folder / "memo.pdf",
                        html_to_pdf)
    roots = trust_roots(folder=folder / "ids")
    second = countersign_memo(first.path, ids["approver"], folder / "memo-approved.pdf",
                              trust=roots)
    return {"folder": folder, "identities": ids, "roots": roots, "prepared": first,
            "approved": second, "ids_dir": folder / "ids"}
