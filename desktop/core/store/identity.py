"""Who is acting: a reviewer identity ("Name <email>") and its row in the store."""

from __future__ import annotations

import os
from dataclasses import dataclass
from email.utils import parseaddr

import sqlalchemy as sa
from sqlalchemy.orm import Session

from desktop.core.store.audit import append_event, reviewer_state
from desktop.core.store.models import Reviewer

ENV_REVIEWER = "AIREVIEW_REVIEWER"


@dataclass(frozen=True)
class Identity:
    """A reviewer as people name them; ``email`` may be empty when only a name is known."""

    name: str
    email: str = ""
    cert_fingerprint: str | None = None

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>" if self.email else self.name


def parse_identity(text: str) -> Identity:
    """``"Ada Lovelace <ada@firm.example>"``, ``"ada@firm.example"`` or a bare name."""
    text = text.strip()
    if not text:
        raise ValueError("A reviewer needs a name (\"Name <email>\").")
    name, email = parseaddr(text)
    if "<" in text and email:
        return Identity(name.strip() or email, email.strip().lower())
    if "@" in text and " " not in text:
        return Identity(text, text.lower())
    return Identity(text)


def identity_from_env() -> Identity | None:
    """The identity in ``AIREVIEW_REVIEWER``, if set."""
    value = os.environ.get(ENV_REVIEWER, "").strip()
    return parse_identity(value) if value else None


def ensure_reviewer(session: Session, who: Identity) -> Reviewer:
    """The reviewer row for ``who`` (by email, else by name), created or updated with an event."""
    if who.email:
        row = session.execute(sa.select(Reviewer).where(Reviewer.email == who.email)).scalar()
    else:
        row = session.execute(sa.select(Reviewer).where(
            Reviewer.name == who.name).order_by(Reviewer.id).limit(1)).scalar()
    if row is None:
        row = Reviewer(name=who.name, email=who.email or None, cert_fingerprint=who.cert_fingerprint)
        session.add(row)
        session.flush()
        append_event(session, str(who), "reviewer", row.id, "create", None, reviewer_state(row))
        return row
    wanted_cert = who.cert_fingerprint or row.cert_fingerprint
    if row.name != who.name or row.cert_fingerprint != wanted_cert:
        old = reviewer_state(row)
        row.name, row.cert_fingerprint = who.name, wanted_cert
        session.flush()
        append_event(session, str(who), "reviewer", row.id, "update", old, reviewer_state(row))
    return row


def reviewer_label(row: Reviewer | None) -> str | None:
    """``"Name <email>"`` of a reviewer row, or ``None``."""
    if row is None:
        return None
    return f"{row.name} <{row.email}>" if row.email else row.name


def actor_label(row: Reviewer) -> str:
    """Who acted, as the audit trail records it: ``"Name <email>"`` and, when the reviewer has a
    signing certificate, its SHA-256 fingerprint (``"... [cert 3f2a...]"``)."""
    label = reviewer_label(row) or ""
    return f"{label} [cert {row.cert_fingerprint}]" if row.cert_fingerprint else label


def same_person(a: Reviewer, b: Reviewer) -> bool:
    """Whether two reviewer rows are one person: the same row, or the same signing certificate
    (a certificate is one person whatever name or email is typed next to it)."""
    return a.id == b.id or bool(a.cert_fingerprint and a.cert_fingerprint == b.cert_fingerprint)
