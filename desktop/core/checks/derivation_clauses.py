"""The clauses that decide a derivation, shown to the reviewer.

For the base's license (and, when the answer is not "compatible", each license the derivative is
delivered under): the clause the rule names, summarised in our words by the knowledge base, and its
words where they stand in a delivered text of that license; only when that license's text is not
delivered, the reference library's copy, labelled as such.
"""

from __future__ import annotations

from typing import Any

from desktop.core.checks.context import ReviewContext
from desktop.core.checks.derivation_table import Rule
from desktop.core.checks.derivation_terms import Terms
from desktop.core.checks.knowledge import Fact
from desktop.core.evidence import Evidence


def deciding_clauses(ctx: ReviewContext, rule: Rule, base: Terms, derivative: list[Terms],
                     both_sides: bool) -> tuple[list[dict[str, Any]], list[Evidence]]:
    """The deciding clause per side (facts) and the evidence that shows it."""
    items: list[dict[str, Any]] = []
    evidence: list[Evidence] = []
    sides = [("base", base)] + ([("derivative", t) for t in derivative] if both_sides else [])
    for side, terms in sides:
        facts = ctx.knowledge.get(terms.key) if terms.key else None
        fact = facts.facts.get(rule.clause) if facts else None
        if fact is None and side == "derivative":
            continue
        item: dict[str, Any] = {"side": side, "license": terms.key or terms.name, "clause": rule.clause,
                                "summary": fact.summary if fact else None, "source": None}
        if fact is not None and terms.key:
            shown, item["source"] = _clause_words(ctx, terms.key, fact)
            if shown is not None and shown not in evidence:
                evidence.append(shown)
        items.append(item)
    return items, evidence


def _clause_words(ctx: ReviewContext, key: str, fact: Fact) -> tuple[Evidence | None, str]:
    """The clause's words in a delivered text of ``key``, else in the reference text (labelled)."""
    quoted = [e for e in fact.evidence if e.source == "text" and e.lines and e.quote]
    if not quoted:
        return None, f"knowledge base summary of {key}"
    for hit in ctx.hits:
        if hit.key == key and hit.source == "text":
            found = ctx.locate(hit.path, quoted[0].quote)
            if found is not None:
                return found, f"delivered text {hit.path}"
    return Evidence.reference(key, quoted[0].lines, quoted[0].quote), f"reference text of {key} (knowledge base)"
