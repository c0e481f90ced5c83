"""Building blocks shared by the rules: making a finding, the licenses that speak for the model.

The vocabulary (:class:`Level`, :class:`CheckId`, :class:`Finding`) lives in :mod:`desktop.core.findings`.
"""

from __future__ import annotations

from typing import Any

from desktop.core.checks.context import LicenseHit, ReviewContext
from desktop.core.findings import LEVELS, NOT_STATED, CheckId, Finding, Level

__all__ = ["LEVELS", "NOT_STATED", "CheckId", "Finding", "Level", "finding", "governing_hits", "worst"]


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


# Files whose license declaration speaks for the model: its card and the weights' own metadata.
MODEL_DECLARERS = frozenset({"model_card", "weights"})


def governing_hits(ctx: ReviewContext) -> list[LicenseHit]:
    """One hit per license that speaks for the model: delivered license texts (named or not; never
    third-party components or policies), then licenses the model card (or the weights' metadata) declares
    whose text is not delivered."""
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
        if hit.role not in MODEL_DECLARERS:
            continue  # a code package's metadata (package.json, pyproject) declares the code's license
        facts = ctx.facts(hit.key)
        if hit.identified and hit.key not in keys and hit.family not in families and \
                not (facts is not None and facts.kind == "policy"):
            keys.add(str(hit.key))
            chosen.append(hit)
    return chosen
