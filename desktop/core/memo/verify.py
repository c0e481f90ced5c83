"""Verify a signed memo: every signature intact, the last covering the whole file, nothing
changed after it, the attached manifest readable; optionally re-hash the delivery.

Returns the ``aireview verify --json`` document.  An input that cannot be read at all raises
:class:`UnusableMemo` (the CLI's exit code 2).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from desktop.core.memo.manifest import manifest_summary, parse_manifest
from desktop.core.memo.sign import MANIFEST_NAME

MAX_MEMO_BYTES = 1 << 30
ALLOWED_AFTER_SIGNING = ("NONE", "LTA_UPDATES", "FORM_FILLING")


class UnusableMemo(Exception):
    """The memo file cannot be read as a PDF at all."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


def _problem(code: str, message: str) -> dict[str, str]:
    return {"code": code, "message": message}


def verify_memo(path: Path, *, trust: Sequence[x509.Certificate] = (),
                delivery: Path | None = None,
                rescan: Callable[[Path], dict[str, str]] | None = None) -> dict[str, Any]:
    """Check the memo at ``path`` against the ``trust`` roots; compare ``delivery`` if given.

    ``rescan`` maps a delivery path to ``{file path: sha256}`` (default: a hashing-only scan).
    """
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    path = Path(path)
    try:
        if path.stat().st_size > MAX_MEMO_BYTES:
            raise UnusableMemo(path, "file is larger than any memo (over 1 GB)")
        data = path.read_bytes()
    except FileNotFoundError:
        raise UnusableMemo(path, "file does not exist") from None
    except IsADirectoryError:
        raise UnusableMemo(path, "is a folder, not a memo PDF") from None
    except OSError as exc:
        raise UnusableMemo(path, f"cannot be read ({exc.strerror or exc})") from None
    if not data.lstrip()[:5].startswith(b"%PDF-"):
        raise UnusableMemo(path, "is not a PDF file")
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except (PdfError, ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
        raise UnusableMemo(path, f"is a damaged PDF ({exc})") from None

    problems: list[dict[str, str]] = []
    signatures = [_check_signature(sig, list(trust), problems) for sig in embedded]
    if not signatures:
        problems.append(_problem("unsigned", f"{path.name} carries no signature."))
    for number, sig in enumerate(signatures, 1):
        last = number == len(signatures)
        if last and sig["coverage"] != "ENTIRE_FILE":
            problems.append(_problem("changed-after-signing", (
                f"{path.name} was changed after its last signature ({sig['field']}).")))
        if not last and sig["modification_level"] not in ALLOWED_AFTER_SIGNING:
            problems.append(_problem("changed-after-signing", (
                f"{path.name} was changed after signature {sig['field']} in a way a "
                f"countersignature does not explain ({sig['modification_level']}).")))

    manifest, manifest_doc = _read_manifest(reader, path, problems)
    if manifest_doc is not None and signatures:
        first_signer = signatures[0].get("cert_fingerprint")
        recorded = (manifest_doc.get("signer") or {}).get("cert_fingerprint")
        if recorded and first_signer and recorded != first_signer:
            problems.append(_problem("manifest-signer", (
                f"The manifest in {path.name} names another signing certificate than the "
                "first signature's.")))
    delivery_report = None
    if delivery is not None and manifest_doc is not None:
        current = (rescan or rescan_delivery)(Path(delivery))
        delivery_report = compare_delivery(manifest_doc, current)
    valid = bool(signatures) and manifest_doc is not None and not problems
    report = {
        "path": str(path),
        "valid": valid,
        "trusted": bool(signatures) and all(s["trusted"] for s in signatures),
        "signatures": signatures,
        "manifest": manifest,
        "delivery": delivery_report,
        "problems": problems,
    }
    report["verdict"] = verdict(report)
    return report


DOCUMENT_CHANGES = ("changed-after-signing", "digest-mismatch", "signature-invalid", "signature-unreadable")


def verdict(report: dict[str, Any]) -> dict[str, Any]:
    """The three answers a reader wants, in the order to say them.

    ``document``: ``intact`` (every signature matches and nothing was changed after the last
    one), ``changed`` or ``unsigned``; ``signers``: who signed and whether each signer's
    certificate chains to a CA in this firm's trust list (a firm CA is not a public CA, so other
    tools may still call its issuer untrusted); ``delivery``: ``identical``, ``changed`` or
    ``not-compared``.
    """
    signatures = report.get("signatures") or []
    codes = {p.get("code") for p in report.get("problems") or []}
    if not signatures:
        document = "unsigned"
    elif codes & set(DOCUMENT_CHANGES) or not all(s.get("intact") for s in signatures):
        document = "changed"
    else:
        document = "intact"
    delivery = report.get("delivery")
    return {
        "document": document,
        "signers": [{"signer": s.get("signer"), "field": s.get("field"), "signing_time": s.get("signing_time"),
                     "in_trust_list": bool(s.get("trusted"))} for s in signatures],
        "delivery": "not-compared" if delivery is None else ("identical" if delivery["identical"] else "changed"),
    }


def minute(iso: str | None) -> str:
    """An ISO timestamp to the minute in UTC (``2026-12-07 02:12 UTC``); ``unknown`` when absent."""
    if not iso:
        return "unknown time"
    import datetime as dt

    try:
        when = dt.datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC)
    return when.strftime("%Y-%m-%d %H:%M UTC")


def _check_signature(sig: Any, trust: list[x509.Certificate],
                     problems: list[dict[str, str]]) -> dict[str, Any]:
    from asn1crypto import x509 as asn1_x509
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    roots = [asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in trust]
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    field = str(sig.field_name)
    try:
        status = validate_pdf_signature(sig, context)
    except Exception as exc:  # pyHanko raises many types on damaged signature dictionaries
        problems.append(_problem("signature-unreadable", (
            f"Signature {field} cannot be checked: {exc}.")))
        return {"field": field, "signer": None, "signing_time": None, "intact": False,
                "valid": False, "trusted": False, "coverage": None, "modification_level": None,
                "cert_fingerprint": None}
    cert = status.signing_cert
    subject = cert.subject.native if cert is not None else {}
    signer = str(subject.get("common_name") or "")
    email = subject.get("email_address")
    if email:
        signer += f" <{email}>"
    coverage = status.coverage.name if status.coverage is not None else None
    level = status.modification_level.name if status.modification_level is not None else None
    when = status.signer_reported_dt
    intact, valid, trusted = bool(status.intact), bool(status.valid), bool(status.trusted)
    if not intact:
        problems.append(_problem("digest-mismatch", (
            f"Signature {field} does not match the document: the signed bytes were changed.")))
    elif not valid:
        problems.append(_problem("signature-invalid", f"Signature {field} is not valid."))
    return {
        "field": field, "signer": signer or None,
        "signing_time": when.isoformat() if when else None,
        "intact": intact, "valid": valid, "trusted": trusted, "coverage": coverage,
        "modification_level": level,
        "cert_fingerprint": hashlib.sha256(cert.dump()).hexdigest() if cert is not None else None,
    }


def _embedded_files(reader: Any) -> dict[str, Any]:
    """Name -> file specification of the document's embedded files (flat or one-level tree)."""
    try:
        tree = reader.root["/Names"]["/EmbeddedFiles"]
    except (KeyError, TypeError):
        return {}
    found: dict[str, Any] = {}
    nodes = [tree]
    while nodes and len(found) < 1000:
        node = nodes.pop().get_object()
        if "/Names" in node:
            names = node["/Names"]
            for i in range(0, min(len(names), 2000) - 1, 2):
                found[str(names[i])] = names[i + 1].get_object()
        if "/Kids" in node:
            nodes += list(node["/Kids"])[:100]
    return found


def _read_manifest(reader: Any, path: Path, problems: list[dict[str, str]]
                   ) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    try:
        spec = _embedded_files(reader).get(MANIFEST_NAME)
        if spec is None:
            problems.append(_problem("manifest-missing", f"{path.name} has no attached {MANIFEST_NAME}."))
            return None, None
        raw = spec["/EF"]["/F"].get_object().data
        document = parse_manifest(raw)
    except ValueError as exc:
        problems.append(_problem("manifest-unreadable", f"{path.name}: {exc}"))
        return None, None
    except Exception as exc:  # damaged file specification
        problems.append(_problem("manifest-unreadable",
                                 f"The manifest attached to {path.name} cannot be read ({exc})."))
        return None, None
    return manifest_summary(document, hashlib.sha256(raw).hexdigest()), document


def rescan_delivery(delivery: Path) -> dict[str, str]:
    """``{path: sha256}`` of a delivery, hashing only (no license identification)."""
    from desktop.core.scan import ScanOptions, scan_path

    result = scan_path(delivery, options=ScanOptions(identify=False))
    return {f.path: f.sha256 or "" for f in result.files}


def compare_delivery(manifest: dict[str, Any], current: dict[str, str]) -> dict[str, Any]:
    """Files changed, added and removed between the manifest and a delivery's hashes now."""
    recorded = {str(f.get("path")): str(f.get("sha256") or "") for f in manifest.get("files", [])
                if isinstance(f, dict)}
    changed = sorted(p for p in recorded.keys() & current.keys() if recorded[p] != current[p])
    added = sorted(current.keys() - recorded.keys())
    removed = sorted(recorded.keys() - current.keys())
    return {"identical": not (changed or added or removed), "changed": changed, "added": added,
            "removed": removed, "files_checked": len(current)}
