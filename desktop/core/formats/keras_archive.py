"""Keras 3 ``.keras`` archives: version facts, Lambda layers and custom objects in config.json."""

from __future__ import annotations

import json
import zipfile
from typing import Any, BinaryIO

from desktop.core.formats.streams import MiB, clean_text, short
from desktop.core.formats.torch_zip import ZIP_ERRORS
from desktop.core.results import FormatInfo, Problem

MAX_METADATA = MiB
MAX_CONFIG = 50 * MiB
MAX_NODES = 2_000_000
BROKEN = "keras-broken"
LAMBDA = "keras-lambda"
CUSTOM = "keras-custom-object"
_KERAS_MODULES = ("keras", "tf_keras", "tensorflow")


def _read_json(zf: zipfile.ZipFile, member: str, cap: int) -> Any:
    """Parse one JSON member, bounded; raise ValueError with the cause."""
    try:
        info = zf.getinfo(member)
    except KeyError:
        raise ValueError(f"has no {member}") from None
    if info.file_size > cap:
        raise ValueError(f"{member} is {info.file_size} bytes, over the {cap >> 20} MiB limit")
    with zf.open(info) as handle:
        raw = handle.read(cap + 1)
    try:
        return json.loads(raw.decode("utf-8"))
    except RecursionError:
        raise ValueError(f"{member} is nested too deeply") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise ValueError(f"{member} is not valid JSON ({short(str(exc))})") from None


def _is_custom(node: dict[str, Any]) -> bool:
    module, registered = node.get("module"), node.get("registered_name")
    if isinstance(module, str) and module.split(".")[0] not in _KERAS_MODULES:
        return True
    return isinstance(registered, str) and ">" in registered


def scan_keras_config(config: Any) -> tuple[int, list[dict[str, Any]]]:
    """Count Lambda layers and list custom objects in a serialized Keras config (bounded walk)."""
    lambdas = 0
    custom: dict[tuple[str, str, str], None] = {}
    stack = [config]
    budget = MAX_NODES
    while stack and budget > 0:
        node = stack.pop()
        budget -= 1
        if isinstance(node, dict):
            if node.get("class_name") == "Lambda":
                lambdas += 1
            if "class_name" in node and _is_custom(node):
                key = tuple(clean_text(str(node.get(k)), 256)
                            for k in ("module", "class_name", "registered_name"))
                custom[key] = None  # type: ignore[index]
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    objects = [{"module": m, "class_name": c, "registered_name": r} for m, c, r in list(custom)[:1000]]
    return lambdas, objects


def read_keras(stream: BinaryIO, size: int, name: str) -> FormatInfo:
    """Read a ``.keras`` zip: keras_version/date_saved, Lambda layers and custom objects."""
    info = FormatInfo(format="keras")
    try:
        zf = zipfile.ZipFile(stream)
    except ZIP_ERRORS as exc:
        info.problems.append(Problem(BROKEN, f"{name}: not a readable zip archive ({short(str(exc))})"))
        return info
    with zf:
        try:
            meta = _read_json(zf, "metadata.json", MAX_METADATA)
            if isinstance(meta, dict):
                for key in ("keras_version", "date_saved"):
                    if isinstance(meta.get(key), str):
                        info.metadata[key] = clean_text(meta[key], 256)
        except (ValueError, *ZIP_ERRORS) as exc:
            info.problems.append(Problem(BROKEN, f"{name}: {exc}"))
        try:
            config = _read_json(zf, "config.json", MAX_CONFIG)
        except (ValueError, *ZIP_ERRORS) as exc:
            info.problems.append(Problem(BROKEN, f"{name}: {exc}"))
            return info
    lambdas, custom = scan_keras_config(config)
    info.metadata["lambda_layers"] = lambdas
    info.metadata["custom_objects"] = custom
    if lambdas:
        info.problems.append(Problem(LAMBDA, f"{name}: config.json has {lambdas} Lambda layer(s); they hold "
                                             "serialized Python code that runs if loaded unsafely"))
    if custom:
        names = ", ".join(f"{c['module']}.{c['class_name']}" for c in custom[:10])
        more = f" and {len(custom) - 10} more" if len(custom) > 10 else ""
        info.problems.append(Problem(CUSTOM, f"{name}: config.json refers to custom code not in Keras: "
                                             f"{names}{more} (needs review)"))
    return info
