"""``aireview scan PATH [--json]``: inventory, hashes, model files and licenses of a delivery."""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from desktop.cli.output import TerminalProgress, fail, human_size, print_json
from desktop.core.checks.checklist import ChecklistError
from desktop.core.checks.policy import PolicyError
from desktop.core.intake.base import UnusableInput
from desktop.core.jobs import Cancelled
from desktop.core.results import ScanResult


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("scan", help="scan a model folder, archive or agreement")
    p.add_argument("path", type=Path, help="folder, .zip/.tar*, PDF, DOCX or single file")
    p.add_argument("--json", action="store_true", help="print the aireview.scan/1 JSON document")
    p.add_argument("--firm-dir", type=Path, help="firm reference library folder")
    p.add_argument("--no-licenses", action="store_true", help="skip license identification")
    p.add_argument("--no-findings", action="store_true", help="skip the checklist rules")
    p.add_argument("--policy", type=Path, help="firm policy YAML (default: the bundled policy)")
    p.add_argument("--checklist-dir", type=Path, help="firm checklist folder")
    p.add_argument("--workers", type=int, default=0, help="hashing threads (default: one per core)")
    p.set_defaults(func=run)


def run(ns: argparse.Namespace) -> int:
    from desktop import paths
    from desktop.core.scan import scan_path
    from desktop.core.settings import load_settings

    if ns.policy is not None and not ns.policy.is_file():
        return fail(ns.policy, "policy file not found")
    # The saved settings give the firm's policy, checklist and texts (as in the window); flags win.
    options = load_settings(paths.data_dir()).scan_options(
        workers=ns.workers, identify=not ns.no_licenses, findings=not ns.no_findings,
        firm_dir=ns.firm_dir, policy=ns.policy, checklist_dir=ns.checklist_dir)
    progress = TerminalProgress()
    try:
        result = scan_path(ns.path, report=progress, options=options)
    except UnusableInput as exc:
        progress.close()
        return fail(exc.path, exc.reason)
    except (PolicyError, ChecklistError) as exc:
        progress.close()
        return fail(options.policy or options.checklist_dir, str(exc))
    except (Cancelled, KeyboardInterrupt):
        progress.close()
        return fail(ns.path, "scan cancelled", 130)
    progress.close()
    if ns.json:
        print_json(result.to_json())
    else:
        print_summary(result)
    return 0


def print_summary(result: ScanResult) -> None:
    """A readable report: totals, components, files with role and license, problems."""
    print(f"Delivery   {result.source_path} ({result.source_kind})")
    print(f"Fingerprint {result.fingerprint}")
    print(f"Files      {len(result.files)}, {human_size(result.total_bytes)}, "
          f"scanned in {result.seconds:.2f} s")
    print("\nComponents")
    for c in result.components:
        print(f"  {c.name:<42} {len(c.files):>6} files {human_size(c.bytes):>10}")
    roles = Counter(f.role for f in result.files)
    print("\nRoles      " + ", ".join(f"{r} {n}" for r, n in sorted(roles.items())))
    licensed = [f for f in result.files if f.licenses]
    if licensed:
        print("\nLicenses")
        for f in licensed:
            names = "; ".join(_license_label(m) for m in f.licenses)
            print(f"  {f.path}: {names}")
    problems = [(f.path, p) for f in result.files for p in f.problems]
    problems += [(result.source_path, p) for p in result.problems]
    if problems:
        print(f"\nProblems ({len(problems)})")
        for _path, p in problems:
            print(f"  [{p.code}] {p.message}")
    if result.findings:
        print(f"\nFindings ({len(result.findings)})")
        for finding in result.findings:
            print(f"  [{finding.get('level')}] {finding.get('check')}: {finding.get('summary')}")


def _license_label(match: dict[str, object]) -> str:
    name = match.get("name") or match.get("key") or f"needs identification (near {match.get('nearest')})"
    extra = " (modified)" if match.get("modified") else ""
    return f"{name}{extra} [{match.get('source')}]"
