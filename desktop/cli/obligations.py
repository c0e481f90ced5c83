"""``aireview obligations REVIEW_ID``: the obligations register of a review.

Lists the register (text, ``--json`` or ``--csv``); ``--refresh`` builds or updates it from the
delivery's findings; ``--set KEY`` with ``--owner``, ``--status``, ``--reason`` records a reviewer's
decision (audited).  Exit codes: 0 done, 2 error (unknown review or key, a decided review, a
not-applicable status without a reason).
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path
from typing import Any

from desktop.cli.output import print_json
from desktop.core.obligations import Status
from desktop.core.store import Store

CSV_COLUMNS = ("key", "kind", "license", "text", "basis", "owner", "status", "reason", "decided_by",
               "decided_at", "evidence")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("obligations", help="what approving a review commits the company to")
    p.add_argument("id", type=int, metavar="REVIEW_ID")
    p.add_argument("--db", metavar="URL", help="database URL (sqlite:///file or postgresql://...)")
    p.add_argument("--as", dest="actor", metavar="REVIEWER", help='"Name <email>" acting')
    p.add_argument("--identity", dest="signing_identity", type=Path, metavar="P12",
                   help="act as the holder of this signing identity")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="the register as JSON")
    out.add_argument("--csv", action="store_true", help="the register as CSV (one row per obligation)")
    p.add_argument("--refresh", action="store_true", help="build or update the register from the findings")
    p.add_argument("--set", dest="key", metavar="KEY", help="decide this obligation (see --owner, --status)")
    p.add_argument("--owner", help="who in the company carries it out")
    p.add_argument("--status", choices=tuple(str(s) for s in Status))
    p.add_argument("--reason", help="why it does not apply (needed for not-applicable)")
    p.set_defaults(func=_main)


def _main(ns: argparse.Namespace) -> int:
    from desktop.cli.review import _run

    return _run(ns, _obligations)


def _obligations(ns: argparse.Namespace, store: Store) -> int:
    from desktop.cli.review import _who

    if (ns.owner is not None or ns.status or ns.reason is not None) and not ns.key:
        raise ValueError("--owner, --status and --reason need --set KEY")
    if ns.refresh:
        store.refresh_obligations(ns.id, reviewer=_who(ns))
    if ns.key:
        changes: dict[str, Any] = {k: v for k, v in (("owner", ns.owner), ("reason", ns.reason))
                                   if v is not None}
        store.set_obligation(ns.id, ns.key, reviewer=_who(ns), status=ns.status, **changes)
    rows = store.obligations(ns.id)
    if ns.json:
        counts = {str(s): sum(r["status"] == s for r in rows) for s in Status}
        print_json({"review": ns.id, "obligations": rows, "counts": counts})
    elif ns.csv:
        _print_csv(rows)
    else:
        _print_text(ns.id, rows)
    return 0


def _evidence_line(e: dict[str, Any]) -> str:
    from desktop.core.memo.render import evidence_ref

    quote = " ".join(str(e.get("quote") or "").split())
    return f"{evidence_ref(e)}: {quote}" if quote else evidence_ref(e)


def _print_csv(rows: list[dict[str, Any]]) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        writer.writerow([*(r.get(c) or "" for c in CSV_COLUMNS[:-1]),
                         " | ".join(_evidence_line(e) for e in r["evidence"])])


def _print_text(review_id: int, rows: list[dict[str, Any]]) -> None:
    if not rows:
        print(f"Review {review_id} has no obligations in its register (--refresh builds it from the findings "
              "of a review created before the register existed).")
        return
    for n, r in enumerate(rows, 1):
        owner = f", owner {r['owner']}" if r["owner"] else ""
        reason = f" ({r['reason']})" if r["reason"] else ""
        print(f"{n}. [{r['status']}{owner}] {r['title']} ({r['license'] or 'unidentified terms'}){reason}")
        print(f"   {r['text']}")
        print(f"   key: {r['key']}")
        for e in r["evidence"]:
            print(f"   - {_evidence_line(e)[:300]}")
