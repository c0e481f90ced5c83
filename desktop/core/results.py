"""Plain data produced by a scan: problems, files, components and the whole result."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SCAN_SCHEMA = "aireview.scan/1"

ROLES = (
    "weights", "tokenizer", "config", "code", "license", "notice", "model_card",
    "agreement", "data", "docs", "archive", "other",
)


@dataclass(frozen=True)
class Problem:
    """Something wrong with an input: a stable machine code and a sentence naming the cause."""

    code: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


@dataclass
class FormatInfo:
    """What a model-file or document reader learned about one file."""

    format: str
    metadata: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # Text pages of documents (PDF pages; DOCX as one page of paragraphs), else None.
    pages: list[str] | None = None


@dataclass(slots=True)
class FileEntry:
    """One file of a delivery: identity, role, format facts and what was found in it."""

    path: str
    size: int
    sha256: str | None
    role: str = "other"
    format: str = "unknown"
    metadata: dict[str, Any] = field(default_factory=dict)
    licenses: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Text kept for license identification and evidence (not part of the JSON).
    text: str | None = field(default=None, repr=False, compare=False)
    pages: list[str] | None = field(default=None, repr=False, compare=False)
    # Clauses of a license-bearing text, found while scanning (not part of the JSON).
    clauses: list[Any] | None = field(default=None, repr=False, compare=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "size": self.size,
            "sha256": self.sha256,
            "role": self.role,
            "format": self.format,
            "metadata": self.metadata,
            "licenses": self.licenses,
            "problems": [p.to_json() for p in self.problems],
        }


@dataclass
class Component:
    """A group of files as a reviewer thinks of them (the model, code, data, ...)."""

    kind: str
    name: str
    files: list[str]
    bytes: int

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name, "files": self.files,
                "file_count": len(self.files), "bytes": self.bytes}


@dataclass
class ScanResult:
    """Everything ``aireview scan`` reports about one delivery."""

    source_path: str
    source_kind: str
    fingerprint: str
    files: list[FileEntry]
    components: list[Component]
    problems: list[Problem] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)
    # third-party component licenses (notices, LICENSES/, appended texts): component, license, where stated
    license_components: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def total_bytes(self) -> int:
        return sum(f.size for f in self.files)

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": SCAN_SCHEMA,
            "source": {"path": self.source_path, "kind": self.source_kind,
                       "problems": [p.to_json() for p in self.problems]},
            "fingerprint": self.fingerprint,
            "files": [f.to_json() for f in self.files],
            "components": [c.to_json() for c in self.components],
            "findings": self.findings,
            "license_components": self.license_components,
            "stats": {"files": len(self.files), "bytes": self.total_bytes,
                      "seconds": round(self.seconds, 3)},
        }
