"""A list of dated, signed entries (notes or comments) with a box to add one: the shared part of
:class:`desktop.ui.file_notes_panel.FileNotesPanel` and :class:`desktop.ui.comment_thread.CommentThread`."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from desktop.core.store import StoreError

LOCKED = ("approved", "approved-with-conditions", "rejected")


def entries_html(entries: list[dict[str, Any]]) -> str:
    """Each entry as its author and time over its text."""
    return "".join(
        f"<p><b>{escape(str(e.get('author') or '?'))}</b> "
        f"<small>{escape(str(e.get('at') or '')[:16].replace('T', ' '))} UTC</small><br>"
        f"{escape(str(e.get('text') or '')).replace(chr(10), '<br>')}</p>" for e in entries)


class ThreadPanel(QWidget):
    """``added(id)`` after an entry is stored.  Subclasses say what they list and store."""

    added = Signal(int)

    def __init__(self, identity: Callable[[], Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._identity = identity
        self.store: Any = None
        self.review_id: int | None = None
        self.key: str | None = None
        self.entries: list[dict[str, Any]] = []
        self.heading = QLabel("", self)
        self.heading.setWordWrap(True)
        self.browser = QTextBrowser(self)
        self.editor = QPlainTextEdit(self)
        self.editor.setTabChangesFocus(True)
        self.editor.setMaximumHeight(90)
        self.post_button = QPushButton(self)
        self.post_button.clicked.connect(self.post)
        QShortcut(QKeySequence("Ctrl+Return"), self.editor, self.post)
        self.message = QLabel("", self)
        self.message.setWordWrap(True)
        self.buttons = QHBoxLayout()
        self.buttons.addWidget(self.message, 1)
        self.buttons.addWidget(self.post_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.heading)
        layout.addWidget(self.browser, 1)
        layout.addWidget(self.editor)
        layout.addLayout(self.buttons)
        self.set_target(None, None, None)

    # -- what subclasses provide -----------------------------------------------------------
    def empty_text(self) -> str:
        return ""

    def heading_text(self) -> str:
        return ""

    def load(self) -> list[dict[str, Any]]:
        raise NotImplementedError

    def store_entry(self, text: str) -> int:
        raise NotImplementedError

    # -- shared ----------------------------------------------------------------------------
    def set_target(self, store: Any, review_id: int | None, key: str | None) -> None:
        """Show the entries of ``key`` (a file path or an item id) in review ``review_id``."""
        self.store, self.review_id, self.key = store, review_id, key
        self.message.clear()
        self.refresh()

    def read_only(self) -> bool:
        if self.store is None or self.review_id is None or self.key is None:
            return True
        return self.store.get_review(self.review_id).get("status") in LOCKED

    def refresh(self) -> None:
        active = self.store is not None and self.review_id is not None and self.key is not None
        self.entries = self.load() if active else []
        self.heading.setText(self.heading_text() if active else self.empty_text())
        self.browser.setHtml(entries_html(self.entries))
        locked = self.read_only()
        self.editor.setEnabled(not locked)
        self.post_button.setEnabled(not locked)
        if active and locked:
            self.message.setText(self.tr("The review is decided and read-only; reopen it to add more."))

    def post(self) -> int | None:
        """Store the typed text; its id, or None (the reason shown)."""
        text = self.editor.toPlainText()
        if not text.strip() or self.read_only():
            return None
        try:
            new_id = self.store_entry(text)
        except (StoreError, ValueError) as exc:
            self.message.setText(str(exc))
            return None
        self.editor.clear()
        self.refresh()
        self.message.setText(self.tr("Saved."))
        self.added.emit(new_id)
        return new_id
