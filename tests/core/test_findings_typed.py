"""Findings cross the CLI, the store, the UI and the memo as one type: its JSON form round-trips exactly,
and a finding whose level is not in the vocabulary is refused where it would be stored."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.evidence import Evidence, Origin
from desktop.core.findings import CheckId, Finding, Level
from desktop.core.sample import build_sample
from desktop.core.scan import ScanOptions, scan_path
from desktop.core.store import open_store
from desktop.paths import resources_dir


def test_every_finding_of_a_scan_round_trips_through_its_json_form(tmp_path: Path) -> None:
    sample = build_sample(tmp_path / "sample", resources_dir() / "sample_delivery")
    (tmp_path / "work").mkdir()
    scan = scan_path(sample, options=ScanOptions(work_dir=tmp_path / "work")).to_json()
    assert scan["findings"]
    for raw in scan["findings"]:
        typed = Finding.from_json(raw)
        assert typed.to_json() == raw
        assert isinstance(typed.level, Level) and all(isinstance(e, Evidence) for e in typed.evidence)
    coverage = Finding.from_json(next(f for f in scan["findings"] if f["check"] == "weights_coverage"))
    assert coverage.rule is CheckId.WEIGHTS_COVERAGE
    assert {e.origin for e in coverage.evidence} <= set(Origin)


def test_a_scan_evidence_entry_keeps_what_the_scanner_read() -> None:
    raw = {"path": "model.safetensors", "quote": "header: 1 tensor", "origin": "scan", "note": "header: 1 tensor"}
    ev = Evidence.from_json(raw)
    assert ev.origin is Origin.SCAN and ev.quote == "" and ev.note == "header: 1 tensor"
    assert ev.to_json() == raw


def test_the_store_refuses_a_finding_outside_the_vocabulary(tmp_path: Path) -> None:
    sample = build_sample(tmp_path / "sample", resources_dir() / "sample_delivery")
    (tmp_path / "work").mkdir()
    scan = scan_path(sample, options=ScanOptions(work_dir=tmp_path / "work"))
    store = open_store(f"sqlite:///{tmp_path / 'r.db'}")
    try:
        with pytest.raises(ValueError, match="severe"):
            store.create_review(scan, reviewer="Ada <ada@firm.example>", vendor="V", product="P", version="1",
                                findings=[{"check": "attribution", "level": "severe", "summary": "x",
                                           "facts": {}, "evidence": []}])
        assert store.review_ids() == []  # nothing half-written
    finally:
        store.close()
