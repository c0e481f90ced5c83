"""Derivative compatibility: for each base model the delivery names, do the delivered terms satisfy its terms?

The answer comes from the rule table (resources/derivation/rules.yaml): the first rule whose traits,
relation and conditions hold decides compatible, conflict or clause-dependent, and names the clause
that decides.  "Unknown" is an answer too: the base's license is neither stated in the delivery nor in
the table of known base models, or the delivery states no terms for the model itself.  A merge is
judged parent by parent; the most serious result comes first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from desktop.core.checks.context import ReviewContext
from desktop.core.checks.derivation_clauses import deciding_clauses
from desktop.core.checks.derivation_table import Rule, RuleTable, load_rule_table
from desktop.core.checks.derivation_terms import (
    Terms,
    carried,
    delivered_terms,
    stated_base_license,
    table_base_license,
    traits,
)
from desktop.core.checks.findings import finding
from desktop.core.checks.lineage import BaseModel
from desktop.core.evidence import Evidence
from desktop.core.licenses.statements import plain_prose

_LEVEL = {"conflict": "high", "clause-dependent": "medium", "unknown": "medium"}
_ORDER = ("high", "medium", "low", "info")


@dataclass
class Judgement:
    """One base model's result: the outcome, the rule and clauses that decided it, and the evidence."""

    base: BaseModel
    outcome: str                            # compatible | conflict | clause-dependent | unknown
    level: str
    summary: str
    base_terms: Terms | None = None
    rule: Rule | None = None
    clauses: list[dict[str, Any]] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    cross_check: str | None = None

    def parent_json(self) -> dict[str, Any]:
        return {"id": self.base.id, "base_license": self.base_terms.name if self.base_terms else None,
                "compatibility": self.outcome, "rule": self.rule.id if self.rule else None}


def derivative_findings(ctx: ReviewContext) -> list[dict[str, Any]]:
    """One derivative_status finding per base model, most serious first (see the module doc)."""
    lineage = ctx.lineage
    base_ids = [b.id for b in lineage.base_models]
    if not base_ids:
        return [finding("derivative_status", "info", "The delivery names no base model.",
                        {"base_models": [], "relation": lineage.relation, "base_license": None,
                         "conflict": False, "compatibility": None}, [])]
    table = load_rule_table()
    derivative, tied = delivered_terms(ctx)
    relation = lineage.relation or "not-stated"
    judged = [judge(ctx, table, base, derivative, tied, relation) for base in lineage.base_models]
    parents = [j.parent_json() for j in judged] if len(judged) > 1 else None
    out = []
    for j in sorted(judged, key=lambda j: _ORDER.index(j.level)):
        facts: dict[str, Any] = {
            "base_models": base_ids, "relation": relation,
            "base_license": j.base_terms.name if j.base_terms else None,
            "conflict": j.outcome == "conflict", "base": j.base.to_json(), "compatibility": j.outcome,
            "rule": j.rule.id if j.rule else None, "deciding_clauses": j.clauses,
            "base_license_source": j.base_terms.source if j.base_terms else None,
            "base_license_key": j.base_terms.key if j.base_terms else None,
            "base_license_written": j.base_terms.written if j.base_terms else None,
            "delivered_terms": [t.to_json() for t in derivative]}
        if j.cross_check:
            facts["knowledge_base_license"] = j.cross_check
        if parents:
            facts["parents"] = parents
        why = f"{j.level}: " + (f"rule {j.rule.id} of the derivation table ({j.outcome})" if j.rule
                               else "the base model's license is not known")
        out.append(finding("derivative_status", j.level, j.summary, facts, j.evidence, why=why))
    return out


def judge(ctx: ReviewContext, table: RuleTable, base: BaseModel, derivative: list[Terms], tied: bool,
          relation: str) -> Judgement:
    """The outcome for one base model (see the module doc)."""
    named = [e for s in base.sources for e in _source_evidence(ctx, s)]
    if all("hint" in s["field"] for s in base.sources):
        return Judgement(base, "unknown", "low", f"{base.sources[0]['path']} names {base.id} as the checkpoint it "
                         "was loaded from; this is a hint of a base model, not proof.", evidence=named)
    stated, listed = stated_base_license(ctx, base), table_base_license(ctx, base)
    base_terms = stated or listed
    if base_terms is None:
        return Judgement(base, "unknown", "medium",
                         f"{_derived(relation)} {base.id}: the base model's license is not stated in the delivery "
                         "(no delivered text names a license for it) and the table of known base models has no "
                         "row for it, so compatibility cannot be decided.", evidence=named)
    where = _where(base_terms)
    if not derivative:
        return Judgement(base, "unknown", "medium",
                         f"{_derived(relation)} {base.id}, licensed under {_shown(base_terms)} ({where}); the delivery "
                         "states no license for the model itself, so compatibility cannot be decided.",
                         base_terms, evidence=named + base_terms.evidence)
    base_traits = traits(ctx, table, base_terms)
    each = [traits(ctx, table, t) for t in derivative]
    derived_traits = set().union(*each) - {"permissive"}
    if all("permissive" in t for t in each):
        derived_traits.add("permissive")
    proof = carried(ctx, base, base_terms)
    holds = _conditions(ctx, base_terms, derivative, each, bool(proof))
    rule = table.first(base_traits, derived_traits, relation, holds)
    outcome = rule.outcome
    note = ""
    if outcome == "conflict" and not tied:
        outcome = "clause-dependent"
        note = " Nothing in the delivery ties its top-level license to the weights, so the reviewer decides."
    level = _LEVEL.get(outcome) or ("low" if "flow-down" in base_traits else "info")
    terms_names = ", ".join(t.name for t in derivative)
    summary = (f"{_derived(relation)} {base.id}, licensed under {_shown(base_terms)} ({where}), delivered under "
               f"{terms_names}: {outcome}. {rule.says}{note}")
    evidence = named + base_terms.evidence + proof
    if outcome != "compatible":
        evidence += [e for t in derivative for e in t.evidence]
    clauses, shown = deciding_clauses(ctx, rule, base_terms, derivative, outcome != "compatible")
    evidence += shown
    cross = None
    if stated is not None and listed is not None and (listed.key, listed.family) != (stated.key, stated.family):
        cross = listed.name
        summary += (f" The table of known base models lists {listed.name} for {base.id}; the delivered statement "
                    "is shown.")
    return Judgement(base, outcome, level, summary, base_terms, rule, clauses, evidence, cross)


def _conditions(ctx: ReviewContext, base: Terms, derivative: list[Terms], each: list[set[str]],
                is_carried: bool) -> set[str]:
    """Which of the table's conditions hold for this base and these delivered terms."""
    holds = {"base-carried" if is_carried else "not-base-carried"}
    keys = {t.key for t in derivative if t.key}
    same_family = [t for t in derivative if base.family and t.family == base.family]
    if base.key and base.key in keys:
        holds.add("same-license")
    elif same_family and (base.key is None or any(t.key is None for t in same_family)):
        holds.add("same-family")
    elif same_family:
        holds.add("other-version")
    if not same_family:
        holds.add("other-family")
    if all(_allows_commercial(ctx, t, tr) for t, tr in zip(derivative, each, strict=True)):
        holds.add("grants-commercial")
    prefix = _name_prefix(ctx, base)
    names = _model_names(ctx)
    if prefix and names and not any(n.startswith(prefix.lower()) for n in names):
        holds.add("name-prefix-missing")
    return holds


def _model_names(ctx: ReviewContext) -> list[str]:
    """The names the delivery gives the model (metadata fields and the card's title), lower case; the
    delivery's folder or archive name is not a published name and is left out."""
    names = [n["name"] for n in ctx.lineage.names if n["field"] != "delivery name"]
    for entry in ctx.files:
        text = plain_prose(entry.text or "") if entry.role == "model_card" else ""
        title = re.search(r"(?m)^#[ \t]+(\S.*?)[ \t#]*$", text)
        if title:
            names.append(re.sub(r"(?i)^model\s+card\s+(?:for|of)\s+", "", title.group(1)))
    return [n.strip().rsplit("/", 1)[-1].lower() for n in names if n.strip()]


def _allows_commercial(ctx: ReviewContext, terms: Terms, found: set[str]) -> bool:
    facts = ctx.knowledge.get(terms.key) if terms.key else None
    if facts is not None:
        return facts.facts["commercial_use"].value == "allowed"
    return "permissive" in found and "non-commercial" not in found


def _name_prefix(ctx: ReviewContext, base: Terms) -> str | None:
    facts = ctx.knowledge.get(base.key) if base.key else None
    value = facts.facts["derivative_obligations"].value if facts else None
    prefix = value.get("name_prefix") if isinstance(value, dict) else None
    return prefix if isinstance(prefix, str) and prefix not in ("", "not-stated") else None


def _shown(terms: Terms) -> str:
    """The base's license as the delivery words it, with the key it was read as when they differ."""
    if terms.written and terms.key and re.sub(r"\W", "", terms.written.lower()) != re.sub(r"\W", "", terms.key):
        return f"{terms.written} (read as {terms.key})"
    return terms.name


def _where(terms: Terms) -> str:
    if terms.source == "knowledge base":
        return "from the table of known base models, not from the delivery"
    place = next((e for e in terms.evidence if e.lines or e.pages), None)
    if place is None:
        return "stated in the delivery"
    at = f"line {place.lines[0]}" if place.lines else f"page {place.pages[0]}" if place.pages else ""
    return f"stated in {place.path} {at}".strip()


def _derived(relation: str | None) -> str:
    """"A fine-tune of" for a stated relation; "Derived from" when the delivery does not say how."""
    if not relation or relation in ("not-stated", "unknown"):
        return "Derived from"
    article = "An" if relation[0].lower() in "aeiou" else "A"
    return f"{article} {relation} of"


def _source_evidence(ctx: ReviewContext, source: dict[str, Any]) -> list[Evidence]:
    """Where a base model is named: the words on their line (and the fuller name where it stands, when a
    heading gave it), or what the scanner read there."""
    line = source.get("line")
    found = []
    for quote in dict.fromkeys(str(q) for q in (source.get("quote"), source.get("value")) if q):
        ev = ctx.locate(source["path"], quote, (line, line) if line else None) or ctx.locate(source["path"], quote)
        if ev is not None and ev not in found:
            found.append(ev)
    return found or [Evidence.observed(source["path"], f"{source['field']}: {source.get('value') or ''}")]
