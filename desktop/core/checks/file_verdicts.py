"""Per-file code-safety verdicts: ``safe``, ``unsafe`` (a global named) or ``unverified`` (a reason).

A file that a loader could unpickle (a bare pickle, a PyTorch zip, a NumPy array) is ``safe``
only when its reader parsed every pickle stream in it and every global was on the allow-list;
the readers record that as ``metadata["verdict"]``.  A missing verdict, a reader failure or
a file cut short by a limit leaves it ``unverified``: it fails closed, never open.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from desktop.core.formats.pickle_policy import is_known_dangerous
from desktop.core.results import FileEntry

UNSAFE_CODES = frozenset({"unsafe-pickle", "keras-lambda"})
# Delivery problems that leave members unlisted or unread: the delivery cannot be "safe" then.
INCOMPLETE_CODES = frozenset({"too-many-members", "time-limit", "size-limit", "ratio-limit", "nesting-too-deep",
                              "corrupt-archive", "truncated-archive", "unreadable", "encrypted",
                              "unsupported-compression", "nested-too-large", "spool-failed"})
_NOT_FILES = frozenset({"dir", "symlink", "hardlink", "device", "other"})
UNVERIFIED_CODES = frozenset({"pickle-broken", "pickle-scan-limit", "pickle-unverified", "pytorch-zip-broken"})
PICKLE_FORMATS = frozenset({"pickle", "pytorch-zip", "numpy"})


class Verdict(StrEnum):
    SAFE = "safe"
    UNSAFE = "unsafe"
    UNVERIFIED = "unverified"
    NOT_APPLICABLE = "not-applicable"      # a format no loader unpickles (safetensors, text, ...)


@dataclass(frozen=True)
class FileVerdict:
    """One file's verdict with the globals that make it unsafe or the reasons it is unverified."""

    path: str
    verdict: Verdict
    globals: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "verdict": str(self.verdict), "globals": list(self.globals),
                "reasons": list(self.reasons)}


def _unsafe_globals(entry: FileEntry) -> tuple[str, ...]:
    """The globals off the allow-list, those known to run code first (at most 50)."""
    found = [(str(g.get("module")), str(g.get("name"))) for g in entry.metadata.get("globals") or []
             if isinstance(g, dict) and g.get("safety") != "safe"]
    found.sort(key=lambda k: not is_known_dangerous(*k))
    return tuple(f"{m}.{n}" for m, n in found[:50])


def file_verdict(entry: FileEntry) -> FileVerdict:
    """The verdict for one scanned file (see the module docstring)."""
    codes = {p.code for p in entry.problems}
    if codes & UNSAFE_CODES:
        found = _unsafe_globals(entry) or tuple(p.message for p in entry.problems if p.code in UNSAFE_CODES)
        return FileVerdict(entry.path, Verdict.UNSAFE, globals=found)
    recorded = entry.metadata.get("verdict")
    reasons = [str(r) for r in entry.metadata.get("unverified_reasons") or []]
    reasons += [p.message for p in entry.problems if p.code in UNVERIFIED_CODES and p.message not in reasons]
    if recorded == Verdict.UNSAFE:
        return FileVerdict(entry.path, Verdict.UNSAFE, globals=_unsafe_globals(entry))
    if entry.format in PICKLE_FORMATS:
        if recorded == Verdict.SAFE and not reasons and entry.sha256 is not None:
            if entry.format == "numpy" and not entry.metadata.get("object") \
                    and not entry.metadata.get("object_arrays"):
                return FileVerdict(entry.path, Verdict.NOT_APPLICABLE)     # plain arrays: no pickle
            return FileVerdict(entry.path, Verdict.SAFE)
        if not reasons:
            reasons = [p.message for p in entry.problems] or [
                "the file was not read completely, so its pickle streams were not all parsed"]
        return FileVerdict(entry.path, Verdict.UNVERIFIED, reasons=tuple(reasons[:10]))
    if recorded == Verdict.UNVERIFIED or reasons:
        return FileVerdict(entry.path, Verdict.UNVERIFIED, reasons=tuple(reasons[:10]))
    if entry.sha256 is None and entry.format not in _NOT_FILES:
        why = [p.message for p in entry.problems] or ["the file could not be read"]
        return FileVerdict(entry.path, Verdict.UNVERIFIED, reasons=tuple(why[:10]))
    return FileVerdict(entry.path, Verdict.NOT_APPLICABLE)


def delivery_verdicts(files: list[FileEntry], source: str = "", problems: list[Any] | None = None
                      ) -> list[FileVerdict]:
    """Verdicts of every file a loader could unpickle or that a reader marked unsafe/unverified,
    plus one ``unverified`` verdict for the delivery itself when members were left unlisted or unread."""
    verdicts = [v for v in map(file_verdict, files) if v.verdict != Verdict.NOT_APPLICABLE]
    incomplete = [p.message for p in problems or () if p.code in INCOMPLETE_CODES]
    if incomplete:
        verdicts.append(FileVerdict(source or "(delivery)", Verdict.UNVERIFIED, reasons=tuple(incomplete[:10])))
    return verdicts
