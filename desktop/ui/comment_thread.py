"""The comment thread of one checklist item, where preparer and approver ask and answer
(audited); its help button opens the guide at that item."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPushButton

from desktop.ui.thread_panel import ThreadPanel


class CommentThread(ThreadPanel):
    """``help_requested(item_id)`` asks the window for the guide's section of the item."""

    help_requested = Signal(str)

    def __init__(self, identity: Any, parent: Any = None) -> None:
        self.title = ""
        super().__init__(identity, parent)
        self.browser.setAccessibleName(self.tr("Comments on the item"))
        self.editor.setAccessibleName(self.tr("New comment on the item"))
        self.editor.setPlaceholderText(self.tr("Ask or answer about this item (Ctrl+Enter to post)"))
        self.post_button.setText(self.tr("&Post comment"))
        self.help_button = QPushButton(self.tr("Help on this &item"), self)
        self.help_button.setAccessibleName(self.tr("What this checklist item checks"))
        self.help_button.clicked.connect(lambda: self.key and self.help_requested.emit(self.key))
        self.buttons.insertWidget(1, self.help_button)
        self.help_button.setEnabled(False)

    def set_item(self, store: Any, review_id: int | None, item: str | None, title: str = "") -> None:
        """Show the thread of ``item`` (its checklist ``title`` in the heading)."""
        self.title = title or (item or "")
        self.set_target(store, review_id, item)
        self.help_button.setEnabled(item is not None)

    def empty_text(self) -> str:
        return self.tr("Open a review to discuss its checklist items.")

    def heading_text(self) -> str:
        return self.tr("Discussion of \u201c{0}\u201d").format(self.title)

    def load(self) -> list[dict[str, Any]]:
        return list(self.store.item_comments(self.review_id, self.key))

    def store_entry(self, text: str) -> int:
        return int(self.store.add_item_comment(self.review_id, self.key, text, reviewer=self._identity()))
