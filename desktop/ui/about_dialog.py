"""About: the version, and credit for the reference texts (ScanCode LicenseDB, CC-BY-4.0)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from desktop.ui.icons import icon


class AboutDialog(QDialog):
    """A short dialog; its text is selectable and its links open in the browser."""

    def __init__(self, version: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("About AI Review Desk"))
        logo = QLabel(self)
        logo.setPixmap(icon("app").pixmap(64, 64))
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setOpenExternalLinks(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.text.setAccessibleName(self.tr("About this application"))
        self.text.setText(self.tr(
            "<h2>AI Review Desk</h2><p>Version {0}</p>"
            "<p>Offline legal review of AI model deliveries.</p>"
            "<p>License reference texts: <a href='https://scancode-licensedb.aboutcode.org/'>ScanCode "
            "LicenseDB</a> by nexB Inc. and others, used under the "
            "<a href='https://creativecommons.org/licenses/by/4.0/'>Creative Commons Attribution 4.0 "
            "International license (CC-BY-4.0)</a>, as shipped in scancode-toolkit.</p>").format(version))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(logo, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)
