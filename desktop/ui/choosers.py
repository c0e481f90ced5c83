"""Native dialogs behind plain callables, so tests can replace them (offscreen has no dialogs).

Each attribute is a callable; production calls QFileDialog / QInputDialog / QMessageBox, the
platform's own dialogs.  A chooser given no starting place opens in the user's documents folder,
never in the app's working directory.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

BUNDLE_FILTER = "Bundles (*.zip *.tar *.tar.gz *.tgz *.tar.bz2 *.tar.xz *.pdf *.docx);;All files (*)"


def _tr(text: str) -> str:
    return QCoreApplication.translate("Choosers", text)


def documents_dir() -> Path:
    """The user's documents folder (the home folder when the platform names none)."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()


def start_in(start: str = "") -> str:
    """Where a file dialog opens: ``start`` when given; a bare file name goes in the documents
    folder; nothing given is the documents folder itself."""
    if not start:
        return str(documents_dir())
    path = Path(start)
    return str(documents_dir() / path) if not path.is_absolute() else start


def _folder(parent: QWidget, title: str, start: str = "") -> Path | None:
    folder = QFileDialog.getExistingDirectory(parent, title, start_in(start))
    return Path(folder) if folder else None


def _open_file(parent: QWidget, title: str, filters: str, start: str = "") -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, title, start_in(start), filters)
    return Path(name) if name else None


def _save_file(parent: QWidget, title: str, filters: str, start: str = "") -> Path | None:
    name, _ = QFileDialog.getSaveFileName(parent, title, start_in(start), filters)
    return Path(name) if name else None


def _secret(parent: QWidget, title: str, label: str) -> str | None:
    text, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Password)
    return text if ok else None


def _choice(parent: QWidget, title: str, label: str, options: list[str]) -> str | None:
    """The platform's message box with one button per option (the first is the default)."""
    if len(options) > 4:
        text, ok = QInputDialog.getItem(parent, title, label, options, 0, False)
        return text if ok and text else None
    box = QMessageBox(QMessageBox.Icon.Question, title, label, QMessageBox.StandardButton.NoButton, parent)
    buttons = [box.addButton(option, QMessageBox.ButtonRole.AcceptRole if n == 0
                             else QMessageBox.ButtonRole.ActionRole) for n, option in enumerate(options)]
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(buttons[0])
    box.setEscapeButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    return options[buttons.index(clicked)] if clicked in buttons else None


def _inform(parent: QWidget, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


@dataclass
class Choosers:
    """The dialogs a window opens; replace any attribute in tests with a plain function."""

    folder: Callable[[QWidget, str, str], Path | None] = _folder
    open_file: Callable[[QWidget, str, str, str], Path | None] = _open_file
    save_file: Callable[[QWidget, str, str, str], Path | None] = _save_file
    secret: Callable[[QWidget, str, str], str | None] = _secret
    choice: Callable[[QWidget, str, str, list[str]], str | None] = _choice
    inform: Callable[[QWidget, str, str], None] = _inform
    messages: list[str] = field(default_factory=list)

    def tell(self, parent: QWidget, title: str, text: str) -> None:
        """Show a message (and keep it, so a test or a log can read what the user was told)."""
        self.messages.append(text)
        self.inform(parent, title, text)
