"""Deliveries: keep a scan (files, license matches, findings) and compare two versions."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from desktop.core.findings import LEVELS, Finding as CheckedFinding
from desktop.core.results import FileEntry, ScanResult
from desktop.core.store.errors import NotFound
from desktop.core.store.models import Delivery, File, FileText, Finding, LicenseMatch, Vendor

_LICENSE_COLUMNS = ("key", "spdx")
# Texts kept with a delivery for later redlines: license-relevant files only, small ones only.
KEPT_TEXT_ROLES = frozenset({"license", "notice", "agreement", "model_card"})
MAX_KEPT_TEXT_BYTES = 2 << 20


def ensure_vendor(session: Session, name: str | None) -> Vendor | None:
    """The vendor row called ``name`` (created when new), or ``None`` without a name."""
    if not name or not name.strip():
        return None
    name = name.strip()
    row = session.execute(sa.select(Vendor).where(Vendor.name == name)).scalar()
    if row is None:
        row = Vendor(name=name)
        session.add(row)
        session.flush()
    return row


def store_scan(session: Session, scan: ScanResult, vendor: str | None, product: str | None,
               version: str | None, received_on: dt.date | None = None,
               findings: list[dict[str, Any]] | None = None) -> Delivery:
    """Insert a delivery with its files, license matches and findings (``scan.findings``
    unless given); links the previous delivery of the same vendor and product."""
    vendor_row = ensure_vendor(session, vendor)
    name = (product or "").strip() or _name_from_path(scan.source_path)
    previous = session.execute(
        sa.select(Delivery.id).where(Delivery.vendor_id == (vendor_row.id if vendor_row else None),
                                     Delivery.name == name)
        .order_by(Delivery.id.desc()).limit(1)
    ).scalar() if vendor_row else None
    delivery = Delivery(
        vendor_id=vendor_row.id if vendor_row else None, name=name, version=version,
        received_on=received_on or dt.date.today(), source_path=scan.source_path,
        source_kind=scan.source_kind, fingerprint=scan.fingerprint,
        components=[c.to_json() for c in scan.components],
        problems=[p.to_json() for p in scan.problems], previous_id=previous)
    session.add(delivery)
    session.flush()
    rows = [File(delivery_id=delivery.id, path=entry.path, size=entry.size, sha256=entry.sha256,
                 role=entry.role, format=entry.format, format_metadata=entry.metadata,
                 problems=[p.to_json() for p in entry.problems]) for entry in scan.files]
    session.add_all(rows)
    session.flush()
    for row, entry in zip(rows, scan.files, strict=True):
        for match in entry.licenses:
            key = str(match.get("key") or "unknown")
            details = {k: v for k, v in match.items() if k not in _LICENSE_COLUMNS}
            session.add(LicenseMatch(file_id=row.id, delivery_id=delivery.id, key=key,
                                     spdx=match.get("spdx"), details=details))
        text = kept_text(entry)
        if text is not None:
            session.add(FileText(file_id=row.id, sha256=entry.sha256 or "", text=text))
    for raw in scan.findings if findings is None else findings:
        finding = CheckedFinding.from_json(raw)  # a level outside the vocabulary is refused here
        session.add(Finding(
            delivery_id=delivery.id, check=finding.check, level=str(finding.level), summary=finding.summary,
            facts=finding.facts, evidence=[e.to_json() for e in finding.evidence], why=finding.why or None))
    session.flush()
    return delivery


def kept_text(entry: FileEntry) -> str | None:
    """The decoded text of a license, notice, agreement, model card or README (or of any file
    a license was found in) to keep with the delivery; None for other or large files."""
    text = entry.text if entry.text is not None else ("\n".join(entry.pages) if entry.pages else None)
    if text is None or entry.sha256 is None:
        return None
    name = entry.path.rsplit("!/", 1)[-1].rsplit("/", 1)[-1].lower()
    relevant = entry.role in KEPT_TEXT_ROLES or bool(entry.licenses) or name.startswith("readme")
    if not relevant or len(text.encode("utf-8", "replace")) > MAX_KEPT_TEXT_BYTES:
        return None
    return text.replace("\x00", "")


def kept_texts(session: Session, delivery_id: int) -> dict[str, str]:
    """The texts kept with a delivery, by file path."""
    rows = session.execute(sa.select(File.path, FileText.text).join(
        FileText, FileText.file_id == File.id).where(File.delivery_id == delivery_id))
    return {path: text for path, text in rows}


def _name_from_path(source_path: str) -> str:
    cleaned = source_path.rstrip("/\\")
    return cleaned.replace("\\", "/").rsplit("/", 1)[-1] or cleaned or "delivery"


def stored_findings(session: Session, delivery_id: int) -> list[CheckedFinding]:
    """The findings stored for a delivery, as :class:`desktop.core.findings.Finding` objects."""
    return [CheckedFinding.from_json(f) for f in findings_of(session, delivery_id)]


def findings_of(session: Session, delivery_id: int) -> list[dict[str, Any]]:
    """The findings stored for a delivery, in the scan's JSON form (the CLI's contract)."""
    rows = session.execute(sa.select(Finding).where(Finding.delivery_id == delivery_id)
                           .order_by(Finding.id)).scalars()
    return [{"check": f.check, "level": f.level, "summary": f.summary, "facts": f.facts,
             "evidence": f.evidence, **({"why": f.why} if f.why else {})} for f in rows]


def license_keys(session: Session, delivery_id: int) -> list[str]:
    """The distinct license keys matched in a delivery's files, sorted."""
    rows = session.execute(sa.select(LicenseMatch.key).where(
        LicenseMatch.delivery_id == delivery_id).distinct())
    return sorted(r[0] for r in rows)


def suggestion(findings: list[dict[str, Any]], item: str) -> tuple[str, str | None, list[Any]]:
    """Suggested answer for a checklist item: the highest-level finding of that check."""
    mine = [f for f in findings if f.get("check") == item]
    if not mine:
        return "no finding", None, []
    top = min(mine, key=lambda f: LEVELS.index(f["level"]) if f["level"] in LEVELS else len(LEVELS))
    evidence = [e for f in mine for e in (f.get("evidence") or [])]
    return f"{top['level']}: {top['summary']}", top["level"], evidence


def _files(session: Session, delivery_id: int) -> dict[str, File]:
    rows = session.execute(sa.select(File).where(File.delivery_id == delivery_id)).scalars()
    return {f.path: f for f in rows}


def _licenses_by_path(session: Session, delivery_id: int) -> dict[str, set[str]]:
    result: dict[str, set[str]] = defaultdict(set)
    rows = session.execute(sa.select(File.path, LicenseMatch.key).join(
        LicenseMatch, LicenseMatch.file_id == File.id).where(File.delivery_id == delivery_id))
    for path, key in rows:
        result[path].add(key)
    return result


def _finding_key(f: dict[str, Any]) -> tuple[str, str, str]:
    return (f["check"], f["level"], f["summary"])


LICENSE_ROLES = frozenset({"license", "agreement", "notice"})
# the checklist items that rest on the license texts: a change in their words reopens them
LICENSE_ITEMS = ("weights_coverage", "commercial_use", "use_restrictions", "jurisdiction", "output_use",
                 "attribution", "derivative_status", "declared_vs_detected")


def diff_deliveries(session: Session, old_id: int, new_id: int) -> dict[str, Any]:
    """Files added/removed/changed (by hash), licenses changed (keys, and license texts whose words
    changed), findings new/resolved, and the items to review again."""
    for delivery_id in (old_id, new_id):
        if session.get(Delivery, delivery_id) is None:
            raise NotFound(f"Delivery {delivery_id} does not exist in the review database.")
    old_files, new_files = _files(session, old_id), _files(session, new_id)
    changed = [{"path": p, "old_sha256": old_files[p].sha256, "new_sha256": new_files[p].sha256,
                "old_size": old_files[p].size, "new_size": new_files[p].size}
               for p in sorted(set(old_files) & set(new_files))
               if (old_files[p].sha256, old_files[p].size) != (new_files[p].sha256, new_files[p].size)]
    old_lic, new_lic = _licenses_by_path(session, old_id), _licenses_by_path(session, new_id)
    lic_files = [{"path": p, "removed": sorted(old_lic.get(p, set()) - new_lic.get(p, set())),
                  "added": sorted(new_lic.get(p, set()) - old_lic.get(p, set()))}
                 for p in sorted(set(old_lic) | set(new_lic)) if old_lic.get(p) != new_lic.get(p)]
    text_changed = [{"path": c["path"], "keys": sorted(old_lic.get(c["path"], set()) | new_lic.get(c["path"], set()))}
                    for c in changed if old_lic.get(c["path"]) or new_lic.get(c["path"])
                    or new_files[c["path"]].role in LICENSE_ROLES]
    old_keys = set().union(*old_lic.values()) if old_lic else set()
    new_keys = set().union(*new_lic.values()) if new_lic else set()
    old_findings = {_finding_key(f): f for f in findings_of(session, old_id)}
    new_findings = {_finding_key(f): f for f in findings_of(session, new_id)}
    appeared = [new_findings[k] for k in new_findings if k not in old_findings]
    resolved = [old_findings[k] for k in old_findings if k not in new_findings]
    return {
        "old_delivery": old_id, "new_delivery": new_id,
        "files": {"added": sorted(set(new_files) - set(old_files)),
                  "removed": sorted(set(old_files) - set(new_files)),
                  "changed": changed,
                  "unchanged": len(set(old_files) & set(new_files)) - len(changed)},
        "licenses": {"added": sorted(new_keys - old_keys), "removed": sorted(old_keys - new_keys),
                     "files": lic_files, "text_changed": text_changed},
        "findings": {"new": appeared, "resolved": resolved,
                     "unchanged": len(set(old_findings) & set(new_findings))},
        "items_to_review": sorted({f["check"] for f in appeared + resolved}
                                  | (set(LICENSE_ITEMS) if text_changed else set())),
    }
