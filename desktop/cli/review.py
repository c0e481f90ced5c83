"""``aireview review|precedent|audit|diff``: the review store from the command line (file notes
and item comments: :mod:`desktop.cli.notes`).

Every command takes ``--db URL`` (default: env ``AIREVIEW_DB``, the saved setting, else
``reviews.db`` in the data folder).  The acting reviewer is ``--as "Name <email>"``, else env
``AIREVIEW_REVIEWER``, else the login name.  Exit codes: 0 done, 1 audit problems, 2 error.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from desktop.cli.output import TerminalProgress, print_json
from desktop.core.settings import Settings, load_settings
from desktop.core.store import (
    DECISIONS,
    REVIEW_STATUSES,
    Identity,
    Store,
    StoreError,
    identity_from_env,
    open_store,
    parse_identity,
)

Handler = Callable[[argparse.Namespace, Store], int]


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="URL", help="database URL (sqlite:///file or postgresql://...)")
    actor = argparse.ArgumentParser(add_help=False)
    actor.add_argument("--as", dest="actor", metavar="REVIEWER", help='"Name <email>" acting')
    actor.add_argument("--identity", dest="signing_identity", type=Path, metavar="P12",
                       help="act as the holder of this signing identity (passphrase from "
                            "AIREVIEW_P12_PASSPHRASE or asked): the four-eyes rule compares "
                            "its certificate")

    review = sub.add_parser("review", help="create, list, show and decide reviews")
    rsub = review.add_subparsers(dest="review_command", metavar="ACTION", required=True)
    p = rsub.add_parser("create", parents=[common, actor], help="scan a delivery and open a review")
    p.add_argument("path", type=Path)
    p.add_argument("--vendor")
    p.add_argument("--product")
    p.add_argument("--version")
    p.add_argument("--purpose", default="", help="the intended use of the model")
    p.add_argument("--no-licenses", action="store_true", help="skip license identification")
    p.add_argument("--json", action="store_true")
    _handle(p, _create)
    p = rsub.add_parser("list", parents=[common], help="list or search reviews")
    for name in ("vendor", "product", "license", "status", "reviewer", "since", "until"):
        p.add_argument(f"--{name}")
    p.add_argument("--limit", type=int, default=500)
    p.add_argument("--json", action="store_true")
    _handle(p, _list)
    p = rsub.add_parser("show", parents=[common], help="show one review")
    p.add_argument("id", type=int)
    p.add_argument("--json", action="store_true")
    p.add_argument("--files", action="store_true", help="include every file of the delivery")
    _handle(p, _show)
    p = rsub.add_parser("answer", parents=[common, actor], help="decide one checklist item")
    p.add_argument("id", type=int)
    p.add_argument("item")
    p.add_argument("--decision", required=True, choices=DECISIONS)
    p.add_argument("--rationale", required=True)
    p.add_argument("--conditions")
    _handle(p, _answer)
    p = rsub.add_parser("status", parents=[common, actor], help="change a review's status")
    p.add_argument("id", type=int)
    p.add_argument("status", choices=REVIEW_STATUSES)
    _handle(p, _status)
    p = rsub.add_parser("carry-over", parents=[common, actor],
                        help="copy unchanged answers from the previous version's review")
    p.add_argument("id", type=int)
    p.add_argument("--from", dest="source", type=int, help="review to copy from (default: previous)")
    p.add_argument("--item", action="append", dest="items", help="only this item (repeatable)")
    _handle(p, _carry_over)
    p = rsub.add_parser("history", parents=[common], help="audit events of one review")
    p.add_argument("id", type=int)
    p.add_argument("--json", action="store_true")
    _handle(p, _history)
    from desktop.cli import notes
    notes.register(rsub, common, actor, _handle)

    precedent = sub.add_parser("precedent", help="saved decisions proposed to later reviews")
    psub = precedent.add_subparsers(dest="precedent_command", metavar="ACTION", required=True)
    p = psub.add_parser("list", parents=[common], help="list precedents")
    p.add_argument("--license", help="only this license key")
    p.add_argument("--for", dest="review", type=int, help="proposals for this review")
    p.add_argument("--json", action="store_true")
    _handle(p, _precedent_list)
    p = psub.add_parser("save", parents=[common, actor], help="save an answer as a precedent")
    p.add_argument("id", type=int)
    p.add_argument("item")
    p.add_argument("--license", help="license key (needed when the delivery has several)")
    _handle(p, _precedent_save)
    p = psub.add_parser("accept", parents=[common, actor], help="answer an item from a precedent")
    p.add_argument("id", type=int)
    p.add_argument("precedent", type=int)
    _handle(p, _precedent_accept)

    audit = sub.add_parser("audit", help="check the tamper-evident history")
    asub = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    p = asub.add_parser("verify", parents=[common], help="recompute the audit hash chain")
    p.add_argument("--memo", type=Path, action="append", default=[], metavar="MEMO.pdf",
                   help="also check that the chain still holds the history this signed memo "
                        "recorded (repeatable)")
    p.add_argument("--json", action="store_true")
    _handle(p, _audit_verify)

    p = sub.add_parser("diff", parents=[common], help="compare the deliveries of two reviews")
    p.add_argument("old", type=int, help="review id of the older version")
    p.add_argument("new", type=int, help="review id of the newer version")
    p.add_argument("--redline", action="store_true",
                   help="add the word redline of each license, notice or model card text that changed")
    p.add_argument("--json", action="store_true")
    _handle(p, _diff)


def _handle(parser: argparse.ArgumentParser, handler: Handler) -> None:
    parser.set_defaults(func=lambda ns: _run(ns, handler))


def _run(ns: argparse.Namespace, handler: Handler) -> int:
    try:
        with _opened(ns.db) as store:
            return handler(ns, store)
    except (StoreError, ValueError) as exc:
        print(f"aireview: {exc}", file=sys.stderr)
        return 2


def _settings() -> Settings:
    from desktop import paths

    return load_settings(paths.data_dir())


@contextmanager
def _opened(url: str | None) -> Iterator[Store]:
    store = open_store(url, allow_self_approval=_settings().allow_self_approval())
    try:
        yield store
    finally:
        store.close()


def _who(ns: argparse.Namespace) -> Identity:
    """``--identity`` (the certificate's holder, proven by its passphrase), else ``--as``, else
    ``AIREVIEW_REVIEWER``, else the reviewer of the saved settings, else the login."""
    if getattr(ns, "signing_identity", None):
        return _certified(ns.signing_identity)
    if getattr(ns, "actor", None):
        return parse_identity(ns.actor)
    saved = _settings().reviewer.strip()
    return identity_from_env() or (parse_identity(saved) if saved else Identity(getpass.getuser()))


def _certified(p12: Path) -> Identity:
    """The holder of ``p12`` as the store knows people: name, email and certificate fingerprint."""
    from desktop.cli.memo import _passphrase
    from desktop.core.memo.identity import IdentityError, open_identity

    passphrase = _passphrase(p12)
    if passphrase is None:
        raise ValueError(f"{p12}: no passphrase: set AIREVIEW_P12_PASSPHRASE or run in a terminal")
    try:
        info = open_identity(p12, passphrase).info
    except IdentityError as exc:
        raise ValueError(str(exc)) from None
    return Identity(info.name, info.email.lower(), info.cert_fingerprint)


def _create(ns: argparse.Namespace, store: Store) -> int:
    from desktop.core.intake.base import UnusableInput
    from desktop.core.scan import scan_path

    settings = _settings()
    checklist, items = settings.review_checklist()
    progress = TerminalProgress()
    try:
        scan = scan_path(ns.path, report=progress, options=settings.scan_options(identify=not ns.no_licenses))
    except UnusableInput as exc:
        print(f"aireview: {exc.path}: {exc.reason}", file=sys.stderr)
        return 2
    finally:
        progress.close()
    review_id = store.create_review(scan, reviewer=_who(ns), vendor=ns.vendor, product=ns.product,
                                    version=ns.version, purpose=ns.purpose, checklist=checklist, items=items,
                                    **settings.review_versions())
    if ns.json:
        print_json({"review": review_id, "files": len(scan.files),
                    "previous_review": store.previous_review(review_id)})
    else:
        print(review_id)
    return 0


def _list(ns: argparse.Namespace, store: Store) -> int:
    rows = store.search(vendor=ns.vendor, product=ns.product, license_key=ns.license,
                        status=ns.status, reviewer=ns.reviewer, since=ns.since, until=ns.until,
                        limit=ns.limit)
    if ns.json:
        print_json(rows)
        return 0
    for r in rows:
        print(f"{r['id']:>6}  {r['status']:<24} {r['vendor'] or '-':<16} {r['product']:<24} "
              f"{r['version'] or '-':<10} {','.join(r['licenses']) or '-':<20} "
              f"{r['preparer']:<28} {r['created_at'][:10]}")
    return 0


def _show(ns: argparse.Namespace, store: Store) -> int:
    review = store.get_review(ns.id, include_files=ns.files)
    obligations = store.obligations(ns.id)
    notes, comments = store.file_notes(ns.id), store.item_comments(ns.id)
    if ns.json:  # the review as stored, plus what the reviewers wrote beside it and what approving commits to
        print_json({**review, "obligations": obligations, "file_notes": notes, "item_comments": comments})
        return 0
    d = review["delivery"]
    print(f"Review {review['id']} ({review['status']}), checklist {review['checklist']}")
    print(f"Delivery {d['vendor'] or '-'} / {d['product']} {d['version'] or ''} "
          f"({d['file_count']} files, {d['source_path']})")
    print(f"Purpose  {review['purpose'] or '-'}")
    print(f"Prepared by {review['preparer']}; approved by {review['approver'] or '-'}")
    print(f"Licenses {', '.join(review['licenses']) or '-'}")
    for a in review["answers"]:
        mark = " (carried over)" if a["carried_over"] else ""
        mark += f" (precedent {a['precedent']})" if a["precedent"] else ""
        print(f"  {a['item']:<22} {a['decision'] or 'open':<24} suggested: {a['suggested']}{mark}")
    still_open = sum(1 for o in obligations if o["status"] == "open")
    print(f"Obligations {len(obligations)} ({still_open} open; `aireview obligations {review['id']}`); "
          f"{len(notes)} file note(s), {len(comments)} item comment(s)")
    return 0


def _answer(ns: argparse.Namespace, store: Store) -> int:
    store.answer(ns.id, ns.item, ns.decision, ns.rationale, conditions=ns.conditions,
                 reviewer=_who(ns))
    print(f"Review {ns.id}: {ns.item} = {ns.decision}")
    return 0


def _status(ns: argparse.Namespace, store: Store) -> int:
    result = store.set_status(ns.id, ns.status, reviewer=_who(ns))
    approver = f" by {result['approver']}" if result["approver"] else ""
    print(f"Review {ns.id} is {result['status']}{approver}")
    return 0


def _carry_over(ns: argparse.Namespace, store: Store) -> int:
    carried = store.carry_over_report(ns.id, reviewer=_who(ns), old_review_id=ns.source, items=ns.items)
    print(f"Carried over into review {ns.id}: {', '.join(carried['items']) or 'nothing'}; "
          f"obligations settled the same way: {len(carried['obligations'])}")
    return 0


def _history(ns: argparse.Namespace, store: Store) -> int:
    events = store.history(review_id=ns.id)
    if ns.json:
        print_json(events)
        return 0
    for e in events:
        print(f"{e['seq']:>6} {e['at']} {e['actor']:<30} {e['entity']} {e['entity_id']} {e['action']}")
    return 0


def _precedent_list(ns: argparse.Namespace, store: Store) -> int:
    rows = store.precedents_for(ns.review) if ns.review else store.precedents(ns.license)
    if ns.json:
        print_json(rows)
        return 0
    for p in rows:
        print(f"{p['id']:>5}  {p['license_key']:<20} {p['item']:<22} {p['decision']:<24} "
              f"{p['purpose'][:30]:<30} {p['reviewer']} {p['created_at'][:10]}")
    return 0


def _precedent_save(ns: argparse.Namespace, store: Store) -> int:
    precedent_id = store.save_precedent(ns.id, ns.item, reviewer=_who(ns), license_key=ns.license)
    print(precedent_id)
    return 0


def _precedent_accept(ns: argparse.Namespace, store: Store) -> int:
    answer = store.accept_precedent(ns.id, ns.precedent, reviewer=_who(ns))
    print(f"Review {ns.id}: {answer['item']} = {answer['decision']} (precedent {ns.precedent})")
    return 0


def _audit_verify(ns: argparse.Namespace, store: Store) -> int:
    from desktop.core.memo.anchor import check_memo_anchor
    from desktop.core.memo.verify import UnusableMemo

    report = store.audit_verify()
    try:
        anchors = [check_memo_anchor(store, memo) for memo in ns.memo]
    except UnusableMemo as exc:
        print(f"aireview: {exc.path}: {exc.reason}", file=sys.stderr)
        return 2
    ok = report.ok and all(a.ok for a in anchors)
    if ns.json:
        print_json({**report.to_json(), "ok": ok, "chain_ok": report.ok,
                    "memos": [a.to_json() for a in anchors]})
        return 0 if ok else 1
    if report.ok:
        print(f"Audit trail intact: {report.events} events, head {report.head_hash}")
    else:
        if report.first_broken is not None:
            print(f"First broken event: {report.first_broken}")
        for problem in report.problems:
            print(problem.message)
    for anchor in anchors:
        _print_anchor(anchor)
    return 0 if ok else 1


def _print_anchor(anchor: Any) -> None:
    name = Path(anchor.memo).name
    if anchor.ok:
        print(f"{name}: the audit trail still holds the history up to event "
              f"{anchor.anchor['seq']}, as when the memo was signed")
    for problem in anchor.problems:
        print(f"{name}: {problem.message}")
    if anchor.later_events:
        print(f"{name}: review {anchor.review_id} changed through the app after the memo:")
        for e in anchor.later_events:
            print(f"  {e['seq']:>6} {e['at'][:16]} {e['actor']} {e['entity']} {e['entity_id']} "
                  f"{e['action']}")


def _diff(ns: argparse.Namespace, store: Store) -> int:
    diff = store.diff_reviews(ns.old, ns.new)
    if ns.redline:
        diff["redlines"] = store.text_redlines(ns.old, ns.new)
    if ns.json:
        print_json(diff)
        return 0
    _print_diff(diff)
    for redline in diff.get("redlines", []):
        print(f"Redline of {redline['path']} ({redline['deleted']} words deleted, {redline['inserted']} inserted):")
        for op in redline["ops"]:
            if op["op"] != "equal":
                change = " ".join(([f"[-{op['old']}-]"] if op["old"] else []) + ([f"{{+{op['new']}+}}"] if op["new"] else []))
                print(f"  line {op['new_line']}: {change}")
    return 0


def _print_diff(diff: dict[str, Any]) -> None:
    files, licenses, findings = diff["files"], diff["licenses"], diff["findings"]
    print(f"Review {diff['old_review']} -> {diff['new_review']}")
    for path in files["added"]:
        print(f"  + {path}")
    for path in files["removed"]:
        print(f"  - {path}")
    for change in files["changed"]:
        print(f"  ~ {change['path']}")
    print(f"  {files['unchanged']} files unchanged")
    for key in licenses["added"]:
        print(f"License added: {key}")
    for key in licenses["removed"]:
        print(f"License removed: {key}")
    for f in findings["new"]:
        print(f"New finding [{f['level']}] {f['check']}: {f['summary']}")
    for f in findings["resolved"]:
        print(f"Resolved finding [{f['level']}] {f['check']}: {f['summary']}")
    print(f"Items to review again: {', '.join(diff['items_to_review']) or 'none'}")
