"""Reviewer signing identities: create one (a small local CA and a signing certificate),
import a firm's own PKCS#12, and open one with its passphrase.

A created identity is ``NAME.p12`` (key, certificate and CA certificate, encrypted with the
passphrase) with ``NAME.ca.pem`` beside it: the CA certificate verifiers use as trust root.
The CA's private key is never stored, so it can sign nothing else.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_SUFFIX = ".ca.pem"
MAX_P12_BYTES = 1 << 20
LEAF_DAYS = 3 * 365
CA_DAYS = 10 * 365


class IdentityError(Exception):
    """An identity file cannot be created, read or opened; the message names the file."""


@dataclass(frozen=True)
class IdentityInfo:
    """What a reviewer identity says about its holder."""

    path: Path
    name: str
    email: str
    organization: str
    cert_fingerprint: str           # SHA-256 of the signing certificate (DER), hex
    ca_path: Path | None
    not_after: dt.datetime
    non_repudiation: bool

    def to_json(self) -> dict[str, Any]:
        return {"path": str(self.path), "name": self.name, "email": self.email,
                "organization": self.organization, "cert_fingerprint": self.cert_fingerprint,
                "ca": str(self.ca_path) if self.ca_path else None,
                "not_after": self.not_after.isoformat(), "non_repudiation": self.non_repudiation}


@dataclass(frozen=True)
class OpenedIdentity:
    """An identity opened with its passphrase: ready to sign."""

    info: IdentityInfo
    key: Any
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]


def identities_dir() -> Path:
    """The per-user folder holding created and imported identities."""
    from desktop import paths

    folder = paths.data_dir() / "identities"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def cert_fingerprint(certificate: x509.Certificate) -> str:
    """SHA-256 of a certificate's DER encoding, lowercase hex."""
    return hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).hexdigest()


def ca_path_for(p12: Path) -> Path:
    """Where the CA certificate of the identity ``p12`` lives (beside it)."""
    return p12.with_name(p12.stem + CA_SUFFIX)


def _name(common_name: str, organization: str, email: str | None = None) -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if organization:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization))
    if email:
        attributes.append(x509.NameAttribute(NameOID.EMAIL_ADDRESS, email))
    return x509.Name(attributes)


def _key_usage(**on: bool) -> x509.KeyUsage:
    names = ("digital_signature", "content_commitment", "key_encipherment", "data_encipherment",
             "key_agreement", "key_cert_sign", "crl_sign", "encipher_only", "decipher_only")
    return x509.KeyUsage(**{n: on.get(n, False) for n in names})


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-._").lower() or "reviewer"


def _write_new(path: Path, data: bytes) -> None:
    """Write ``data`` to a new file (temporary file + link, never over an existing one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise IdentityError(f"{path} already exists; choose another file name.") from None
        except OSError:
            if path.exists():
                raise IdentityError(f"{path} already exists; choose another file name.") from None
            os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def create_identity(name: str, email: str, passphrase: str, out: Path | None = None, *,
                    organization: str = "") -> IdentityInfo:
    """Create a local CA and a signing certificate for ``name``; write ``out`` (.p12) and its CA.

    The certificate has key usage digitalSignature + nonRepudiation, the email as subject
    alternative name, and no network locations (verifiers never go online).
    """
    name, email = name.strip(), email.strip()
    if not name:
        raise IdentityError("A reviewer identity needs a name.")
    if not passphrase:
        raise IdentityError("A reviewer identity needs a passphrase to protect its key.")
    out = Path(out) if out else identities_dir() / f"{_slug(email or name)}.p12"
    ca_file = ca_path_for(out)
    for target in (out, ca_file):
        if target.exists():
            raise IdentityError(f"{target} already exists; choose another file name.")
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_subject = _name(f"{name} review root", organization)
    ca = (x509.CertificateBuilder().subject_name(ca_subject).issuer_name(ca_subject)
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - dt.timedelta(minutes=5))
          .not_valid_after(now + dt.timedelta(days=CA_DAYS))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(_key_usage(key_cert_sign=True, crl_sign=True), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()),
                         critical=False)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    builder = (x509.CertificateBuilder().subject_name(_name(name, organization, email or None))
               .issuer_name(ca.subject).public_key(key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(now - dt.timedelta(minutes=5))
               .not_valid_after(now + dt.timedelta(days=LEAF_DAYS))
               .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
               .add_extension(_key_usage(digital_signature=True, content_commitment=True),
                              critical=True)
               .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]),
                              critical=False)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                   ca_key.public_key()), critical=False)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                              critical=False))
    if email:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.RFC822Name(email)]),
                                        critical=False)
    leaf = builder.sign(ca_key, hashes.SHA256())
    blob = pkcs12.serialize_key_and_certificates(
        name.encode("utf-8"), key, leaf, [ca],
        serialization.BestAvailableEncryption(passphrase.encode("utf-8")))
    _write_new(out, blob)
    _write_new(ca_file, ca.public_bytes(serialization.Encoding.PEM))
    return _info(out, leaf, ca_file)


def open_identity(p12: Path, passphrase: str) -> OpenedIdentity:
    """Open a .p12 with its passphrase; a wrong passphrase or a damaged file is a clear error."""
    p12 = Path(p12)
    try:
        if p12.stat().st_size > MAX_P12_BYTES:
            raise IdentityError(f"{p12} is too large to be a PKCS#12 identity file.")
        data = p12.read_bytes()
    except FileNotFoundError:
        raise IdentityError(f"{p12} does not exist.") from None
    except OSError as exc:
        raise IdentityError(f"{p12} cannot be read: {exc.strerror or exc}.") from None
    try:
        key, leaf, extra = pkcs12.load_key_and_certificates(data, passphrase.encode("utf-8"))
    except ValueError:
        if _looks_like_pkcs12(data):
            raise IdentityError(f"The passphrase for {p12} is wrong.") from None
        raise IdentityError(f"{p12} is not a PKCS#12 (.p12/.pfx) identity file.") from None
    if key is None or leaf is None:
        raise IdentityError(f"{p12} holds no private key with its certificate; "
                            "export the identity again with its key.")
    ca_file = ca_path_for(p12)
    return OpenedIdentity(_info(p12, leaf, ca_file if ca_file.is_file() else None),
                          key, leaf, tuple(extra))


def _looks_like_pkcs12(data: bytes) -> bool:
    from asn1crypto import pkcs12 as asn1_pkcs12

    try:
        parsed = asn1_pkcs12.Pfx.load(data)
        parsed["auth_safe"]["content_type"].native  # noqa: B018 - forces parsing
        return parsed["version"].native == "v3"
    except Exception:  # asn1crypto raises many types on garbage
        return False


def import_identity(source: Path, passphrase: str, dest_dir: Path | None = None) -> IdentityInfo:
    """Copy a firm's .p12 into the identities folder after checking it opens and can sign.

    The CA certificates found in the file are written beside it as the trust root.
    """
    opened = open_identity(source, passphrase)
    folder = dest_dir or identities_dir()
    target = folder / f"{_slug(opened.info.email or opened.info.name)}.p12"
    _write_new(target, Path(source).read_bytes())
    ca_file: Path | None = None
    roots = [c for c in opened.chain if _is_ca(c)]
    if roots:
        ca_file = ca_path_for(target)
        _write_new(ca_file, b"".join(c.public_bytes(serialization.Encoding.PEM) for c in roots))
    return _info(target, opened.certificate, ca_file)


def _is_ca(certificate: x509.Certificate) -> bool:
    try:
        return bool(certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return certificate.issuer == certificate.subject


def _info(path: Path, leaf: x509.Certificate, ca_file: Path | None) -> IdentityInfo:
    def attribute(oid: x509.ObjectIdentifier) -> str:
        values = leaf.subject.get_attributes_for_oid(oid)
        return str(values[0].value) if values else ""

    email = attribute(NameOID.EMAIL_ADDRESS)
    if not email:
        try:
            san = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
            emails = san.get_values_for_type(x509.RFC822Name)
            email = emails[0] if emails else ""
        except x509.ExtensionNotFound:
            email = ""
    try:
        usage = leaf.extensions.get_extension_for_class(x509.KeyUsage).value
        non_repudiation = bool(usage.content_commitment)
    except x509.ExtensionNotFound:
        non_repudiation = True  # no key usage extension: any use is allowed
    return IdentityInfo(path=path, name=attribute(NameOID.COMMON_NAME) or path.stem, email=email,
                        organization=attribute(NameOID.ORGANIZATION_NAME),
                        cert_fingerprint=cert_fingerprint(leaf), ca_path=ca_file,
                        not_after=leaf.not_valid_after_utc, non_repudiation=non_repudiation)


def list_identities(folder: Path | None = None) -> list[dict[str, Any]]:
    """The .p12 files in ``folder`` (default: the user's) with their CA file, if any.

    Opening a .p12 needs its passphrase; use :func:`open_identity` for the holder's details.
    """
    base = folder or identities_dir()
    return [{"path": str(p12), "ca": str(ca_path_for(p12)) if ca_path_for(p12).is_file() else None}
            for p12 in sorted(base.glob("*.p12"))]


def trust_roots(extra: list[Path] | tuple[Path, ...] = (), folder: Path | None = None
                ) -> list[x509.Certificate]:
    """CA certificates to trust: ``extra`` PEM/DER files plus every ``*.ca.pem`` in ``folder``.

    ``folder`` defaults to the user's identities folder.  Unreadable files raise IdentityError.
    """
    files = list(extra)
    base = folder if folder is not None else identities_dir()
    if base.is_dir():
        files += sorted(base.glob("*" + CA_SUFFIX))
    roots: list[x509.Certificate] = []
    for file in files:
        roots += load_certificates(Path(file))
    return roots


def load_certificates(path: Path) -> list[x509.Certificate]:
    """Certificates from a PEM (one or more) or DER file; a clear error when it holds none."""
    try:
        data = path.read_bytes()[:MAX_P12_BYTES]
    except OSError as exc:
        raise IdentityError(f"{path} cannot be read: {exc.strerror or exc}.") from None
    try:
        if b"-----BEGIN CERTIFICATE-----" in data:
            return x509.load_pem_x509_certificates(data)
        return [x509.load_der_x509_certificate(data)]
    except ValueError:
        raise IdentityError(f"{path} holds no readable certificate.") from None
