"""Building blocks shared by the rules: the Finding type, levels, check ids, knowledge-fact evidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from desktop.core.checks.context import LicenseHit, ReviewContext
from desktop.core.checks.knowledge import Fact
from desktop.core.evidence import Evidence, Origin


class Level(StrEnum):
    """How serious a finding is, most serious first."""

    BLOCK = "block"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"


class CheckId(StrEnum):
    """The rules the engine runs (a checklist item names one with ``rule``)."""

    WEIGHTS_COVERAGE = "weights_coverage"
    USE_RESTRICTIONS = "use_restrictions"
    JURISDICTION = "jurisdiction"
    DERIVATIVE_STATUS = "derivative_status"
    COMMERCIAL_USE = "commercial_use"
    OUTPUT_USE = "output_use"
    ATTRIBUTION = "attribution"
    DATA_PROVENANCE = "data_provenance"
    FILE_SAFETY = "file_safety"
    INTEGRITY = "integrity"
    DECLARED_VS_DETECTED = "declared_vs_detected"
    OPENNESS = "openness"


LEVELS = tuple(str(level) for level in Level)
NOT_STATED = "not-stated"


@dataclass(frozen=True)
class Finding:
    """One finding: the check (checklist item id), its level, a summary, facts and grounded evidence."""

    check: str
    level: Level
    summary: str
    facts: dict[str, Any]
    evidence: tuple[Evidence, ...]
    why: str = ""                                  # the policy rule or threshold that set the level
    rule: CheckId | None = field(default=None)

    def __post_init__(self) -> None:
        object.__setattr__(self, "level", Level(self.level))
        if not all(isinstance(e, Evidence) for e in self.evidence):
            raise TypeError("finding evidence must be Evidence objects")

    def to_json(self) -> dict[str, Any]:
        """The scan-JSON form (check, level, summary, facts, evidence, why)."""
        return {"check": self.check, "level": str(self.level), "summary": self.summary, "facts": self.facts,
                "evidence": [e.to_json() for e in self.evidence], "why": self.why}


def finding(check: str, level: str, summary: str, facts: dict[str, Any],
            evidence: list[Any], why: str = "") -> dict[str, Any]:
    """One finding as a rule returns it; :func:`desktop.core.checks.evaluate.evaluate` grounds its
    evidence (``Evidence`` objects or plain dicts) and makes it a :class:`Finding`."""
    Level(level)
    return {"check": check, "level": level, "summary": summary, "facts": facts, "evidence": evidence,
            "why": why}


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
    """One hit per license that speaks for the model: delivered license texts (named or not; never
    third-party components or policies), then licenses the model card declares whose text is not delivered."""
    from desktop.core.checks.speakers import license_texts

    chosen: list[LicenseHit] = []
    keys: set[str] = set()
    texts = license_texts(ctx)
    for hit in texts:
        if hit.identified:
            facts = ctx.facts(hit.key)
            if (facts is not None and facts.kind == "policy") or hit.key in keys:
                continue
            keys.add(str(hit.key))
        chosen.append(hit)
    families = {h.family for h in texts if h.family}
    for hit in ctx.declared_hits():
        facts = ctx.facts(hit.key)
        if hit.identified and hit.key not in keys and hit.family not in families and \
                not (facts is not None and facts.kind == "policy"):
            keys.add(str(hit.key))
            chosen.append(hit)
    return chosen


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
