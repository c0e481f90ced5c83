"""YAML loading that runs no code and refuses alias bombs, deep nesting and huge expansions."""

from __future__ import annotations

from typing import Any, BinaryIO

import yaml

from desktop.core.formats.streams import MiB, SequentialReader, short
from desktop.core.results import FormatInfo, Problem

MAX_ALIASES = 100
MAX_ANCHORS = 100
MAX_DEPTH = 50
MAX_EXPANDED_NODES = 1_000_000
MAX_YAML_BYTES = 5 * MiB
MALFORMED = "malformed-yaml"
DUPLICATE_KEY = "duplicate-yaml-key"

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlRefused(Exception):
    """The YAML is malformed or hostile; ``line`` is 1-based in the caller's numbering."""

    def __init__(self, cause: str, line: int | None) -> None:
        super().__init__(cause)
        self.cause = cause
        self.line = line


class _DuplicateAwareLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader that records duplicate mapping keys (key text, 0-based line)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[str, int]] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[str] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                if key_node.value in seen:
                    self.duplicates.append((key_node.value, key_node.start_mark.line))
                seen.add(key_node.value)
        return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]


def _line(exc: yaml.YAMLError, offset: int) -> int | None:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return None if mark is None else mark.line + 1 + offset


def _cause(exc: yaml.YAMLError, offset: int) -> str:
    """The parser's complaint, plus where the construct it was reading began."""
    cause = short(str(getattr(exc, "problem", None) or exc))
    context, mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    if context and mark is not None and mark.line + 1 + offset != _line(exc, offset):
        cause += f"; {context} started at line {mark.line + 1 + offset}"
    return f"is not valid YAML ({cause})"


def _check_events(text: str, offset: int) -> int:
    """Walk parser events to bound aliases, anchors, depth and expanded size; return documents."""
    aliases = anchors = documents = 0
    sizes: dict[str, int] = {}
    open_nodes: list[list[Any]] = [[None, 0]]          # [anchor, expanded node count]
    try:
        for event in yaml.parse(text, Loader=_BaseLoader):
            line = event.start_mark.line + 1 + offset if event.start_mark else None
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
            if isinstance(event, yaml.AliasEvent):
                aliases += 1
                if aliases > MAX_ALIASES:
                    raise YamlRefused(f"too many aliases (more than {MAX_ALIASES})", line)
                open_nodes[-1][1] += sizes.get(event.anchor or "", 1)
            elif isinstance(event, yaml.NodeEvent):
                if event.anchor is not None:
                    anchors += 1
                    if anchors > MAX_ANCHORS:
                        raise YamlRefused(f"too many aliases/anchors (more than {MAX_ANCHORS} anchors)",
                                          line)
                if isinstance(event, yaml.CollectionStartEvent):
                    open_nodes.append([event.anchor, 1])
                    if len(open_nodes) > MAX_DEPTH:
                        raise YamlRefused(f"nested more than {MAX_DEPTH} levels deep", line)
                else:
                    open_nodes[-1][1] += 1
                    if event.anchor is not None:
                        sizes[event.anchor] = 1
            elif isinstance(event, yaml.CollectionEndEvent):
                anchor, count = open_nodes.pop()
                if anchor is not None:
                    sizes[anchor] = count
                open_nodes[-1][1] += count
            if sum(node[1] for node in open_nodes) > MAX_EXPANDED_NODES:
                raise YamlRefused(f"expands to more than {MAX_EXPANDED_NODES} nodes through aliases "
                                  "(too many aliases)", line)
    except yaml.YAMLError as exc:
        raise YamlRefused(_cause(exc, offset), _line(exc, offset)) from None
    return documents


def load_yaml(text: str, line_offset: int = 0, multi: bool = False) -> tuple[Any, list[tuple[str, int]]]:
    """Safely load YAML; return (data, duplicate keys as (key, 1-based line)).

    ``line_offset`` is added to line numbers (lines before ``text`` in its file).  With
    ``multi`` a list of all documents is returned.  Raises :class:`YamlRefused`.
    """
    _check_events(text, line_offset)
    loader = _DuplicateAwareLoader(text)
    try:
        if multi:
            data: Any = []
            while loader.check_data():
                data.append(loader.get_data())
        else:
            data = loader.get_single_data()
    except yaml.YAMLError as exc:
        raise YamlRefused(_cause(exc, line_offset), _line(exc, line_offset)) from None
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        raise YamlRefused(f"cannot be loaded ({short(str(exc))})", None) from None
    finally:
        loader.dispose()
    return data, [(key, line + 1 + line_offset) for key, line in loader.duplicates]


def refused_problem(name: str, refused: YamlRefused, what: str = "YAML") -> Problem:
    """The malformed-yaml problem for a refusal, naming the file and the line."""
    where = f" at line {refused.line}" if refused.line is not None else ""
    return Problem(MALFORMED, f"{name}: {what}{where} {refused.cause}")


def duplicate_problems(name: str, duplicates: list[tuple[str, int]]) -> list[Problem]:
    """One warning per duplicated key (YAML loaders silently keep the last value)."""
    return [Problem(DUPLICATE_KEY, f"{name}: key {short(key)!r} at line {line} repeats an earlier key; "
                                   "only the last value counts") for key, line in duplicates[:20]]


def read_yaml(stream: BinaryIO, size: int, name: str) -> FormatInfo:
    """Check a YAML file is well-formed (bounded); metadata says how many documents it holds."""
    info = FormatInfo(format="yaml")
    if size > MAX_YAML_BYTES:
        info.metadata = {"parsed": False}
        return info
    raw = SequentialReader(stream, size).take_upto(MAX_YAML_BYTES)
    try:
        documents, duplicates = load_yaml(raw.decode("utf-8", "replace"), multi=True)
    except YamlRefused as refused:
        info.metadata = {"parsed": False}
        info.problems.append(refused_problem(name, refused))
        return info
    info.metadata = {"parsed": True, "documents": len(documents)}
    info.problems.extend(duplicate_problems(name, duplicates))
    return info
