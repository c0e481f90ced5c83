"""Subcommands register here; each module under ``desktop.cli`` adds its own parsers.

A module exposes ``register(subparsers)`` that adds its subcommands and sets ``func``
(a callable taking the parsed namespace and returning the exit code) on each.
"""

from __future__ import annotations

import importlib

# Subcommand name -> module under desktop.cli that registers it.
COMMANDS: dict[str, str] = {
    "review": "review", "precedent": "review", "audit": "review", "diff": "review",
    "scan": "scan",
    "identify": "identify",
    "kb": "kb",
    "memo": "memo",
    "verify": "memo",
    "identity": "memo",
    "export": "memo",
    "obligations": "obligations",
}


def names() -> set[str]:
    return set(COMMANDS)


def register_all(sub: object, only: str | None = None) -> None:
    """Import each subcommand module once and let it add its parsers.

    With ``only`` (a command name), just that command's module is imported, so running one
    command does not pay for importing the others (the store's SQLAlchemy, Qt for memos, ...).
    """
    modules = [COMMANDS[only]] if only in COMMANDS else list(dict.fromkeys(COMMANDS.values()))
    for module in modules:
        importlib.import_module(f"desktop.cli.{module}").register(sub)
