"""The review store: every decision kept in SQLite (or a team's PostgreSQL), with its history.

Open it with :func:`open_store` (migrations in ``migrations/`` run on open); each
:class:`Store` method is one committed transaction and returns plain dicts/dataclasses::

    store = open_store()                      # env AIREVIEW_DB, saved setting, else reviews.db
    rid = store.create_review(scan, reviewer="Ada <ada@firm.example>", vendor="Acme",
                              product="acme-7b", version="1.1", purpose="internal chatbot")
    store.answer(rid, "commercial_use", "accept", "Apache-2.0 permits it", reviewer=...)
    store.set_status(rid, "approved", reviewer="Bob <bob@firm.example>")  # four eyes
    store.search(vendor="Acme", status="approved", license_key="apache-2.0", since="2025-01-01")
    store.get_review(rid)                     # delivery, licenses, findings, answers, comments
    store.diff_reviews(old, rid)              # files/licenses/findings changed between versions
    store.carry_over(rid, reviewer=...)       # unchanged answers, marked as carried over
    store.save_precedent(rid, item, reviewer=...); store.precedents_for(rid)  # proposals only
    store.accept_precedent(rid, precedent_id, reviewer=...)
    store.record_memo(rid, sha256, signer=...); store.add_reference_text(key, title, text, ...)
    store.audit_verify()                      # AuditReport: chain + rows vs. last events
    store.audit_head()                        # {"seq", "hash"}: what a signed memo carries
    store.audit_check_anchor(seq, hash)       # None while the chain still passes through it
    store.history(review_id=rid)              # who changed what, when, old -> new

Reviewers are ``"Name <email>"`` strings or :class:`Identity`.  Errors are :class:`StoreError`
subclasses: :class:`StoreBusy` (another process holds the write lock), :class:`NotFound`,
:class:`PolicyError` (four-eyes rule, unknown status/decision, missing rationale).
"""

from __future__ import annotations

from desktop.core.store.audit import AuditReport
from desktop.core.store.engine import configured_url, default_sqlite_url, save_database_url
from desktop.core.store.errors import NotFound, PolicyError, StoreBusy, StoreError
from desktop.core.store.identity import Identity, identity_from_env, parse_identity
from desktop.core.store.models import DECISIONS, REVIEW_STATUSES
from desktop.core.store.reviews import CHECKLIST_ITEMS, DEFAULT_CHECKLIST
from desktop.core.store.store import Store, open_store

__all__ = [
    "CHECKLIST_ITEMS", "DECISIONS", "DEFAULT_CHECKLIST", "REVIEW_STATUSES", "AuditReport",
    "Identity", "NotFound", "PolicyError", "Store", "StoreBusy", "StoreError", "configured_url",
    "default_sqlite_url", "identity_from_env", "open_store", "parse_identity", "save_database_url",
]
