"""JSON files of a model folder: transformers/PEFT/tokenizer configs, shard indexes, the rest."""

from __future__ import annotations

import contextlib
import json
import posixpath
import re
from typing import Any, BinaryIO

from desktop.core.formats.streams import (
    LARGE_PARSE,
    MiB,
    SequentialReader,
    clean_text,
    large_parse_lock,
    short,
)
from desktop.core.results import FormatInfo, Problem

MAX_PARSE_KNOWN = 16 * MiB      # configs, shard indexes (real ones are a few MiB at most)
MAX_PARSE_OTHER = 5 * MiB       # tokenizer.json and friends: only the start is checked above this
MALFORMED = "malformed-json"
# TypeScript, JavaScript and editor settings are JSON with comments by convention (JSONC): a strict parse
# failing on them says nothing about the delivery.
_JSONC_NAME = re.compile(r"(?i)(?:^|/)(?:(?:tsconfig|jsconfig)(?:\.[\w-]+)?\.json|\.?devcontainer\.json)$"
                         r"|(?:^|/)\.vscode/[^/]+\.json$")
TOO_LARGE = "json-too-large"
_MAX_LIST = 1000


def json_kind(name: str) -> str:
    """The kind of JSON file a member name denotes."""
    base = posixpath.basename(name.replace("\\", "/")).lower()
    if base == "config.json":
        return "config"
    if base == "adapter_config.json":
        return "adapter-config"
    if base == "generation_config.json":
        return "generation-config"
    if base == "tokenizer_config.json":
        return "tokenizer-config"
    if base.endswith(".index.json"):
        return "shard-index"
    return "json"


def _text(value: Any) -> str | None:
    return clean_text(value, 4096) if isinstance(value, str) else None


def _scalar(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value, 4096)
    if isinstance(value, bool | float) or value is None:
        return value
    if isinstance(value, int):
        return value if abs(value) < 2**63 else str(value)
    return None


def _strings(value: Any) -> list[str] | None:
    if isinstance(value, str):
        return [clean_text(value, 4096)]
    if isinstance(value, list):
        return [clean_text(v, 4096) for v in value[:_MAX_LIST] if isinstance(v, str)]
    return None


def _string_map(value: Any) -> dict[str, Any] | None:
    if not isinstance(value, dict):
        return None
    out: dict[str, Any] = {}
    for key, item in list(value.items())[:_MAX_LIST]:
        out[clean_text(str(key), 256)] = _text(item) if isinstance(item, str) else _strings(item)
    return out


def _pick(data: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: _scalar(data[k]) for k in keys if k in data and _scalar(data[k]) is not None}


def _extract(kind: str, data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        return {}
    if kind == "config":
        out = _pick(data, ("_name_or_path", "model_type", "transformers_version", "torch_dtype", "dtype"))
        if (archs := _strings(data.get("architectures"))) is not None:
            out["architectures"] = archs
        if (auto_map := _string_map(data.get("auto_map"))) is not None:
            out["auto_map"] = auto_map
        quant = data.get("quantization_config")
        if isinstance(quant, dict) and isinstance(quant.get("quant_method"), str):
            out["quant_method"] = clean_text(quant["quant_method"], 256)
        return out
    if kind == "adapter-config":
        return _pick(data, ("base_model_name_or_path", "revision", "peft_type", "task_type"))
    if kind == "generation-config":
        return _pick(data, ("transformers_version", "_from_model_config", "bos_token_id", "eos_token_id",
                            "pad_token_id")) | (
            {"eos_token_id": [_scalar(x) for x in data["eos_token_id"][:_MAX_LIST]]}
            if isinstance(data.get("eos_token_id"), list) else {})
    if kind == "tokenizer-config":
        out = _pick(data, ("tokenizer_class", "name_or_path", "model_max_length"))
        out["has_chat_template"] = data.get("chat_template") not in (None, "", [])
        return out
    if kind == "shard-index":
        meta = data.get("metadata")
        weight_map = data.get("weight_map")
        out = {}
        if isinstance(meta, dict) and "total_size" in meta:
            out["total_size"] = _scalar(meta["total_size"])
        if isinstance(weight_map, dict):
            shards = sorted({v for v in weight_map.values() if isinstance(v, str)})
            out["shards"] = [clean_text(s, 1024) for s in shards[:_MAX_LIST]]
            out["tensors"] = len(weight_map)
        return out
    return {}


def _malformed(name: str, exc: json.JSONDecodeError) -> Problem:
    return Problem(MALFORMED, f"{name}: invalid JSON at line {exc.lineno}, column {exc.colno} ({exc.msg})")


def read_json(stream: BinaryIO, size: int, name: str) -> FormatInfo:
    """Check a JSON file (bounded) and pull out the facts of known config kinds."""
    kind = json_kind(name)
    info = FormatInfo(format="json", metadata={"kind": kind})
    cap = MAX_PARSE_OTHER if kind == "json" else MAX_PARSE_KNOWN
    reader = SequentialReader(stream, size)
    if size > cap:
        start = reader.take_upto(64 * 1024).lstrip(b"\xef\xbb\xbf \t\r\n")
        info.metadata["parsed"] = False
        if start[:1] not in (b"{", b"["):
            info.problems.append(Problem(MALFORMED, f"{name}: does not start like JSON "
                                                    f"(first byte {start[:1]!r})"))
        elif kind != "json":
            info.problems.append(Problem(TOO_LARGE, f"{name}: a {kind} of {size:,} bytes is larger than the "
                                                    f"{cap >> 20} MiB that are parsed; it was not read"))
        return info
    raw = reader.take_upto(cap)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        info.problems.append(Problem(MALFORMED, f"{name}: not valid UTF-8 at byte {exc.start}"))
        return info
    try:
        with large_parse_lock if len(raw) > LARGE_PARSE else contextlib.nullcontext():
            data = json.loads(text)
    except json.JSONDecodeError as exc:
        if kind == "json" and _JSONC_NAME.search(name.replace("\\", "/")):
            info.metadata.update(parsed=False, jsonc=True)  # comments are allowed there: not a broken file
            return info
        info.problems.append(_malformed(name, exc))
        return info
    except RecursionError:
        info.problems.append(Problem(MALFORMED, f"{name}: JSON is nested too deeply to read"))
        return info
    except ValueError as exc:          # e.g. an integer with more digits than Python allows
        info.problems.append(Problem(MALFORMED, f"{name}: JSON cannot be read ({short(str(exc))})"))
        return info
    info.metadata["parsed"] = True
    if kind != "json" and not isinstance(data, dict):
        info.problems.append(Problem(MALFORMED, f"{name}: expected a JSON object, found "
                                                f"{type(data).__name__}"))
    info.metadata.update(_extract(kind, data))
    return info
