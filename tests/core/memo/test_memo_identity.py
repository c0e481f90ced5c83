"""Reviewer identities: created with cryptography, opened with the passphrase, imported."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from desktop.core.memo.identity import (
    IdentityError,
    create_identity,
    import_identity,
    open_identity,
    trust_roots,
)


def test_created_identity_signs_documents_and_chains_to_its_ca(tmp_path: Path) -> None:
    info = create_identity("Jane Reviewer", "jane@firm.example", "pw-1", tmp_path / "jane.p12",
                           organization="Acme Legal")
    opened = open_identity(info.path, "pw-1")
    usage = opened.certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment
    assert not usage.key_cert_sign
    ca = x509.load_pem_x509_certificate((tmp_path / "jane.ca.pem").read_bytes())
    assert opened.certificate.issuer == ca.subject
    opened.certificate.verify_directly_issued_by(ca)
    assert (opened.info.name, opened.info.email) == ("Jane Reviewer", "jane@firm.example")
    assert opened.info.cert_fingerprint == info.cert_fingerprint
    assert trust_roots(folder=tmp_path) == [ca]


def test_wrong_passphrase_is_a_clear_error_naming_the_file(tmp_path: Path) -> None:
    info = create_identity("Jane Reviewer", "jane@firm.example", "right", tmp_path / "jane.p12")
    with pytest.raises(IdentityError, match=r"passphrase for .*jane\.p12 is wrong"):
        open_identity(info.path, "wrong")


def test_damaged_or_missing_identity_files_are_named(tmp_path: Path) -> None:
    junk = tmp_path / "junk.p12"
    junk.write_bytes(b"\x00not a pkcs12" * 20)
    with pytest.raises(IdentityError, match=r"junk\.p12 is not a PKCS#12"):
        open_identity(junk, "x")
    with pytest.raises(IdentityError, match=r"nothing\.p12 does not exist"):
        open_identity(tmp_path / "nothing.p12", "x")


def test_create_never_overwrites_an_identity(tmp_path: Path) -> None:
    create_identity("Jane", "jane@firm.example", "pw", tmp_path / "jane.p12")
    before = (tmp_path / "jane.p12").read_bytes()
    with pytest.raises(IdentityError, match="already exists"):
        create_identity("Jane", "jane@firm.example", "pw2", tmp_path / "jane.p12")
    assert (tmp_path / "jane.p12").read_bytes() == before
    with pytest.raises(IdentityError, match="passphrase"):
        create_identity("Jane", "jane@firm.example", "", tmp_path / "other.p12")


def _firm_p12(path: Path, passphrase: bytes) -> x509.Certificate:
    """A firm-issued identity in the legacy 3DES/SHA-1 PKCS#12 form older tools write."""
    import datetime as dt

    now = dt.datetime.now(dt.UTC)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Firm Root")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(1).not_valid_before(now)
          .not_valid_after(now + dt.timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .sign(ca_key, hashes.SHA256()))
    leaf = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Ann Partner"),
                                     x509.NameAttribute(NameOID.EMAIL_ADDRESS, "ann@firm.example")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(2)
            .not_valid_before(now).not_valid_after(now + dt.timedelta(days=30))
            .sign(ca_key, hashes.SHA256()))
    encryption = (serialization.PrivateFormat.PKCS12.encryption_builder().kdf_rounds(2000)
                  .key_cert_algorithm(pkcs12.PBES.PBESv1SHA1And3KeyTripleDESCBC)
                  .hmac_hash(hashes.SHA1()).build(passphrase))
    path.write_bytes(pkcs12.serialize_key_and_certificates(b"ann", key, leaf, [ca], encryption))
    return ca


def test_import_copies_the_firm_identity_and_its_ca(tmp_path: Path) -> None:
    source = tmp_path / "firm-issued.p12"
    ca = _firm_p12(source, b"firm-pw")
    info = import_identity(source, "firm-pw", tmp_path / "identities")
    assert info.path == tmp_path / "identities" / "ann-firm.example.p12"
    assert info.path.read_bytes() == source.read_bytes()
    assert info.email == "ann@firm.example"
    assert trust_roots(folder=tmp_path / "identities") == [ca]
    with pytest.raises(IdentityError, match="is wrong"):
        import_identity(source, "nope", tmp_path / "elsewhere")
