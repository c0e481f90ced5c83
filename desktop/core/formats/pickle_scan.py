"""Static pickle scan: decode opcodes with pickletools' table, never unpickle, never import.

The walk mirrors ``pickletools.genops`` but reads through a bounded forward-only cursor and
skips (instead of loading) byte strings longer than 1 MiB.  A small stack emulation
(the real Unpickler's stack + metastack for MARK) resolves the module and name strings
``STACK_GLOBAL`` consumes, including through the memo (PUT/MEMOIZE then GET).
"""

from __future__ import annotations

import io
import pickletools
import struct
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from desktop.core.formats.pickle_policy import UNKNOWN, UNRESOLVED, UNSAFE, classify_global
from desktop.core.formats.streams import SequentialReader, Truncated, short
from desktop.core.results import FormatInfo, Problem

MAX_KEPT_BYTES = 64 << 20        # opcode bytes read and kept (skipped blobs do not count)
MAX_OPCODES = 5_000_000
MAX_ARG_BYTES = 1 << 20          # longer string/bytes arguments are skipped, not read
MAX_LINE = 64 * 1024
MAX_GLOBALS = 10_000
UNSAFE_PICKLE = "unsafe-pickle"
SUSPICIOUS = "pickle-suspicious"
BROKEN = "pickle-broken"
LIMIT = "pickle-scan-limit"

_K_PLAIN, _K_MARK, _K_POP, _K_GLOBAL, _K_STACK_GLOBAL, _K_EXT, _K_PUT, _K_STRING, _K_GET = range(9)
_KINDS = {"MARK": _K_MARK, "POP": _K_POP, "GLOBAL": _K_GLOBAL, "INST": _K_GLOBAL,
          "STACK_GLOBAL": _K_STACK_GLOBAL, "EXT1": _K_EXT, "EXT2": _K_EXT, "EXT4": _K_EXT,
          "PUT": _K_PUT, "BINPUT": _K_PUT, "LONG_BINPUT": _K_PUT, "MEMOIZE": _K_PUT,
          "GET": _K_GET, "BINGET": _K_GET, "LONG_BINGET": _K_GET}
_PREFIX = {-2: "<B", -3: "<i", -4: "<I", -5: "<Q"}          # length-prefixed argument kinds
_STRING_OPS = frozenset({"UNICODE", "SHORT_BINUNICODE", "BINUNICODE", "BINUNICODE8", "STRING",
                         "BINSTRING", "SHORT_BINSTRING"})
_MARK = pickletools.markobject
_OBJ = object()                   # any value the emulation does not track


@dataclass(frozen=True)
class _Op:
    """An opcode's stack effect, precomputed from pickletools' table."""

    name: str
    arg: pickletools.ArgumentDescriptor | None
    kind: int
    numtopop: int
    pops_mark: bool
    before_mark: int
    pushes: int


def _op(info: pickletools.OpcodeInfo) -> _Op:
    before = info.stack_before
    pops_mark = _MARK in before
    kind = _KINDS.get(info.name, _K_STRING if info.name in _STRING_OPS else _K_PLAIN)
    return _Op(info.name, info.arg, kind, len(before), pops_mark,
               before.index(_MARK) if pops_mark else 0, len(info.stack_after))


_OPS = {op.code.encode("latin-1"): _op(op) for op in pickletools.opcodes}


class _StopScan(Exception):
    pass


@dataclass
class PickleFindings:
    """Globals a scan found, in first-seen order, and why it stopped early (if it did)."""

    globals: dict[tuple[str, str], str] = field(default_factory=dict)   # (module, name) -> safety
    pickles: int = 0
    broken: str | None = None
    limit: str | None = None
    trailing_bytes: bool = False

    def add(self, module: str, name: str, resolved: bool = True) -> None:
        key = (module, name) if resolved else (UNRESOLVED, UNRESOLVED)
        if key not in self.globals and len(self.globals) < MAX_GLOBALS:
            self.globals[key] = classify_global(module, name, resolved)

    def merge(self, other: PickleFindings) -> None:
        for (module, name), safety in other.globals.items():
            if (module, name) not in self.globals and len(self.globals) < MAX_GLOBALS:
                self.globals[(module, name)] = safety
        self.pickles += other.pickles


class _ArgSource:
    """The file-like object pickletools' argument readers expect, over a SequentialReader."""

    def __init__(self, reader: SequentialReader) -> None:
        self.reader = reader
        self.skipped = 0

    def read(self, n: int) -> bytes:
        return self.reader.take(n)

    def readline(self) -> bytes:
        return self.reader.take_line(MAX_LINE)

    def read_arg(self, desc: pickletools.ArgumentDescriptor) -> Any:
        if desc.n not in _PREFIX:
            return desc.reader(self)
        fmt = _PREFIX[desc.n]
        prefix = self.read(struct.calcsize(fmt))
        (length,) = struct.unpack(fmt, prefix)
        if length < 0:
            raise ValueError(f"negative argument length {length}")
        if length > MAX_ARG_BYTES:
            self.reader.skip(length)
            self.skipped += length
            return _OBJ
        return desc.reader(io.BytesIO(prefix + self.read(length)))


class _Emulator:
    """Stack effects of one pickle, enough to know which strings STACK_GLOBAL receives."""

    def __init__(self, findings: PickleFindings) -> None:
        self.findings = findings
        self.stack: list[Any] = []
        self.metastack: list[list[Any]] = []
        self.memo: dict[Any, Any] = {}

    def step(self, op: _Op, arg: Any) -> None:
        kind, stack = op.kind, self.stack
        if kind == _K_MARK:
            self.metastack.append(stack)
            self.stack = []
            return
        numtopop = op.numtopop
        if op.pops_mark or (kind == _K_POP and not stack):
            if not self.metastack:
                raise ValueError(f"{op.name} without a MARK")
            stack = self.stack = self.metastack.pop()
            numtopop = op.before_mark
        if kind == _K_GLOBAL:
            module, _, attr = str(arg).partition(" ")
            self.findings.add(module, attr)
        elif kind == _K_STACK_GLOBAL:
            if len(stack) < 2:
                raise ValueError("STACK_GLOBAL with fewer than two stack items")
            module, attr = stack[-2], stack[-1]
            resolved = isinstance(module, str) and isinstance(attr, str)
            self.findings.add(module if resolved else UNRESOLVED, attr if resolved else UNRESOLVED,
                              resolved)
        elif kind == _K_EXT:
            self.findings.add(UNRESOLVED, UNRESOLVED, resolved=False)
        elif kind == _K_PUT:
            if not stack:
                raise ValueError(f"{op.name} with an empty stack")
            self.memo[len(self.memo) if op.name == "MEMOIZE" else arg] = stack[-1]
            return                      # storing into the memo leaves the stack as it is
        if numtopop:
            if len(stack) < numtopop:
                raise ValueError(f"{op.name} pops {numtopop} items from a stack of {len(stack)}")
            del stack[-numtopop:]
        if kind == _K_STRING:
            stack.append(arg if isinstance(arg, str) else _OBJ)
        elif kind == _K_GET:
            stack.append(self.memo.get(arg, _OBJ))
        elif op.pushes == 1:
            stack.append(_OBJ)
        elif op.pushes:
            stack.extend([_OBJ] * op.pushes)


def _scan_one(source: _ArgSource, findings: PickleFindings, budget: list[int]) -> bool:
    """Scan one pickle up to STOP; False when the stream was already at its end."""
    reader = source.reader
    emulator = _Emulator(findings)
    first = True
    while True:
        code = reader.take_upto(1)
        if not code:
            if first:
                return False
            raise Truncated(f"pickle ends at offset {reader.pos} without a STOP opcode")
        op = _OPS.get(code)
        if op is None:
            raise ValueError(f"unknown opcode {code!r} at offset {reader.pos - 1}")
        if first and findings.pickles > 0 and op.name != "PROTO":
            findings.trailing_bytes = True
            raise _StopScan
        first = False
        arg = source.read_arg(op.arg) if op.arg is not None else None
        emulator.step(op, arg)
        budget[0] -= 1
        if budget[0] < 0:
            findings.limit = f"more than {MAX_OPCODES} opcodes"
            raise _StopScan
        if reader.pos - source.skipped > MAX_KEPT_BYTES:
            findings.limit = f"more than {MAX_KEPT_BYTES >> 20} MiB of pickle data"
            raise _StopScan
        if op.name == "STOP":
            findings.pickles += 1
            return True


def scan_pickles(stream: BinaryIO, size: int) -> PickleFindings:
    """Scan every pickle in ``stream`` (one after another) and collect the globals they import."""
    findings = PickleFindings()
    source = _ArgSource(SequentialReader(stream, size))
    budget = [MAX_OPCODES]
    try:
        while _scan_one(source, findings, budget):
            pass
    except _StopScan:
        pass
    except (Truncated, ValueError, KeyError, IndexError, UnicodeDecodeError, struct.error,
            OverflowError, MemoryError, RecursionError) as exc:
        if findings.pickles == 0:
            findings.broken = short(str(exc) or type(exc).__name__, 200)
        else:
            findings.trailing_bytes = True
    return findings


def _listing(keys: list[tuple[str, str]], limit: int = 10) -> str:
    names = [f"{m}.{n}" if (m, n) != (UNRESOLVED, UNRESOLVED) else "an unresolvable global"
             for m, n in keys]
    text = ", ".join(short(n, 100) for n in names[:limit])
    return text + (f" and {len(names) - limit} more" if len(names) > limit else "")


def findings_metadata(findings: PickleFindings) -> dict[str, Any]:
    """The ``globals``/``unsafe``/``unknown`` metadata of a scan."""
    items = [{"module": m, "name": n, "safety": s} for (m, n), s in findings.globals.items()]
    return {"globals": items,
            "unsafe": sum(1 for s in findings.globals.values() if s == UNSAFE),
            "unknown": sum(1 for s in findings.globals.values() if s == UNKNOWN)}


def findings_problems(findings: PickleFindings, name: str) -> list[Problem]:
    """Problems for unsafe/unknown globals, a broken stream or a scan that hit a limit."""
    problems = []
    unsafe = [k for k, s in findings.globals.items() if s == UNSAFE]
    unknown = [k for k, s in findings.globals.items() if s == UNKNOWN]
    if unsafe:
        problems.append(Problem(UNSAFE_PICKLE, f"{name}: pickle imports {_listing(unsafe)}, which can "
                                               "run code or touch the system when loaded"))
    if unknown:
        problems.append(Problem(SUSPICIOUS, f"{name}: pickle imports {_listing(unknown)}, not on the "
                                            "allow-list (needs review)"))
    if findings.broken:
        problems.append(Problem(BROKEN, f"{name}: pickle stream is broken ({findings.broken})"))
    if findings.limit:
        problems.append(Problem(LIMIT, f"{name}: pickle scan stopped after {findings.limit}; "
                                       "later content was not checked"))
    return problems


def read_pickle(stream: BinaryIO, size: int, name: str) -> FormatInfo:
    """Scan a bare pickle stream (legacy PyTorch, joblib, .pkl) without unpickling it."""
    findings = scan_pickles(stream, size)
    metadata = findings_metadata(findings)
    metadata["pickles"] = findings.pickles
    if findings.trailing_bytes:
        metadata["trailing_bytes"] = True
    return FormatInfo(format="pickle", metadata=metadata, problems=findings_problems(findings, name))
