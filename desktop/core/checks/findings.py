"""Building blocks shared by the rules: finding dicts, levels, knowledge-fact evidence."""

from __future__ import annotations

from typing import Any

from desktop.core.checks.context import LicenseHit, ReviewContext
from desktop.core.checks.knowledge import Fact

LEVELS = ("block", "high", "medium", "low", "info")
NOT_STATED = "not-stated"


def finding(check: str, level: str, summary: str, facts: dict[str, Any],
            evidence: list[dict[str, Any]]) -> dict[str, Any]:
    """One finding as the scan JSON carries it."""
    assert level in LEVELS, level
    return {"check": check, "level": level, "summary": summary, "facts": facts, "evidence": evidence}


def worst(levels: list[str]) -> str:
    """The most serious of ``levels`` (``info`` when empty)."""
    return min(levels, key=LEVELS.index) if levels else "info"


def fact(ctx: ReviewContext, hit: LicenseHit, name: str) -> Fact | None:
    facts = ctx.facts(hit.key)
    return facts.facts.get(name) if facts else None


def fact_value(ctx: ReviewContext, hit: LicenseHit, name: str, default: Any = None) -> Any:
    f = fact(ctx, hit, name)
    return f.value if f is not None else default


def fact_evidence(ctx: ReviewContext, hit: LicenseHit, name: str, limit: int = 2) -> list[dict[str, Any]]:
    """Evidence for a knowledge-base fact, located in the delivered file where possible."""
    f = fact(ctx, hit, name)
    if f is None:
        return [ctx.evidence_for(hit)]
    items = [ctx.evidence_for(hit, e.quote) for e in f.evidence if e.source == "text"][:limit]
    return items or [ctx.evidence_for(hit)]


def clause_evidence(path: str, clause: Any) -> dict[str, Any]:
    item: dict[str, Any] = {"path": path, "quote": clause.quote}
    if clause.page is not None:
        item["pages"] = [clause.page, clause.page]
    else:
        item["lines"] = list(clause.lines)
    return item


def governing_hits(ctx: ReviewContext) -> list[LicenseHit]:
    """One hit per distinct license that speaks for the model (texts first, then declarations)."""
    chosen: dict[str, LicenseHit] = {}
    ordered = sorted(ctx.model_hits(), key=lambda h: (h.source != "text", h.source != "notice"))
    for hit in ordered:
        if hit.identified and hit.key not in chosen:
            facts = ctx.facts(hit.key)
            if facts is None or facts.kind != "policy":
                chosen[hit.key] = hit  # type: ignore[index]
    return list(chosen.values())


def clauses_in(ctx: ReviewContext, hit: LicenseHit, kinds: set[str]) -> list[Any]:
    """Clauses of ``kinds`` extracted from the file of ``hit`` (within its span when known)."""
    found = [c for c in ctx.clauses.get(hit.path, []) if c.kind in kinds]
    lines = hit.span.get("lines")
    if lines:
        found = [c for c in found if c.page is not None or lines[0] <= c.lines[0] <= lines[1]] or found
    return found


def unidentified_texts(ctx: ReviewContext) -> list[LicenseHit]:
    """License texts the engine could not name, or named only as a modified version."""
    return [h for h in ctx.text_hits() if not h.identified or h.modified]
