"""``aireview review note|notes|comment|comments``: file notes and item comment threads.

Registered under ``aireview review`` by :mod:`desktop.cli.review` (same ``--db`` and ``--as``).
Writing needs an open review (a decided one is read-only); ``--json`` prints what was stored or
listed: a note ``{"id", "review", "path"}``, a comment ``{"id", "review", "item"}``, and lists of
``{"id", "path"|"item", "author", "at", "text"}``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from desktop.cli.output import print_json
from desktop.core.store import Store

Handle = Callable[[argparse.ArgumentParser, Callable[[argparse.Namespace, Store], int]], None]


def register(rsub: Any, common: argparse.ArgumentParser, actor: argparse.ArgumentParser,
             handle: Handle) -> None:
    """Add the four actions to the ``review`` subcommand."""
    p = rsub.add_parser("note", parents=[common, actor], help="add a note on a delivered file")
    p.add_argument("id", type=int, help="review id")
    p.add_argument("path", help="the file's path in the delivery")
    p.add_argument("text")
    p.add_argument("--json", action="store_true")
    handle(p, _note)
    p = rsub.add_parser("notes", parents=[common], help="list the file notes of a review")
    p.add_argument("id", type=int)
    p.add_argument("--path", help="only the notes on this file")
    p.add_argument("--json", action="store_true")
    handle(p, _notes)
    p = rsub.add_parser("comment", parents=[common, actor], help="comment on a checklist item")
    p.add_argument("id", type=int, help="review id")
    p.add_argument("item", help="checklist item id, e.g. commercial_use")
    p.add_argument("text")
    p.add_argument("--json", action="store_true")
    handle(p, _comment)
    p = rsub.add_parser("comments", parents=[common], help="list the comment threads of a review")
    p.add_argument("id", type=int)
    p.add_argument("--item", help="only the thread of this item")
    p.add_argument("--json", action="store_true")
    handle(p, _comments)


def _who(ns: argparse.Namespace) -> Any:
    from desktop.cli.review import _who as who

    return who(ns)


def _note(ns: argparse.Namespace, store: Store) -> int:
    note_id = store.add_file_note(ns.id, ns.path, ns.text, reviewer=_who(ns))
    if ns.json:
        print_json({"id": note_id, "review": ns.id, "path": ns.path})
    else:
        print(f"Note {note_id} added on {ns.path} (review {ns.id})")
    return 0


def _comment(ns: argparse.Namespace, store: Store) -> int:
    comment_id = store.add_item_comment(ns.id, ns.item, ns.text, reviewer=_who(ns))
    if ns.json:
        print_json({"id": comment_id, "review": ns.id, "item": ns.item})
    else:
        print(f"Comment {comment_id} added on {ns.item} (review {ns.id})")
    return 0


def _print(rows: list[dict[str, Any]], key: str, json: bool) -> int:
    if json:
        print_json(rows)
        return 0
    for row in rows:
        print(f"{row['at'][:16]} {row['author']} on {row[key]}: {row['text']}")
    return 0


def _notes(ns: argparse.Namespace, store: Store) -> int:
    return _print(store.file_notes(ns.id, ns.path), "path", ns.json)


def _comments(ns: argparse.Namespace, store: Store) -> int:
    return _print(store.item_comments(ns.id, ns.item), "item", ns.json)
