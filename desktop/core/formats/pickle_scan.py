"""Static pickle scan: decode opcodes the way CPython's Unpickler reads them, never unpickle.

The walk uses pickletools' opcode table but reads arguments like ``pickle._Unpickler`` does
(``int(x, 0)`` literals, lines of any length, strings with or without quotes) through a
bounded forward-only cursor, and skips (instead of loading) byte strings over 1 MiB.  A small
stack emulation (stack + metastack for MARK, memo for PUT/MEMOIZE/GET) resolves the module
and name strings ``STACK_GLOBAL`` consumes.

Every scan ends in a verdict (see :func:`verdict`): ``safe`` only when every pickle in the
stream was parsed to its STOP and every global is on the allow-list; ``unsafe`` when a global
off the allow-list is imported (named); ``unverified`` (with the reasons) otherwise.
"""

from __future__ import annotations

import io
import lzma
import pickletools
import re
import struct
import zlib
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from desktop.core.formats.compressed import (
    MAX_DECOMPRESSED,
    Prefixed,
    compression_of,
    decompressed_head,
    open_decompressed,
)
from desktop.core.formats.pickle_policy import (
    SAFE,
    UNRESOLVED,
    UNSAFE,
    classify_global,
    is_known_dangerous,
)
from desktop.core.formats.streams import SequentialReader, Truncated, short
from desktop.core.results import FormatInfo, Problem

MAX_KEPT_BYTES = 64 << 20        # opcode bytes read and kept (skipped blobs do not count)
MAX_OPCODES = 2_000_000         # a state dict spends ~30 per tensor
MAX_ARG_BYTES = 1 << 20          # longer string/bytes arguments are skipped, not read
MAX_LINE = 64 * 1024             # longer text lines are skipped to their end, not kept
MAX_SKIPPED_LINE = 256 << 20     # a text line longer than this ends the scan (unverified)
MAX_GLOBALS = 10_000
MAX_EXTRA_UNSAFE = 1_000         # unsafe globals still named after the table is full
UNSAFE_PICKLE = "unsafe-pickle"
SUSPICIOUS = "pickle-suspicious"  # no longer emitted: globals off the allow-list are unsafe
BROKEN = "pickle-broken"
LIMIT = "pickle-scan-limit"
UNVERIFIED = "pickle-unverified"
VERDICT_SAFE, VERDICT_UNSAFE, VERDICT_UNVERIFIED = "safe", "unsafe", "unverified"
UNVERIFIED_CODES = frozenset({BROKEN, LIMIT, UNVERIFIED})
# torch's legacy (pre-1.6, non-zip) format opens with this number, then 4 more pickles, then raw storages.
TORCH_LEGACY_MAGIC = 0x1950A86A20F9469CFC6C
TORCH_LEGACY_PICKLES = 5

_K_PLAIN, _K_MARK, _K_POP, _K_GLOBAL, _K_STACK_GLOBAL, _K_EXT, _K_PUT, _K_STRING, _K_GET = range(9)
_KINDS = {"MARK": _K_MARK, "POP": _K_POP, "GLOBAL": _K_GLOBAL, "INST": _K_GLOBAL,
          "STACK_GLOBAL": _K_STACK_GLOBAL, "EXT1": _K_EXT, "EXT2": _K_EXT, "EXT4": _K_EXT,
          "PUT": _K_PUT, "BINPUT": _K_PUT, "LONG_BINPUT": _K_PUT, "MEMOIZE": _K_PUT,
          "GET": _K_GET, "BINGET": _K_GET, "LONG_BINGET": _K_GET}
_PREFIX = {-2: "<B", -3: "<i", -4: "<I", -5: "<Q"}          # length-prefixed argument kinds
_STRING_OPS = frozenset({"UNICODE", "SHORT_BINUNICODE", "BINUNICODE", "BINUNICODE8", "STRING",
                         "BINSTRING", "SHORT_BINSTRING"})
_LINE_ARGS = frozenset({"decimalnl_short", "decimalnl_long", "floatnl", "stringnl", "stringnl_noescape",
                        "unicodestringnl", "stringnl_noescape_pair"})
_MARK = pickletools.markobject
_OBJ = object()                   # any value the emulation does not track
_LONG = object()                  # a text line too long to keep


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
    """Globals a scan found, in first-seen order, and why the scan could not verify it (if so)."""

    globals: dict[tuple[str, str], str] = field(default_factory=dict)   # (module, name) -> safety
    pickles: int = 0
    broken: str | None = None
    limit: str | None = None
    trailing_bytes: bool = False
    unverified: list[str] = field(default_factory=list)     # reasons other than broken/limit
    legacy_torch: bool = False
    _extra_unsafe: int = 0

    def add(self, module: str, name: str, resolved: bool = True) -> None:
        key = (module, name) if resolved else (UNRESOLVED, UNRESOLVED)
        if key in self.globals:
            return
        safety = classify_global(module, name, resolved)
        if len(self.globals) < MAX_GLOBALS:
            self.globals[key] = safety
            return
        self.note(f"more than {MAX_GLOBALS} distinct globals; the rest were not all listed")
        if safety == UNSAFE and self._extra_unsafe < MAX_EXTRA_UNSAFE:
            self._extra_unsafe += 1
            self.globals[key] = safety

    def note(self, reason: str) -> None:
        """Record a reason the stream cannot be verified (once each)."""
        if reason not in self.unverified and len(self.unverified) < 20:
            self.unverified.append(reason)

    def merge(self, other: PickleFindings) -> None:
        for (module, name), safety in other.globals.items():
            if (module, name) in self.globals:
                continue
            if len(self.globals) < MAX_GLOBALS + MAX_EXTRA_UNSAFE or safety == UNSAFE:
                self.globals[(module, name)] = safety
            else:
                self.note(f"more than {MAX_GLOBALS} distinct globals; the rest were not all listed")
        self.pickles += other.pickles
        for reason in other.reasons():
            self.note(reason)

    def reasons(self) -> list[str]:
        """Every reason the scan could not verify the stream."""
        out = [f"pickle stream is broken ({self.broken})"] if self.broken else []
        if self.limit:
            out.append(f"scan stopped after {self.limit}")
        return out + self.unverified


def verdict(findings: PickleFindings) -> str:
    """``unsafe`` if a global off the allow-list is imported; else ``unverified`` if anything was
    not read the way a loader reads it; else ``safe``."""
    if any(s != SAFE for s in findings.globals.values()):
        return VERDICT_UNSAFE
    if findings.reasons():
        return VERDICT_UNVERIFIED
    return VERDICT_SAFE


def _lenient_int(line: bytes) -> Any:
    text = line.strip()
    if text.endswith(b"L"):
        text = text[:-1]
    try:
        return int(text, 0)
    except ValueError:
        try:
            return int(text)
        except ValueError:
            return _OBJ


class _ArgSource:
    """Reads opcode arguments over a SequentialReader, like CPython's Unpickler."""

    def __init__(self, reader: SequentialReader, findings: PickleFindings) -> None:
        self.reader = reader
        self.findings = findings
        self.skipped = 0

    def read(self, n: int) -> bytes:
        return self.reader.take(n)

    def readline(self) -> Any:
        """One line without its newline, or ``_LONG`` for a line too long to keep."""
        try:
            return self.reader.take_line(MAX_LINE)[:-1]
        except Truncated:
            if self.reader.remaining <= MAX_LINE:
                raise
        self.skipped += self.reader.skip_line(MAX_SKIPPED_LINE)
        return _LONG

    def _line_arg(self, kind: str) -> Any:
        line = self.readline()
        if kind == "stringnl_noescape_pair":
            second = self.readline()
            if line is _LONG or second is _LONG:
                return "<line over 64 KiB> <line over 64 KiB>"
            return (line.decode("utf-8", "surrogateescape") + " "
                    + second.decode("utf-8", "surrogateescape"))
        if line is _LONG:
            return _OBJ
        if kind in ("decimalnl_short", "decimalnl_long"):
            return _lenient_int(line)
        if kind == "stringnl":
            if len(line) >= 2 and line[:1] == line[-1:] and line[:1] in (b"'", b'"'):
                line = line[1:-1]
            return line.decode("latin-1")
        if kind == "unicodestringnl":
            try:
                return line.decode("raw-unicode-escape")
            except UnicodeDecodeError:
                return _OBJ
        return _OBJ

    def read_arg(self, desc: pickletools.ArgumentDescriptor) -> Any:
        if desc.name in _LINE_ARGS:
            return self._line_arg(desc.name)
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
            self.findings.note(f"{op.name} opcode imports through the copyreg extension registry, "
                               "which a scan cannot resolve")
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
    index = findings.pickles
    while True:
        code = reader.take_upto(1)
        if not code:
            if first:
                return False
            raise Truncated(f"pickle ends at offset {reader.pos} without a STOP opcode")
        op = _OPS.get(code)
        if op is None:
            raise ValueError(f"unknown opcode {code!r} at offset {reader.pos - 1}")
        first = False
        arg = source.read_arg(op.arg) if op.arg is not None else None
        if index == 0 and op.name in ("LONG1", "LONG4", "LONG") and arg == TORCH_LEGACY_MAGIC:
            findings.legacy_torch = True
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


_SCAN_ERRORS = (Truncated, ValueError, KeyError, IndexError, UnicodeDecodeError, struct.error,
                OverflowError, MemoryError, RecursionError, EOFError, zlib.error, lzma.LZMAError, OSError)


def scan_pickles(stream: BinaryIO, size: int) -> PickleFindings:
    """Scan every pickle in ``stream`` (one after another) and collect the globals they import.

    Loaders read pickles back to back (torch's legacy format reads five), so each one after a
    STOP is scanned too, in any protocol.  Data after the last pickle that is not a pickle
    leaves the stream unverified, except the raw storages after a legacy torch file's fifth.
    """
    findings = PickleFindings()
    source = _ArgSource(SequentialReader(stream, size), findings)
    budget = [MAX_OPCODES]
    try:
        while _scan_one(source, findings, budget):
            if findings.legacy_torch and findings.pickles >= TORCH_LEGACY_PICKLES:
                findings.trailing_bytes = source.reader.remaining > 0
                break
    except _StopScan:
        pass
    except _SCAN_ERRORS as exc:
        reason = short(str(exc) or type(exc).__name__, 200)
        if findings.pickles == 0:
            findings.broken = reason
        else:
            findings.trailing_bytes = True
            findings.note(f"data after pickle {findings.pickles} is not a complete pickle ({reason}); "
                          "a loader reading on would meet it")
    return findings


_IDENT = re.compile(r"[A-Za-z_][\w.]{0,200}")


def head_is_pickle(head: bytes) -> bool:
    """True when a file's first bytes read as a pickle a loader would run, whatever the name says.

    A PROTO opcode with a known protocol followed by a valid opcode is enough.  Without one
    (protocol 0/1, or another format's magic used as opcodes), the head must decode to an
    import of a dotted-identifier global and then either a STOP or two more opcodes, which keeps
    text that happens to start with ``c`` or ``(`` out.
    """
    if len(head) >= 3 and head[0] == 0x80 and 2 <= head[1] <= 5 and head[2:3] in _OPS:
        return True
    if not head or head[:1] not in _OPS:
        return False
    findings = PickleFindings()
    source = _ArgSource(SequentialReader(io.BytesIO(head), len(head)), findings)
    emulator = _Emulator(findings)
    reader = source.reader
    after_import = -1
    try:
        for _count in range(4096):
            op = _OPS.get(reader.take_upto(1))
            if op is None:
                return False
            arg = source.read_arg(op.arg) if op.arg is not None else None
            emulator.step(op, arg)
            if after_import < 0 and any(all(_IDENT.fullmatch(p) for p in k) for k in findings.globals):
                after_import = 0
            elif after_import >= 0:
                after_import += 1
            if after_import >= 0 and (op.name == "STOP" or after_import >= 2):
                return True
            if op.name == "STOP":
                return False
    except (*_SCAN_ERRORS, _StopScan):
        return False
    return False


def _listing(keys: list[tuple[str, str]], limit: int = 10) -> str:
    names = [f"{m}.{n}" if (m, n) != (UNRESOLVED, UNRESOLVED) else "an unresolvable global"
             for m, n in keys]
    text = ", ".join(short(n, 100) for n in names[:limit])
    return text + (f" and {len(names) - limit} more" if len(names) > limit else "")


def findings_metadata(findings: PickleFindings) -> dict[str, Any]:
    """The ``globals``/``unsafe``/``unknown``/``verdict``/``unverified_reasons`` metadata of a scan."""
    items = [{"module": m, "name": n, "safety": s} for (m, n), s in findings.globals.items()]
    return {"globals": items,
            "unsafe": sum(1 for s in findings.globals.values() if s == UNSAFE),
            "unknown": sum(1 for k in findings.globals if k == (UNRESOLVED, UNRESOLVED)),
            "verdict": verdict(findings),
            "unverified_reasons": findings.reasons()}


def findings_problems(findings: PickleFindings, name: str) -> list[Problem]:
    """Problems for globals off the allow-list and for each reason the stream is unverified."""
    problems = []
    unsafe = [k for k, s in findings.globals.items() if s != SAFE]
    if unsafe:
        dangerous = [k for k in unsafe if k == (UNRESOLVED, UNRESOLVED) or is_known_dangerous(*k)]
        other = [k for k in unsafe if k not in dangerous]
        parts = []
        if dangerous:
            parts.append(f"{_listing(dangerous)}, which can run code or touch the system when loaded")
        if other:
            parts.append(f"{_listing(other)}, not on the allow-list of known-safe rebuild functions "
                         "(loading calls it, so it can run code)")
        problems.append(Problem(UNSAFE_PICKLE, f"{name}: pickle imports " + "; and ".join(parts)))
    if findings.broken:
        problems.append(Problem(BROKEN, f"{name}: pickle stream is broken ({findings.broken}); "
                                        "unverified"))
    if findings.limit:
        problems.append(Problem(LIMIT, f"{name}: pickle scan stopped after {findings.limit}; "
                                       "later content was not checked (unverified)"))
    problems.extend(Problem(UNVERIFIED, f"{name}: unverified: {reason}") for reason in findings.unverified)
    return problems


def read_pickle(stream: BinaryIO, size: int, name: str) -> FormatInfo:
    """Scan a bare pickle stream (legacy PyTorch, joblib, .pkl; gzip/zlib/bz2/xz-compressed too)."""
    head = stream.read(4096)
    compression = compression_of(head)
    if compression is not None and decompressed_head(head, 2) == b"":
        compression = None
    rest = io.BufferedReader(Prefixed(head, stream))
    if compression is not None:
        findings = _scan_compressed(rest, compression)  # type: ignore[arg-type]
    else:
        findings = scan_pickles(rest, size)  # type: ignore[arg-type]
    metadata = findings_metadata(findings)
    metadata["pickles"] = findings.pickles
    if compression is not None:
        metadata["compression"] = compression
    if findings.legacy_torch:
        metadata["torch_legacy"] = True
    if findings.trailing_bytes:
        metadata["trailing_bytes"] = True
    return FormatInfo(format="pickle", metadata=metadata, problems=findings_problems(findings, name))


def _scan_compressed(stream: BinaryIO, kind: str) -> PickleFindings:
    try:
        return scan_pickles(open_decompressed(stream, kind), MAX_DECOMPRESSED)
    except _SCAN_ERRORS as exc:
        findings = PickleFindings()
        findings.broken = f"{kind} stream cannot be decompressed ({short(str(exc), 160)})"
        return findings
