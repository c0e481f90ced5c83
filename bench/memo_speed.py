"""Memo speed: export + sign the sample delivery's memo (target < 2 s) and a 20,000-file
delivery's memo (target < 10 s; the memo shows an inventory summary, the manifest lists all).

Run: .venv/bin/python bench/memo_speed.py
"""

from __future__ import annotations

import copy
import hashlib
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from desktop import paths
from desktop.core.memo.export import countersign_memo, export_memo
from desktop.core.memo.identity import create_identity, open_identity, trust_roots
from desktop.core.memo.verify import verify_memo
from desktop.core.sample import build_sample
from desktop.core.scan import ScanOptions, scan_path
from desktop.pdf import html_to_pdf

LARGE_FILES = 20_000


def snapshot_of(scan: dict, source: Path) -> dict:
    return {
        "review": {"id": 1, "status": "approved", "purpose": "benchmark", "checklist": "bench/1",
                   "preparer": {"name": "Jane Preparer", "email": "jane@firm.example"},
                   "approver": {"name": "Bob Approver", "email": "bob@firm.example"},
                   "created": "2026-01-01T00:00:00+00:00", "decided": "2026-01-02T00:00:00+00:00"},
        "firm": {"name": "Bench LLP", "matter": "speed"},
        "delivery": {"vendor": "Example Vendor Ltd.", "product": "tiny-sample-model",
                     "version": "1.0", "received": "2026-01-01", "fingerprint": scan["fingerprint"],
                     "source_path": str(source)},
        "scan": scan,
        "answers": [{"item": f"item_{i}", "title": f"Item {i}", "question": "Is it fine?",
                     "suggested": "info: nothing found", "decision": "accept",
                     "rationale": "Checked.", "conditions": None,
                     "evidence": [{"path": "LICENSE", "lines": [1, 5]}], "carried_over": False}
                    for i in range(12)],
        "knowledge_version": "bench",
    }


def timed(label: str, fn, target: float | None = None):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - started
    verdict = "" if target is None else (" OK" if seconds < target else f" OVER {target} s")
    print(f"{label:<52} {seconds:6.2f} s{verdict}")
    return result


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="memo-bench-"))
    sample = build_sample(work / "sample", paths.resources_dir() / "sample_delivery")
    scan = scan_path(sample, options=ScanOptions(identify=False)).to_json()
    info = create_identity("Jane Preparer", "jane@firm.example", "pw", work / "ids" / "jane.p12")
    create_identity("Bob Approver", "bob@firm.example", "pw", work / "ids" / "bob.p12")
    jane = open_identity(info.path, "pw")
    bob = open_identity(work / "ids" / "bob.p12", "pw")
    roots = trust_roots(folder=work / "ids")
    small = snapshot_of(scan, sample)

    memo = timed("sample memo, export + sign (cold: Qt start)",
                 lambda: export_memo(copy.deepcopy(small), jane, work / "sample.pdf", html_to_pdf), 2.0)
    timed("sample memo, export + sign (warm)",
          lambda: export_memo(copy.deepcopy(small), jane, work / "sample.pdf", html_to_pdf), 2.0)
    approved = timed("sample memo, countersign",
                     lambda: countersign_memo(memo.path, bob, work / "sample-approved.pdf", trust=roots))
    timed("sample memo, verify (2 signatures)", lambda: verify_memo(approved.path, trust=roots))

    large_scan = copy.deepcopy(scan)
    large_scan["files"] = [
        {"path": f"shards/{i // 1000:02d}/part-{i:05d}.bin", "size": 4096 + i,
         "sha256": hashlib.sha256(str(i).encode()).hexdigest(), "role": "data", "format": "unknown",
         "metadata": {}, "licenses": [], "problems": []} for i in range(LARGE_FILES)]
    large = snapshot_of(large_scan, work / "large")
    big = timed(f"{LARGE_FILES}-file memo, export + sign",
                lambda: export_memo(large, jane, work / "large.pdf", html_to_pdf), 10.0)
    print(f"{'':<52} {big.path.stat().st_size / 1e6:6.2f} MB memo")
    timed(f"{LARGE_FILES}-file memo, verify", lambda: verify_memo(big.path, trust=roots))


if __name__ == "__main__":
    main()
