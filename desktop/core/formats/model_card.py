"""Model cards: README.md YAML front matter (licence, lineage, datasets, gating)."""

from __future__ import annotations

from typing import Any, BinaryIO

from desktop.core.formats.safe_yaml import (
    YamlRefused,
    duplicate_problems,
    load_yaml,
    refused_problem,
)
from desktop.core.formats.streams import MiB, SequentialReader, json_safe
from desktop.core.results import FormatInfo, Problem

MAX_CARD_BYTES = 5 * MiB
MALFORMED = "malformed-yaml"
_FENCES = ("---", "...")
_SCALAR_KEYS = ("license", "license_name", "license_link", "base_model_relation", "pipeline_tag",
                "library_name", "model_name")
_LIST_KEYS = ("base_model", "datasets", "language", "tags")


def split_front_matter(text: str, name: str = "README.md",
                       ) -> tuple[dict[str, Any] | None, str, int, list[Problem]]:
    """Split Markdown into (front matter data, body, body's first line (1-based), problems).

    Front matter is YAML between a leading ``---`` line and the next ``---`` (or ``...``) line.
    Data is None when there is no front matter or it cannot be used (the problems say why);
    an empty block gives ``{}``.
    """
    text = text.removeprefix("\ufeff")
    lines = text.split("\n")
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start >= len(lines) or lines[start].rstrip() != "---":
        return None, text, 1, []
    end = next((i for i in range(start + 1, len(lines)) if lines[i].rstrip() in _FENCES), None)
    if end is None:
        return None, text, 1, [Problem(MALFORMED, f"{name}: front matter opened at line {start + 1} "
                                                  "is never closed by a '---' line")]
    yaml_text = "\n".join(lines[start + 1:end])
    body = "\n".join(lines[end + 1:])
    body_line = end + 2
    try:
        data, duplicates = load_yaml(yaml_text, line_offset=start + 1)
    except YamlRefused as refused:
        return None, body, body_line, [refused_problem(name, refused, "front matter")]
    problems = duplicate_problems(name, duplicates)
    if data is None:
        return {}, body, body_line, problems
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else "a single value"
        problems.append(Problem(MALFORMED, f"{name}: front matter at line {start + 2} is {kind}, "
                                           "not a mapping of keys to values"))
        return None, body, body_line, problems
    return data, body, body_line, problems


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    values = value if isinstance(value, list | tuple) else [value]
    return [json_safe(v) for v in values]


def card_metadata(data: dict[str, Any]) -> dict[str, Any]:
    """The reviewer-relevant keys of parsed front matter (JSON-safe, present keys only)."""
    out: dict[str, Any] = {}
    for key in _SCALAR_KEYS:
        if key in data:
            out[key] = json_safe(data[key])
    for key in _LIST_KEYS:
        if key in data:
            out[key] = _as_list(data[key])
    if "model_name" not in out:
        index = data.get("model-index")
        if isinstance(index, list) and index and isinstance(index[0], dict) and "name" in index[0]:
            out["model_name"] = json_safe(index[0]["name"])
    gated = {str(k): json_safe(v) for k, v in data.items()
             if isinstance(k, str) and k.startswith("extra_gated")}
    if gated:
        out["extra_gated"] = gated
    return out


def read_model_card(stream: BinaryIO, size: int, name: str) -> FormatInfo:
    """Read a Markdown file (at most 5 MB) and extract its model-card front matter."""
    raw = SequentialReader(stream, size).take_upto(MAX_CARD_BYTES)
    text = raw.decode("utf-8", "replace")
    data, _, _, problems = split_front_matter(text, name)
    metadata: dict[str, Any] = {"front_matter": data is not None}
    if data:
        metadata.update(card_metadata(data))
    if size > MAX_CARD_BYTES:
        metadata["truncated"] = True
    return FormatInfo(format="markdown", metadata=metadata, problems=problems)
