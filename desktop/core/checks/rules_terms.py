"""Rules about what the license terms say: weights coverage, commercial use, law, restrictions, outputs."""

from __future__ import annotations

from typing import Any

from desktop.core.checks.context import LicenseHit, ReviewContext
from desktop.core.checks.findings import (
    NOT_STATED,
    clause_evidence,
    clauses_in,
    fact_evidence,
    fact_value,
    finding,
    governing_hits,
    unidentified_texts,
)

RESTRICTING_CLAUSES = {"non_commercial", "research_only", "non_production"}


def weights_coverage(ctx: ReviewContext) -> list[dict[str, Any]]:
    """Do the delivered terms grant rights in the weights?"""
    if not ctx.has_weights():
        return []
    texts = [h for h in ctx.text_hits() if h.identified]
    covering = [h for h in texts if fact_value(ctx, h, "covers_weights") == "yes"]
    if covering:
        hit = covering[0]
        extra = " (the delivered text differs from the reference)" if hit.modified else ""
        return [finding("weights_coverage", "info",
                        f"The weights are covered by {hit.name}, delivered in {hit.path}{extra}.",
                        {"status": "covered", "license": hit.key},
                        fact_evidence(ctx, hit, "covers_weights"))]
    declared = [h for h in ctx.declared_hits() if h.role in ("model_card", "weights")]
    delivered_families = {h.family for h in texts}
    missing = [h for h in declared if h.family not in delivered_families or h.family is None]
    if missing:
        hit = missing[0]
        label = hit.name or hit.raw.get("declared") or "other"
        return [finding("weights_coverage", "high",
                        f"{hit.path} declares the license {label!s}, but its text is not in the delivery.",
                        {"status": "text-missing", "license": hit.key or hit.raw.get("declared")},
                        [ctx.evidence_for(h) for h in missing])]
    if not texts and not unidentified_texts(ctx):
        return [finding("weights_coverage", "high",
                        "The delivery contains weights but no license text or license declaration.",
                        {"status": "text-missing", "license": None}, [])]
    if texts and all(fact_value(ctx, h, "covers_weights") in ("no", "code-only", "data-only") for h in texts):
        hit = texts[0]
        return [finding("weights_coverage", "high",
                        f"The delivered terms ({', '.join(sorted({h.name for h in texts}))}) do not extend "
                        "to model weights.", {"status": "not-covered", "license": hit.key},
                        [e for h in texts for e in fact_evidence(ctx, h, "covers_weights", 1)])]
    names = sorted({h.name for h in texts} | {h.name for h in unidentified_texts(ctx)})
    consistent = any(d.key in {h.key for h in texts} for d in declared)
    level = "medium" if consistent else "high"
    return [finding("weights_coverage", level,
                    f"Weights are delivered with {', '.join(names)}, whose text does not say that it covers "
                    "model weights.", {"status": "ambiguous", "license": texts[0].key if texts else None},
                    [ctx.evidence_for(h) for h in texts] or
                    [ctx.evidence_for(h) for h in unidentified_texts(ctx)])]


def commercial_use(ctx: ReviewContext) -> list[dict[str, Any]]:
    """Commercial use, thresholds against the company's figures, and the family policy."""
    out = []
    policy = ctx.policy
    for hit in governing_hits(ctx):
        allowed = fact_value(ctx, hit, "commercial_use")
        mau = fact_value(ctx, hit, "mau_threshold")
        revenue = fact_value(ctx, hit, "revenue_threshold")
        evidence = fact_evidence(ctx, hit, "commercial_use")
        diffs = _threshold_differences(ctx, hit, mau, revenue)
        if allowed is None:  # no knowledge-base entry: read the delivered clauses
            allowed, mau, revenue, evidence = _from_clauses(ctx, hit)
        status = policy.family_status(hit.family)
        level, reason = _commercial_level(ctx, allowed, mau, revenue, status)
        if diffs:
            level = "high" if level in ("info", "low", "medium") else level
            reason += " The delivered text differs from the reference on " + ", ".join(d["fact"] for d in diffs) + "."
        if mau:
            evidence += fact_evidence(ctx, hit, "mau_threshold", 1)
        if revenue:
            evidence += fact_evidence(ctx, hit, "revenue_threshold", 1)
        out.append(finding("commercial_use", level, f"{hit.name}: {reason}",
                           {"allowed": _allowed_word(allowed), "mau_threshold": mau,
                            "revenue_threshold": revenue, "license": hit.key, "policy": status,
                            "differences": diffs}, evidence))
    for hit in unidentified_texts(ctx):
        if hit.identified and ctx.facts(hit.key) is not None:
            continue
        allowed, mau, revenue, evidence = _from_clauses(ctx, hit)
        level, reason = _commercial_level(ctx, allowed, mau, revenue, "unlisted")
        out.append(finding("commercial_use", level, f"{hit.path} (unidentified terms): {reason}",
                           {"allowed": _allowed_word(allowed), "mau_threshold": mau,
                            "revenue_threshold": revenue, "license": None, "policy": "unlisted"},
                           evidence or [ctx.evidence_for(hit)]))
    return out


def _from_clauses(ctx: ReviewContext, hit: LicenseHit) -> tuple[str, int | None, Any, list[dict[str, Any]]]:
    clauses = clauses_in(ctx, hit, RESTRICTING_CLAUSES | {"mau_threshold", "revenue_threshold"})
    restricting = [c for c in clauses if c.kind in RESTRICTING_CLAUSES]
    mau = next((c.value for c in clauses if c.kind == "mau_threshold"), None)
    revenue = next((c.value for c in clauses if c.kind == "revenue_threshold"), None)
    allowed = "prohibited" if restricting else ("conditional" if mau or revenue else NOT_STATED)
    return allowed, mau, revenue, [clause_evidence(hit.path, c) for c in clauses[:4]]


def _threshold_differences(ctx: ReviewContext, hit: LicenseHit, mau: Any, revenue: Any) -> list[dict[str, Any]]:
    """For a modified known text: thresholds in the delivered text that differ from the reference."""
    if not hit.modified:
        return []
    diffs = []
    for clause in clauses_in(ctx, hit, {"mau_threshold", "revenue_threshold"}):
        expected = mau if clause.kind == "mau_threshold" else revenue
        got = clause.value
        if clause.kind == "revenue_threshold" and isinstance(got, dict) and isinstance(expected, dict):
            same = got.get("amount") == expected.get("amount")
        else:
            same = got == expected
        if not same:
            diffs.append({"fact": clause.kind, "reference": expected, "delivered": got,
                          "evidence": clause_evidence(hit.path, clause)})
    return diffs


def _commercial_level(ctx: ReviewContext, allowed: Any, mau: Any, revenue: Any, status: str) -> tuple[str, str]:
    policy = ctx.policy
    if status == "banned":
        return "block", "the firm policy bans this license family."
    if allowed == "prohibited":
        if policy.commercial_purpose and not policy.research_only_fits:
            return "block", "commercial use is not permitted (non-commercial or research-only terms)."
        return "medium", "commercial use is not permitted; the policy says research use fits this review."
    if allowed == "conditional":
        over = []
        if isinstance(mau, int) and policy.monthly_active_users is not None and policy.monthly_active_users > mau:
            over.append(f"the company's {policy.monthly_active_users:,} monthly active users exceed {mau:,}")
        if isinstance(revenue, dict) and policy.annual_revenue is not None:
            if revenue.get("currency") not in (None, policy.revenue_currency):
                over.append(f"the revenue threshold is in {revenue.get('currency')}, the policy in "
                            f"{policy.revenue_currency}: compare by hand")
            elif isinstance(revenue.get("amount"), int) and policy.annual_revenue > revenue["amount"]:
                over.append(f"the company's revenue exceeds {revenue['amount']:,} {revenue.get('currency')}")
        if over:
            return "high", "commercial use is conditional and " + "; ".join(over) + "."
        parts = []
        if mau:
            parts.append(f"{mau:,} monthly active users")
        if isinstance(revenue, dict):
            parts.append(f"{revenue.get('amount'):,} {revenue.get('currency')} revenue")
        limits = " and ".join(parts) or "conditions in the text"
        return ("medium" if status == "needs-approval" else "low"), \
            f"commercial use is allowed under conditions ({limits}); the company is below the thresholds."
    if allowed == "allowed":
        if status == "needs-approval":
            return "medium", "commercial use is allowed; the firm policy asks for approval of this family."
        return "info", "commercial use is allowed."
    return "medium", "the terms do not say whether commercial use is allowed."


def _allowed_word(allowed: Any) -> str:
    return {"allowed": "yes", "prohibited": "no", "conditional": "conditional"}.get(str(allowed), NOT_STATED)


def jurisdiction(ctx: ReviewContext) -> list[dict[str, Any]]:
    """Governing law and venue, compared with the firm's accepted jurisdictions."""
    out = []
    for hit in governing_hits(ctx):
        law = fact_value(ctx, hit, "governing_law")
        venue = fact_value(ctx, hit, "venue")
        evidence = fact_evidence(ctx, hit, "governing_law", 1) + fact_evidence(ctx, hit, "venue", 1)
        if law is None and venue is None:
            law, venue, evidence = _law_from_clauses(ctx, hit)
        out.append(_jurisdiction_finding(ctx, hit.name, hit.key, law, venue, evidence))
    for hit in unidentified_texts(ctx):
        if hit.identified and ctx.facts(hit.key) is not None:
            continue
        law, venue, evidence = _law_from_clauses(ctx, hit)
        out.append(_jurisdiction_finding(ctx, f"{hit.path} (unidentified terms)", None, law, venue, evidence))
    return out


def _law_from_clauses(ctx: ReviewContext, hit: LicenseHit) -> tuple[Any, Any, list[dict[str, Any]]]:
    clauses = clauses_in(ctx, hit, {"governing_law", "venue", "arbitration"})
    law = next((c.value for c in clauses if c.kind == "governing_law"), NOT_STATED)
    venue = next((c.value for c in clauses if c.kind in ("venue", "arbitration")), NOT_STATED)
    return law, venue, [clause_evidence(hit.path, c) for c in clauses[:3]]


def _jurisdiction_finding(ctx: ReviewContext, name: str, key: str | None, law: Any, venue: Any,
                          evidence: list[dict[str, Any]]) -> dict[str, Any]:
    law = law or NOT_STATED
    venue = venue or NOT_STATED
    accepted = [ctx.policy.accepts_jurisdiction(str(x)) for x in (law, venue)]
    if False in accepted:
        level, why = "high", "outside the firm's accepted jurisdictions"
    elif law == NOT_STATED:
        level, why = "low", "no governing law is stated"
    else:
        level, why = "info", "accepted by the firm policy"
    summary = f"{name}: governed by {law if law != NOT_STATED else 'no stated law'}, disputes in " \
              f"{venue if venue != NOT_STATED else 'no stated venue'} ({why})."
    return finding("jurisdiction", level, summary, {"governing_law": law, "venue": venue, "license": key},
                   evidence)


def use_restrictions(ctx: ReviewContext) -> list[dict[str, Any]]:
    """Acceptable use policies, territory exclusions and other restrictions on use."""
    out = []
    for hit in governing_hits(ctx):
        aup = fact_value(ctx, hit, "aup") or {"kind": NOT_STATED}
        territories = fact_value(ctx, hit, "territory_exclusions") or []
        categories = [c.kind for c in clauses_in(ctx, hit, RESTRICTING_CLAUSES | {"export_control"})]
        if aup.get("kind") not in (None, "none", NOT_STATED):
            categories.append(f"aup-{aup.get('kind')}")
        if territories:
            categories.append("territory-exclusion")
        evidence = fact_evidence(ctx, hit, "aup", 2) if aup.get("kind") not in ("none", NOT_STATED) else []
        if territories:
            evidence += fact_evidence(ctx, hit, "territory_exclusions", 1)
        if territories:
            level = "high"
            text = f"excludes {', '.join(map(str, territories))}"
        elif aup.get("kind") == "external" and aup.get("updatable") is True:
            level, text = "medium", f"incorporates an external acceptable use policy that can change ({aup.get('url')})"
        elif aup.get("kind") in ("external", "inline"):
            level, text = "low", f"has an {aup.get('kind')} acceptable use policy"
        else:
            level, text = "info", "states no acceptable use policy"
        out.append(finding("use_restrictions", level, f"{hit.name} {text}.",
                           {"aup": aup, "categories": sorted(set(categories)), "territory_exclusions": territories,
                            "license": hit.key}, evidence or [ctx.evidence_for(hit)]))
    for hit in unidentified_texts(ctx):
        if hit.identified and ctx.facts(hit.key) is not None:
            continue
        clauses = clauses_in(ctx, hit, RESTRICTING_CLAUSES | {"aup_reference", "aup_updatable", "export_control",
                                                             "territory_exclusion"})
        aup_url = next((c.value for c in clauses if c.kind == "aup_reference"), None)
        aup = {"kind": "external" if aup_url else NOT_STATED, "url": aup_url,
               "updatable": any(c.kind == "aup_updatable" for c in clauses) or NOT_STATED}
        level = "high" if any(c.kind == "territory_exclusion" for c in clauses) else ("medium" if clauses else "low")
        out.append(finding("use_restrictions", level,
                           f"{hit.path} (unidentified terms) has {len(clauses)} use-restricting clause(s).",
                           {"aup": aup, "categories": sorted({c.kind for c in clauses}), "license": None},
                           [clause_evidence(hit.path, c) for c in clauses[:5]] or [ctx.evidence_for(hit)]))
    return out


def output_use(ctx: ReviewContext) -> list[dict[str, Any]]:
    """Restrictions on what may be done with the model's outputs."""
    out = []
    for hit in governing_hits(ctx):
        restrictions = fact_value(ctx, hit, "output_restrictions") or []
        if not restrictions:
            out.append(finding("output_use", "info", f"{hit.name} places no restriction on outputs.",
                               {"restrictions": [], "license": hit.key}, []))
            continue
        categories = sorted({str(r.get("category")) for r in restrictions if isinstance(r, dict)})
        out.append(finding("output_use", "medium",
                           f"{hit.name} restricts the use of outputs ({', '.join(categories)}).",
                           {"restrictions": restrictions, "categories": categories, "license": hit.key},
                           fact_evidence(ctx, hit, "output_restrictions", 3)))
    for hit in unidentified_texts(ctx):
        clauses = clauses_in(ctx, hit, {"output_restriction"})
        if clauses:
            out.append(finding("output_use", "medium", f"{hit.path} has clauses restricting outputs.",
                               {"restrictions": [c.value for c in clauses], "license": hit.key},
                               [clause_evidence(hit.path, c) for c in clauses[:3]]))
    return out
