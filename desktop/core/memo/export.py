"""Export a signed memo: snapshot -> HTML -> PDF -> manifest attached -> signed -> new file.

The PDF renderer is passed in (``desktop.pdf.html_to_pdf`` in the app and the CLI), so core
never imports Qt.  Memo files are written to a temporary file in the target folder and then
linked to their final name, and an existing memo is never overwritten: a re-export gets the
next free name (``memo-2.pdf``, ``memo-3.pdf``, ...).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from cryptography.hazmat.primitives import serialization

from desktop.core.memo.identity import OpenedIdentity, cert_fingerprint
from desktop.core.memo.layout import FIELD_NAMES
from desktop.core.memo.manifest import build_manifest, manifest_bytes, manifest_sha256
from desktop.core.memo.render import FULL_INVENTORY_LIMIT, MEMO_TEMPLATE, render_memo_html
from desktop.core.memo.sign import MANIFEST_NAME, Attachment, sign_pdf
from desktop.core.memo.snapshot import FINAL_STATUSES, Snapshot, check_snapshot, is_final

MAX_NAME_TRIES = 1000


class RenderPdf(Protocol):
    def __call__(self, html: str, *, page_size: str = ..., title: str = ...,
                 footer: str = ...) -> bytes: ...


class MemoError(Exception):
    """A memo cannot be exported or countersigned; the message says why."""


@dataclass(frozen=True)
class ExportedMemo:
    """A memo written to disk: where, its hash, who signed it, when."""

    path: Path
    sha256: str
    signer_name: str
    signer_email: str
    signer_cert_fingerprint: str
    signed_at: dt.datetime
    role: str
    manifest_sha256: str = ""

    @property
    def signer_label(self) -> str:
        return f"{self.signer_name} <{self.signer_email}>" if self.signer_email else self.signer_name

    def to_json(self) -> dict[str, Any]:
        return {"path": str(self.path), "sha256": self.sha256, "signer": self.signer_label,
                "signer_cert_fingerprint": self.signer_cert_fingerprint,
                "signed_at": self.signed_at.isoformat(timespec="seconds"), "role": self.role,
                "manifest_sha256": self.manifest_sha256 or None}


def _new_temporary(folder: Path) -> tuple[int, str]:
    """A new, empty ``.memo-*.part`` file in ``folder``, open for writing, with the permissions
    of any file the user makes (0666 less the umask), not ``mkstemp``'s private 0600: a memo is
    a document to share."""
    for _ in range(100):
        name = os.path.join(folder, f".memo-{secrets.token_hex(8)}.part")
        try:
            return os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                           0o666), name
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name in {folder}")


def write_new_file(data: bytes, target: Path) -> Path:
    """Write ``data`` under ``target`` or the next free name; returns the path written.

    The bytes go to a temporary file in the same folder first, so a memo file either is
    complete or does not exist.
    """
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = _new_temporary(target.parent)
    except OSError as exc:
        raise MemoError(f"The memo cannot be written in {target.parent} ({exc.strerror or exc}).") from exc
    try:
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
        except OSError as exc:
            raise MemoError(f"The memo could not be written to {target.parent} ({exc.strerror or exc}); "
                            "no memo file was saved.") from exc
        for number in range(1, MAX_NAME_TRIES + 1):
            candidate = target if number == 1 else target.with_name(
                f"{target.stem}-{number}{target.suffix}")
            try:
                os.link(tmp, candidate)
                return candidate
            except FileExistsError:
                continue
            except OSError:  # no hard links here (some network or FAT drives)
                if candidate.exists():
                    continue
                os.replace(tmp, candidate)
                return candidate
        raise MemoError(f"No free file name next to {target}; tidy up that folder.")
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _signer_record(identity: OpenedIdentity) -> dict[str, Any]:
    cas = [c for c in identity.chain]
    return {"name": identity.info.name, "email": identity.info.email,
            "cert_fingerprint": identity.info.cert_fingerprint,
            "ca_fingerprints": [cert_fingerprint(c) for c in cas],
            "certificate_pem": identity.certificate.public_bytes(
                serialization.Encoding.PEM).decode("ascii")}


def build_memo_pdf(snapshot: Snapshot, render_pdf: RenderPdf | Callable[..., bytes], *,
                   signer: OpenedIdentity | None = None, firm_templates: Path | None = None,
                   page_size: str = "A4", inventory_limit: int = FULL_INVENTORY_LIMIT,
                   generated_at: dt.datetime | None = None) -> tuple[bytes, bytes]:
    """The unsigned memo PDF and its manifest bytes (not yet attached)."""
    check_snapshot(snapshot)
    files = snapshot["scan"]["files"]
    manifest = build_manifest(
        snapshot, signer=_signer_record(signer) if signer else None, generated_at=generated_at,
        template=MEMO_TEMPLATE,
        inventory_in_memo="full" if len(files) <= inventory_limit else "summary")
    data = manifest_bytes(manifest)
    html = render_memo_html(snapshot, firm_templates=firm_templates,
                            manifest_sha256=manifest_sha256(data), inventory_limit=inventory_limit)
    review = snapshot["review"]
    footer = f"Review {review['id']} \u00b7 {snapshot['delivery']['fingerprint'][:23]}"
    pdf = render_pdf(html, page_size=page_size, title=f"Review memo {review['id']}",
                     footer=footer)
    return pdf, data


def export_memo(snapshot: Snapshot, identity: OpenedIdentity, out: Path,
                render_pdf: RenderPdf | Callable[..., bytes], *, firm_templates: Path | None = None,
                page_size: str = "A4", inventory_limit: int = FULL_INVENTORY_LIMIT,
                location: str = "") -> ExportedMemo:
    """Render, attach the manifest, sign as preparer and write a new memo file near ``out``.

    Only a review in a final status (approved, approved-with-conditions, rejected) may be
    exported; anything else raises MemoError.
    """
    check_snapshot(snapshot)
    if not is_final(snapshot):
        raise MemoError(f"Review {snapshot['review']['id']} is {snapshot['review']['status']}; "
                        f"a memo can be exported only for a review that is "
                        f"{', '.join(FINAL_STATUSES)}.")
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    pdf, manifest = build_memo_pdf(snapshot, render_pdf, signer=identity,
                                   firm_templates=firm_templates, page_size=page_size,
                                   inventory_limit=inventory_limit, generated_at=now)
    signed = sign_pdf(pdf, identity, role="preparer", location=location, signing_time=now,
                      attachments=(Attachment(MANIFEST_NAME, manifest,
                                              description="Review manifest (aireview)"),))
    path = write_new_file(signed, out)
    return ExportedMemo(path=path, sha256=hashlib.sha256(signed).hexdigest(),
                        signer_name=identity.info.name, signer_email=identity.info.email,
                        signer_cert_fingerprint=identity.info.cert_fingerprint, signed_at=now,
                        role="preparer", manifest_sha256=manifest_sha256(manifest))


def countersign_memo(memo: Path, identity: OpenedIdentity, out: Path, *,
                     trust: list[Any] | None = None, location: str = "") -> ExportedMemo:
    """Add the approver's signature to a signed memo, written as a new file near ``out``.

    The memo must verify (signature intact, nothing changed after it) before it is
    countersigned; the original file is left as it is.
    """
    from desktop.core.memo.verify import verify_memo

    report = verify_memo(memo, trust=trust or [])
    if not report["signatures"]:
        raise MemoError(f"{memo} has no preparer signature to countersign.")
    if any(s["field"] == FIELD_NAMES["approver"] for s in report["signatures"]):
        raise MemoError(f"{memo} is already countersigned; export a new memo to sign again.")
    if not report["valid"]:
        reasons = "; ".join(p["message"] for p in report["problems"]) or "it does not verify"
        raise MemoError(f"{memo} cannot be countersigned: {reasons}")
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    signed = sign_pdf(Path(memo).read_bytes(), identity, role="approver", location=location,
                      signing_time=now, reason="Approval of the legal review memo")
    path = write_new_file(signed, out)
    return ExportedMemo(path=path, sha256=hashlib.sha256(signed).hexdigest(),
                        signer_name=identity.info.name, signer_email=identity.info.email,
                        signer_cert_fingerprint=identity.info.cert_fingerprint, signed_at=now,
                        role="approver", manifest_sha256=(report.get("manifest") or {}).get(
                            "sha256") or "")


def check_countersigner(approver: str | None, identity: OpenedIdentity) -> None:
    """Raise MemoError unless ``identity`` holds the certificate of the review's approver
    (``approver`` as the store labels people, ``"Name <email>"``)."""
    holder = (f"{identity.info.name} <{identity.info.email.lower()}>" if identity.info.email
              else identity.info.name)
    if approver is None:
        raise MemoError("the review has no approver yet; approve it before countersigning its memo")
    if approver != holder:
        raise MemoError(f"the review was approved by {approver}; only they can countersign its "
                        f"memo ({holder} cannot)")


def record_memo(store: Any, review_id: int, memo: ExportedMemo) -> int:
    """Record an exported memo (hash, signer, time, path) with its review in the store."""
    from desktop.core.store import Identity

    signer = Identity(memo.signer_name, memo.signer_email.lower(), memo.signer_cert_fingerprint)
    return int(store.record_memo(review_id, memo.sha256, signer=signer, signed_at=memo.signed_at,
                                 path=str(memo.path)))
