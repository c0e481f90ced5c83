"""Help > Guide: the short in-app guide (``resources/help/guide.html``) in a QTextBrowser, opened
at a section (a checklist item's id, ``safe-files``, ``four-eyes``) when asked."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

GUIDE = "guide.html"


def guide_path() -> Path:
    from desktop import paths

    return paths.resources_dir() / "help" / GUIDE


def guide_html(item: Any = None) -> str:
    """The guide's HTML; with a checklist item the guide has no section for, that item's own
    question and guidance come first."""
    try:
        html = guide_path().read_text(encoding="utf-8")
    except OSError:
        html = "<p>The guide is missing from this installation.</p>"
    if item is not None and f'name="{item.id}"' not in html:
        own = (f'<h2><a name="{escape(item.id)}"></a>{escape(item.title)}</h2>'
               f"<p><i>{escape(item.question)}</i></p><p>{escape(item.guidance)}</p>")
        html = own + html
    return html


class HelpDialog(QDialog):
    """A non-modal guide window; :meth:`show_section` scrolls it to an anchor."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("AI Review Desk guide"))
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        self.resize(640, 560)
        self.browser = QTextBrowser(self)
        self.browser.setAccessibleName(self.tr("Guide"))
        self.browser.setOpenExternalLinks(False)
        self.section = "top"
        self.browser.setHtml(guide_html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)

    def show_section(self, section: str = "top", item: Any = None) -> None:
        """Show the guide at ``section`` (a checklist item when ``item`` is given)."""
        if item is not None:
            self.browser.setHtml(guide_html(item))
            section = item.id
        self.section = section
        self.show()
        if section == "top":
            self.browser.verticalScrollBar().setValue(0)
        else:
            self.browser.scrollToAnchor(section)
        if QGuiApplication.platformName() != "offscreen":  # the test platform cannot raise windows
            self.raise_()
        self.activateWindow()
