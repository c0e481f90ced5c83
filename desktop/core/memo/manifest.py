"""The memo's manifest: a machine-readable JSON of the whole review, attached inside the PDF.

It holds the delivery fingerprint and every file hash (so ``verify --delivery`` can re-hash a
delivery years later), the licenses, findings, decisions, reviewers, the knowledge-base version
the signer's certificate fingerprint, and the audit chain head (``audit_head``: sequence number and
hash of the newest audit event) when the memo was made, which ``aireview audit verify --memo``
checks the database against.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from desktop.core.memo.snapshot import Snapshot

MANIFEST_SCHEMA = "aireview.memo-manifest/1"
GENERATOR = "AI Review Desk"
MAX_MANIFEST_BYTES = 512 << 20


def app_version() -> str:
    """The installed app version (``0+unknown`` when running from a plain checkout)."""
    from importlib import metadata

    try:
        return metadata.version("aireview-desk")
    except metadata.PackageNotFoundError:
        return "0+unknown"


def build_manifest(snapshot: Snapshot, *, signer: dict[str, Any] | None = None,
                   generated_at: dt.datetime | None = None, template: str = "memo.html.j2",
                   inventory_in_memo: str = "full") -> dict[str, Any]:
    """The manifest document for ``snapshot`` (signer: name, email, cert/CA fingerprints)."""
    scan = snapshot["scan"]
    when = (generated_at or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
    return {
        "schema": MANIFEST_SCHEMA,
        "generated_at": when,
        "generator": {"name": GENERATOR, "version": app_version(), "template": template},
        "review": dict(snapshot["review"]),
        "firm": dict(snapshot["firm"]),
        "delivery": dict(snapshot["delivery"]),
        "fingerprint": scan.get("fingerprint") or snapshot["delivery"]["fingerprint"],
        "files": [{"path": f.get("path"), "size": f.get("size"), "sha256": f.get("sha256"),
                   "role": f.get("role"), "format": f.get("format"),
                   "licenses": [_license_ref(m) for m in f.get("licenses") or []]}
                  for f in scan.get("files", [])],
        "components": scan.get("components", []),
        "licenses": sorted(_license_keys(snapshot)),
        "license_facts": snapshot.get("license_facts", {}),
        "findings": scan.get("findings", []),
        "answers": snapshot["answers"],
        "obligations": snapshot.get("obligations", []),
        "knowledge_version": snapshot["knowledge_version"],
        "checklist_version": snapshot.get("checklist_version"),
        "knowledge_version_at_export": snapshot.get("knowledge_version_at_export"),
        "audit_head": snapshot.get("audit_head"),
        "signer": signer,
        "inventory_in_memo": inventory_in_memo,
    }


def _license_ref(match: Any) -> dict[str, Any]:
    if not isinstance(match, dict):
        return {"key": str(match)}
    return {k: match[k] for k in ("key", "spdx", "name", "score") if k in match}


def _license_keys(snapshot: Snapshot) -> set[str]:
    scan = snapshot["scan"]
    keys = {str(k) for k in scan.get("licenses", []) if k}
    for f in scan.get("files", []):
        for match in f.get("licenses") or []:
            key = match.get("key") if isinstance(match, dict) else match
            if key:
                keys.add(str(key))
    return keys


def manifest_bytes(manifest: dict[str, Any]) -> bytes:
    """The manifest as compact UTF-8 JSON (what is attached and hashed)."""
    return json.dumps(manifest, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def manifest_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def parse_manifest(data: bytes) -> dict[str, Any]:
    """Read an attached manifest; raises ValueError when it is not one."""
    if len(data) > MAX_MANIFEST_BYTES:
        raise ValueError("The attached manifest is larger than any review manifest can be.")
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"The attached manifest is not valid JSON ({exc}).") from None
    if not isinstance(document, dict) or document.get("schema") != MANIFEST_SCHEMA:
        raise ValueError(f"The attached manifest is not an {MANIFEST_SCHEMA} document.")
    if not isinstance(document.get("files"), list):
        raise ValueError("The attached manifest has no file list.")
    return document


def manifest_summary(document: dict[str, Any], sha256: str) -> dict[str, Any]:
    """The short view of a manifest that ``verify`` reports."""
    review = document.get("review") or {}
    signer = document.get("signer") or {}
    return {
        "schema": document.get("schema"), "sha256": sha256,
        "review_id": review.get("id"), "status": review.get("status"),
        "fingerprint": document.get("fingerprint"), "files": len(document.get("files") or []),
        "licenses": document.get("licenses") or [],
        "knowledge_version": document.get("knowledge_version"),
        "checklist_version": document.get("checklist_version"),
        "audit_head": document.get("audit_head"),
        "generated_at": document.get("generated_at"),
        "preparer": review.get("preparer"), "approver": review.get("approver"),
        "signer_cert_fingerprint": signer.get("cert_fingerprint"),
    }
