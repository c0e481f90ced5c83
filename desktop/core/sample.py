"""The sample delivery: a tiny model folder assembled from resources/ and the reference library.

No license text lives in the repository: the sample's LICENSE is written from the
reference library (ScanCode LicenseDB) at run time, and the tiny weights are generated.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import struct
import tempfile
from pathlib import Path

SAMPLE_LICENSE_KEY = "apache-2.0"


def sample_weights() -> bytes:
    """A valid safetensors file: an F32 [8, 4] embedding and an F16 [8] bias, deterministic."""
    tensors = {
        "model.embed_tokens.weight": ("F32", [8, 4], b"".join(struct.pack("<f", i / 32) for i in range(32))),
        "lm_head.bias": ("F16", [8], b"\x00\x3c" * 8),  # 1.0 in half precision
    }
    header: dict[str, object] = {"__metadata__": {"format": "pt"}}
    data = b""
    for name, (dtype, shape, raw) in tensors.items():
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    encoded = json.dumps(header, separators=(",", ":")).encode()
    encoded += b" " * (-len(encoded) % 8)
    return struct.pack("<Q", len(encoded)) + encoded + data


def build_sample(dest: Path, template_dir: Path) -> Path:
    """Create the sample delivery at ``dest`` (once; rebuilt when its sources change) and return it."""
    marker = dest.with_name(dest.name + ".complete")
    stamp = _stamp(template_dir)
    if dest.is_dir() and marker.is_file() and marker.read_text(encoding="utf-8") == stamp:
        return dest
    from desktop.core.licenses import reference_dir
    from desktop.core.licenses.reference_file import read_reference

    license_text = read_reference(reference_dir() / f"{SAMPLE_LICENSE_KEY}.LICENSE").text
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".sample-", dir=dest.parent))
    try:
        for item in sorted(template_dir.iterdir()):
            if item.is_file():
                shutil.copyfile(item, staging / item.name)
        (staging / "LICENSE").write_text(license_text, encoding="utf-8")
        (staging / "model.safetensors").write_bytes(sample_weights())
        if dest.exists():
            shutil.rmtree(dest)
        staging.rename(dest)
        marker.write_text(stamp, encoding="utf-8")
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return dest


def _stamp(template_dir: Path) -> str:
    """A digest of the sample's sources, so an updated app rebuilds an old sample."""
    digest = hashlib.sha256(SAMPLE_LICENSE_KEY.encode())
    for item in sorted(template_dir.iterdir()):
        if item.is_file():
            digest.update(item.name.encode() + b"\0" + item.read_bytes())
    digest.update(sample_weights())
    return digest.hexdigest()
