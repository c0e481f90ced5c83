"""What the rules look at: the scan, the policy, the knowledge base, lineage and clauses."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from desktop.core.checks.clauses import Clause, entry_clauses
from desktop.core.checks.knowledge import LicenseFacts
from desktop.core.checks.lineage import Lineage, extract_lineage
from desktop.core.checks.policy import Policy
from desktop.core.evidence import (Evidence, EvidenceMismatch, Origin, lines_of, locate, normalise,
                                   normalised_text)
from desktop.core.results import FileEntry, ScanResult

MODEL_TEXT_ROLES = frozenset({"license", "agreement", "model_card", "docs", "notice"})
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

    ordered: list[FileEntry] = field(default_factory=list)
    memo: dict[Any, Any] = field(default_factory=dict)   # per-scan cache of derived readings

    @property
    def files(self) -> list[FileEntry]:
        """The delivered files in a canonical order (by path inside the delivery's top folder)."""
        return self.ordered or self.scan.files

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

    def evidence_for(self, hit: LicenseHit, quote: str | None = None) -> Evidence:
        """Evidence in the delivered file of ``hit``: the quote's own lines when it is there.

        Without a quote, the license as the file states it: what was written (a declaration, a
        notice line), the license's name, or else the first line of its span, always a line that
        is in the file.  A quote that is not in the file is not cited as the file's.
        """
        entry = self.entry(hit.path)
        if quote and (entry is None or not (entry.text or entry.pages)):
            return Evidence.observed(hit.path, quote)  # metadata the scanner read; no text kept to quote
        if quote:
            for candidate in (quote, re.split(r"\s=\s|:\s", quote)[-1]):
                located = self.locate(hit.path, candidate)
                if located is not None:
                    return located
            return Evidence(hit.path, None, "", Origin.DELIVERED,
                            note=f"the quoted words are not in {hit.path}, so none are shown")
        within = _span(hit.span)
        written = str(hit.raw.get("written") or "")
        for candidate in (written, *reversed(written.split(": ")), hit.name):
            if candidate:
                found = self.locate(hit.path, str(candidate), within) or (
                    self.locate(hit.path, str(candidate)) if within is None else None)
                if found is not None:
                    return found
        if entry is not None and entry.text and within is not None:
            for n in range(within[0], within[1] + 1):
                line = lines_of(entry.text, (n, n)).strip()
                if line:
                    return Evidence.found(hit.path, entry.text, (n, n), line[:200].strip())
        if entry is not None and entry.pages:
            first = hit.span.get("pages", [1])[0]
            page = entry.pages[first - 1] if 0 < first <= len(entry.pages) else ""
            line = next((x.strip() for x in page.split("\n") if x.strip()), "")
            if line:
                return Evidence.on_page(hit.path, entry.pages, first, line[:200].strip())
        return Evidence.observed(hit.path, f"{hit.name} ({hit.source})")

    def locate(self, path: str, quote: str, within: tuple[int, int] | None = None) -> Evidence | None:
        """Evidence for ``quote`` where it occurs in the delivered file ``path`` (inside ``within``)."""
        entry = self.entry(path)
        if entry is None or not quote.strip():
            return None
        if entry.pages is not None:
            wanted = normalise(quote)
            for n in range(1, len(entry.pages) + 1):
                if wanted in normalised_text(entry.pages[n - 1]):
                    return Evidence.on_page(path, entry.pages, n, quote)
            return None
        if not entry.text:
            return None
        span = locate(entry.text, quote, within)
        return Evidence.found(path, entry.text, span, quote) if span else None

    def ground(self, item: Evidence | dict[str, Any], license_key: str | None = None) -> Evidence:
        """Evidence that holds: a rule's evidence checked against the delivered file it cites.

        A quote outside its cited lines is moved to the lines that hold it; a quote that is not in the
        file at all is cited as the reference text's (when the knowledge base quotes it for
        ``license_key``) or dropped, keeping only the file.
        """
        if isinstance(item, Evidence):
            return item
        path = str(item.get("path") or "")
        quote = str(item.get("quote") or "")
        about = tuple((k, v) for k, v in item.items()
                      if k not in ("path", "lines", "pages", "quote", "origin", "note"))
        lines = item.get("lines")
        pages = item.get("pages")
        if path.startswith("reference:") or item.get("origin") == Origin.REFERENCE:
            ev = Evidence.reference(path.removeprefix("reference:"), tuple(lines) if lines else None, quote)
            return _with(ev, about)
        if item.get("origin") == Origin.SCAN:
            return _with(Evidence.observed(path, str(item.get("note") or quote)), about)
        entry = self.entry(path)
        if entry is None or not (entry.text or entry.pages):
            return _with(Evidence.observed(path, quote), about)
        if not quote:
            return _with(Evidence(path, tuple(lines) if lines else None, "", Origin.DELIVERED,
                                  pages=tuple(pages) if pages else None), about)
        if entry.pages is not None and pages:
            try:
                return _with(Evidence.on_page(path, entry.pages, int(pages[0]), quote), about)
            except EvidenceMismatch:
                pass
        elif entry.text and lines:
            try:
                return _with(Evidence.found(path, entry.text, (int(lines[0]), int(lines[1])), quote), about)
            except EvidenceMismatch:
                pass
        found = self.locate(path, quote)
        if found is not None:
            return _with(found, about)
        facts = self.facts(license_key)
        if facts is not None:
            for fact in facts.facts.values():
                for ev in fact.evidence:
                    if ev.source == "text" and normalise(ev.quote) == normalise(quote):
                        return _with(Evidence.reference(facts.key, ev.lines, quote), about)
        return _with(Evidence(path, None, "", Origin.DELIVERED,
                              note=f"a quote was dropped: it is not in {path}"), about)


def _span(span: dict[str, Any]) -> tuple[int, int] | None:
    lines = span.get("lines")
    return (int(lines[0]), int(lines[1])) if lines else None


def _with(ev: Evidence, about: tuple[tuple[str, Any], ...]) -> Evidence:
    return replace(ev, about=about) if about else ev


def build_context(scan: ScanResult, policy: Policy, knowledge: dict[str, LicenseFacts]) -> ReviewContext:
    """Flatten the scan's license entries and extract clauses from license-bearing texts."""
    hits = []
    prefix = top_folder(scan.files)
    ordered = sorted(scan.files, key=lambda f: f.path.removeprefix(prefix))
    for entry in ordered:
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
    for entry in ordered:  # a license file nothing could name is still terms to read
        if entry.role in ("license", "agreement") and (entry.text or entry.pages) and \
                not any(lic.get("source", "text") == "text" for lic in entry.licenses):
            lines = (entry.text or "").count("\n") + 1
            span = {"pages": [1, len(entry.pages)]} if entry.pages else {"lines": [1, lines]}
            hits.append(LicenseHit(path=entry.path, role=entry.role, key=None, family=None,
                                   name="unidentified license text", source="text",
                                   status="needs-identification", modified=False, span=span, raw={}))
    clauses = {}
    for entry in scan.files:
        found = entry.clauses if entry.clauses is not None else entry_clauses(entry)  # found while scanning
        if found is not None:
            clauses[entry.path] = found
    name = scan.source_path.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    name = prefix.rstrip("/") or re.sub(r"(?i)\.(?:zip|tar|tgz|tar\.gz|tar\.bz2|tar\.xz|7z)$", "", name)
    return ReviewContext(scan, policy, knowledge, extract_lineage(ordered, name), hits, clauses, ordered)


def top_folder(files: list[FileEntry]) -> str:
    """The one folder every delivered file sits in (an archive's top folder, with "/"), else ''."""
    tops = {f.path.split("/", 1)[0] for f in files}
    if len(tops) == 1 and all("/" in f.path for f in files):
        return next(iter(tops)) + "/"
    return ""



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
