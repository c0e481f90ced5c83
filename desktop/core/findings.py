"""The findings vocabulary, defined once: levels, check ids and the Finding dataclass.

Light on purpose (no rules, no knowledge base): the CLI, the store, the UI and the memo import it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from collections.abc import Mapping
from typing import Any

from desktop.core.evidence import Evidence


class Level(StrEnum):
    """How serious a finding is, most serious first."""

    BLOCK = "block"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"


class CheckId(StrEnum):
    """The rules the engine runs (a checklist item names one with ``rule``)."""

    WEIGHTS_COVERAGE = "weights_coverage"
    USE_RESTRICTIONS = "use_restrictions"
    JURISDICTION = "jurisdiction"
    DERIVATIVE_STATUS = "derivative_status"
    COMMERCIAL_USE = "commercial_use"
    OUTPUT_USE = "output_use"
    ATTRIBUTION = "attribution"
    DATA_PROVENANCE = "data_provenance"
    FILE_SAFETY = "file_safety"
    INTEGRITY = "integrity"
    DECLARED_VS_DETECTED = "declared_vs_detected"
    OPENNESS = "openness"


LEVELS = tuple(str(level) for level in Level)
NOT_STATED = "not-stated"


@dataclass(frozen=True)
class Finding:
    """One finding: the check (checklist item id), its level, a summary, facts and grounded evidence."""

    check: str
    level: Level
    summary: str
    facts: dict[str, Any]
    evidence: tuple[Evidence, ...]
    why: str = ""                                  # the policy rule or threshold that set the level
    rule: CheckId | None = field(default=None)

    def __post_init__(self) -> None:
        object.__setattr__(self, "level", Level(self.level))
        if not all(isinstance(e, Evidence) for e in self.evidence):
            raise TypeError("finding evidence must be Evidence objects")

    @classmethod
    def from_json(cls, item: Mapping[str, Any]) -> Finding:
        """A finding from its scan-JSON form (the store's rows, a saved scan); raises ValueError for
        a level that is not one of :class:`Level`."""
        check = str(item.get("check") or "")
        evidence = tuple(Evidence.from_json(e) for e in item.get("evidence") or [] if isinstance(e, Mapping))
        rule = CheckId(check) if check in CheckId.__members__.values() else None
        return cls(check, Level(str(item.get("level") or "info")), str(item.get("summary") or ""),
                   dict(item.get("facts") or {}), evidence, str(item.get("why") or ""), rule)

    def to_json(self) -> dict[str, Any]:
        """The scan-JSON form (check, level, summary, facts, evidence, why)."""
        return {"check": self.check, "level": str(self.level), "summary": self.summary, "facts": self.facts,
                "evidence": [e.to_json() for e in self.evidence], "why": self.why}
