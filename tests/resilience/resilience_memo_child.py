"""Export real signed memos (Qt renderer, PAdES signature) in a child process.

``python resilience_memo_child.py IDS_DIR OUT_PDF [--repeat N] [--fsize BYTES]`` scans the
bundled sample delivery, creates a preparer identity in IDS_DIR (once), then exports the memo
N times to OUT_PDF (the exporter picks memo-2.pdf, memo-3.pdf, ...).  It prints one JSON line
per memo written, or ``{"error": type, "message": ...}`` and exits 3 when an export fails.
``--fsize`` caps the size of any file the child writes (RLIMIT_FSIZE), standing in for a
full disk where a small file system cannot be mounted.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import sys
import tempfile
from pathlib import Path

PASSPHRASE = "resilience suite passphrase"


def _snapshot(tmp: Path) -> dict[str, object]:
    from desktop import paths
    from desktop.core.sample import build_sample
    from desktop.core.scan import ScanOptions, scan_path

    sample = build_sample(tmp / "sample", paths.resources_dir() / "sample_delivery")
    scan = scan_path(sample, options=ScanOptions(identify=False, workers=2, work_dir=tmp)).to_json()
    person = {"name": "Jane Preparer", "email": "jane@firm.example"}
    return {
        "review": {"id": 7, "status": "approved", "purpose": "resilience test", "checklist": "aireview-default/1",
                   "preparer": person, "approver": {"name": "Bob Approver", "email": "bob@firm.example"},
                   "created": "2026-01-05T09:00:00+00:00", "decided": "2026-01-09T16:30:00+00:00"},
        "firm": {"name": "Firm LLP", "matter": "M-1"},
        "delivery": {"vendor": "Vendor", "product": "tiny", "version": "1.0", "received": "2026-01-04",
                     "fingerprint": scan["fingerprint"], "source_path": str(sample)},
        "scan": scan, "answers": [], "knowledge_version": "kb-test", "license_facts": {},
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("ids", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--fsize", type=int, default=0)
    ns = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from desktop.core.memo.export import MemoError, export_memo
    from desktop.core.memo.identity import create_identity, open_identity
    from desktop.pdf import html_to_pdf

    p12 = ns.ids / "preparer.p12"
    if not p12.exists():
        create_identity("Jane Preparer", "jane@firm.example", PASSPHRASE, p12)
    identity = open_identity(p12, PASSPHRASE)
    with tempfile.TemporaryDirectory() as tmp:
        snapshot = _snapshot(Path(tmp))
    if ns.fsize:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)   # a write past the cap fails with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (ns.fsize, ns.fsize))
    print(json.dumps({"ready": True}), flush=True)
    for _ in range(ns.repeat):
        try:
            memo = export_memo(snapshot, identity, ns.out, html_to_pdf)
        except (MemoError, OSError) as exc:
            print(json.dumps({"error": type(exc).__name__, "message": str(exc)}), flush=True)
            return 3
        print(json.dumps({"path": str(memo.path), "sha256": memo.sha256}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
