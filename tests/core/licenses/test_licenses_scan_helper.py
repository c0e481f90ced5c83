"""A large folder scan hands whole small files to a helper process: the results are the same."""

from __future__ import annotations

import json
import sys
import threading

import pytest

from desktop.core import scan
from desktop.core.checks.clauses import CLAUSE_ROLES, extract_clauses
from desktop.core.jobs import Cancelled, CancelToken
from desktop.core.licenses import helper, reference_text
from desktop.core.scan import ScanOptions, scan_path

FORKABLE = sys.platform.startswith("linux")
MIN_FILES = helper.MIN_FILES


def _delivery(folder, library) -> None:
    """More files than helper.MIN_FILES: license texts (one edited), a card, code, a PDF, a weights-like blob."""
    from desktop.pdf import html_to_pdf

    keys = ("mit", "apache-2.0", "gpl-2.0", "cc-by-nc-4.0", "llama-3.1-license-2024")
    for i in range(MIN_FILES + 10):
        key = keys[i % len(keys)]
        text = reference_text(library, key)
        if i % 7 == 0:
            text = "Vendor preamble: governed by the laws of the State of New York.\n\n" + text
        (folder / f"lic-{i:03d}" / "LICENSE").parent.mkdir()
        (folder / f"lic-{i:03d}" / "LICENSE").write_text(text)
    (folder / "README.md").write_text("---\nlicense: mit\n---\n# Model\nReleased under the MIT License.\n")
    (folder / "train.py").write_text("# SPDX-License-Identifier: Apache-2.0\nprint('x')\n")
    (folder / "agreement.pdf").write_bytes(html_to_pdf(
        "<p>" + reference_text(library, "mit") + "</p><p>This agreement is governed by the laws of England.</p>",
        reserve_signature_band=False))
    (folder / "weights.bin").write_bytes(bytes(range(256)) * 64)


def _scan(folder, library, monkeypatch, *, helpers: bool):
    monkeypatch.setattr(helper, "MIN_FILES", MIN_FILES if helpers else 10 ** 9)
    handed: list[str] = []
    offload = helper.Identifier.offload

    def spy(self, func, *args):
        future = offload(self, func, *args)
        if future is not None and func is scan._analyse_in_helper:
            handed.append(args[0])
        return future

    monkeypatch.setattr(helper.Identifier, "offload", spy)
    result = scan_path(folder, options=ScanOptions(library=library, work_dir=folder.parent / "work"))
    return result, handed


def _die(*_args):
    """Run in the helper in place of its work: the helper dies (the OOM killer, in effect)."""
    import os

    os._exit(3)


def _json(result) -> str:
    data = result.to_json()
    data["stats"].pop("seconds")  # the only figure that may differ
    return json.dumps(data, sort_keys=True)


@pytest.fixture
def scanned_alone(tmp_path, library, monkeypatch):
    """(the delivery folder, its scan without helpers) where this test process can fork helpers."""
    if not FORKABLE:
        pytest.skip("helper processes are forked on Linux only")
    if threading.active_count() != 1:
        pytest.skip("helpers are forked only from a single-threaded program")
    folder = tmp_path / "delivery"
    folder.mkdir()
    _delivery(folder, library)
    alone, _ = _scan(folder, library, monkeypatch, helpers=False)
    return folder, alone


def test_files_read_by_a_helper_give_the_same_scan(scanned_alone, library, monkeypatch):
    folder, alone = scanned_alone
    shared, handed = _scan(folder, library, monkeypatch, helpers=True)
    assert handed, "no file was handed to the helper"
    assert _json(shared) == _json(alone)
    by_path = {e.path: e for e in shared.files}
    pdf = by_path["agreement.pdf"]
    assert pdf.pages and pdf.licenses[0]["key"] == "mit"
    for entry in shared.files:  # clauses come with each license-bearing text, wherever it was read
        if entry.role in CLAUSE_ROLES and (entry.text or entry.pages):
            assert entry.clauses == extract_clauses(entry.text if entry.pages is None else None, pages=entry.pages)
        else:
            assert entry.clauses is None
    assert any(c.kind == "governing_law" for c in pdf.clauses)


def test_a_cancelled_scan_stops_while_a_helper_reads(tmp_path, library, monkeypatch):
    folder = tmp_path / "delivery"
    folder.mkdir()
    _delivery(folder, library)
    cancel = CancelToken()
    seen = []

    def report(progress):
        seen.append(progress)
        if len(seen) == 3:
            cancel.cancel()

    with pytest.raises(Cancelled):
        scan_path(folder, report=report, cancel=cancel,
                  options=ScanOptions(library=library, work_dir=tmp_path / "work"))


def test_a_helper_dying_mid_scan_leaves_the_files_to_this_process(scanned_alone, library, monkeypatch):
    folder, alone = scanned_alone
    monkeypatch.setattr(scan, "_analyse_in_helper", _die)
    survived, handed = _scan(folder, library, monkeypatch, helpers=True)
    assert handed, "no file was handed to the helper"
    assert _json(survived) == _json(alone)
