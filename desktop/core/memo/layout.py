"""Page geometry shared by the PDF renderer and the signer (PDF points, origin bottom left).

The renderer keeps a band free at the bottom of the memo's last page; the preparer's and the
approver's visible signature boxes are placed side by side in that band.
"""

from __future__ import annotations

from dataclasses import dataclass

MM = 72 / 25.4

PAGE_SIZES: dict[str, tuple[float, float]] = {
    "A4": (595.28, 841.89),
    "Letter": (612.0, 792.0),
}

MARGIN_LEFT = 18 * MM
MARGIN_RIGHT = 18 * MM
MARGIN_TOP = 16 * MM
MARGIN_BOTTOM = 10 * MM
FOOTER_HEIGHT = 8 * MM          # page number line, inside the bottom of the printable area
SIGNATURE_BAND = 34 * MM        # kept free above the footer on the last page
BOX_GAP = 8 * MM

ROLES = ("preparer", "approver")
FIELD_NAMES = {"preparer": "PreparerSignature", "approver": "ApproverSignature"}


@dataclass(frozen=True)
class PageGeometry:
    """Page size and the printable body of one memo page, in points."""

    width: float
    height: float

    @property
    def body_width(self) -> float:
        return self.width - MARGIN_LEFT - MARGIN_RIGHT

    @property
    def body_height(self) -> float:
        """Height available to text on a page (the footer line excluded)."""
        return self.height - MARGIN_TOP - MARGIN_BOTTOM - FOOTER_HEIGHT


def page_geometry(page_size: str) -> PageGeometry:
    """The geometry of ``"A4"`` or ``"Letter"``; raises ValueError for anything else."""
    try:
        width, height = PAGE_SIZES[page_size]
    except KeyError:
        raise ValueError(f"Unknown page size {page_size!r}; use A4 or Letter.") from None
    return PageGeometry(width, height)


def signature_box(width: float, role: str) -> tuple[int, int, int, int]:
    """The visible signature box of ``role`` on the last page (x1, y1, x2, y2 in points)."""
    if role not in ROLES:
        raise ValueError(f"Unknown signer role {role!r}; use preparer or approver.")
    usable = width - MARGIN_LEFT - MARGIN_RIGHT
    box_width = (usable - BOX_GAP) / 2
    left = MARGIN_LEFT + (0 if role == "preparer" else box_width + BOX_GAP)
    bottom = MARGIN_BOTTOM + FOOTER_HEIGHT + 2 * MM
    top = bottom + SIGNATURE_BAND - 6 * MM
    return (round(left), round(bottom), round(left + box_width), round(top))
