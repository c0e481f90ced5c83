"""Loaded by every Python the test suite starts: refuse and record any non-local connection."""

from __future__ import annotations

import os

if os.environ.get("AIREVIEW_NETGUARD_LOG"):
    import sys

    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from netguard_impl import install  # type: ignore[import-not-found]

    install(os.environ["AIREVIEW_NETGUARD_LOG"])
