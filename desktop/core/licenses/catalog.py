"""Facts about reference keys that LicenseDB does not state well: families, real names, Hub ids."""

from __future__ import annotations

import re

# ScanCode 32.5.0 names that mislead reviewers: the name users must see instead.
REAL_NAMES = {
    "llama-4-license-2025": "Llama 4 Acceptable Use Policy",
    "llama-4-cla-2025": "Llama 4 Community License Agreement",
    "stable-diffusion-2022-08-22": "CreativeML OpenRAIL-M",
    "bigscience-open-rail-m2": "CreativeML OpenRAIL++-M",
    "bigscience-open-rail-m": "BigScience OpenRAIL-M",
    "bigscience-rail-1.0": "BigScience RAIL License v1.0 (BLOOM)",
}

# Key prefix -> family, first match wins (order matters: cc-by-nc before cc-by).
_FAMILY_PREFIXES = (
    ("llama", "llama"), ("gemma", "gemma"), ("qwen", "qwen"), ("tongyi-qianwen", "qwen"),
    ("deepseek", "deepseek"), ("bigscience-", "openrail"), ("bigcode-open-rail", "openrail"),
    ("stable-diffusion-2022", "openrail"), ("openrail", "openrail"), ("creativeml", "openrail"),
    ("stability-", "stability"), ("nvidia", "nvidia"), ("apache", "apache"), ("mit", "mit"),
    ("bsd", "bsd"), ("0bsd", "bsd"), ("agpl", "agpl"), ("lgpl", "lgpl"), ("gpl", "gpl"),
    ("mpl", "mpl"), ("cc-by-nc", "cc-by-nc"), ("cc-by", "cc-by"), ("cc0", "cc0"), ("epl", "epl"),
    ("falcon", "falcon"), ("fair-ai", "fair"), ("ltxv", "ltxv"), ("flux", "flux"),
    # The Historical Permission Notice and Disclaimer and its variants, the PIL license among
    # them (Pillow ships PIL's text and calls it HPND).
    ("historical", "hpnd"), ("hpnd", "hpnd"), ("secret-labs", "hpnd"),
)


def family_of(key: str, meta: dict | None = None) -> str:
    """The family of a key (llama, gemma, openrail, apache, cc-by-nc, ...)."""
    if meta and isinstance(meta.get("family"), str) and meta["family"].strip():
        return meta["family"].strip()
    for prefix, family in _FAMILY_PREFIXES:
        if key.startswith(prefix):
            return family
    head = re.match(r"[a-z]+", key)
    return head.group(0) if head else key


def display_name(key: str, meta: dict) -> str:
    """The name shown to users: the corrected name for known traps, else LicenseDB's."""
    return REAL_NAMES.get(key) or str(meta.get("name") or meta.get("short_name") or key)


def spdx_of(key: str, meta: dict) -> str:
    """SPDX id of a reference, else ``LicenseRef-scancode-<key>`` (firm: ``LicenseRef-firm-<key>``)."""
    spdx = meta.get("spdx_license_key")
    if isinstance(spdx, str) and spdx.strip():
        return spdx.strip()
    return f"LicenseRef-firm-{key}" if meta.get("firm") else f"LicenseRef-scancode-{key}"


# Hugging Face Hub license ids that are not SPDX ids -> our key, or (None, family) when the id
# names a family without pinning a version the library holds.
HUB_IDS: dict[str, tuple[str | None, str]] = {
    "llama2": ("llama-2-license-2023", "llama"),
    "llama3": (None, "llama"),
    "llama3.1": ("llama-3.1-license-2024", "llama"),
    "llama3.2": ("llama-3.2-license-2024", "llama"),
    "llama3.3": ("llama-3.3-license-2024", "llama"),
    "llama4": ("llama-4-cla-2025", "llama"),
    "gemma": (None, "gemma"),
    "openrail": (None, "openrail"),
    "openrail++": ("bigscience-open-rail-m2", "openrail"),
    "creativeml-openrail-m": ("stable-diffusion-2022-08-22", "openrail"),
    "bigscience-openrail-m": ("bigscience-open-rail-m", "openrail"),
    "bigscience-bloom-rail-1.0": ("bigscience-rail-1.0", "openrail"),
    "bigcode-openrail-m": ("bigcode-open-rail-m-v1", "openrail"),
    "cdla-permissive-2.0": ("cdla-permissive-2.0", "cdla"),
    "openmdw-1.0": ("openmdw-1.0", "openmdw"),
    "openmdw-1.1": (None, "openmdw"),
    "deepfloyd-if-license": (None, "deepfloyd"),
    "fair-noncommercial-research-license": (None, "fair"),
    "apple-amlr": (None, "apple"),
    "apple-ascl": (None, "apple"),
    "grok2-community": (None, "grok"),
    "bsd": (None, "bsd"),
    "gpl": (None, "gpl"),
    "lgpl": (None, "lgpl"),
    "cc": (None, "cc"),
    "cc-by-2.0": ("cc-by-2.0", "cc-by"),
    "afl-3.0": ("afl-3.0", "afl"),
    "bsd-2-clause": ("bsd-simplified", "bsd"),
    "bsd-3-clause": ("bsd-new", "bsd"),
    "bsd-3-clause-clear": ("bsd-3-clause-clear", "bsd"),
    "gpl-2.0": ("gpl-2.0", "gpl"),
    "gpl-3.0": ("gpl-3.0", "gpl"),
    "lgpl-2.1": ("lgpl-2.1", "lgpl"),
    "lgpl-3.0": ("lgpl-3.0", "lgpl"),
    "agpl-3.0": ("agpl-3.0", "agpl"),
    "ecl-2.0": ("ecl-2.0", "ecl"),
    "wtfpl": ("wtfpl-2.0", "wtfpl"),
    "unlicense": ("unlicense", "unlicense"),
    "mit": ("mit", "mit"),
    "apache-2.0": ("apache-2.0", "apache"),
    "pddl": ("pddl-1.0", "pddl"),
    "odbl": ("odbl-1.0", "odbl"),
    "odc-by": ("odc-by-1.0", "odc"),
    "c-uda": ("c-uda-1.0", "c-uda"),
    # license_name ids seen beside `license: other` on model cards: families the library holds no
    # pinned text for (the edition is read from the delivered text, never guessed from the id)
    "tencent-hunyuan-community": (None, "tencent"),
    "tencent-license": (None, "tencent"),
    "hunyuan-community": (None, "tencent"),
    "exaone": (None, "exaone"),
    "stable-cascade-nc-community": (None, "stability"),
    "stable-audio-community": (None, "stability"),
    "stabilityai-ai-community": (None, "stability"),
    "flux-1-dev-non-commercial-license": ("flux-1-nc", "flux"),
    "deepseek": (None, "deepseek"),
    "deepseek-license": (None, "deepseek"),
    "qwen": (None, "qwen"),
    "qwen-research": (None, "qwen"),
    "mnpl": (None, "mistral"),
    "mrl": (None, "mistral"),
    "yi-license": (None, "yi"),
    "glm-4": (None, "glm"),
    "databricks-open-model-license": (None, "dbrx"),
    "unknown": (None, "unknown"),
    "other": (None, "other"),
}
