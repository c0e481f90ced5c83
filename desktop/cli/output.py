"""Small helpers shared by the subcommands: JSON output, errors, sizes, a terminal progress bar."""

from __future__ import annotations

import json
import math
import sys
import time
from typing import Any, TextIO

from desktop.core.jobs import Progress


def strict_json(value: Any) -> Any:
    """``value`` with every non-finite float replaced by its name ("NaN", "Infinity", "-Infinity")
    (keys too), so the document is strict JSON (RFC 8259)."""

    def clean(item: Any) -> Any:
        if isinstance(item, float):
            if math.isfinite(item):
                return item
            return "NaN" if math.isnan(item) else ("Infinity" if item > 0 else "-Infinity")
        if isinstance(item, dict):
            return {(clean(k) if isinstance(k, float) else k): clean(v) for k, v in item.items()}
        if isinstance(item, list | tuple):
            return [clean(v) for v in item]
        return item

    return clean(value)


def print_json(data: Any, stream: TextIO | None = None) -> None:
    """One strict JSON document on stdout (UTF-8, stable key order as built, no NaN/Infinity),
    written in one piece."""
    out = stream or sys.stdout
    out.write(json.dumps(strict_json(data), indent=2, ensure_ascii=False, allow_nan=False))
    out.write("\n")
    out.flush()


def fail(path: object, reason: str, code: int = 2) -> int:
    """Print one line naming the input and the reason; return the exit code."""
    print(f"aireview: {path}: {reason}", file=sys.stderr)
    return code


def human_size(n: int) -> str:
    size = float(n)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if size < 1024 or unit == "TB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"


class TerminalProgress:
    """A one-line progress bar on stderr, drawn only when stderr is a terminal."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream or sys.stderr
        self.enabled = self._stream.isatty()
        self._start = time.monotonic()
        self._drawn = False

    def __call__(self, p: Progress) -> None:
        if not self.enabled:
            return
        frac = p.bytes_done / p.bytes_total if p.bytes_total else 0.0
        bar = "#" * int(frac * 30)
        elapsed = time.monotonic() - self._start
        rate = p.bytes_done / elapsed if elapsed > 0 else 0.0
        current = p.current[-40:]
        self._stream.write(
            f"\r[{bar:<30}] {frac * 100:5.1f}% {p.files_done}/{p.files_total} files "
            f"{human_size(p.bytes_done)}/{human_size(p.bytes_total)} {human_size(int(rate))}/s {current:<40}")
        self._stream.flush()
        self._drawn = True

    def close(self) -> None:
        if self._drawn:
            self._stream.write("\r" + " " * 140 + "\r")
            self._stream.flush()
