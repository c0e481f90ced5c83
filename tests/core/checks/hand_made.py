"""Hand-made deliveries and reference texts shared by the checks tests."""

from __future__ import annotations

from pathlib import Path

from desktop.core.licenses.library import reference_dir
from desktop.core.licenses.reference_file import read_reference


# Made-up model terms in our own words: a grant, forbidden uses, a user threshold, law and courts.
TINY_TERMS = """Tiny Model Terms

1. Grant. You may use, copy and modify the model weights.
2. You will not use the model for any military or illegal purposes.
3. If your products have more than 5 million monthly active users, you must ask us for a license.
4. These terms are governed by the laws of Ruritania.
5. Any dispute shall be submitted exclusively to the courts of Zenda.
"""


def ref_text(key: str) -> str:
    """A reference text, found the way the app finds the library."""
    return read_reference(reference_dir() / f"{key}.LICENSE").text


def make(folder: Path, files: dict[str, str | bytes]) -> Path:
    """A delivery folder holding ``files`` (name -> text or bytes)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder
