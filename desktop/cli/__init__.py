"""The ``aireview`` command line: subcommands run headless, no arguments opens the window."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence

from desktop.cli import registry


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser with every registered subcommand (or just ``only``)."""
    parser = argparse.ArgumentParser(
        prog="aireview", description="AI Review Desk: review AI model deliveries offline.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    registry.register_all(sub, only)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run a subcommand, or open the desktop window when none (or a path/--sample) is given.

    An expected setup problem (:class:`SetupError`, e.g. the reference library is not installed)
    is one line on stderr and exit status 2; output piped into a reader that stops early (``| head``)
    ends quietly.
    """
    from desktop.core.errors import SetupError

    args = list(sys.argv[1:] if argv is None else argv)
    try:
        code = _run(args)
        if argv is None and args[:1] == ["scan"]:
            _skip_final_collection()
        return code
    except SetupError as exc:
        print(f"aireview: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        _silence_stdout()
        return 1


def _skip_final_collection() -> None:
    """The program ends after a scan: the collector's last pass at exit need not walk every object
    the scan made (about 0.07 s after a large one).  A scan writes only to stdout, which Python
    flushes at exit whatever the collector does, so nothing waits on that pass."""
    gc.freeze()


def _silence_stdout() -> None:
    """The reader of stdout went away: send what is still buffered nowhere (no error at exit)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    finally:
        os.close(devnull)


def _run(args: list[str]) -> int:
    if args[:1] == ["--self-test"]:
        from desktop.selftest import run_self_test

        return run_self_test()
    if not args or args[0].startswith("--sample") or args[0] in ("--data-dir", "--db") \
            or not _is_command(args[0]):
        from desktop.app import run_gui
        return run_gui(args)
    parser = build_parser(args[0] if args[0] in registry.names() else None)
    ns = parser.parse_args(args)
    return int(ns.func(ns) or 0)


def _is_command(word: str) -> bool:
    return word in registry.names() or word in ("-h", "--help")
