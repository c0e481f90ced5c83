"""``aireview kb``: list the knowledge base, or show one key's facts with their evidence."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from desktop.core.checks.knowledge import (
    Fact,
    KnowledgeError,
    LicenseFacts,
    facts_to_json,
    load_knowledge,
)


def register(sub: Any) -> None:
    """Add the ``kb`` subcommand."""
    parser = sub.add_parser("kb", help="show the license knowledge base",
                            description="List the license knowledge base or show the facts of one key.")
    parser.add_argument("key", nargs="?", help="a LicenseDB key, e.g. llama-3.1-license-2024")
    parser.add_argument("--list", action="store_true", help="list every key with its name")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--knowledge-dir", type=Path, default=None, help=argparse.SUPPRESS)
    parser.set_defaults(func=run)


def run(ns: argparse.Namespace) -> int:
    """Run ``aireview kb``; 2 on an unknown key or a broken knowledge base."""
    try:
        knowledge = load_knowledge(ns.knowledge_dir)
    except KnowledgeError as exc:
        print(f"aireview kb: {exc}", file=sys.stderr)
        return 2
    if ns.list or ns.key is None:
        _print_list(knowledge, as_json=ns.json)
        return 0
    facts = knowledge.get(ns.key)
    if facts is None:
        print(f"aireview kb: unknown key {ns.key!r} (see aireview kb --list)", file=sys.stderr)
        return 2
    if ns.json:
        print(json.dumps(facts_to_json(facts), indent=2, ensure_ascii=False))
    else:
        print(_facts_text(facts))
    return 0


def _print_list(knowledge: dict[str, LicenseFacts], *, as_json: bool) -> None:
    rows = [knowledge[key] for key in sorted(knowledge)]
    if as_json:
        listing = [{"key": f.key, "name": f.name, "family": f.family, "kind": f.kind} for f in rows]
        print(json.dumps(listing, indent=2, ensure_ascii=False))
        return
    for facts in rows:
        print(f"{facts.key}\t{facts.name}")


def _facts_text(facts: LicenseFacts) -> str:
    lines = [f"{facts.key}: {facts.name}", f"family {facts.family}, kind {facts.kind}", ""]
    width = max(len(name) for name in facts.facts)
    for fact in facts.facts.values():
        lines.append(f"{fact.name.ljust(width)}  {_value_text(fact)}")
        indent = " " * (width + 2)
        lines.append(f"{indent}{fact.summary.strip()}")
        for item in fact.evidence:
            where = (f"{item.source} {item.field}" if item.source in ("metadata", "osi-list")
                     else _range_text(item.lines))
            lines.append(f"{indent}[{where}] \"{item.quote}\"")
        lines.append("")
    return "\n".join(lines).rstrip()


def _range_text(lines: tuple[int, int] | None) -> str:
    if lines is None:
        return "lines ?"
    return f"line {lines[0]}" if lines[0] == lines[1] else f"lines {lines[0]}-{lines[1]}"


def _value_text(fact: Fact) -> str:
    value = fact.value
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (str, int)):
        return str(value)
    if isinstance(value, list) and not value:
        return "none stated"
    if fact.name == "output_restrictions":
        return "; ".join(f"{item['category']}: {item['summary']}" for item in value)
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    return ", ".join(f"{k}={_scalar(v)}" for k, v in value.items())


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return "none"
    if isinstance(value, list):
        return "[" + "; ".join(str(v) for v in value) + "]"
    return str(value)
