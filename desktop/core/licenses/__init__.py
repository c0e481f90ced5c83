"""License identification: a reference library (LicenseDB + firm texts) and the matcher.

Reference texts come from ScanCode's LicenseDB (CC-BY-4.0) as shipped in the
``scancode-toolkit-mini`` wheel; they are read as data, ScanCode's engine is never called.
"""

from __future__ import annotations

from desktop.core.licenses.entry import declared_licenses, entry_matches, identify_entry
from desktop.core.licenses.firm import save_firm_reference
from desktop.core.licenses.identify import LicenseMatch, identify_text
from desktop.core.licenses.library import Library, LibraryMissing, Reference, load_library, reference_dir


def reference_text(library: Library, key: str) -> str:
    """The reference text of ``key`` as stored in the library (raises KeyError when unknown)."""
    return library.text(key)


__all__ = [
    "Library",
    "LibraryMissing",
    "LicenseMatch",
    "Reference",
    "declared_licenses",
    "entry_matches",
    "identify_entry",
    "identify_text",
    "load_library",
    "reference_dir",
    "reference_text",
    "save_firm_reference",
]
