"""The obligations register's vocabulary: kinds, statuses and one :class:`Obligation`, defined once.

An obligation is one thing approving a review commits the company to (ship a NOTICE file, display
an attribution phrase, watch a user threshold ...), each with the evidence it was read from.  The
CLI, the store, the window and the memo all use these types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    """What kind of duty an obligation is (the register's order: model terms first)."""

    NOTICE_FILE = "notice_file"            # keep and ship a NOTICE file, with its exact text
    ATTRIBUTION = "attribution"            # display an attribution phrase
    NAME_PREFIX = "name_prefix"            # derivative model names begin with a prefix
    MODIFIED_FILES = "modified_files"      # mark files the company changes
    USE_POLICY = "use_policy"              # follow the use restrictions, pass them on downstream
    USE_LIMIT = "use_limit"                # non-commercial / research-only terms
    REGISTRATION = "registration"          # register before commercial use
    THRESHOLD = "threshold"                # monitor users or revenue against a threshold
    OUTPUT_USE = "output_use"              # restrictions on using outputs
    TERRITORY = "territory"                # where the model may not be deployed
    COMPONENT = "component_license"        # notices and license texts of third-party components

KIND_TITLES = {
    Kind.NOTICE_FILE: "Notice file", Kind.ATTRIBUTION: "Attribution", Kind.NAME_PREFIX: "Model name",
    Kind.USE_POLICY: "Use restrictions", Kind.USE_LIMIT: "Permitted use", Kind.REGISTRATION: "Registration",
    Kind.THRESHOLD: "Threshold", Kind.OUTPUT_USE: "Use of outputs", Kind.TERRITORY: "Territory",
    Kind.MODIFIED_FILES: "Modified files", Kind.COMPONENT: "Component license",
}


class Status(StrEnum):
    """The reviewer's status of an obligation."""

    OPEN = "open"                          # not yet looked at
    ACCEPTED = "accepted"                  # the company takes it on (an owner does it)
    NOT_APPLICABLE = "not-applicable"      # does not apply to this use; a reason is required


STATUS_TITLES = {Status.OPEN: "Open", Status.ACCEPTED: "Accepted", Status.NOT_APPLICABLE: "Not applicable"}


class Basis(StrEnum):
    """Where an obligation's evidence comes from (never more than the delivered bytes show)."""

    DELIVERED = "delivered"    # at least one quote is in a delivered file
    REFERENCE = "reference"    # only the reference library's text of the license says it
    NONE = "none"              # no quote could be cited


def basis_of(evidence: list[dict[str, Any]] | tuple[dict[str, Any], ...]) -> Basis:
    """:class:`Basis` of a list of evidence dicts (the scan-JSON form)."""
    origins = {str(e.get("origin") or "delivered") for e in evidence if isinstance(e, dict)}
    if "delivered" in origins:
        return Basis.DELIVERED
    if "reference" in origins:
        return Basis.REFERENCE
    return Basis.NONE


@dataclass(frozen=True)
class Obligation:
    """One duty read from the delivered terms, with the evidence (scan-JSON dicts) it cites."""

    key: str                               # stable within a review: kind, license and detail
    kind: Kind
    license_key: str | None
    text: str                              # what the company must do, in one or two sentences
    evidence: tuple[dict[str, Any], ...] = field(default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", Kind(self.kind))
        if not self.key or len(self.key) > 200:
            raise ValueError(f"an obligation key must have 1 to 200 characters: {self.key!r}")

    @property
    def basis(self) -> Basis:
        return basis_of(self.evidence)

    def to_json(self) -> dict[str, Any]:
        """The derived part of a register row (the store adds owner, status and who decided)."""
        return {"key": self.key, "kind": str(self.kind), "license": self.license_key, "text": self.text,
                "basis": str(self.basis), "evidence": [dict(e) for e in self.evidence]}
