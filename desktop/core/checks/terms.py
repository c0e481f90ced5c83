"""The terms of one delivered license text, read from that text: the knowledge base only cross-checks.

For every fact the clause engine's reading of the delivered text comes first.  A knowledge-base fact
is taken only when its own quote is found in the delivered text (an exact copy: the fact holds for
these words, and is cited at the delivered lines), or when the knowledge base records the fact as
absent and the rules read nothing either.  Where the delivered text and the reference differ, the
delivered value decides and the reference's value is kept beside it (``reference``), so a finding can
say "delivered text: X; reference KEY says: Y".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from desktop.core.checks.clauses import Clause
from desktop.core.checks.context import LicenseHit, ReviewContext
from desktop.core.evidence import Evidence

NOT_STATED = "not-stated"
RESTRICTING = frozenset({"non_commercial", "research_only", "non_production"})


class Basis:
    """How a fact was established (a plain string in the JSON)."""

    TEXT = "delivered-text"          # read by rule from the delivered text
    CONFIRMED = "knowledge-confirmed"  # a knowledge-base fact whose quote is in the delivered text
    REFERENCE = "reference-only"     # only the reference says so; not found in the delivered text
    NONE = "not-stated"


@dataclass(frozen=True)
class TermFact:
    """One fact of a delivered text: the deciding value, its evidence, and the reference's value."""

    name: str
    value: Any
    evidence: tuple[Evidence, ...]
    basis: str
    reference: Any = None            # the reference's value where it differs from the delivered one
    reference_key: str | None = None

    @property
    def differs(self) -> bool:
        return self.reference_key is not None and self.basis in (Basis.TEXT, Basis.NONE, Basis.REFERENCE) \
            and self.reference is not None and not _same(self.name, self.value, self.reference)

    def difference(self) -> dict[str, Any]:
        """The JSON form of a difference from the reference."""
        ev = self.evidence[0].to_json() if self.evidence else {}
        return {"fact": self.name, "reference": self.reference, "delivered": self.value,
                "reference_key": self.reference_key, "evidence": ev}


@dataclass
class Terms:
    """What one license-bearing text says, fact by fact."""

    hit: LicenseHit
    known: bool                      # the knowledge base holds this license
    exact: bool                      # identified and not modified
    facts: dict[str, TermFact] = field(default_factory=dict)

    def get(self, name: str) -> TermFact:
        return self.facts.get(name) or TermFact(name, None, (), Basis.NONE)

    def differences(self, names: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
        return [f.difference() for n, f in self.facts.items() if f.differs and (names is None or n in names)]

    @property
    def provenance(self) -> str:
        """How to describe where the facts come from, for summaries."""
        if not self.known:
            return "read by rule from a text the library does not hold"
        if not self.exact:
            return f"read from the delivered text, which differs from the reference {self.hit.key}"
        return "read from the delivered text"


def read_terms(ctx: ReviewContext, hit: LicenseHit) -> Terms:
    """Every fact of ``hit``'s text, read from the delivered file and cross-checked with the knowledge base."""
    cached = ctx.memo.get(("terms", id(hit)))
    if cached is None:
        cached = ctx.memo[("terms", id(hit))] = _read_terms(ctx, hit)
    return cached  # type: ignore[no-any-return]


def _read_terms(ctx: ReviewContext, hit: LicenseHit) -> Terms:
    facts_kb = ctx.facts(hit.key) if hit.identified else None
    terms = Terms(hit, facts_kb is not None, hit.identified and not hit.modified)
    clauses = clauses_of(ctx, hit)

    def by_kind(*kinds: str) -> list[Clause]:
        return [c for c in clauses if c.kind in kinds]

    def ev(found: list[Clause], limit: int = 2) -> tuple[Evidence, ...]:
        return tuple(clause_evidence(ctx, hit.path, c) for c in found[:limit])

    mau = by_kind("mau_threshold")
    revenue = by_kind("revenue_threshold")
    restricting = by_kind(*RESTRICTING)
    law = by_kind("governing_law")
    venue = by_kind("venue", "arbitration")
    territory = by_kind("territory_exclusion")
    aup_ref = by_kind("aup_reference")
    aup_upd = by_kind("aup_updatable")
    outputs = by_kind("output_restriction")
    granted = by_kind("commercial_allowed")
    general = by_kind("general_grant")
    prohibitions = by_kind("use_prohibition")

    read: dict[str, tuple[Any, tuple[Evidence, ...]]] = {}
    if mau:
        read["mau_threshold"] = (mau[0].value, ev(mau, 1))
    if revenue:
        read["revenue_threshold"] = (revenue[0].value, ev(revenue, 1))
    if restricting:
        read["commercial_use"] = ("prohibited", ev(restricting))
    elif mau or revenue:
        read["commercial_use"] = ("conditional", ev(mau + revenue))
    elif granted:
        read["commercial_use"] = ("allowed", ev(granted, 1))
    elif general and not _mentions_scope(ctx, hit):
        read["commercial_use"] = ("granted", ev(general, 1))
    if law:
        read["governing_law"] = (law[0].value, ev(law, 1))
    if venue:
        read["venue"] = (venue[0].value, ev(venue, 1))
    if territory:
        places = _unique_places(c.value for c in territory)
        read["territory_exclusions"] = (places, ev(territory))
    if aup_ref:
        url = next((c.value for c in aup_ref if c.value), None)
        read["aup"] = ({"kind": "external" if url else "inline", "url": url,
                        "updatable": True if aup_upd else NOT_STATED}, ev(aup_ref + aup_upd))
    elif prohibitions:  # the text itself lists forbidden uses: an inline use policy
        read["aup"] = ({"kind": "inline", "url": None, "updatable": True if aup_upd else NOT_STATED},
                       ev(prohibitions))
    if outputs:
        read["output_restrictions"] = ([{"category": c.value, "summary": c.quote} for c in outputs],
                                       ev(outputs, 3))
    for name in ("covers_weights", "commercial_use", "mau_threshold", "revenue_threshold", "aup",
                 "output_restrictions", "governing_law", "venue", "territory_exclusions",
                 "derivative_obligations"):
        terms.facts[name] = _resolve(ctx, hit, name, read.get(name), facts_kb)
    return terms


def _resolve(ctx: ReviewContext, hit: LicenseHit, name: str, read: tuple[Any, tuple[Evidence, ...]] | None,
             facts_kb: Any) -> TermFact:
    kb = facts_kb.facts.get(name) if facts_kb is not None else None
    key = facts_kb.key if facts_kb is not None else None
    if kb is None:
        if read is not None:
            return TermFact(name, read[0], read[1], Basis.TEXT)
        return TermFact(name, None, (), Basis.NONE)
    quotes = [e for e in kb.evidence if e.source == "text"]
    if hit.source != "text":  # a declared license whose text is not delivered: the reference speaks, labelled
        return TermFact(name, kb.value, tuple(Evidence.reference(kb_key(facts_kb), e.lines, e.quote)
                                              for e in quotes[:2]), Basis.REFERENCE)
    within = text_region(ctx, hit)
    located = [ctx.locate(hit.path, e.quote, within) for e in quotes]
    found = tuple(e for e in located if e is not None)
    all_found = bool(quotes) and len(found) == len(quotes)
    if read is not None:
        value, evidence = read
        if _same(name, value, kb.value) or (all_found and not hit.modified):
            # the rules and the knowledge base agree, or the text is the reference's exact words
            return TermFact(name, kb.value if all_found else value, found or evidence,
                            Basis.CONFIRMED if found else Basis.TEXT)
        return TermFact(name, value, evidence, Basis.TEXT, kb.value, key)
    if found:
        return TermFact(name, kb.value, found, Basis.CONFIRMED)
    if not quotes:  # the knowledge base records no clause for this fact, and the rules read none
        return TermFact(name, kb.value, (), Basis.CONFIRMED if not hit.modified else Basis.NONE,
                        None if not hit.modified else kb.value, None if not hit.modified else key)
    # the reference's clause is not in the delivered text and the rules read nothing
    return TermFact(name, None, (), Basis.REFERENCE, kb.value, key)


_SCOPE_WORDS = re.compile(r"\b(?:commercial|research|production|evaluation|academic)\b|商业|商用|研究|学术",
                          re.I)


def _mentions_scope(ctx: ReviewContext, hit: LicenseHit) -> bool:
    """True when the text of ``hit`` speaks of commercial, research or production use anywhere
    (or cannot be read): then a general grant alone does not settle commercial use."""
    entry = ctx.entry(hit.path)
    if entry is None or not (entry.text or entry.pages):
        return True
    text = entry.text if entry.text else "\n".join(entry.pages or [])
    region = text_region(ctx, hit) if entry.text else None
    if region is not None:
        text = "\n".join(text.splitlines()[region[0] - 1:region[1]])
    return bool(_SCOPE_WORDS.search(text))


def kb_key(facts_kb: Any) -> str:
    return str(facts_kb.key)


def clauses_of(ctx: ReviewContext, hit: LicenseHit) -> list[Clause]:
    """Clauses of the text of ``hit``: from the start of its file (for the file's first text) or of its
    span, up to where the next license text in the same file begins (no spill-over from appended texts)."""
    if hit.source != "text":
        return []
    found = ctx.clauses.get(hit.path, [])
    region = text_region(ctx, hit)
    if region is None:
        return list(found)
    return [c for c in found if c.page is not None or region[0] <= c.lines[0] <= region[1]]


def text_region(ctx: ReviewContext, hit: LicenseHit) -> tuple[int, int] | None:
    """The lines of the file that belong to the text of ``hit`` (None: the whole file)."""
    if _span(hit) is None:
        return None
    starts = sorted({_span(h)[0] for h in ctx.hits  # type: ignore[index]
                     if h.path == hit.path and h.source == "text" and _span(h) is not None})
    own = _span(hit)[0]  # type: ignore[index]
    first = 1 if own == starts[0] else own
    later = [s for s in starts if s > own]
    return first, (later[0] - 1 if later else 10**9)


def clause_evidence(ctx: ReviewContext, path: str, clause: Clause) -> Evidence:
    """Evidence of one clause, checked against the delivered file."""
    return ctx.ground({"path": path, "quote": clause.quote,
                       **({"pages": [clause.page, clause.page]} if clause.page is not None
                          else {"lines": list(clause.lines)})})


def _span(hit: LicenseHit) -> tuple[int, int] | None:
    lines = hit.span.get("lines")
    return (int(lines[0]), int(lines[1])) if lines else None


def _unique_places(values: Any) -> list[str]:
    out: list[str] = []
    for value in sorted(values, key=lambda v: str(v).isupper()):  # a title in capitals comes last
        text = str(value)
        if text and not any(_words(text) == _words(o) for o in out):
            out.append(text)
    return out


def _words(value: Any) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", str(value).lower().replace("’", "'"))
            if w not in {"the", "of", "and", "in", "a", "for", "s", "people", "republic"}}


def _same(name: str, a: Any, b: Any) -> bool:
    """Do two values of fact ``name`` say the same thing (forms differ between rules and curation)?"""
    if a == b:
        return True
    if a is None or b is None:
        return False
    if name == "revenue_threshold" and isinstance(a, dict) and isinstance(b, dict):
        return a.get("amount") == b.get("amount")
    if name in ("governing_law", "venue"):
        wa, wb = _words(a), _words(b)
        return bool(wa & wb) and (wa <= wb or wb <= wa or len(wa & wb) >= 2)
    if name == "territory_exclusions" and isinstance(a, list) and isinstance(b, list):
        return {frozenset(_words(x)) for x in a} == {frozenset(_words(x)) for x in b}
    if name == "aup" and isinstance(a, dict) and isinstance(b, dict):
        return a.get("kind") == b.get("kind") and (a.get("url") or "") .rstrip("/") == (b.get("url") or "").rstrip("/")
    if name == "output_restrictions" and isinstance(a, list) and isinstance(b, list):
        cats = {str(x.get("category")) for x in a if isinstance(x, dict)}
        return cats == {str(x.get("category")) for x in b if isinstance(x, dict)}
    return False
