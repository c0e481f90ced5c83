"""``str.translate`` at C speed for the small character tables that texts rarely hold."""

from __future__ import annotations

from collections.abc import Mapping


def translated(text: str, table: Mapping[int, str | None]) -> str:
    """``text.translate(table)`` for a table whose replacements hold none of its own characters:
    one ``str.replace`` per table character the text holds (``str.translate`` looks every
    character of the text up in Python, which is far slower on a long text)."""
    for code, replacement in table.items():
        char = chr(code)
        if char in text:
            text = text.replace(char, replacement or "")
    return text
