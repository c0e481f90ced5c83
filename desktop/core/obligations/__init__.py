"""The obligations register: what approving a review commits the company to, with its quotes."""

from desktop.core.obligations.derive import derive
from desktop.core.obligations.register import (
    KIND_TITLES,
    STATUS_TITLES,
    Basis,
    Kind,
    Obligation,
    Status,
    basis_of,
)

__all__ = ["KIND_TITLES", "STATUS_TITLES", "Basis", "Kind", "Obligation", "Status", "basis_of", "derive"]
