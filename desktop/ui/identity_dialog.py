"""First run: who you are (name, email) and the signing identity your approvals and memos carry.

The signing identity is created here (a local CA and a certificate, protected by a passphrase) or
imported (the firm's own .p12).  Its certificate fingerprint is recorded with every decision, and
approving opens it with its passphrase, so the four-eyes rule compares certificates.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.settings import Settings
from desktop.ui.choosers import Choosers


class IdentityDialog(QDialog):
    """Name, email and a signing identity; :meth:`preferences` is the settings with them."""

    def __init__(self, prefs: Settings, choosers: Choosers, parent: QWidget | None = None, *,
                 folder: Path | None = None) -> None:
        super().__init__(parent)
        self._prefs, self._choosers, self._folder = prefs, choosers, folder
        self._info: Any = None
        self.setWindowTitle(self.tr("Who is reviewing?"))
        from desktop.core.store import parse_identity

        try:
            who = parse_identity(prefs.reviewer) if prefs.reviewer.strip() else None
        except ValueError:
            who = None
        self.name = QLineEdit(who.name if who else "", self)
        self.email = QLineEdit(who.email if who else "", self)
        self.name.setAccessibleName(self.tr("Your name"))
        self.email.setAccessibleName(self.tr("Your email"))
        self.signing = QLabel(self._describe(prefs), self)
        self.signing.setWordWrap(False)  # a wrapped label in a form row overlapped the row above
        self.create_button = QPushButton(self.tr("&Create signing identity…"), self)
        self.import_button = QPushButton(self.tr("&Import .p12…"), self)
        self.create_button.clicked.connect(self.create_identity)
        self.import_button.clicked.connect(self.import_identity)
        self.message = QLabel("", self)
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("&Name:"), self.name)
        form.addRow(self.tr("&Email:"), self.email)
        form.addRow(self.tr("Signing identity:"), self.signing)
        row = QHBoxLayout()
        row.addWidget(self.create_button)
        row.addWidget(self.import_button)
        row.addStretch(1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        intro = QLabel(self.tr(
            "Decisions are recorded under your name and your signing certificate. Approving a "
            "review and signing its memo need the certificate's passphrase."), self)
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        for field in (self.name, self.email):
            field.textChanged.connect(self._update)
        self._update()

    def _describe(self, prefs: Settings) -> str:
        if prefs.signing_identity and Path(prefs.signing_identity).is_file():
            return self.tr("{0} (certificate {1}…)").format(Path(prefs.signing_identity).name,
                                                          prefs.signing_fingerprint[:16])
        return self.tr("none yet")

    def _label(self) -> str:
        return f"{self.name.text().strip()} <{self.email.text().strip().lower()}>"

    def _update(self) -> None:
        named = bool(self.name.text().strip()) and "@" in self.email.text()
        signing = self._info is not None or self._prefs.has_identity()
        self.create_button.setEnabled(named)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(named and signing)

    def create_identity(self) -> None:
        """Create a signing identity for the name and email typed above."""
        from desktop.ui.identity_actions import create_identity_flow

        self._take(create_identity_flow(self, self._choosers, self._label(), self._folder))

    def import_identity(self) -> None:
        """Import the firm's .p12; its holder's name and email fill the fields."""
        from desktop.ui.identity_actions import import_identity_flow

        info = import_identity_flow(self, self._choosers, self._folder)
        if info is not None:
            self.name.setText(info.name)
            self.email.setText(info.email)
        self._take(info)

    def _take(self, info: Any) -> None:
        if info is None:
            return
        self._info = info
        self.signing.setText(self.tr("{0} (certificate {1}…)").format(
            Path(info.path).name, info.cert_fingerprint[:16]))
        self._update()
        self.adjustSize()  # the longer text wraps onto a second line: make room rather than overlap

    def accept(self) -> None:
        """Keep the identity only when the certificate names the person typed above."""
        info = self._info
        if info is not None and info.email.lower() != self.email.text().strip().lower():
            self.message.setText(self.tr(
                "The signing certificate is for {0}; use that email or create an identity for "
                "{1}.").format(info.email, self.email.text().strip()))
            return
        super().accept()

    def preferences(self) -> Settings:
        """The settings with this reviewer and signing identity."""
        if self._info is None:
            return replace(self._prefs, reviewer=self._label())
        return replace(self._prefs, reviewer=self._label(), signing_identity=str(self._info.path),
                       signing_fingerprint=self._info.cert_fingerprint)
