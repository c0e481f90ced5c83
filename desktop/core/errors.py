"""Errors every entry point reports the same way: one line naming the fix, exit status 2."""

from __future__ import annotations


class SetupError(RuntimeError):
    """An expected problem with the installation (not with the input); the message names the fix."""
