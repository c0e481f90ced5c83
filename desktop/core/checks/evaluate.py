"""Turn a scan into findings: every rule of the checklist, at levels set by the firm policy."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop.core.checks import openness, rules_delivery, rules_terms
from desktop.core.checks.checklist import Checklist, load_checklist
from desktop.core.checks.context import ReviewContext, build_context
from desktop.core.checks.findings import CheckId, Finding, Level
from desktop.core.checks.knowledge import LicenseFacts, load_knowledge
from desktop.core.checks.policy import Policy, load_policy
from desktop.core.evidence import Evidence
from desktop.core.results import ScanResult

Rule = Callable[[ReviewContext], list[dict[str, Any]]]

RULES: dict[str, Rule] = {
    "weights_coverage": rules_terms.weights_coverage,
    "use_restrictions": rules_terms.use_restrictions,
    "jurisdiction": rules_terms.jurisdiction,
    "derivative_status": rules_delivery.derivative_status,
    "commercial_use": rules_terms.commercial_use,
    "output_use": rules_terms.output_use,
    "attribution": rules_delivery.attribution,
    "data_provenance": rules_delivery.data_provenance,
    "file_safety": rules_delivery.file_safety,
    "integrity": rules_delivery.integrity,
    "declared_vs_detected": rules_delivery.declared_vs_detected,
    "openness": openness.openness,
}


def evaluate(scan: ScanResult, *, policy: Policy | None = None, checklist: Checklist | None = None,
             knowledge: dict[str, LicenseFacts] | None = None) -> list[dict[str, Any]]:
    """Findings for ``scan`` in checklist order, as the scan JSON carries them."""
    return [f.to_json() for f in evaluate_findings(scan, policy=policy, checklist=checklist, knowledge=knowledge)]


def evaluate_scan(scan: ScanResult, policy_path: Path | None = None, checklist_dir: Path | None = None,
                  ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Findings (JSON form) and the table of third-party component licenses, for ``aireview scan``."""
    from desktop.core.checks.speakers import component_table

    policy = load_policy(policy_path)
    checklist = load_checklist(firm_dir=checklist_dir)
    knowledge = load_knowledge()
    ctx = build_context(scan, policy, knowledge)
    findings = _evaluate(ctx, checklist)
    return [f.to_json() for f in findings], component_table(ctx)


def evaluate_findings(scan: ScanResult, *, policy: Policy | None = None, checklist: Checklist | None = None,
                      knowledge: dict[str, LicenseFacts] | None = None) -> list[Finding]:
    """Findings for ``scan`` in checklist order; each item's ``rule`` names the rule that runs.

    Every piece of evidence is grounded (:meth:`ReviewContext.ground`): a quote is cited only in the
    delivered lines that hold it, or labelled as the reference text's.  Rules see the files in a
    canonical order, so findings do not depend on the order of the files or the top folder.
    """
    policy = policy or load_policy()
    checklist = checklist or load_checklist()
    knowledge = knowledge if knowledge is not None else load_knowledge()
    return _evaluate(build_context(scan, policy, knowledge), checklist)


def _evaluate(ctx: ReviewContext, checklist: Checklist) -> list[Finding]:
    findings: list[Finding] = []
    for item in checklist.items:
        rule = RULES.get(item.rule)
        if rule is None:
            continue
        made = []
        for found in rule(ctx):
            key = found.get("facts", {}).get("license")
            evidence = _unique(ctx.ground(e, key if isinstance(key, str) else None)
                               for e in found.get("evidence") or [])
            why = str(found.get("why") or "") or _default_why(item.rule, found["level"])
            made.append(Finding(item.id, Level(found["level"]), found["summary"], found.get("facts") or {},
                                evidence, why, CheckId(item.rule)))
        findings += made
    return findings


_WHY = {
    "derivative_status": {"high": "the base model's terms flow down and conflict with the delivered terms",
                          "medium": "the base model's license is not known",
                          "low": "the base model's terms flow down (or the base is only hinted)",
                          "info": "no base-model terms bind this delivery"},
    "data_provenance": {"low": "the training data is not named", "info": "the training data is named"},
    "integrity": {"high": "files could not be read completely", "info": "every file was read and hashed"},
    "file_safety": {"block": "a file can run code when loaded", "high": "a file may run code when loaded",
                    "medium": "the scan could not verify a file", "info": "no file runs code when loaded"},
}


def _default_why(rule: str, level: str) -> str:
    """Why a level was chosen, for rules that do not say it themselves."""
    return f"{level}: " + _WHY.get(rule, {}).get(level, f"the {rule} rule sets {level} for this case")


def _unique(items: Any) -> tuple[Evidence, ...]:
    out: list[Evidence] = []
    for ev in items:
        if ev not in out:
            out.append(ev)
    return tuple(out)


def evaluate_with_files(scan: ScanResult, policy_path: Path | None = None,
                        checklist_dir: Path | None = None) -> list[dict[str, Any]]:
    """``evaluate`` with the policy and checklist read from the given files (defaults otherwise)."""
    return evaluate(scan, policy=load_policy(policy_path), checklist=load_checklist(firm_dir=checklist_dir))

