"""Qt-free reading of a review for its header: the outcome so far and what blocks approval.

Returns data (counts, item titles, a state word); the header widget turns it into sentences.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

LOCKED = ("approved", "approved-with-conditions", "rejected")


@dataclass(frozen=True)
class Outcome:
    """How far a review is: decisions so far and what stands between it and approval."""

    total: int
    decisions: dict[str, int]                        # accept / accept-with-conditions / reject / needs-info
    undecided: list[str] = field(default_factory=list)   # titles of the items with no decision
    needs_info: list[str] = field(default_factory=list)  # titles of the items waiting for information
    rejected: list[str] = field(default_factory=list)
    conditions: int = 0
    state: str = "draft"        # draft-open | draft-ready | in-review | locked

    @property
    def decided(self) -> int:
        return self.total - len(self.undecided)


def outcome(review: dict[str, Any], rows: list[dict[str, Any]]) -> Outcome:
    """The outcome of ``review`` (a store dict) given the checklist rows ``{item, answer}``."""
    decisions = Counter(str(r["answer"].get("decision")) for r in rows if r["answer"].get("decision"))

    def titled(decision: str | None) -> list[str]:
        return [r["item"].title for r in rows if r["answer"].get("decision") == decision]

    undecided = titled(None)
    status = review.get("status") or "draft"
    if status in LOCKED:
        state = "locked"
    elif status == "in-review":
        state = "in-review"
    else:
        state = "draft-ready" if not undecided else "draft-open"
    return Outcome(len(rows), dict(decisions), undecided, titled("needs-info"), titled("reject"),
                   decisions.get("accept-with-conditions", 0), state)
