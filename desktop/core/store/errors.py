"""Errors the review store raises; each message names the database or record and the cause."""

from __future__ import annotations


class StoreError(Exception):
    """The review database cannot be used (not a database, newer schema, bad URL, ...)."""


class StoreBusy(StoreError):
    """Another process holds the database's write lock longer than the busy timeout."""


class NotFound(StoreError):
    """A review, answer, delivery or precedent id that does not exist."""


class PolicyError(StoreError):
    """The action breaks a firm rule (four-eyes approval, unknown status, undecided items)."""
