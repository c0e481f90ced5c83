"""``aireview --self-test``: the whole flow, headless, on the bundled sample delivery.

Opens the sample, scans it, identifies its licenses, runs the checklist rules, creates a
throwaway review in a temporary database (prepared by one reviewer, approved by another),
exports and signs the memo, countersigns it, and verifies it against the delivery.
Exit status 0 when every step passed; the first failing step is named otherwise.
"""

from __future__ import annotations

import os
import secrets
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

PREPARER = "Self Test Preparer <preparer@selftest.invalid>"
APPROVER = "Self Test Approver <approver@selftest.invalid>"


class SelfTestFailed(Exception):
    """A step of the self-test did not give the expected result."""


def expect(condition: bool, what: str) -> None:
    if not condition:
        raise SelfTestFailed(what)


def run_self_test(say: Callable[[str], None] = print) -> int:
    """Run every step; print one line per step; return the exit status."""
    started = time.monotonic()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="aireview-selftest-") as tmp:
        try:
            _steps(Path(tmp), say)
        except SelfTestFailed as exc:
            say(f"self-test FAILED: {exc}")
            return 1
        except Exception as exc:
            say(f"self-test FAILED: {type(exc).__name__}: {exc}")
            return 1
    say(f"self-test passed in {time.monotonic() - started:.1f} s")
    return 0


def _steps(tmp: Path, say: Callable[[str], None]) -> None:
    from desktop import paths
    from desktop.core.memo import export, identity, snapshot, verify
    from desktop.core.sample import build_sample
    from desktop.core.scan import ScanOptions, scan_path
    from desktop.core.store import open_store
    from desktop.pdf import html_to_pdf

    sample = build_sample(tmp / "sample", paths.resources_dir() / "sample_delivery")
    say(f"sample delivery built at {sample}")
    work = tmp / "work"
    work.mkdir()
    result = scan_path(sample, options=ScanOptions(work_dir=work))
    files = {f.path: f for f in result.files}
    expect(len(files) >= 8, f"the sample should have at least 8 files, the scan found {len(files)}")
    expect(files["model.safetensors"].metadata.get("tensors") == 2, "model.safetensors header not read")
    keys = {m.get("key") for m in files["LICENSE"].licenses}
    expect("apache-2.0" in keys, f"LICENSE should be identified as apache-2.0, got {sorted(map(str, keys))}")
    expect(bool(result.findings), "the checklist rules produced no findings")
    say(f"scanned {len(files)} files, fingerprint {result.fingerprint[:16]}, "
        f"{len(result.findings)} findings, LICENSE = apache-2.0")

    store = open_store(f"sqlite:///{(tmp / 'selftest.db').as_posix()}")
    review_id = store.create_review(result, reviewer=PREPARER, vendor="Example Vendor Ltd.",
                                    product="tiny-sample-model", version="1.0", purpose="self-test")
    items = [a["item"] for a in store.get_review(review_id)["answers"]]
    for item in items:
        store.answer(review_id, item, "accept", "Checked by the self-test.", reviewer=PREPARER)
    store.set_status(review_id, "in-review", reviewer=PREPARER)
    store.set_status(review_id, "approved", reviewer=APPROVER)
    audit = store.audit_verify()
    expect(audit.ok, f"the audit chain does not verify: {audit.problems}")
    say(f"review {review_id} created in a temporary database, {len(items)} items decided, approved; "
        f"audit chain of {audit.events} events verifies")

    passphrase = secrets.token_urlsafe(16)
    ids = tmp / "identities"
    ids.mkdir()
    preparer = identity.open_identity(
        identity.create_identity("Self Test Preparer", "preparer@selftest.invalid", passphrase,
                                 ids / "preparer.p12").path, passphrase)
    approver = identity.open_identity(
        identity.create_identity("Self Test Approver", "approver@selftest.invalid", passphrase,
                                 ids / "approver.p12").path, passphrase)
    memo = export.export_memo(snapshot.from_store(store, review_id), preparer, tmp / "memo.pdf", html_to_pdf)
    signed = export.countersign_memo(memo.path, approver, tmp / "memo-countersigned.pdf",
                                     trust=identity.trust_roots(folder=ids))
    export.record_memo(store, review_id, signed)
    say(f"memo exported, signed and countersigned: {signed.path.name}")

    report: dict[str, Any] = verify.verify_memo(signed.path, trust=identity.trust_roots(folder=ids),
                                                delivery=sample)
    expect(report["valid"], f"the memo does not verify: {report.get('problems')}")
    expect(len(report["signatures"]) == 2, "the memo should carry two signatures")
    expect(all(s["trusted"] for s in report["signatures"]), "a signature is not trusted")
    expect(bool(report["delivery"]) and report["delivery"]["identical"], "the delivery no longer matches the memo")
    say("memo verified: both signatures intact and trusted, delivery identical")


if __name__ == "__main__":
    sys.exit(run_self_test())
