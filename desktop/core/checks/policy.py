"""The firm policy: company facts (users, revenue) and the rules that set finding levels."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from desktop import paths
from desktop.core.resource_yaml import load_resource


class PolicyError(ValueError):
    """A policy file that cannot be used, with the file and field named."""


@dataclass(frozen=True)
class Policy:
    name: str
    monthly_active_users: int | None
    annual_revenue: int | None
    revenue_currency: str
    commercial_purpose: bool
    research_only_fits: bool
    accepted_jurisdictions: tuple[str, ...]
    allowed_families: frozenset[str]
    approval_families: frozenset[str]
    banned_families: frozenset[str]
    unsafe_formats_acceptable: bool
    allow_self_approval: bool
    # Files the scanner could not verify (broken, truncated, over a budget, unknown layout) block
    # like unsafe ones unless the firm accepts them.
    unverified_files_acceptable: bool = False
    source: str = ""
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def family_status(self, family: str | None) -> str:
        """``allowed``, ``needs-approval``, ``banned`` or ``unlisted`` for a license family."""
        if not family:
            return "unlisted"
        if family in self.banned_families:
            return "banned"
        if family in self.approval_families:
            return "needs-approval"
        if family in self.allowed_families:
            return "allowed"
        return "unlisted"

    def accepts_jurisdiction(self, place: str | None) -> bool | None:
        """True/False when ``place`` names an accepted/other jurisdiction; None when unknown."""
        if not place or place == "not-stated":
            return None
        lowered = place.lower()
        return any(j.lower() in lowered for j in self.accepted_jurisdictions)


def default_policy_path() -> Path:
    return paths.resources_dir() / "policy" / "default.yaml"


def load_policy(path: Path | None = None) -> Policy:
    """Read a policy YAML (the default one when ``path`` is None)."""
    source = path or default_policy_path()
    try:
        data = load_resource(source.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise PolicyError(f"{source}: cannot be read as a policy ({exc})") from exc
    if not isinstance(data, dict):
        raise PolicyError(f"{source}: a policy must be a YAML mapping")
    company = data.get("company") or {}
    revenue = company.get("annual_revenue") or {}
    purpose = data.get("purpose") or {}
    families = data.get("families") or {}
    try:
        return Policy(
            name=str(data.get("name", source.stem)),
            monthly_active_users=_int_or_none(company.get("monthly_active_users")),
            annual_revenue=_int_or_none(revenue.get("amount")) if isinstance(revenue, dict) else None,
            revenue_currency=str(revenue.get("currency", "USD")) if isinstance(revenue, dict) else "USD",
            commercial_purpose=bool(purpose.get("commercial", True)),
            research_only_fits=bool(purpose.get("research_only_fits", False)),
            accepted_jurisdictions=tuple(str(j) for j in data.get("accepted_jurisdictions") or ()),
            allowed_families=frozenset(families.get("allowed") or ()),
            approval_families=frozenset(families.get("needs_approval") or ()),
            banned_families=frozenset(families.get("banned") or ()),
            unsafe_formats_acceptable=bool(data.get("unsafe_formats_acceptable", False)),
            allow_self_approval=bool(data.get("allow_self_approval", False)),
            unverified_files_acceptable=bool(data.get("unverified_files_acceptable", False)),
            source=str(source), raw=data,
        )
    except (TypeError, ValueError) as exc:
        raise PolicyError(f"{source}: {exc}") from exc


def _int_or_none(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"expected a number, got {value!r}")
    return int(value)
