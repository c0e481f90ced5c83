"""About: the version, what a "safe" file verdict means, and credit for the reference texts."""

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
            "<p><b>What \u201csafe\u201d means.</b> A file is <i>safe</i> only when the scanner found and "
            "read to the end every pickle stream a loader (pickle, torch.load including legacy formats, "
            "numpy.load, joblib) would unpickle from it, and every object it imports is on a short "
            "allow-list of tensor and container rebuild functions. Any other import makes it <i>unsafe</i> "
            "(the import is named); a file that could not be read completely \u2014 broken, truncated, "
            "over a scan budget, an unknown layout \u2014 is <i>unverified</i> and blocks the review like an "
            "unsafe one under the default policy. Nothing is ever loaded or run to decide this. The verdict "
            "covers pickle-based files only: it does not cover Keras Lambda layers beyond the ones detected, "
            "custom model code run with trust_remote_code, or formats read by other loaders, and it says "
            "nothing about what the weights do once loaded.</p>"
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
