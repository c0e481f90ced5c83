"""``aireview memo | verify | identity | export``: signed review memos, their check, signing
identities and the CycloneDX AI-BOM.

Exit codes: 0 done (verify: valid and identical), 1 refused or invalid/changed, 2 unusable input.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
from pathlib import Path
from typing import Any

from desktop.cli.output import fail, print_json

ENV_PASSPHRASE = "AIREVIEW_P12_PASSPHRASE"


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("memo", help="export the signed review memo (PDF) of a decided review")
    p.add_argument("review_id", type=int, help="review number")
    p.add_argument("--out", type=Path, required=True, help="memo file to write (never overwritten)")
    p.add_argument("--identity", type=Path, help="signing identity (.p12); default: your only one")
    p.add_argument("--template", type=Path, help="firm templates folder (overrides the built-in)")
    p.add_argument("--page-size", choices=("A4", "Letter"), default="A4")
    p.add_argument("--countersign", type=Path, metavar="MEMO.pdf",
                   help="add the approver's signature to this signed memo instead")
    p.add_argument("--firm", help="firm name on the memo (default: the store setting firm_name)")
    p.add_argument("--matter", help="matter on the memo (default: the review's purpose)")
    p.add_argument("--db", help="review database URL (default: AIREVIEW_DB or the saved one)")
    p.add_argument("--json", action="store_true", help="print what was written as JSON")
    p.set_defaults(func=run_memo)

    v = sub.add_parser("verify", help="check a signed memo (and optionally its delivery)")
    v.add_argument("memo", type=Path, help="signed memo PDF")
    v.add_argument("--delivery", type=Path, help="re-hash this delivery and compare")
    v.add_argument("--trust", type=Path, action="append", default=[], metavar="CA.pem",
                   help="also trust this CA certificate (your identities' CAs are trusted)")
    v.add_argument("--require-trust", action="store_true",
                   help="exit 1 unless every signer chains to a trusted CA")
    v.add_argument("--json", action="store_true", help="print the verification as JSON")
    v.set_defaults(func=run_verify)

    i = sub.add_parser("identity", help="create, import or list reviewer signing identities")
    isub = i.add_subparsers(dest="identity_command", metavar="ACTION", required=True)
    c = isub.add_parser("create", help="create a local CA and a signing certificate (.p12)")
    c.add_argument("--name", required=True)
    c.add_argument("--email", required=True)
    c.add_argument("--org", default="", help="organisation (firm) name")
    c.add_argument("--out", type=Path, help="file to write (default: the identities folder)")
    c.set_defaults(func=run_identity_create)
    m = isub.add_parser("import", help="import the firm's own .p12 into the identities folder")
    m.add_argument("p12", type=Path)
    m.set_defaults(func=run_identity_import)
    ls = isub.add_parser("list", help="list the identities in the identities folder")
    ls.set_defaults(func=run_identity_list)

    e = sub.add_parser("export", help="export a review's AI bill of materials")
    e.add_argument("review_id", type=int)
    e.add_argument("--cyclonedx", type=Path, required=True, metavar="OUT.json",
                   help="write a CycloneDX 1.6 BOM (validated against the schema)")
    e.add_argument("--db", help="review database URL")
    e.set_defaults(func=run_export)


def _passphrase(what: Path) -> str | None:
    value = os.environ.get(ENV_PASSPHRASE)
    if value is not None:
        return value
    if sys.stdin.isatty():
        return getpass.getpass(f"Passphrase for {what}: ")
    return None


def _choose_identity(given: Path | None) -> Path | None:
    if given is not None:
        return given
    from desktop.core.memo.identity import identities_dir

    found = sorted(identities_dir().glob("*.p12"))
    return found[0] if len(found) == 1 else None


def _open_store(url: str | None) -> Any:
    from desktop.core.store import open_store

    return open_store(url)


def run_memo(ns: argparse.Namespace) -> int:
    from desktop import paths
    from desktop.core.memo.export import (
        MemoError,
        check_countersigner,
        countersign_memo,
        export_memo,
        record_memo,
    )
    from desktop.core.settings import load_settings
    from desktop.core.memo.identity import IdentityError, open_identity, trust_roots
    from desktop.core.memo.render import TemplateProblem
    from desktop.core.memo.sign import SigningError
    from desktop.core.memo.snapshot import SnapshotProblem, from_store
    from desktop.core.memo.verify import UnusableMemo
    from desktop.core.store import NotFound, StoreError

    if ns.template is not None and not ns.template.is_dir():
        return fail(ns.template, "templates folder does not exist")
    p12 = _choose_identity(ns.identity)
    if p12 is None:
        return fail("--identity", "choose the signing identity (.p12); create one with "
                    "'aireview identity create'")
    passphrase = _passphrase(p12)
    if passphrase is None:
        return fail(p12, f"no passphrase: set {ENV_PASSPHRASE} or run in a terminal")
    _quiet_pyhanko()
    try:
        identity = open_identity(p12, passphrase)
        with _open_store(ns.db) as store:
            if ns.countersign is not None:
                check_countersigner(store.get_review(ns.review_id)["approver"], identity)
                memo = countersign_memo(ns.countersign, identity, ns.out, trust=trust_roots())
            else:
                settings = load_settings(paths.data_dir())
                snapshot = from_store(store, ns.review_id, firm_name=ns.firm or settings.firm_name or None,
                                      matter=ns.matter, privilege=settings.privilege_legend or None)
                from desktop.pdf import html_to_pdf

                memo = export_memo(snapshot, identity, ns.out, html_to_pdf,
                                   firm_templates=ns.template, page_size=ns.page_size)
            memo_id = record_memo(store, ns.review_id, memo)
    except IdentityError as exc:
        return _say(exc)
    except UnusableMemo as exc:
        return fail(exc.path, exc.reason)
    except NotFound as exc:
        return fail(f"review {ns.review_id}", str(exc))
    except (MemoError, SigningError, TemplateProblem, SnapshotProblem) as exc:
        return fail(ns.out, str(exc), 1)
    except StoreError as exc:
        return fail(ns.db or "review database", str(exc))
    if ns.json:
        print_json({**memo.to_json(), "memo_id": memo_id, "review": ns.review_id})
    else:
        print(f"Wrote {memo.path}")
        print(f"  signed by {memo.signer_label} as {memo.role} at {memo.signed_at.isoformat()}")
        print(f"  SHA-256 {memo.sha256}")
    return 0


def _say(exc: Exception, code: int = 2) -> int:
    """One line for an error whose message already names the file and the cause."""
    print(f"aireview: {exc}", file=sys.stderr)
    return code


def _quiet_pyhanko() -> None:
    """pyHanko logs tracebacks for untrusted roots and wrong passphrases; we report them."""
    for name in ("pyhanko", "pyhanko_certvalidator"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def run_verify(ns: argparse.Namespace) -> int:
    from desktop.core.intake.base import UnusableInput
    from desktop.core.memo.identity import IdentityError, trust_roots
    from desktop.core.memo.verify import UnusableMemo, verify_memo

    _quiet_pyhanko()
    try:
        roots = trust_roots(ns.trust)
    except IdentityError as exc:
        return _say(exc)
    if ns.delivery is not None and not ns.delivery.exists():
        return fail(ns.delivery, "delivery does not exist")
    try:
        report = verify_memo(ns.memo, trust=roots, delivery=ns.delivery)
    except UnusableMemo as exc:
        return fail(exc.path, exc.reason)
    except UnusableInput as exc:
        return fail(exc.path, exc.reason)
    delivery = report["delivery"]
    ok = report["valid"] and (delivery is None or delivery["identical"])
    if ns.require_trust and not report["trusted"]:
        ok = False
    if ns.json:
        print_json(report)
    else:
        _print_verification(report)
    return 0 if ok else 1


def _print_verification(report: dict[str, Any]) -> None:
    """Document intact or changed; signed by whom (in this firm's trust list or not); delivery."""
    from desktop.core.memo.verify import minute

    verdict = report["verdict"]
    print(f"Memo       {report['path']}")
    print("Document   " + {"intact": "intact: not changed since it was signed",
                           "changed": "CHANGED after signing",
                           "unsigned": "NOT signed"}[verdict["document"]])
    for signer in verdict["signers"]:
        trust = ("in this firm's trust list" if signer["in_trust_list"] else
                 "NOT in this firm's trust list (its certificate does not chain to a CA you trust)")
        print(f"Signed by  {signer['signer'] or 'an unreadable certificate'} ({signer['field']}) at "
              f"{minute(signer['signing_time'])}, {trust}")
    delivery = report["delivery"]
    if delivery is None:
        print("Delivery   not compared (give --delivery PATH to re-hash it)")
    elif delivery["identical"]:
        print(f"Delivery   identical ({delivery['files_checked']} files)")
    else:
        for kind in ("changed", "added", "removed"):
            for path in delivery[kind]:
                print(f"Delivery   {kind}: {path}")
    manifest = report["manifest"]
    if manifest:
        print(f"Manifest   review {manifest['review_id']} ({manifest['status']}), "
              f"{manifest['files']} files, fingerprint {manifest['fingerprint']}")
    for problem in report["problems"]:
        print(f"Problem    {problem['message']}")


def run_identity_create(ns: argparse.Namespace) -> int:
    from desktop.core.memo.identity import IdentityError, create_identity

    passphrase = os.environ.get(ENV_PASSPHRASE)
    if passphrase is None and sys.stdin.isatty():
        passphrase = getpass.getpass("New passphrase: ")
        if getpass.getpass("Repeat the passphrase: ") != passphrase:
            return fail("passphrase", "the two passphrases differ", 1)
    if not passphrase:
        return fail(ns.out or "identity", f"no passphrase: set {ENV_PASSPHRASE} or run in a terminal")
    try:
        info = create_identity(ns.name, ns.email, passphrase, ns.out, organization=ns.org)
    except IdentityError as exc:
        return _say(exc)
    except OSError as exc:
        return fail(ns.out or "identity", f"cannot be written ({exc.strerror or exc})")
    print(f"Created {info.path}")
    print(f"  CA certificate (give it to whoever verifies your memos): {info.ca_path}")
    print(f"  certificate SHA-256 {info.cert_fingerprint}")
    return 0


def run_identity_import(ns: argparse.Namespace) -> int:
    from desktop.core.memo.identity import IdentityError, import_identity

    passphrase = _passphrase(ns.p12)
    if passphrase is None:
        return fail(ns.p12, f"no passphrase: set {ENV_PASSPHRASE} or run in a terminal")
    try:
        info = import_identity(ns.p12, passphrase)
    except IdentityError as exc:
        return _say(exc)
    print(f"Imported {info.name} <{info.email}> as {info.path}")
    if not info.non_repudiation:
        print("  note: the certificate does not allow nonRepudiation (document signing)")
    return 0


def run_identity_list(ns: argparse.Namespace) -> int:
    from desktop.core.memo.identity import list_identities

    for item in list_identities():
        print(f"{item['path']}{'' if item['ca'] else '  (no CA certificate beside it)'}")
    return 0


def run_export(ns: argparse.Namespace) -> int:
    from desktop.core.memo.bom_export import BomError, save_cyclonedx
    from desktop.core.memo.snapshot import from_store
    from desktop.core.store import NotFound, StoreError

    try:
        with _open_store(ns.db) as store:
            snapshot = from_store(store, ns.review_id)
    except NotFound as exc:
        return fail(f"review {ns.review_id}", str(exc))
    except StoreError as exc:
        return fail(ns.db or "review database", str(exc))
    target = ns.cyclonedx
    try:
        save_cyclonedx(snapshot, target)
    except BomError as exc:
        return fail(target, exc.reason, 1 if exc.invalid else 2)
    print(f"Wrote {target} (CycloneDX 1.6, {len(snapshot['scan']['files'])} files)")
    return 0
