"""The shape of a knowledge file: the fact names, their allowed values, and strict validation.

:func:`parse_document` turns one loaded YAML document into :class:`LicenseFacts` or raises
:class:`KnowledgeError` naming the file and the field (e.g. ``facts.aup.value.kind``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FACT_NAMES: tuple[str, ...] = (
    "covers_weights", "commercial_use", "mau_threshold", "revenue_threshold", "aup",
    "output_restrictions", "derivative_obligations", "redistribution", "governing_law", "venue",
    "territory_exclusions", "termination_triggers", "osi_approved",
)
NOT_STATED = "not-stated"
KINDS = ("model", "software", "data", "content", "policy")
COVERS_WEIGHTS = ("yes", "no", "code-only", "data-only", NOT_STATED)
COMMERCIAL_USE = ("allowed", "conditional", "prohibited", NOT_STATED)
AUP_KINDS = ("none", "inline", "external")
MAX_QUOTE_CHARS = 200
_TOP_FIELDS = ("key", "name", "family", "kind", "facts")
_FACT_FIELDS = ("value", "summary", "evidence")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9.+_-]*$")


class KnowledgeError(Exception):
    """A knowledge file is missing, unreadable or not in the expected shape."""


@dataclass(frozen=True)
class Evidence:
    """Where a fact comes from: a line range and quote in the reference text, or a metadata field."""

    lines: tuple[int, int] | None
    quote: str
    source: str = "text"  # "text" | "metadata" | "osi-list" (a metadata field's value on the OSI list)
    field: str | None = None


@dataclass(frozen=True)
class Fact:
    """One normalised fact about a license, with a plain summary and its evidence."""

    name: str
    value: Any
    summary: str
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class LicenseFacts:
    """Everything the knowledge base records for one LicenseDB key."""

    key: str
    name: str
    family: str
    kind: str
    facts: dict[str, Fact]
    path: Path


def parse_document(document: Any, path: Path) -> LicenseFacts:
    """Validate one loaded knowledge document; raises KnowledgeError naming the file and field."""
    def fail(field: str, message: str) -> KnowledgeError:
        return KnowledgeError(f"{path.name}: {field}: {message}")

    if not isinstance(document, dict):
        raise fail("(top level)", "the file must hold a mapping")
    _exact_fields(document, _TOP_FIELDS, "(top level)", fail)
    key = _text(document["key"], "key", fail)
    if key != path.stem:
        raise fail("key", f"{key!r} does not match the file name {path.stem!r}")
    name = _text(document["name"], "name", fail)
    family = _text(document["family"], "family", fail)
    if not _SLUG.match(family):
        raise fail("family", f"{family!r} must be lower-case letters, digits and dashes")
    kind = _choice(document["kind"], KINDS, "kind", fail)
    raw_facts = document["facts"]
    if not isinstance(raw_facts, dict):
        raise fail("facts", "must be a mapping of the 13 fact names")
    _exact_fields(raw_facts, FACT_NAMES, "facts", fail)
    facts = {fact_name: _parse_fact(fact_name, raw_facts[fact_name], fail) for fact_name in FACT_NAMES}
    return LicenseFacts(key=key, name=name, family=family, kind=kind, facts=facts, path=path)


_Fail = Callable[[str, str], KnowledgeError]


def _parse_fact(name: str, raw: Any, fail: _Fail) -> Fact:
    where = f"facts.{name}"
    if not isinstance(raw, dict):
        raise fail(where, "must be a mapping with value, summary and evidence")
    _exact_fields(raw, _FACT_FIELDS, where, fail)
    value = _VALUE_PARSERS[name](raw["value"], f"{where}.value", fail)
    summary = _text(raw["summary"], f"{where}.summary", fail)
    evidence = _parse_evidence(raw["evidence"], name, f"{where}.evidence", fail)
    if not evidence and not _is_empty(name, value):
        raise fail(f"{where}.evidence", "a stated value needs at least one evidence item")
    return Fact(name=name, value=value, summary=summary, evidence=evidence)


def _is_empty(name: str, value: Any) -> bool:
    """True when a value says 'the text is silent', so evidence may be empty."""
    if value is None or value == NOT_STATED or value == []:
        return True
    if name == "aup":
        return bool(value["kind"] == "none")
    if name == "derivative_obligations":
        return all(v in (None, NOT_STATED) for v in value.values())
    if name == "redistribution":
        return value["copy_of_agreement"] == NOT_STATED and not value["notices"]
    return False


def _parse_evidence(raw: Any, fact_name: str, where: str, fail: _Fail) -> tuple[Evidence, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise fail(where, "must be a list of evidence items")
    items: list[Evidence] = []
    for index, item in enumerate(raw):
        here = f"{where}[{index}]"
        if not isinstance(item, dict):
            raise fail(here, "must be a mapping")
        source = item.get("source", "text")
        quote = _text(item.get("quote"), f"{here}.quote", fail)
        if len(quote) > MAX_QUOTE_CHARS:
            raise fail(f"{here}.quote", f"is longer than {MAX_QUOTE_CHARS} characters")
        if source in ("metadata", "osi-list"):
            if fact_name != "osi_approved":
                raise fail(here, f"{source} evidence is allowed only for osi_approved")
            _exact_fields(item, ("source", "field", "quote"), here, fail)
            field = _text(item["field"], f"{here}.field", fail)
            items.append(Evidence(lines=None, quote=quote, source=source, field=field))
        elif source == "text":
            allowed = ("source", "lines", "quote") if "source" in item else ("lines", "quote")
            _exact_fields(item, allowed, here, fail)
            items.append(Evidence(lines=_line_range(item["lines"], f"{here}.lines", fail), quote=quote))
        else:
            raise fail(f"{here}.source", f"{source!r} is not one of text, metadata, osi-list")
    return tuple(items)


def _line_range(raw: Any, where: str, fail: _Fail) -> tuple[int, int]:
    if (not isinstance(raw, list) or len(raw) != 2
            or not all(isinstance(n, int) and not isinstance(n, bool) for n in raw)):
        raise fail(where, "must be [first, last], two whole line numbers")
    first, last = raw
    if first < 1 or last < first:
        raise fail(where, f"[{first}, {last}] is not a range of 1-based lines")
    return first, last


def _exact_fields(mapping: dict[Any, Any], expected: tuple[str, ...], where: str, fail: _Fail) -> None:
    missing = [name for name in expected if name not in mapping]
    extra = [str(name) for name in mapping if name not in expected]
    if missing:
        raise fail(where, f"missing {', '.join(missing)}")
    if extra:
        raise fail(where, f"unexpected {', '.join(extra)} (expected {', '.join(expected)})")


def _text(raw: Any, where: str, fail: _Fail) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise fail(where, "must be a non-empty string")
    return raw




def _choice(raw: Any, allowed: tuple[str, ...], where: str, fail: _Fail) -> str:
    if raw not in allowed:
        raise fail(where, f"{raw!r} is not one of {', '.join(allowed)}")
    return str(raw)


def _stated_or(raw: Any, where: str, fail: _Fail) -> str | None:
    """A non-empty string (possibly the literal not-stated) or null."""
    if raw is None:
        return None
    return _text(raw, where, fail)


def _flag(raw: Any, where: str, fail: _Fail) -> bool | str:
    if isinstance(raw, bool) or raw == NOT_STATED:
        return raw  # type: ignore[no-any-return]
    raise fail(where, f"{raw!r} is not one of true, false, not-stated")


def _whole_number(raw: Any, where: str, fail: _Fail) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
        raise fail(where, f"{raw!r} must be a whole number (e.g. 700000000, not '700 million')")
    return raw


def _string_list(raw: Any, where: str, fail: _Fail) -> list[str]:
    if not isinstance(raw, list):
        raise fail(where, "must be a list of strings ([] when none)")
    return [_text(item, f"{where}[{i}]", fail) for i, item in enumerate(raw)]


def _covers_weights(raw: Any, where: str, fail: _Fail) -> str:
    if isinstance(raw, bool):  # YAML 1.1 reads a bare yes/no as a boolean
        raw = "yes" if raw else "no"
    return _choice(raw, COVERS_WEIGHTS, where, fail)


def _revenue_threshold(raw: Any, where: str, fail: _Fail) -> dict[str, Any] | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise fail(where, "must be null or {amount, currency, period}")
    _exact_fields(raw, ("amount", "currency", "period"), where, fail)
    return {
        "amount": _whole_number(raw["amount"], f"{where}.amount", fail),
        "currency": _text(raw["currency"], f"{where}.currency", fail),
        "period": _stated_or(raw["period"], f"{where}.period", fail),
    }


def _aup(raw: Any, where: str, fail: _Fail) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise fail(where, "must be {kind, updatable, url}")
    _exact_fields(raw, ("kind", "updatable", "url"), where, fail)
    return {
        "kind": _choice(raw["kind"], AUP_KINDS, f"{where}.kind", fail),
        "updatable": _flag(raw["updatable"], f"{where}.updatable", fail),
        "url": _stated_or(raw["url"], f"{where}.url", fail),
    }


def _output_restrictions(raw: Any, where: str, fail: _Fail) -> list[dict[str, str]]:
    if not isinstance(raw, list):
        raise fail(where, "must be a list of {category, summary} ([] when none)")
    result = []
    for index, item in enumerate(raw):
        here = f"{where}[{index}]"
        if not isinstance(item, dict):
            raise fail(here, "must be {category, summary}")
        _exact_fields(item, ("category", "summary"), here, fail)
        category = _text(item["category"], f"{here}.category", fail)
        if not _SLUG.match(category):
            raise fail(f"{here}.category", f"{category!r} must be lower-case words joined by dashes")
        result.append({"category": category, "summary": _text(item["summary"], f"{here}.summary", fail)})
    return result


def _derivative_obligations(raw: Any, where: str, fail: _Fail) -> dict[str, Any]:
    fields = ("terms_flow_down", "name_prefix", "attribution_phrase", "notice_file")
    if not isinstance(raw, dict):
        raise fail(where, f"must be {{{', '.join(fields)}}}")
    _exact_fields(raw, fields, where, fail)
    return {
        "terms_flow_down": _flag(raw["terms_flow_down"], f"{where}.terms_flow_down", fail),
        "name_prefix": _stated_or(raw["name_prefix"], f"{where}.name_prefix", fail),
        "attribution_phrase": _stated_or(raw["attribution_phrase"], f"{where}.attribution_phrase", fail),
        "notice_file": _stated_or(raw["notice_file"], f"{where}.notice_file", fail),
    }


def _redistribution(raw: Any, where: str, fail: _Fail) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise fail(where, "must be {copy_of_agreement, notices}")
    _exact_fields(raw, ("copy_of_agreement", "notices"), where, fail)
    return {
        "copy_of_agreement": _flag(raw["copy_of_agreement"], f"{where}.copy_of_agreement", fail),
        "notices": _string_list(raw["notices"], f"{where}.notices", fail),
    }


_VALUE_PARSERS: dict[str, Callable[[Any, str, _Fail], Any]] = {
    "covers_weights": _covers_weights,
    "commercial_use": lambda raw, where, fail: _choice(raw, COMMERCIAL_USE, where, fail),
    "mau_threshold": lambda raw, where, fail: None if raw is None else _whole_number(raw, where, fail),
    "revenue_threshold": _revenue_threshold,
    "aup": _aup,
    "output_restrictions": _output_restrictions,
    "derivative_obligations": _derivative_obligations,
    "redistribution": _redistribution,
    "governing_law": _text,
    "venue": _text,
    "territory_exclusions": _string_list,
    "termination_triggers": _string_list,
    "osi_approved": _flag,
}
