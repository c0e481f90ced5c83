"""The derivative-compatibility rule table (resources/derivation/rules.yaml): its shape, strictly checked.

The table is data: license families grouped into classes, traits per family, and ordered rules
(base traits x derivative traits x relation x conditions -> outcome, with the clause that decides).
:func:`load_rule_table` refuses a table with an unknown trait, condition, relation or outcome, so a
typo cannot silently turn a rule off.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from desktop import paths
from desktop.core.resource_yaml import load_resource

OUTCOMES = ("compatible", "conflict", "clause-dependent")
TRAITS = frozenset({"permissive", "share-alike", "non-commercial", "commercial-conditional", "flow-down",
                    "naming-prefix", "output-restricted", "no-derivatives"})
CONDITIONS = frozenset({"same-license", "same-family", "other-version", "base-carried", "not-base-carried",
                        "grants-commercial", "other-family", "name-prefix-missing"})
RELATIONS = frozenset({"fine-tune", "adapter", "quantized", "merge", "distillation", "not-stated"})
_RULE_FIELDS = {"id", "base", "derivative", "relations", "when", "outcome", "clause", "says"}


class RuleTableError(ValueError):
    """The rule table is missing or not in the expected shape."""


@dataclass(frozen=True)
class Rule:
    """One row: when the base's and the derivative's traits, the relation and the conditions hold."""

    id: str
    base: frozenset[str]
    derivative: frozenset[str]
    relations: frozenset[str] | None        # None: any relation
    when: tuple[str, ...]
    outcome: str
    clause: str
    says: str

    def applies(self, base: set[str], derivative: set[str], relation: str, holds: set[str]) -> bool:
        """Do the base's traits, every derivative trait asked for, the relation and the conditions hold?"""
        return (self.base <= base and self.derivative <= derivative
                and (self.relations is None or relation in self.relations)
                and all(c in holds for c in self.when))


@dataclass(frozen=True)
class RuleTable:
    classes: dict[str, frozenset[str]]          # class (trait) -> families
    family_traits: dict[str, frozenset[str]]
    rules: tuple[Rule, ...]
    key_prefixes: tuple[tuple[str, str], ...] = ()   # key prefix -> family, for keys the knowledge base lacks
    family_aliases: dict[str, str] = field(default_factory=dict)

    def family_by_key(self, key: str | None) -> str | None:
        """The family of a key by the table's prefixes (first match), or None."""
        return next((family for prefix, family in self.key_prefixes if key and key.startswith(prefix)), None)

    def traits_of_family(self, family: str | None) -> set[str]:
        """The traits the table gives a family: its class, and its own list."""
        if not family:
            return set()
        found = {cls for cls, families in self.classes.items() if family in families}
        return found | set(self.family_traits.get(family, ()))

    def first(self, base: set[str], derivative: set[str], relation: str, holds: set[str]) -> Rule:
        """The first rule that applies (the table ends with a rule that always does)."""
        for rule in self.rules:
            if rule.applies(base, derivative, relation, holds):
                return rule
        raise RuleTableError("no rule applies; the table must end with a catch-all rule")


def table_path() -> Path:
    return paths.resources_dir() / "derivation" / "rules.yaml"


@lru_cache(maxsize=4)
def load_rule_table(path: Path | None = None) -> RuleTable:
    """Read and check the rule table (see the module doc)."""
    where = path or table_path()
    try:
        doc = load_resource(where.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RuleTableError(f"{where.name}: {exc}") from exc
    if not isinstance(doc, dict) or doc.get("version") != 1:
        raise RuleTableError(f"{where.name}: expected a mapping with version: 1")
    classes = {str(k): frozenset(map(str, v)) for k, v in (doc.get("classes") or {}).items()}
    family_traits = {str(k): frozenset(map(str, v)) for k, v in (doc.get("family_traits") or {}).items()}
    for name, traits in [("classes", set(classes))] + [(f"family_traits.{k}", set(v))
                                                       for k, v in family_traits.items()]:
        if traits - TRAITS:
            raise RuleTableError(f"{where.name}: {name}: unknown trait(s) {sorted(traits - TRAITS)}")
    rules = tuple(_rule(item, n, where.name) for n, item in enumerate(doc.get("rules") or []))
    if not rules or rules[-1].base or rules[-1].derivative or rules[-1].when or rules[-1].relations:
        raise RuleTableError(f"{where.name}: the last rule must apply to every pair (no base, derivative, when)")
    if len({r.id for r in rules}) != len(rules):
        raise RuleTableError(f"{where.name}: rule ids must be unique")
    prefixes = tuple((str(p), str(f)) for p, f in (doc.get("key_prefixes") or []))
    aliases = {str(k): str(v) for k, v in (doc.get("family_aliases") or {}).items()}
    return RuleTable(classes, family_traits, rules, prefixes, aliases)


def _rule(item: Any, n: int, name: str) -> Rule:
    where = f"{name}: rules[{n}]"
    if not isinstance(item, dict) or set(item) - _RULE_FIELDS or not {"id", "outcome", "clause", "says"} <= set(item):
        raise RuleTableError(f"{where}: needs id, outcome, clause, says (and only {sorted(_RULE_FIELDS)})")
    base, derivative = frozenset(item.get("base") or ()), frozenset(item.get("derivative") or ())
    when = tuple(item.get("when") or ())
    relations = item.get("relations", "any")
    rel = None if relations == "any" else frozenset(relations)
    for label, values, allowed in (("base", base, TRAITS), ("derivative", derivative, TRAITS),
                                   ("when", set(when), CONDITIONS), ("relations", rel or set(), RELATIONS)):
        if set(values) - allowed:
            raise RuleTableError(f"{where}.{label}: unknown value(s) {sorted(set(values) - allowed)}")
    if item["outcome"] not in OUTCOMES:
        raise RuleTableError(f"{where}.outcome: {item['outcome']!r} is not one of {OUTCOMES}")
    return Rule(str(item["id"]), base, derivative, rel, when, str(item["outcome"]), str(item["clause"]),
                " ".join(str(item["says"]).split()))
