"""Intake: turn a folder, archive or document into a read-only sequence of members.

``open_delivery(path, work_dir, limits)`` returns a delivery whose ``members(cancel)``
yields :class:`Member` objects; every stream they open enforces the :class:`Limits`.
"""

from __future__ import annotations

from desktop.core.intake.base import Delivery, LimitExceeded, Limits, Member, UnusableInput
from desktop.core.intake.delivery import IntakeDelivery, open_delivery, single_kind
from desktop.core.intake.names import is_archive_name

__all__ = [
    "Delivery",
    "IntakeDelivery",
    "LimitExceeded",
    "Limits",
    "Member",
    "UnusableInput",
    "is_archive_name",
    "open_delivery",
    "single_kind",
]
