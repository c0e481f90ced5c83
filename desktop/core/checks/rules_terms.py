"""Rules about what the license terms say: weights coverage, commercial use, law, restrictions, outputs.

Every fact comes from the delivered text (:mod:`desktop.core.checks.terms`); the knowledge base
cross-checks it.  Each finding says why its level was chosen (``why``).
"""

from __future__ import annotations

from typing import Any

from desktop.core.checks.context import LicenseHit, ReviewContext
from desktop.core.checks.findings import MODEL_DECLARERS, NOT_STATED, finding, governing_hits
from desktop.core.checks.speakers import bare, license_texts, stated_for_weights, weights_speakers
from desktop.core.checks.terms import Basis, TermFact, Terms, read_terms

_CODE_ONLY = ("no", "code-only", "data-only")


def label(ctx: ReviewContext, hit: LicenseHit) -> str:
    """How a finding names a license: its name, or the file of a text the library does not hold."""
    if hit.source == "declared":
        return f"{hit.name} (declared in {bare(ctx, hit.path)}; its text is not delivered)"
    if not hit.identified:
        return f"{bare(ctx, hit.path)} (unidentified terms; facts read by rule from a text the library does not hold)"
    if hit.modified:
        return f"the text in {bare(ctx, hit.path)} (it resembles {hit.name} but its words differ)"
    return hit.name


def _read_from(terms: Terms) -> str:
    if terms.hit.source == "declared":
        return f"facts from the reference text of {terms.hit.key}, which is not delivered"
    return f"{terms.provenance} ({terms.hit.path})"


def _basis(*facts: TermFact) -> dict[str, str]:
    return {f.name: f.basis for f in facts}


def _against_reference(fact: TermFact, shown: Any) -> str:
    if fact.differs:
        return f" Delivered text: {shown}; reference {fact.reference_key} says: {_show(fact.reference)}."
    if fact.basis == Basis.REFERENCE and fact.reference is not None and fact.reference_key:
        return f" The delivered text does not state it; reference {fact.reference_key} says: " \
               f"{_show(fact.reference)}."
    return ""


def _show(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, dict) and "amount" in value:
        return f"{value.get('amount'):,} {value.get('currency') or ''}".strip()
    if isinstance(value, dict) and "kind" in value:
        return f"{value.get('kind')} policy" + (f" at {value['url']}" if value.get("url") else "")
    if isinstance(value, list):
        return ", ".join(str(v.get("category") if isinstance(v, dict) else v) for v in value) or "none"
    return str(value)


def weights_coverage(ctx: ReviewContext) -> list[dict[str, Any]]:
    """Do the delivered terms grant rights in the weights?"""
    if not ctx.has_weights():
        return []
    texts = license_texts(ctx)
    declared = [h for h in ctx.declared_hits() if h.role in MODEL_DECLARERS]
    missing = [h for h in declared if not declared_is_delivered(ctx, h, texts)]
    if missing:
        hit = missing[0]
        name = hit.name if hit.identified else (hit.raw.get("written") or "other")
        return [finding("weights_coverage", "high",
                        f"{bare(ctx, hit.path)} declares the license {name!s}, but its text is not in the delivery.",
                        {"status": "text-missing", "license": hit.key or hit.raw.get("declared")},
                        [ctx.evidence_for(h) for h in missing],
                        why="high: the model card names terms the delivery does not contain")]
    stated = stated_for_weights(ctx) if not texts else None
    if stated is not None:
        hit, sentence = stated
        return [finding("weights_coverage", "low",
                        f"The weights are covered by {hit.name}: {bare(ctx, hit.path)} says the weights are "
                        f"licensed under it; its text is not in the delivery.",
                        {"status": "covered", "license": hit.key, "resembles": None, "path": hit.path,
                         "reason": "statement", "text_delivered": False},
                        [sentence], why="low: the documentation states the weights' license by a name the "
                                        "library knows, but the delivery does not include its text")]
    if not texts:
        return [finding("weights_coverage", "high",
                        "The delivery contains weights but no license text or license declaration.",
                        {"status": "text-missing", "license": None}, [],
                        why="high: no terms are delivered with the weights")]
    speakers = weights_speakers(ctx)
    first = speakers[0] if speakers else None
    if first is not None:
        terms = read_terms(ctx, first.hit)
        covers = terms.get("covers_weights")
        if first.explicit or covers.value == "yes":
            how = {"license_link": "the model card's license_link points to it",
                   "readme": "the documentation says the weights are licensed under it",
                   "file-name": "the file is named for the model or its weights",
                   "declared": "the model card declares this license",
                   "top-level": "its text says it covers the model weights"}[first.reason]
            evidence = [*first.said, ctx.evidence_for(first.hit), *covers.evidence]
            return [finding("weights_coverage", "info",
                            f"The weights are covered by {label(ctx, first.hit)}, delivered in "
                            f"{bare(ctx, first.hit.path)}: {how}.",
                            {"status": "covered", "license": None if first.hit.modified else first.hit.key,
                             "resembles": first.hit.key if first.hit.modified else None,
                             "path": first.hit.path, "reason": first.reason},
                            evidence, why=f"info: {how}")]
    facts = [(h, read_terms(ctx, h).get("covers_weights")) for h in texts]
    if all(f.value in _CODE_ONLY for _, f in facts):
        return [finding("weights_coverage", "high",
                        f"The delivered terms ({', '.join(sorted({label(ctx, h) for h in texts}))}) do not extend "
                        "to model weights.", {"status": "not-covered", "license": texts[0].key},
                        [e for _, f in facts for e in f.evidence[:1]] or [ctx.evidence_for(texts[0])],
                        why="high: the delivered terms exclude the weights")]
    names = sorted({label(ctx, h) for h in texts})
    consistent = any(d.key in {h.key for h in texts} for d in declared)
    return [finding("weights_coverage", "medium" if consistent else "high",
                    f"Weights are delivered with {', '.join(names)}; no delivered text or document says that "
                    "these terms cover the model weights.",
                    {"status": "ambiguous", "license": texts[0].key},
                    [ctx.evidence_for(h) for h in texts],
                    why=("medium: the model card's declaration matches the delivered text" if consistent
                         else "high: nothing in the delivery ties the terms to the weights"))]


def declared_is_delivered(ctx: ReviewContext, hit: LicenseHit, texts: list[LicenseHit]) -> bool:
    """Is the license a model card declares among the delivered texts (by family, or by its name)?"""
    if hit.family and hit.family != "unknown" and hit.family in {h.family for h in texts}:
        return True
    if hit.identified:
        return False
    if hit.family in (None, "", "unknown") and _links_to_delivered(ctx, hit, texts):
        return True  # `license: other` whose license_link is a delivered text: that text is the license
    from desktop.core.checks.speakers import names_license
    written = str(hit.raw.get("written") or "").split(":")[-1].replace("-", " ")
    return any(names_license(written, h, bare(ctx, h.path)) for h in texts if h.identified)


def _links_to_delivered(ctx: ReviewContext, hit: LicenseHit, texts: list[LicenseHit]) -> bool:
    """Does the declaring card's relative ``license_link`` name one of the delivered license texts?"""
    entry = ctx.entry(hit.path)
    link = str(entry.metadata.get("license_link") or "").strip() if entry is not None else ""
    if not link or "://" in link:
        return False
    folder = bare(ctx, hit.path).rpartition("/")[0]
    wanted = {link.lstrip("./").lower(), f"{folder}/{link.lstrip('./')}".lower().lstrip("/")}
    return any(bare(ctx, h.path).lower() in wanted for h in texts)


def commercial_use(ctx: ReviewContext) -> list[dict[str, Any]]:
    """Commercial use and thresholds, read from each delivered text, against the company's figures."""
    out = []
    for hit in governing_hits(ctx):
        terms = read_terms(ctx, hit)
        allowed_f, mau_f, rev_f = terms.get("commercial_use"), terms.get("mau_threshold"), terms.get("revenue_threshold")
        allowed, mau, revenue = allowed_f.value, mau_f.value, rev_f.value
        if allowed in (None, NOT_STATED) and (mau or revenue):
            allowed = "conditional"
        status = ctx.policy.family_status(hit.family) if hit.identified else "unlisted"
        level, reason = _commercial_level(ctx, allowed, mau, revenue, status)
        notes = "".join(_against_reference(f, _show(f.value) if f.value is not None else "not stated")
                        for f in (allowed_f, mau_f, rev_f))
        evidence = [*allowed_f.evidence, *mau_f.evidence, *rev_f.evidence]
        out.append(finding("commercial_use", level, f"{label(ctx, hit)}: {reason}{notes}",
                           {"allowed": _allowed_word(allowed), "mau_threshold": mau,
                            "revenue_threshold": revenue, "license": hit.key, "policy": status,
                            "differences": terms.differences(("commercial_use", "mau_threshold",
                                                              "revenue_threshold")),
                            "basis": _basis(allowed_f, mau_f, rev_f), "read_from": _read_from(terms)},
                           evidence or [ctx.evidence_for(hit)], why=f"{level}: {reason}"))
    return out


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
    if allowed == "granted":
        return "low", ("the license grants use, copying and distribution without limiting them to "
                       "non-commercial or research use, and the text nowhere mentions commercial use: "
                       "allowed by the general grant.")
    if allowed == "allowed":
        if status == "needs-approval":
            return "medium", "commercial use is allowed; the firm policy asks for approval of this family."
        return "info", "commercial use is allowed."
    return "medium", "the terms do not say whether commercial use is allowed."


def _allowed_word(allowed: Any) -> str:
    return {"allowed": "yes", "granted": "yes", "prohibited": "no", "conditional": "conditional"}.get(str(allowed), NOT_STATED)


def jurisdiction(ctx: ReviewContext) -> list[dict[str, Any]]:
    """Governing law and venue read from each delivered text, compared with the accepted jurisdictions."""
    out = []
    for hit in governing_hits(ctx):
        terms = read_terms(ctx, hit)
        law_f, venue_f = terms.get("governing_law"), terms.get("venue")
        law = law_f.value if law_f.value not in (None, "") else NOT_STATED
        venue = venue_f.value if venue_f.value not in (None, "") else NOT_STATED
        accepted = [ctx.policy.accepts_jurisdiction(str(x)) for x in (law, venue)]
        if False in accepted:
            level, why = "high", "outside the firm's accepted jurisdictions"
        elif law == NOT_STATED:
            level, why = "low", "no governing law is stated"
        else:
            level, why = "info", "accepted by the firm policy"
        notes = _against_reference(law_f, law) + _against_reference(venue_f, venue)
        summary = f"{label(ctx, hit)}: governed by {law if law != NOT_STATED else 'no stated law'}, disputes in " \
                  f"{venue if venue != NOT_STATED else 'no stated venue'} ({why}).{notes}"
        out.append(finding("jurisdiction", level, summary,
                           {"governing_law": law, "venue": venue, "license": hit.key,
                            "differences": terms.differences(("governing_law", "venue")),
                            "basis": _basis(law_f, venue_f), "read_from": _read_from(terms)},
                           [*law_f.evidence, *venue_f.evidence] or [ctx.evidence_for(hit)],  # the text read
                           why=f"{level}: {why}"))
    return out


def use_restrictions(ctx: ReviewContext) -> list[dict[str, Any]]:
    """Acceptable use policies, territory exclusions and other restrictions, read from each delivered text."""
    out = []
    for hit in governing_hits(ctx):
        terms = read_terms(ctx, hit)
        aup_f, ter_f = terms.get("aup"), terms.get("territory_exclusions")
        aup = aup_f.value if isinstance(aup_f.value, dict) else {"kind": NOT_STATED}
        territories = list(ter_f.value or [])
        from desktop.core.checks.terms import RESTRICTING, clauses_of
        categories = sorted({c.kind for c in clauses_of(ctx, hit) if c.kind in RESTRICTING | {"export_control"}})
        if aup.get("kind") not in (None, "none", NOT_STATED):
            categories.append(f"aup-{aup.get('kind')}")
        if territories:
            categories.append("territory-exclusion")
        if territories:
            level, text = "high", f"excludes {', '.join(map(str, territories))}"
            why = "high: the terms exclude territories"
        elif aup.get("kind") == "external" and aup.get("updatable") is True:
            level, text = "medium", f"incorporates an external acceptable use policy that can change ({aup.get('url')})"
            why = "medium: an external policy the licensor may change binds the use"
        elif aup.get("kind") in ("external", "inline"):
            level, text = "low", f"has an {aup.get('kind')} acceptable use policy"
            why = "low: a fixed acceptable use policy applies"
        elif aup.get("kind") == "none":
            level, text, why = "info", "states no acceptable use policy", "info: no use policy"
        else:
            level, text = "info", "has no acceptable use policy that the rules could read"
            why = "info: no use policy was read from the text"
        notes = _against_reference(aup_f, _show(aup)) + _against_reference(ter_f, _show(territories))
        out.append(finding("use_restrictions", level, f"{label(ctx, hit)} {text}.{notes}",
                           {"aup": aup, "categories": sorted(set(categories)), "territory_exclusions": territories,
                            "license": hit.key, "differences": terms.differences(("aup", "territory_exclusions")),
                            "basis": _basis(aup_f, ter_f), "read_from": _read_from(terms)},
                           [*aup_f.evidence, *ter_f.evidence] or [ctx.evidence_for(hit)], why=why))
    return out


def output_use(ctx: ReviewContext) -> list[dict[str, Any]]:
    """Restrictions on what may be done with the model's outputs, read from each delivered text."""
    out = []
    for hit in governing_hits(ctx):
        terms = read_terms(ctx, hit)
        out_f = terms.get("output_restrictions")
        restrictions = out_f.value or []
        notes = _against_reference(out_f, _show(restrictions))
        if not restrictions:
            out.append(finding("output_use", "info", f"{label(ctx, hit)} states no restriction on outputs.{notes}",
                               {"restrictions": [], "license": hit.key, "basis": _basis(out_f),
                                "read_from": _read_from(terms)}, [ctx.evidence_for(hit)],  # the text read
                               why="info: no output restriction was read from the text"))
            continue
        categories = sorted({str(r.get("category")) for r in restrictions if isinstance(r, dict)})
        out.append(finding("output_use", "medium",
                           f"{label(ctx, hit)} restricts the use of outputs ({', '.join(categories)}).{notes}",
                           {"restrictions": restrictions, "categories": categories, "license": hit.key,
                            "basis": _basis(out_f), "read_from": _read_from(terms)},
                           list(out_f.evidence), why="medium: the terms restrict how outputs may be used"))
    return out
