"""Obligations of third-party component licenses: the licenses the delivery's files carry besides
the model's own terms (code, a ``LICENSES/`` folder, NOTICE files, appended texts).

What a component license asks of redistributors comes from the knowledge base's ``redistribution``
fact; its quotes are cited where they are found in the delivered text of that license, and are
labelled as the reference's otherwise.  A license the knowledge base does not hold is listed with
its duties unknown.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from desktop.core.evidence import Evidence, EvidenceMismatch, locate
from desktop.core.obligations.register import Kind, Obligation

FILES_SHOWN = 5
_COMPONENT_FILE = re.compile(r"(?i)(?:^|/)(?:notice|attributions?|third[_-]?party[\w.-]*|credits)(?:\.\w+)?$")
_COMPONENT_DIR = re.compile(r"(?i)(?:^|/)(?:licenses|third[_-]?party[\w-]*|3rdparty|vendor)/")


def component_obligations(matches: Sequence[Mapping[str, Any]], governing: Collection[str | None],
                          texts: Mapping[str, str], knowledge: Mapping[str, Any]) -> list[Obligation]:
    """One obligation per identified license the delivery's files carry that is not the model's own.

    ``matches`` are license matches (``path``, ``role``, ``key``, ``name``, ``source``, ``lines``);
    ``knowledge`` maps license keys to knowledge-base facts.
    """
    by_key: dict[str, list[Mapping[str, Any]]] = {}
    for m in matches:
        key = m.get("key")
        if key and key != "unknown" and key not in governing and is_component(m, matches):
            by_key.setdefault(str(key), []).append(m)
    out = []
    for key, found in by_key.items():
        name = str(found[0].get("name") or key)
        stated = [m for m in found if m.get("source") == "text"]
        files = list(dict.fromkeys(str(m["path"]) for m in found if m.get("source") != "text")) or \
            list(dict.fromkeys(str(m["path"]) for m in found))
        shown = ", ".join(files[:FILES_SHOWN]) + (f" and {len(files) - FILES_SHOWN} more" if len(files) > FILES_SHOWN else "")
        where = ", ".join(dict.fromkeys(str(m["path"]) for m in stated))
        facts = knowledge.get(key)
        fact = facts.facts.get("redistribution") if facts is not None else None
        value = fact.value if fact is not None and isinstance(fact.value, dict) else None
        if value is None:
            text = (f"The files {shown} are under {name}, whose redistribution duties the knowledge base does "
                    f"not hold: they are unknown; read {where or 'its text'} before distributing them.")
            evidence = [_location(m, texts) for m in stated[:2]]
        else:
            notices = [str(n) for n in value.get("notices") or []]
            text = f"Keep the {_and(notices)} of {name}" if notices else f"Follow the redistribution terms of {name}"
            text += f" in every copy of {shown} the company distributes"
            if value.get("copy_of_agreement") is True:
                text += ", and give recipients a copy of its license text"
            text += "." + (f" The license text is delivered in {where}." if where else
                           " Its text is not delivered: ask the vendor for it.")
            evidence = [_cited(key, e, stated, texts) for e in fact.evidence if e.quote][:3]  # type: ignore[union-attr]
            if evidence and all(e["origin"] == "reference" for e in evidence):
                text += f" (The duty is quoted from the reference text of {key}: the delivered text was not read.)"
        out.append(Obligation(f"{Kind.COMPONENT}:{key}", Kind.COMPONENT, key, text, tuple(evidence)))
    return out


def is_component(match: Mapping[str, Any], matches: Sequence[Mapping[str, Any]]) -> bool:
    """Does ``match`` put a file under a third-party component's license: code, a ``LICENSES/`` or
    third-party folder, a NOTICE / ATTRIBUTIONS / CREDITS file, or a text appended after the first one
    of a license file?  (A model card's words and a top-level license's first text are not.)"""
    path = str(match.get("path") or "")
    if match.get("role") == "code" or _COMPONENT_FILE.search(path) or _COMPONENT_DIR.search(path):
        return True
    if match.get("source") != "text" or not match.get("lines"):
        return False
    starts = [int(m["lines"][0]) for m in matches
              if m.get("path") == path and m.get("source") == "text" and m.get("lines")]
    return int(match["lines"][0]) > min(starts)


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _cited(key: str, quote: Any, stated: list[Mapping[str, Any]], texts: Mapping[str, str]) -> dict[str, Any]:
    """The knowledge base's quote where the delivered text of the license holds it, else the reference's."""
    for m in stated:
        text = texts.get(str(m["path"]))
        lines = m.get("lines")
        span = locate(text, quote.quote, (int(lines[0]), int(lines[-1])) if lines else None) if text else None
        if text and span:
            try:
                return Evidence.found(str(m["path"]), text, span, quote.quote).to_json()
            except EvidenceMismatch:
                continue
    return Evidence.reference(key, quote.lines, quote.quote).to_json()


def _location(match: Mapping[str, Any], texts: Mapping[str, str]) -> dict[str, Any]:
    """Where a license text is delivered: its first line, quoted, or what the scanner read."""
    path, text, lines = str(match["path"]), texts.get(str(match["path"])), match.get("lines")
    if text and lines:
        first = text.replace("\r\n", "\n").split("\n")[int(lines[0]) - 1].strip()
        if first:
            return Evidence.found(path, text, (int(lines[0]), int(lines[0])), first).to_json()
    return Evidence.observed(path, f"the text of {match.get('name') or match.get('key')}").to_json()
