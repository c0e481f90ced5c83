"""Start a review of the opened delivery: vendor, product, version and purpose of use."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget


class ReviewForm(QWidget):
    """``start_requested`` carries ``{vendor, product, version, purpose}``."""

    start_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel("", self)
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.heading.setFont(font)
        self.overview = QLabel("", self)
        self.overview.setWordWrap(True)
        self.overview.setAccessibleName(self.tr("What the scan suggests"))
        intro = QLabel(self.tr("Start a review of this delivery. Naming the vendor and product links "
                               "it to earlier versions, so changes can be compared; precedents "
                               "are matched on the license and the purpose."), self)
        intro.setWordWrap(True)
        self.vendor = QLineEdit(self)
        self.product = QLineEdit(self)
        self.version = QLineEdit(self)
        self.purpose = QLineEdit(self)
        form = QFormLayout()
        for label, edit, name in ((self.tr("Ve&ndor:"), self.vendor, self.tr("Vendor")),
                                  (self.tr("&Product:"), self.product, self.tr("Product")),
                                  (self.tr("V&ersion:"), self.version, self.tr("Version")),
                                  (self.tr("P&urpose of use:"), self.purpose, self.tr("Purpose of use"))):
            edit.setAccessibleName(name)
            form.addRow(label, edit)
        self.start_button = QPushButton(self.tr("S&tart review"), self)
        self.start_button.setAccessibleName(self.tr("Start review"))
        self.start_button.clicked.connect(lambda: self.start_requested.emit(self.values()))
        self.purpose.returnPressed.connect(self.start_button.click)
        self.message = QLabel("", self)
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.overview)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.start_button)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.setMaximumWidth(760)

    def prefill(self, product: str, vendor: str = "", version: str = "", overview: str = "") -> None:
        self.heading.setText(self.tr("Review of {0}").format(product))
        self.overview.setText(overview)
        self.overview.setVisible(bool(overview))
        self.product.setText(product)
        self.vendor.setText(vendor)
        self.version.setText(version)
        self.message.clear()

    def values(self) -> dict[str, Any]:
        return {"vendor": self.vendor.text().strip() or None, "product": self.product.text().strip() or None,
                "version": self.version.text().strip() or None, "purpose": self.purpose.text().strip()}
