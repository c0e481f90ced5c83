"""PAdES B-B signatures with pyHanko: attach the manifest, then sign; countersign later.

The preparer's signature is made in the same incremental update that attaches the manifest,
so the manifest is inside the signed byte range.  The approver's countersignature is a second
incremental update that adds only its own signature field.  Both boxes are visible on the
last page, in the band the renderer keeps free (``layout.signature_box``).
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from dataclasses import dataclass

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization

from desktop.core.memo.identity import OpenedIdentity
from desktop.core.memo.layout import FIELD_NAMES, ROLES, signature_box

MANIFEST_NAME = "manifest.json"
SIGNATURE_LEVEL = "PAdES-B-B"


class SigningError(Exception):
    """The memo could not be signed; the message says why."""


@dataclass(frozen=True)
class Attachment:
    """A file embedded in the PDF before signing (covered by the signature)."""

    name: str
    data: bytes
    mime_type: str = "application/json"
    description: str = ""


def _signer(identity: OpenedIdentity):  # type: ignore[no-untyped-def]
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    der = serialization.Encoding.DER
    key = asn1_keys.PrivateKeyInfo.load(identity.key.private_bytes(
        der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    cert = asn1_x509.Certificate.load(identity.certificate.public_bytes(der))
    chain = [asn1_x509.Certificate.load(c.public_bytes(der)) for c in identity.chain]
    return signers.SimpleSigner(signing_cert=cert, signing_key=key,
                                cert_registry=SimpleCertificateStore.from_certs([cert, *chain]))


def _stamp_safe(text: str) -> str:
    """The stamp uses a standard PDF font: keep Latin-1 text, transliterate the rest."""
    folded = unicodedata.normalize("NFKD", text)
    kept = "".join(c for c in folded if not unicodedata.combining(c) and ord(c) < 256)
    return kept.strip() or "?"


def sign_pdf(pdf: bytes, identity: OpenedIdentity, *, role: str,
             attachments: tuple[Attachment, ...] = (), reason: str = "Legal review memo",
             location: str = "", signing_time: dt.datetime | None = None) -> bytes:
    """Return ``pdf`` with ``attachments`` embedded and a visible PAdES B-B signature of ``role``.

    ``role`` is ``"preparer"`` (first signature) or ``"approver"`` (countersignature, made as an
    incremental update that keeps the earlier signature intact).
    """
    if role not in ROLES:
        raise SigningError(f"Unknown signer role {role!r}; use preparer or approver.")
    from pyhanko import stamp
    from pyhanko.pdf_utils import embed, generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.sign import fields, signers

    field_name = FIELD_NAMES[role]
    now = signing_time or dt.datetime.now(dt.UTC)
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        existing = {name for name, _, _ in fields.enumerate_sig_fields(writer.prev)}
        if field_name in existing:
            raise SigningError(f"This memo already carries the {role}'s signature ({field_name}).")
        page_ref, _ = writer.find_page_for_modification(-1)
        media_box = page_ref.get_object()["/MediaBox"]
        width = float(media_box[2]) - float(media_box[0])
        for item in attachments:
            data = embed.EmbeddedFileObject.from_file_data(
                writer, data=item.data, mime_type=item.mime_type,
                params=embed.EmbeddedFileParams(creation_date=now, modification_date=now))
            embed.embed_file(writer, embed.FileSpec(
                file_spec_string=item.name, file_name=item.name, embedded_data=data,
                description=item.description or None, af_relationship=generic.pdf_name("/Data")))
        meta = signers.PdfSignatureMetadata(
            field_name=field_name, reason=reason, location=location or None,
            name=identity.info.name, subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm="sha256")
        style = stamp.TextStampStyle(
            stamp_text="%(role)s: %(who)s\nSigned %(ts)s\n" + SIGNATURE_LEVEL
                       + ", certificate SHA-256\n%(fp)s",
            border_width=1, timestamp_format="%Y-%m-%d %H:%M:%S UTC")
        pdf_signer = signers.PdfSigner(
            meta, _signer(identity), stamp_style=style,
            new_field_spec=fields.SigFieldSpec(sig_field_name=field_name, on_page=-1,
                                               box=signature_box(width, role)))
        out = io.BytesIO()
        who = identity.info.name + (f" <{identity.info.email}>" if identity.info.email else "")
        fingerprint = identity.info.cert_fingerprint
        pdf_signer.sign_pdf(writer, output=out, appearance_text_params={
            "role": role.capitalize(), "who": _stamp_safe(who),
            "fp": f"{fingerprint[:32]}\n{fingerprint[32:]}"})
    except SigningError:
        raise
    except (PdfError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise SigningError(f"The memo PDF could not be signed: {exc}") from exc
    return out.getvalue()
