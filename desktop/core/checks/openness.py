"""Openness: LF AI & Data Model Openness Framework (MOF v1.0) components and class."""

from __future__ import annotations

import re
from typing import Any

from desktop.core.checks.context import ReviewContext
from desktop.core.checks.findings import finding, governing_hits
from desktop.core.evidence import Evidence
from desktop.core.results import FileEntry

# component -> (first class that requires it, required?, content type)
MOF: dict[str, tuple[int, bool, str]] = {
    "Model architecture": (3, True, "code"), "Model parameters (Final)": (3, True, "data"),
    "Model card": (3, True, "document"), "Data card": (3, True, "document"),
    "Technical report": (3, True, "document"), "Evaluation results": (3, True, "document"),
    "Sample model outputs": (3, False, "document"), "Training code": (2, True, "code"),
    "Inference code": (2, True, "code"), "Evaluation code": (2, True, "code"),
    "Evaluation data": (2, True, "data"), "Supporting libraries and tools": (2, False, "code"),
    "Datasets": (1, True, "data"), "Data preprocessing code": (1, True, "code"),
    "Model parameters (Intermediate)": (1, True, "data"), "Research paper": (1, True, "document"),
    "Model metadata": (1, False, "data"),
}
CLASS_NAMES = {3: "III", 2: "II", 1: "I", 0: "none"}
OPEN_DATA_FAMILIES = frozenset({"cdla", "cc-by", "cc-by-sa", "cc0", "odc"})
OPEN_CONTENT_FAMILIES = frozenset({"cc-by", "cc-by-sa", "cc0"})

_NAME_RULES: list[tuple[str, str, re.Pattern[str]]] = [
    ("Model architecture", "code", re.compile(r"(^|/)(modeling|model|architecture)[\w-]*\.py$", re.I)),
    ("Training code", "code", re.compile(r"(^|/)(train|finetune|fine_tune|pretrain)[\w-]*\.\w+$", re.I)),
    ("Inference code", "code", re.compile(r"(^|/)(infer|inference|generate|predict|serve|run)[\w-]*\.\w+$", re.I)),
    ("Evaluation code", "code", re.compile(r"(^|/)(eval|evaluate|benchmark)[\w-]*\.\w+$", re.I)),
    ("Data preprocessing code", "code", re.compile(r"(^|/)(preprocess|prepare|clean|dedup)[\w-]*\.\w+$", re.I)),
    ("Supporting libraries and tools", "code", re.compile(r"(^|/)(lib|libs|utils|tools)/", re.I)),
    ("Data card", "any", re.compile(r"(^|/)(datasheet|data[_-]?card)[\w-]*\.\w+$", re.I)),
    ("Technical report", "docs", re.compile(r"(^|/)[\w-]*(technical[_-]?report|report)[\w-]*\.(pdf|md)$", re.I)),
    ("Research paper", "docs", re.compile(r"(^|/)[\w-]*(paper|arxiv)[\w-]*\.(pdf|md)$", re.I)),
    ("Evaluation results", "any", re.compile(r"(^|/)[\w-]*(eval[\w-]*results?|results)[\w-]*\.(json|md|csv)$", re.I)),
    ("Sample model outputs", "any", re.compile(r"(^|/)(samples?|outputs?|examples?)[\w-]*/", re.I)),
    ("Evaluation data", "data", re.compile(r"(^|/)(eval|test|benchmark)[\w-]*/", re.I)),
    ("Model parameters (Intermediate)", "weights", re.compile(r"(^|/)(checkpoint|ckpt|step)[-_]?\d+", re.I)),
    ("Model metadata", "config", re.compile(r"(^|/)(config|generation_config)\.json$", re.I)),
]


def components_present(files: list[FileEntry]) -> dict[str, list[str]]:
    """MOF component -> the delivery's files that make it up."""
    found: dict[str, list[str]] = {}
    for entry in files:
        path = entry.path
        matched = False
        for component, role, pattern in _NAME_RULES:
            if (role == "any" or entry.role == role) and pattern.search(path):
                found.setdefault(component, []).append(path)
                matched = True
        if entry.role == "weights" and "Model parameters (Intermediate)" not in \
                {c for c, _r, p in _NAME_RULES if p.search(path)}:
            found.setdefault("Model parameters (Final)", []).append(path)
        elif entry.role == "model_card":
            found.setdefault("Model card", []).append(path)
            if entry.metadata.get("model-index") or entry.metadata.get("model_index"):
                found.setdefault("Evaluation results", []).append(path)
        elif entry.role == "data" and not matched:
            found.setdefault("Datasets", []).append(path)
    return found


def mof_class(open_components: set[str]) -> int:
    """3, 2, 1, or 0 (unclassified): classes are cumulative, III first."""
    have = set(open_components) | ({"Technical report"} if "Research paper" in open_components else set())
    best = 0
    for cls in (3, 2, 1):
        if {c for c, (k, req, _t) in MOF.items() if req and k >= cls} <= have:
            best = cls
        else:
            break
    return best


def openness(ctx: ReviewContext) -> list[dict[str, Any]]:
    """Which MOF components are present under an open license, and the class reached."""
    present = components_present(ctx.files)
    licenses = governing_hits(ctx)
    open_kinds = _open_kinds(ctx, licenses)
    open_components = {c for c in present if MOF[c][2] in open_kinds}
    reached = mof_class(open_components)
    target = reached - 1 if reached > 1 else (3 if reached == 0 else 0)
    needed = sorted(c for c, (k, req, _t) in MOF.items()
                    if req and target and k >= target and c not in open_components
                    and not (c == "Technical report" and "Research paper" in open_components))
    missing = [c for c in needed if c not in present]
    not_open = [c for c in needed if c in present]
    names = ", ".join(h.name for h in licenses) or "no identified license"
    facts = {"mof_class": CLASS_NAMES[reached], "present": sorted(present), "open": sorted(open_components),
             "missing": missing, "not_open": not_open, "licenses": [h.key for h in licenses], "open_license_types": sorted(open_kinds)}
    summary = (f"Model Openness Framework class {CLASS_NAMES[reached]}" if reached else
               "Not classified under the Model Openness Framework")
    summary += f" ({len(present)} of {len(MOF)} components present; licensed under {names})"
    if missing:
        summary += f"; the next class needs {', '.join(missing[:4])}{'...' if len(missing) > 4 else ''}"
    if not_open:
        summary += f"; present but not under an open license: {', '.join(not_open[:4])}" \
                   f"{'...' if len(not_open) > 4 else ''}"
    evidence = [Evidence.observed(files[0], component) for component, files in sorted(present.items())][:8]
    why = f"info: class {CLASS_NAMES[reached]} reached" if reached else "low: no openness class is reached"
    return [finding("openness", "info" if reached else "low", summary + ".", facts, evidence, why=why)]


def _open_kinds(ctx: ReviewContext, licenses: list[Any]) -> set[str]:
    """Content types the delivery's licenses open up: code, data (incl. weights), document."""
    if not licenses:
        return set()
    kinds = {"code", "data", "document"}
    for hit in licenses:
        facts = ctx.facts(hit.key)
        osi = facts.facts["osi_approved"].value if facts else None
        family = hit.family or ""
        if osi is True:
            continue  # an OSI licence is open for every type (conditionally for data and documents)
        if family in OPEN_DATA_FAMILIES:
            kinds &= {"data", "document"} if family in OPEN_CONTENT_FAMILIES else {"data"}
            continue
        return set()  # a use-restricted or unknown license opens nothing
    return kinds
