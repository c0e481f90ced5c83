"""Qt-free views of a scan or a stored review for the UI: license table, findings counts, status.

Everything here turns core data (``ScanResult``, store dicts, knowledge-base facts) into rows
and counts; no widget code and no sentences beyond the core's own summaries.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from typing import Any

from desktop.core.findings import LEVELS as LEVELS
from desktop.core.findings import Finding
from desktop.core.results import Component, FileEntry, Problem, ScanResult

LICENSE_COLUMNS = {
    "covers_weights": ("covers_weights",),
    "commercial_use": ("commercial_use", "mau_threshold", "revenue_threshold"),
    "use_restrictions": ("aup", "output_restrictions", "territory_exclusions"),
    "jurisdiction": ("governing_law", "venue"),
    "derivatives": ("derivative_obligations",),
}


@cache
def _knowledge() -> dict[str, Any]:
    from desktop.core.checks.knowledge import facts_to_json, load_knowledge

    try:
        return {key: facts_to_json(facts) for key, facts in load_knowledge().items()}
    except Exception:  # a broken knowledge base leaves the columns empty, never the window
        return {}


def license_facts(key: str) -> dict[str, Any] | None:
    """The knowledge-base facts of a license key (``facts_to_json`` shape), or None."""
    return _knowledge().get(key)


def license_rows(scan: ScanResult) -> list[dict[str, Any]]:
    """One row per component and license key with the knowledge-base summary of each column."""
    by_path = {f.path: f for f in scan.files}
    rows: list[dict[str, Any]] = []
    for component in scan.components:
        matches: dict[str, dict[str, Any]] = {}
        for path in component.files:
            entry = by_path.get(path)
            for match in entry.licenses if entry else []:
                key = match.get("key")
                if key:
                    matches.setdefault(str(key), match)
        for key, match in sorted(matches.items()):
            rows.append(_license_row(component.name, key, match))
    return rows


def _license_row(component: str, key: str, match: dict[str, Any]) -> dict[str, Any]:
    known = license_facts(key)
    facts = (known or {}).get("facts", {})
    row: dict[str, Any] = {"component": component, "key": key,
                           "license": (known or {}).get("name") or match.get("name") or key,
                           "spdx": match.get("spdx") or "", "known": known is not None}
    for column, names in LICENSE_COLUMNS.items():
        parts = [str(facts[n]["summary"]) for n in names
                 if isinstance(facts.get(n), dict) and facts[n].get("summary")
                 and facts[n].get("value") is not None]
        row[column] = " ".join(parts)
    return row


def level_rank(level: str | None) -> int:
    """0 for block … 4 for info; unknown levels sort last."""
    return LEVELS.index(level) if level in LEVELS else len(LEVELS)


def worst_level(findings: list[dict[str, Any]]) -> str | None:
    """The most serious level among ``findings``, or None when there are none."""
    levels = [str(f.level) for f in typed(findings)]
    return min(levels, key=level_rank) if levels else None


def level_counts(findings: list[dict[str, Any]]) -> dict[str, int]:
    """How many findings there are of each level (every level present, in order)."""
    counts = Counter(str(f.level) for f in typed(findings))
    return {level: counts.get(level, 0) for level in LEVELS}


def typed(findings: list[dict[str, Any]]) -> list[Finding]:
    """The findings (scan-JSON form, as the store returns them) as :class:`Finding` objects; an
    entry without a known level is left out."""
    return [Finding.from_json(f) for f in findings if f.get("level") in LEVELS]


def findings_per_item(findings: list[dict[str, Any]], items: list[str]) -> list[tuple[str, dict[str, int]]]:
    """For each checklist item (in order), the count of its findings by level."""
    return [(item, level_counts([f for f in findings if f.get("check") == item])) for item in items]


def file_level(entry: FileEntry, findings: list[dict[str, Any]]) -> str | None:
    """The worst level of the findings whose evidence points into this file."""
    mine = [f for f in findings if f.get("level") != "info"
            and any(e.get("path") == entry.path for e in f.get("evidence") or [])]
    if entry.problems:
        mine.append({"level": "medium"})
    return worst_level(mine)


def all_problems(scan: ScanResult) -> list[Problem]:
    """The delivery's problems, then every file's problems."""
    return [*scan.problems, *(p for f in scan.files for p in f.problems)]


def scan_from_review(review: dict[str, Any], texts: dict[str, str] | None = None) -> ScanResult:
    """A ScanResult rebuilt from a stored review (``get_review(..., include_files=True)``).

    ``texts`` (``Store.file_texts``) are the license, notice and model card texts kept with the
    delivery; other files' texts are not stored, so the viewer shows them only after a rescan.
    """
    texts = texts or {}
    delivery = review["delivery"]
    files = [FileEntry(path=f["path"], size=int(f.get("size") or 0), sha256=f.get("sha256"),
                       role=f.get("role") or "other", format=f.get("format") or "unknown",
                       metadata=f.get("metadata") or {}, text=texts.get(f["path"]),
                       problems=[Problem(p.get("code", ""), p.get("message", ""))
                                 for p in f.get("problems") or []])
             for f in review.get("files", [])]
    components = [Component(kind=c.get("kind", ""), name=c.get("name", ""),
                            files=list(c.get("files") or []), bytes=int(c.get("bytes") or 0))
                  for c in delivery.get("components") or []]
    return ScanResult(
        source_path=delivery.get("source_path") or "", source_kind=delivery.get("source_kind") or "",
        fingerprint=delivery.get("fingerprint") or "", files=files, components=components,
        problems=[Problem(p.get("code", ""), p.get("message", "")) for p in delivery.get("problems") or []],
        findings=list(review.get("findings") or []))


def human_size(n: int) -> str:
    """Bytes as a short figure with a binary unit (1.5 MiB)."""
    size = float(n)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(size) < 1024 or unit == "TiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"
