"""What the rules look at: the scan, the policy, the knowledge base, lineage and clauses."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from desktop.core.checks.clauses import Clause, extract_clauses
from desktop.core.checks.knowledge import LicenseFacts
from desktop.core.checks.lineage import Lineage, extract_lineage
from desktop.core.checks.policy import Policy
from desktop.core.results import FileEntry, ScanResult

MODEL_TEXT_ROLES = frozenset({"license", "agreement", "model_card", "docs", "notice"})
CLAUSE_ROLES = frozenset({"license", "agreement", "notice", "model_card"})
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class LicenseHit:
    """One license found in one file (any source), flattened for the rules."""

    path: str
    role: str
    key: str | None
    family: str | None
    name: str
    source: str
    status: str
    modified: bool
    span: dict[str, Any]
    raw: dict[str, Any]

    @property
    def identified(self) -> bool:
        return self.key is not None and self.status != "needs-identification"


@dataclass
class ReviewContext:
    scan: ScanResult
    policy: Policy
    knowledge: dict[str, LicenseFacts]
    lineage: Lineage
    hits: list[LicenseHit]
    clauses: dict[str, list[Clause]] = field(default_factory=dict)

    @property
    def files(self) -> list[FileEntry]:
        return self.scan.files

    def entry(self, path: str) -> FileEntry | None:
        for f in self.scan.files:
            if f.path == path:
                return f
        return None

    def facts(self, key: str | None) -> LicenseFacts | None:
        return self.knowledge.get(key) if key else None

    def text_hits(self) -> list[LicenseHit]:
        """Licenses found as full texts (not tags or declarations) in license-bearing files."""
        return [h for h in self.hits if h.source == "text" and h.role in MODEL_TEXT_ROLES]

    def model_hits(self) -> list[LicenseHit]:
        """Licenses that speak for the model: texts and notices outside code, and declarations."""
        return [h for h in self.hits if h.role != "code"]

    def declared_hits(self) -> list[LicenseHit]:
        return [h for h in self.hits if h.source == "declared"]

    def has_weights(self) -> bool:
        return any(f.role == "weights" for f in self.scan.files)

    def evidence_for(self, hit: LicenseHit, quote: str | None = None) -> dict[str, Any]:
        """Evidence pointing into the delivered file: the quote's own lines when it can be found."""
        item: dict[str, Any] = {"path": hit.path}
        entry = self.entry(hit.path)
        located = locate_quote(entry, quote) if (entry is not None and quote) else None
        if located is not None:
            item.update(located)
        else:
            item.update(hit.span)
        item["quote"] = quote or hit.name
        return item


def build_context(scan: ScanResult, policy: Policy, knowledge: dict[str, LicenseFacts]) -> ReviewContext:
    """Flatten the scan's license entries and extract clauses from license-bearing texts."""
    hits = []
    for entry in scan.files:
        for lic in entry.licenses:
            span = {k: lic[k] for k in ("lines", "pages") if lic.get(k)}
            key = lic.get("key")
            facts = knowledge.get(key) if key else None
            hits.append(LicenseHit(
                path=entry.path, role=entry.role, key=key,
                family=lic.get("family") or (facts.family if facts else None),
                name=str(lic.get("name") or (facts.name if facts else key) or "unidentified license text"),
                source=str(lic.get("source", "text")), status=str(lic.get("status", "identified")),
                modified=bool(lic.get("modified")), span=span, raw=lic))
    for entry in scan.files:  # a license file nothing could name is still terms to read
        if entry.role in ("license", "agreement") and (entry.text or entry.pages) and \
                not any(lic.get("source", "text") == "text" for lic in entry.licenses):
            lines = (entry.text or "").count("\n") + 1
            span = {"pages": [1, len(entry.pages)]} if entry.pages else {"lines": [1, lines]}
            hits.append(LicenseHit(path=entry.path, role=entry.role, key=None, family=None,
                                   name="unidentified license text", source="text",
                                   status="needs-identification", modified=False, span=span, raw={}))
    clauses = {}
    for entry in scan.files:
        if entry.role in CLAUSE_ROLES and (entry.text or entry.pages):
            clauses[entry.path] = extract_clauses(entry.text if entry.pages is None else None,
                                                  pages=entry.pages)
    name = scan.source_path.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    return ReviewContext(scan, policy, knowledge, extract_lineage(scan.files, name), hits, clauses)


def locate_quote(entry: FileEntry, quote: str) -> dict[str, Any] | None:
    """Lines (or page) of ``entry`` that contain ``quote``, whitespace-insensitively."""
    wanted = _SPACE.sub(" ", quote).strip().lower()
    if not wanted:
        return None
    if entry.pages is not None:
        for n, page in enumerate(entry.pages, 1):
            if wanted in _SPACE.sub(" ", page).lower():
                return {"pages": [n, n]}
        return None
    if not entry.text:
        return None
    joined, starts = _flattened(entry.text)
    at = joined.find(wanted)
    if at < 0:
        return None
    first = bisect.bisect_right(starts, at) - 1
    last = bisect.bisect_left(starts, at + len(wanted)) - 1
    return {"lines": [first + 1, max(first, last) + 1]}


@lru_cache(maxsize=8)
def _flattened(text: str) -> tuple[str, list[int]]:
    """The text's lines with runs of whitespace as one space, joined by spaces, and where each starts.

    Cached: one file is searched for every quote of the facts that cite it.
    """
    flat, starts = [], []
    pos = 0
    for line in text.split("\n"):
        piece = _SPACE.sub(" ", line).strip().lower()
        starts.append(pos)
        flat.append(piece)
        pos += len(piece) + 1
    return " ".join(flat), starts
