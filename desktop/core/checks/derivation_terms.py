"""The two sides of a derivation: the base model's license and the terms the derivative is delivered under.

A base's license is read from the delivery first: a sentence naming the base and the license it is
under ("Base checkpoints (X) are licensed under CC BY-SA-4.0", "X under the Qwen license"), or a
license text applying the base's license to the weights.  Only when the delivery says nothing does the
table of known base models (resources/lineage) answer, labelled as the knowledge base's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from desktop.core.checks.context import LicenseHit, ReviewContext
from desktop.core.checks.derivation_table import RuleTable, load_rule_table
from desktop.core.checks.findings import MODEL_DECLARERS
from desktop.core.checks.lineage import BaseModel
from desktop.core.checks.speakers import license_texts, weights_speakers
from desktop.core.evidence import Evidence
from desktop.core.licenses.catalog import HUB_IDS
from desktop.core.licenses.statements import plain_prose

_STATES = re.compile(r"(?i)\b(?:under|licen[cs]ed|subject\s+to)\b")
_SIZE_TAG = re.compile(r"(?i)^(?:\d+(?:\.\d+)?[bmk]|\d+x\d+b|instruct|chat|hf|base|it|v\d[\w.]*)$")
_TRAILING_WORDS = re.compile(r"(?i)[\s-]+(?:licen[cs]e|agreement|conditions|terms)\b.*$")


@dataclass
class Terms:
    """One side's license: key (when the library holds it), family, a name to show, where it was read."""

    key: str | None
    family: str | None
    name: str
    source: str                       # "delivered" | "knowledge base" | "declared"
    evidence: list[Evidence] = field(default_factory=list)
    hit: LicenseHit | None = None
    written: str | None = None        # the words the delivery uses for it, when it states it

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "family": self.family, "name": self.name, "source": self.source,
                "written": self.written}


def resolve_phrase(ctx: ReviewContext, phrase: str) -> tuple[str | None, str | None]:
    """(key, family) for a written license id or name ("CC BY-SA-4.0", "MIT", "Llama2 license")."""
    bare = _TRAILING_WORDS.sub("", phrase.strip(" `'\"()[].,;:"))
    slug = re.sub(r"\s+", "-", bare.strip().lower())
    for candidate in dict.fromkeys((slug, slug.replace("-license", ""), slug.replace("-", ""))):
        if candidate in ctx.knowledge:
            return candidate, family_of(ctx, candidate, None)
        if candidate in HUB_IDS and HUB_IDS[candidate][1] not in ("other", "unknown"):
            key, family = HUB_IDS[candidate]
            return (key if key in ctx.knowledge else None), family_of(ctx, key, family)
    return None, None


def name_variants(base_id: str) -> list[str]:
    """The base's names as prose writes them, longest first: "org/x-base-7b", "x-base-7b", "x-base"."""
    name = base_id.rsplit("/", 1)[-1]
    out = [base_id, name] if "/" in base_id else [name]
    parts = name.split("-")
    while len(parts) > 2 and _SIZE_TAG.match(parts[-1]):
        parts = parts[:-1]
        out.append("-".join(parts))
    return out


def stated_base_license(ctx: ReviewContext, base: BaseModel) -> Terms | None:
    """The license the delivered texts state for ``base`` (see the module doc), or None."""
    for src in base.sources:
        phrase = src.get("license_phrase")
        if phrase:
            key, family = resolve_phrase(ctx, str(phrase))
            if key or family:
                ev = ctx.locate(src["path"], str(src.get("quote") or src["value"]),
                                (src["line"], src["line"]) if src.get("line") else None)
                return Terms(key, family, _shown(ctx, key, str(phrase)), "delivered", [ev] if ev else [],
                             written=str(phrase))
    for variant in name_variants(base.id):
        for entry in ctx.files:
            if entry.role not in ("model_card", "docs", "license", "agreement") or not entry.text:
                continue
            found = _statement_after(ctx, entry.path, entry.text, variant)
            if found is not None:
                return found
    return None


def _statement_after(ctx: ReviewContext, path: str, text: str, name: str) -> Terms | None:
    """A license stated right after ``name`` in one sentence of ``text``: "<name> ... under <license>"."""
    plain = ctx.memo.get(("plain lines", path))
    if plain is None:  # the file's prose lines, and all of it in lower case, once per scan
        prose = plain_prose(text)
        plain = ctx.memo[("plain lines", path)] = (prose.split("\n"), prose.lower())
    lines, lowered = plain
    wanted = name.lower()
    if wanted not in lowered:
        return None
    first = name.split("-")[0].lower()
    pattern = re.compile(r"(?<![\w.\-/])" + re.escape(name) + r"(?![\w\-/]|\.\w)", re.IGNORECASE)
    for n, line in enumerate(lines, 1):
        if wanted not in line.lower():
            continue
        for match in pattern.finditer(line):
            window = re.split(r"(?<=[.;!?])\s+(?=[A-Z(])|\n", line[match.end():], maxsplit=1)[0]
            cut = re.search(r"(?i)(?<![\w.\-])" + re.escape(first) + r"[\w.]*-[\w.\-]*?\d+(?:\.\d+)?[bm]\b", window)
            window = window[:cut.start()] if cut else window
            verb = _STATES.search(window)
            if verb is None:
                continue
            found = _license_in(ctx, window[verb.end():])
            if found is None:
                continue
            written, key, family = found
            evidence = [e for e in (ctx.locate(path, match.group(0), (n, n)), ctx.locate(path, written, (n, n))) if e]
            return Terms(key, family, _shown(ctx, key, written), "delivered", evidence, written=written)
    return None


def _license_in(ctx: ReviewContext, window: str) -> tuple[str, str | None, str | None] | None:
    """The first license a window of prose names: a resolved key first, else a family."""
    words = [w.strip(".") for w in re.findall(r"[\w.+\-]+", window)[:16] if w.strip(".")]
    family_only = None
    for size in (3, 2, 1):
        for i in range(len(words) - size + 1):
            phrase = " ".join(words[i:i + size])
            key, family = resolve_phrase(ctx, phrase)
            if key:
                return phrase, key, family
            if family and family_only is None:
                family_only = (f"{phrase} license" if re.search(rf"(?i){re.escape(phrase)}\s+licen[cs]e", window)
                               else phrase, None, family)
    return family_only


def _shown(ctx: ReviewContext, key: str | None, written: str) -> str:
    return key if key else written


def table_base_license(ctx: ReviewContext, base: BaseModel) -> Terms | None:
    """The table of known base models' answer for ``base`` (the knowledge base, not the delivery)."""
    if not base.known:
        return None
    family = family_of(ctx, base.license, base.family)
    return Terms(base.license, family, base.license or base.license_name or str(base.family), "knowledge base")


def delivered_terms(ctx: ReviewContext) -> tuple[list[Terms], bool]:
    """The terms the derivative is delivered under, and whether the delivery ties them to the weights.

    The model card's declarations and the license texts that speak for the weights; the top-level
    LICENSE alone (which may cover only code) when nothing else does.
    """
    out: list[Terms] = []
    speakers = weights_speakers(ctx)
    strong = [s.hit for s in speakers if s.explicit and s.reason != "readme"]
    declared = [h for h in ctx.declared_hits() if h.role in MODEL_DECLARERS]
    # a README sentence read by pattern speaks only when neither the card nor a model license file does
    explicit = strong or ([] if declared else [s.hit for s in speakers if s.explicit])
    tied = bool(explicit or declared)
    chosen = explicit + declared if tied else [s.hit for s in speakers]
    for hit in chosen:
        family = family_of(ctx, hit.key, hit.family)
        if family in (None, "unknown", "other") and hit.key is None:
            family = None
        terms = Terms(hit.key if hit.identified else None, family, hit.name if hit.identified else
                      str(hit.raw.get("written") or hit.name), "declared" if hit.source == "declared" else "delivered",
                      [ctx.evidence_for(hit)], hit)
        if not any((t.key, t.family) == (terms.key, terms.family) for t in out):
            out.append(terms)
    return out, tied


def traits(ctx: ReviewContext, table: RuleTable, terms: Terms) -> set[str]:
    """What a license asks of derivatives: from its knowledge-base facts, and its family in the table."""
    found = table.traits_of_family(terms.family)
    facts = ctx.knowledge.get(terms.key) if terms.key else None
    if facts is None:
        return found
    commercial = facts.facts["commercial_use"].value
    if commercial == "prohibited":
        found.add("non-commercial")
    elif commercial == "conditional":
        found.add("commercial-conditional")
    elif commercial == "allowed":
        found.discard("non-commercial")
    obligations = facts.facts["derivative_obligations"].value
    if isinstance(obligations, dict):
        if obligations.get("terms_flow_down") is True:
            found.add("flow-down")
        if isinstance(obligations.get("name_prefix"), str) and obligations["name_prefix"] not in ("", "not-stated"):
            found.add("naming-prefix")
    restrictions = facts.facts["output_restrictions"].value
    if isinstance(restrictions, list) and any(isinstance(r, dict) and r.get("category") == "improve-other-models"
                                              for r in restrictions):
        found.add("output-restricted")
    return found


def carried(ctx: ReviewContext, base: BaseModel, terms: Terms) -> list[Evidence]:
    """Evidence that the base's terms travel with the derivative: its license text is delivered, or a
    delivered license text names it as applying to the weights (empty when neither)."""
    for src in base.sources:
        if src.get("field") == "license text":
            ev = ctx.locate(src["path"], str(src.get("quote") or src["value"]))
            if ev is not None:
                return [ev]
    for hit in license_texts(ctx) + [h for h in ctx.hits if h.source == "text" and h.role in ("license", "notice")]:
        same = (terms.key and hit.key == terms.key) or (not terms.key and terms.family and
                                                        _family(ctx, hit) == terms.family)
        if same:
            return [ctx.evidence_for(hit)]
    return []


def _family(ctx: ReviewContext, hit: LicenseHit) -> str | None:
    return family_of(ctx, hit.key, hit.family)


def family_of(ctx: ReviewContext, key: str | None, fallback: str | None) -> str | None:
    """A license's family as the rule table compares them: the knowledge base's, else by key prefix
    (rules.yaml key_prefixes), else ``fallback``; other spellings mapped by family_aliases."""
    table = load_rule_table()
    found = ctx.knowledge[key].family if key and key in ctx.knowledge else table.family_by_key(key) or fallback
    return table.family_aliases.get(found, found) if found else None
