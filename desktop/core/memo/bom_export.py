"""Write a review's CycloneDX AI-BOM to a file (the window's File > Export AI-BOM)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from desktop.core.memo.bom import cyclonedx_json


class BomError(Exception):
    """The BOM cannot be built (``invalid``) or written; ``reason`` says why, the message adds the file."""

    def __init__(self, message: str, reason: str, *, invalid: bool) -> None:
        super().__init__(message)
        self.reason, self.invalid = reason, invalid


def save_cyclonedx(snapshot: dict[str, Any], target: Path) -> Path:
    """Build the BOM of ``snapshot`` (checked against the CycloneDX 1.6 schema) and write it to
    ``target`` in one step (a temporary file beside it, then renamed), with the user's normal
    file permissions; the caller has asked before replacing an existing file."""
    try:
        text = cyclonedx_json(snapshot)
    except ValueError as exc:
        raise BomError(str(exc), str(exc), invalid=True) from exc
    target = Path(target)
    tmp = target.with_name(f".{target.name}.part")
    try:
        tmp.write_text(text + "\n", encoding="utf-8")
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        reason = f"cannot be written ({exc.strerror or exc})"
        raise BomError(f"{target} {reason}.", reason, invalid=False) from exc
    return target
