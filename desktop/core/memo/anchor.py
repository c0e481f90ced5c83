"""A signed memo as an anchor for the audit trail: does the database still hold the history the
memo saw when it was signed?

Every memo's manifest carries the audit chain head (sequence number and hash of the newest event)
read just before the memo was built, and the memo's signature covers the manifest.  Anyone who
later rewrites the database and recomputes the chain to hide it changes the hash of that event
(or removes it), which :func:`check_memo_anchor` reports.  Changes made through the app after the
memo are listed as later events of the review, not as problems.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.core.results import Problem

FATAL_MEMO_PROBLEMS = ("changed-after-signing", "digest-mismatch", "signature-invalid",
                       "signature-unreadable", "unsigned", "manifest-missing",
                       "manifest-unreadable")


@dataclass
class MemoAnchor:
    """What one memo says about the database: the anchor it carries and what differs."""

    memo: str
    review_id: int | None = None
    anchor: dict[str, Any] | None = None
    problems: list[Problem] = field(default_factory=list)
    later_events: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        return {"memo": self.memo, "ok": self.ok, "review": self.review_id,
                "audit_head": self.anchor, "problems": [p.to_json() for p in self.problems],
                "later_events": self.later_events}


def check_memo_anchor(store: Any, memo: Path) -> MemoAnchor:
    """Check that the audit trail of ``store`` still passes through the head ``memo`` recorded.

    Raises :class:`desktop.core.memo.verify.UnusableMemo` for a file that is not a readable PDF.
    """
    from desktop.core.memo.verify import verify_memo

    result = MemoAnchor(memo=str(memo))
    report = verify_memo(Path(memo), trust=[])
    fatal = [p for p in report["problems"] if p["code"] in FATAL_MEMO_PROBLEMS]
    if fatal:
        result.problems.append(Problem("memo_not_intact", (
            f"{Path(memo).name} cannot anchor the audit trail: "
            f"{'; '.join(p['message'] for p in fatal)}")))
        return result
    manifest = report["manifest"] or {}
    result.review_id = manifest.get("review_id")
    head = manifest.get("audit_head")
    if not isinstance(head, dict) or "seq" not in head or "hash" not in head:
        result.problems.append(Problem("memo_without_anchor", (
            f"{Path(memo).name} was made before memos recorded the audit chain head; it cannot "
            "be checked against the database.")))
        return result
    result.anchor = {"seq": int(head["seq"]), "hash": str(head["hash"])}
    problem = store.audit_check_anchor(result.anchor["seq"], result.anchor["hash"])
    if problem is not None:
        result.problems.append(problem)
    if result.review_id is not None:
        try:
            events = store.history(review_id=int(result.review_id))
        except (TypeError, ValueError):
            events = []
        result.later_events = [{k: e[k] for k in ("seq", "at", "actor", "entity", "entity_id",
                                                  "action")}
                               for e in events if e["seq"] > result.anchor["seq"]]
    return result
