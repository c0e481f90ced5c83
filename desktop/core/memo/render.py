"""Render a review snapshot to memo HTML with Jinja2 (autoescape, StrictUndefined).

Templates come from a firm folder first, then the bundled ``templates/``.  The view built here
is data (counts, rows, labels of fixed vocabularies); the sentences live in the template.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

import jinja2

from desktop.core.memo.license_table import license_table
from desktop.core.memo.snapshot import Snapshot, check_snapshot

MEMO_TEMPLATE = "memo.html.j2"
FULL_INVENTORY_LIMIT = 500      # above this many files the memo shows a summary
STATUS_LABELS = {
    "approved": "Approved", "approved-with-conditions": "Approved with conditions",
    "rejected": "Rejected", "needs-info": "Needs information", "in-review": "In review",
    "draft": "Draft",
}
DECISION_LABELS = {
    "accept": "Accept", "accept-with-conditions": "Accept with conditions", "reject": "Reject",
    "needs-info": "Needs information", None: "Undecided",
}
LICENSE_COLUMNS = {
    "covers_weights": ("covers_weights",),
    "commercial_use": ("commercial_use", "mau_threshold", "revenue_threshold"),
    "use_restrictions": ("aup", "output_restrictions", "territory_exclusions"),
    "jurisdiction": ("governing_law", "venue"),
    "derivatives": ("derivative_obligations",),
}


class TemplateProblem(Exception):
    """A memo template is missing or broken; the message names the template."""


def default_templates_dir() -> Path:
    from desktop import paths

    return paths.templates_dir()


def environment(firm_dir: Path | None = None, default_dir: Path | None = None) -> jinja2.Environment:
    """The one Jinja2 environment: firm templates override the bundled ones."""
    folders = [str(p) for p in (firm_dir, default_dir or default_templates_dir()) if p]
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(folders), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True)
    env.filters["size"] = human_size
    env.filters["when"] = to_the_minute
    env.filters["checklist_label"] = checklist_label
    env.filters["status_label"] = lambda s: STATUS_LABELS.get(s, str(s))
    env.filters["decision_label"] = lambda d: DECISION_LABELS.get(d, str(d))
    env.filters["evidence_ref"] = evidence_ref
    return env


def human_size(n: Any) -> str:
    """Bytes as a short size in decimal units, as labelled (``1.5 MB`` is 1,500,000 bytes)."""
    try:
        size = float(n)
    except (TypeError, ValueError):
        return "?"
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if size < 1000 or unit == "TB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{n} B"


def to_the_minute(value: Any, tz: dt.tzinfo | None = None) -> str:
    """An ISO timestamp as ``7 December 2026, 03:12 UTC`` in ``tz`` (the computer's own zone by
    default); a date alone as ``7 December 2026``; anything else as given."""
    if not value:
        return ""
    text = str(value)
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        return text
    if len(text) <= 10:
        return f"{when.day} {when:%B %Y}"
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    when = when.astimezone(tz)
    return f"{when.day} {when:%B %Y, %H:%M} {when.tzname() or ''}".strip()


def checklist_label(checklist: Any) -> str:
    """``default/1.0`` as ``default checklist, version 1.0``."""
    name, _, version = str(checklist).partition("/")
    return f"{name} checklist, version {version}" if version else f"{name} checklist"


def evidence_ref(item: Any) -> str:
    """``LICENSE lines 10-12`` / ``agreement.pdf pages 3-4`` for one evidence reference."""
    if not isinstance(item, dict):
        return str(item)
    where = str(item.get("path") or item.get("file") or "")
    for unit in ("lines", "pages"):
        span = item.get(unit)
        if isinstance(span, list | tuple) and span:
            low, high = span[0], span[-1]
            where += f" {unit[:-1]} {low}" if low == high else f" {unit} {low}-{high}"
            break
        if isinstance(span, int):
            where += f" {unit[:-1]} {span}"
            break
    origin = item.get("origin")
    if origin == "reference":
        where += " (reference text, not the delivered file)"
    elif origin == "scan":
        where += " (read by the scanner, not a quote)"
    return where.strip() or "(no location)"


def build_view(snapshot: Snapshot, *, manifest_sha256: str = "",
               inventory_limit: int = FULL_INVENTORY_LIMIT) -> dict[str, Any]:
    """The template context: the snapshot plus tables and counts derived from it."""
    check_snapshot(snapshot)
    scan = snapshot["scan"]
    files = scan["files"]
    answers = snapshot["answers"]
    decisions = Counter(a.get("decision") for a in answers)
    levels = Counter(str(f.get("level", "info")) for f in scan.get("findings", []))
    conditions = [{"item": a.get("title") or a["item"], "text": a["conditions"]}
                  for a in answers if a.get("conditions")]
    open_questions = [{"item": a.get("title") or a["item"], "question": a.get("question") or "",
                       "note": a.get("rationale") or a.get("suggested") or ""}
                      for a in answers if a.get("decision") in (None, "needs-info")]
    open_questions += [{"item": "", "question": q, "note": ""}
                       for q in snapshot.get("open_questions", [])]
    full = len(files) <= inventory_limit
    return {
        **snapshot,
        "status_label": STATUS_LABELS.get(snapshot["review"]["status"],
                                          snapshot["review"]["status"]),
        "counts": {"files": len(files), "bytes": sum(int(f.get("size") or 0) for f in files),
                   "answers": len(answers), "decisions": dict(decisions),
                   "findings": dict(levels)},
        "conditions": conditions,
        "open_questions": open_questions,
        "license_rows": license_rows(snapshot),
        "license_table": license_table(snapshot),
        "obligations": obligation_rows(snapshot),
        "inventory": {"full": full, "files": files if full else [],
                      "by_role": _summary(files, lambda f: str(f.get("role") or "other")),
                      "by_folder": _summary(files, _top_folder),
                      "largest": sorted(files, key=lambda f: -int(f.get("size") or 0))[:15]},
        "manifest_sha256": manifest_sha256,
    }


def obligation_rows(snapshot: Snapshot) -> list[dict[str, Any]]:
    """The obligations schedule: the register's rows with labels for status and license."""
    from desktop.core.obligations import STATUS_TITLES, Status

    names = {k: (v or {}).get("name") for k, v in snapshot.get("license_facts", {}).items()}
    rows = []
    for row in snapshot.get("obligations", []):
        evidence = [e for e in row.get("evidence") or [] if isinstance(e, dict)]
        status = str(row.get("status") or "open")
        rows.append({**row, "status_label": STATUS_TITLES.get(Status(status), status)
                     if status in tuple(Status) else status,
                     "license_label": names.get(row.get("license")) or row.get("license") or _unidentified(evidence),
                     "evidence": [e for e in evidence if not e.get("sha256")],
                     "texts": [e for e in evidence if e.get("sha256")]})    # delivered files to ship as they are
    return rows


def _unidentified(evidence: list[dict[str, Any]]) -> str:
    """How the schedule names terms the library does not hold: by the delivered file they are in."""
    paths = list(dict.fromkeys(str(e["path"]) for e in evidence if e.get("origin") == "delivered" and e.get("path")))
    return f"Unidentified terms in {', '.join(paths[:2])}" if paths else "Unidentified terms"


def _top_folder(entry: dict[str, Any]) -> str:
    path = str(entry.get("path") or "")
    return path.split("/", 1)[0] + "/" if "/" in path else "(top level)"


def _summary(files: list[dict[str, Any]], key: Any) -> list[dict[str, Any]]:
    count: Counter[str] = Counter()
    size: Counter[str] = Counter()
    for f in files:
        k = key(f)
        count[k] += 1
        size[k] += int(f.get("size") or 0)
    return [{"name": k, "files": n, "bytes": size[k]} for k, n in count.most_common(25)]


def license_rows(snapshot: Snapshot) -> list[dict[str, Any]]:
    """One row per component and license: the license and its facts from the knowledge base."""
    scan = snapshot["scan"]
    facts = snapshot.get("license_facts", {})
    by_path = {f.get("path"): f for f in scan["files"]}
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for component in scan.get("components", []):
        matches: dict[str, dict[str, Any]] = {}
        for path in component.get("files", []):
            for m in (by_path.get(path) or {}).get("licenses") or []:
                match = m if isinstance(m, dict) else {"key": str(m)}
                if match.get("key"):
                    matches.setdefault(str(match["key"]), match)
        for key, match in sorted(matches.items()):
            seen.add(key)
            rows.append(_license_row(str(component.get("name", "")), key, match, facts.get(key)))
    for key in sorted({str(k) for k in scan.get("licenses", []) if k} - seen):
        rows.append(_license_row("Whole delivery", key, {"key": key}, facts.get(key)))
    return rows


def _license_row(component: str, key: str, match: dict[str, Any],
                 facts: dict[str, Any] | None) -> dict[str, Any]:
    row: dict[str, Any] = {"component": component, "key": key, "spdx": match.get("spdx") or "",
                           "name": (facts or {}).get("name") or match.get("name") or key,
                           "known": facts is not None}
    for column, names in LICENSE_COLUMNS.items():
        parts = []
        for name in names:
            fact = (facts or {}).get(name)
            if isinstance(fact, dict) and fact.get("summary") and fact.get("value") is not None:
                parts.append(str(fact["summary"]))
        row[column] = " ".join(parts)
    return row


def render_memo_html(snapshot: Snapshot, *, firm_templates: Path | None = None,
                     manifest_sha256: str = "", template: str = MEMO_TEMPLATE,
                     inventory_limit: int = FULL_INVENTORY_LIMIT) -> str:
    """The memo as HTML; a missing or broken template raises TemplateProblem naming it."""
    view = build_view(snapshot, manifest_sha256=manifest_sha256, inventory_limit=inventory_limit)
    env = environment(firm_templates)
    try:
        return env.get_template(template).render(**view)
    except jinja2.TemplateNotFound as exc:
        raise TemplateProblem(f"The memo template {exc.name} was not found in "
                              f"{firm_templates or default_templates_dir()}.") from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateProblem(f"The memo template {exc.filename or exc.name} has a syntax error "
                              f"on line {exc.lineno}: {exc.message}.") from None
    except jinja2.UndefinedError as exc:
        raise TemplateProblem(f"The memo template {template} uses a value the review does not "
                              f"have: {exc.message}.") from None
