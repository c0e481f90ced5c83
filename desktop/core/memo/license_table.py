"""The memo's compact license table: one row per license, a phrase per question, footnotes to evidence.

Every phrase is read from the review's findings (facts read from the delivered texts), never from
the knowledge base's summaries; each phrase carries a footnote number that points to the quotes the
finding cites (file and lines, or labelled as the reference text when that is all there is).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from desktop.core.evidence import Evidence, Origin
from desktop.core.findings import Finding

COLUMNS = (("covers", "Covers the weights"), ("commercial", "Commercial use"),
           ("law", "Law and courts"), ("restrictions", "Use restrictions"), ("outputs", "Outputs"))
CHECKS = {"covers": "weights_coverage", "commercial": "commercial_use", "law": "jurisdiction",
          "restrictions": "use_restrictions", "outputs": "output_use"}
QUOTE_CHARS = 140
NOT_STATED = "Not stated"
NONE_STATED = "None stated"


def license_table(snapshot: dict[str, Any]) -> dict[str, Any]:
    """``{"columns": [...], "rows": [...], "notes": [...]}`` for the memo template."""
    scan = snapshot["scan"]
    findings = [Finding.from_json(f) for f in scan.get("findings") or [] if isinstance(f, dict)]
    rows: dict[str, dict[str, Any]] = {}
    for finding in findings:
        if finding.check in CHECKS.values() and finding.check != "weights_coverage":
            row_id, name = _license_of(finding)
            if row_id:
                rows.setdefault(row_id, {"id": row_id, "name": name, "cells": {}, "paths": set()})
                rows[row_id]["paths"].update(_paths(finding))
    notes: list[dict[str, Any]] = []
    for row in rows.values():
        for column, check in CHECKS.items():
            mine = [f for f in findings if f.check == check and _belongs(f, row)]
            row["cells"][column] = _cell(column, mine, notes)
    names = _names(scan)
    out = []
    for row in rows.values():
        key = row["id"].removeprefix("key:") if row["id"].startswith("key:") else None
        texts = sorted(row["paths"])
        out.append({"name": names.get(key or "", row["name"]),
                    "components": ("text in " + ", ".join(texts[:3]) + (" ..." if len(texts) > 3 else ""))
                    if texts else "",
                    "cells": [row["cells"][c] for c, _ in COLUMNS]})
    return {"columns": [title for _, title in COLUMNS], "rows": out, "notes": notes}


def _license_of(finding: Finding) -> tuple[str, str]:
    facts = finding.facts
    key = facts.get("license") or facts.get("resembles")
    summary = finding.summary
    name = summary.split(":", 1)[0].strip() if ":" in summary else str(key or "")
    if key:
        return f"key:{key}", name or str(key)
    paths = sorted(_paths(finding))
    return (f"file:{paths[0]}", f"Unidentified terms in {paths[0]}") if paths else ("", "")


def _paths(finding: Finding) -> set[str]:
    return {e.path for e in finding.evidence if e.path and e.origin is Origin.DELIVERED}


def _belongs(finding: Finding, row: dict[str, Any]) -> bool:
    facts = finding.facts
    if finding.check == "weights_coverage":
        key = facts.get("license") or facts.get("resembles")
        if key:
            return row["id"] == f"key:{key}"
        return bool(facts.get("path")) and row["id"] == f"file:{facts['path']}"
    return _license_of(finding)[0] == row["id"]


_Phrase = Callable[[dict[str, Any]], str]


def _covers(facts: dict[str, Any]) -> str:
    status = facts.get("status")
    if status == "covered":
        return "Yes" if facts.get("text_delivered", True) else "Yes, by a statement (text not delivered)"
    if status == "not-covered":
        return "No: the terms do not extend to the weights"
    return NOT_STATED


def _commercial(facts: dict[str, Any]) -> str:
    allowed = facts.get("allowed")
    limits = []
    if facts.get("mau_threshold"):
        limits.append(f"{int(facts['mau_threshold']):,} monthly active users")
    if facts.get("revenue_threshold"):
        limits.append(f"revenue of {facts['revenue_threshold']}")
    if allowed == "conditional" or (allowed in (None, NOT_STATED.lower(), "not-stated") and limits):
        return "Allowed up to " + " or ".join(limits) if limits else "Allowed on conditions"
    return {"yes": "Allowed", "no": "Not allowed"}.get(str(allowed), NOT_STATED)


def _law(facts: dict[str, Any]) -> str:
    law, venue = facts.get("governing_law"), facts.get("venue")
    parts = [str(law) if law and law != "not-stated" else "",
             f"courts: {venue}" if venue and venue != "not-stated" else ""]
    return "; ".join(p for p in parts if p) or NOT_STATED


def _restrictions(facts: dict[str, Any]) -> str:
    aup = facts.get("aup") if isinstance(facts.get("aup"), dict) else {}
    kind = aup.get("kind")
    parts = {"external": ["Acceptable use policy, incorporated by a link"],
             "inline": ["Prohibited uses listed in the terms"]}.get(str(kind), [])
    places = [str(p) for p in facts.get("territory_exclusions") or []]
    if places:
        parts.append("not licensed in " + ", ".join(places))
    return "; ".join(parts) or NONE_STATED


def _outputs(facts: dict[str, Any]) -> str:
    said = [str(r.get("summary") or r.get("category")) for r in facts.get("restrictions") or []
            if isinstance(r, dict)]
    return said[0] if len(said) == 1 else (f"{len(said)} rules, first: {said[0]}" if said else NONE_STATED)


_PHRASES: dict[str, _Phrase] = {"covers": _covers, "commercial": _commercial, "law": _law,
                                "restrictions": _restrictions, "outputs": _outputs}


def _cell(column: str, mine: list[Finding], notes: list[dict[str, Any]]) -> dict[str, Any]:
    if not mine:
        return {"text": NOT_STATED if column != "covers" else "No statement", "notes": []}
    finding = mine[0]
    text = _PHRASES[column](finding.facts)
    if text in (NOT_STATED, NONE_STATED):
        return {"text": text, "notes": []}  # an absence has no quote to point to (the row names the text read)
    numbers = []
    for ev in finding.evidence[:2]:
        if ev.quote:
            notes.append(_note(len(notes) + 1, ev))
            numbers.append(len(notes))
    return {"text": text, "notes": numbers}


def _note(number: int, ev: Evidence) -> dict[str, Any]:
    from desktop.core.memo.render import evidence_ref

    quote = " ".join(ev.quote.split())
    if len(quote) > QUOTE_CHARS:
        quote = quote[:QUOTE_CHARS].rsplit(" ", 1)[0] + " ..."
    return {"number": number, "where": evidence_ref(ev.to_json()), "quote": quote}


def _names(scan: dict[str, Any]) -> dict[str, str]:
    """License key -> the name the scan gave it."""
    out: dict[str, str] = {}
    for entry in scan.get("files") or []:
        for match in entry.get("licenses") or []:
            if isinstance(match, dict) and match.get("key") and match.get("name"):
                out.setdefault(str(match["key"]), str(match["name"]))
    return out
