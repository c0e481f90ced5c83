"""Default file names of what a review exports: ``vendor-product-version-review-memo.pdf``."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

_NOT_SAFE = re.compile(r"[^a-z0-9.]+")
MAX_PART = 60


def slug(text: str | None) -> str:
    """Lower-case ASCII words joined by hyphens (``"Acme AI, Inc."`` -> ``"acme-ai-inc"``)."""
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode("ascii")
    cleaned = _NOT_SAFE.sub("-", plain.lower()).strip("-.")
    return re.sub(r"-{2,}", "-", cleaned)[:MAX_PART].strip("-.")


def export_name(delivery: Mapping[str, Any], ending: str, fallback: str = "delivery") -> str:
    """``vendor-product-version-<ending>`` from a delivery's fields, skipping the empty ones."""
    parts = [slug(str(delivery.get(key) or "")) for key in ("vendor", "product", "version")]
    stem = "-".join(p for p in parts if p) or fallback
    return f"{stem}-{ending}"


def memo_file_name(delivery: Mapping[str, Any]) -> str:
    """The memo's default file name, e.g. ``acme-acme-7b-1.1-review-memo.pdf``."""
    return export_name(delivery, "review-memo.pdf")


def bom_file_name(delivery: Mapping[str, Any]) -> str:
    """The AI-BOM's default file name, e.g. ``acme-acme-7b-1.1-aibom.cdx.json``."""
    return export_name(delivery, "aibom.cdx.json")
