"""Small helpers shared by the obligation readers: keys, evidence picked by words, labels."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from desktop.core.obligations.register import Basis, Kind, basis_of


def key_of(kind: Kind, license_key: str | None, detail: str = "") -> str:
    """An obligation's key, stable within a review: ``kind:license:detail``."""
    slug = re.sub(r"[^a-z0-9]+", "-", detail.lower()).strip("-")[:80]
    return ":".join(p for p in (str(kind), license_key or "unidentified", slug) if p)


def dedupe(evidence: tuple[dict[str, Any], ...]) -> tuple[dict[str, Any], ...]:
    """Evidence without repeats, and without a quote that a longer quote of the same file holds."""
    def words(e: dict[str, Any]) -> str:
        return " ".join(str(e.get("quote") or "").lower().split())

    kept: list[dict[str, Any]] = []
    for e in evidence:
        same_file = [o for o in evidence if o.get("path") == e.get("path")]
        if any(words(e) and words(e) in words(o) and len(words(o)) > len(words(e)) for o in same_file):
            continue
        if not any(k.get("path") == e.get("path") and words(k) == words(e) for k in kept):
            kept.append(e)
    return tuple(kept)


def evidence_of(finding: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A finding's evidence dicts (copies)."""
    return [dict(e) for e in finding.get("evidence") or [] if isinstance(e, Mapping)]


def quoting(evidence: list[dict[str, Any]], *words: str) -> list[dict[str, Any]]:
    """Evidence whose quote holds any of ``words`` (case-insensitive)."""
    return [e for e in evidence if any(w.lower() in str(e.get("quote") or "").lower() for w in words if w)]


def reference_note(license_key: str | None, evidence: list[dict[str, Any]]) -> str:
    """The label of a duty only the reference library's text shows ("" when a delivered file does)."""
    if basis_of(evidence) is Basis.REFERENCE:
        return (f" (From the reference text of {license_key}, the base model's license: the delivered files "
                "do not state it.)")
    return ""
