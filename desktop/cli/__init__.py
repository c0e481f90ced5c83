"""The ``aireview`` command line: subcommands run headless, no arguments opens the window."""

from __future__ import annotations

import argparse
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
    """Run a subcommand, or open the desktop window when none (or a path/--sample) is given."""
    args = list(sys.argv[1:] if argv is None else argv)
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
