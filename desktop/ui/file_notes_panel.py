"""File notes: what a reviewer learned about one delivered file, kept with the review (audited)."""

from __future__ import annotations

from typing import Any

from desktop.ui.thread_panel import ThreadPanel


class FileNotesPanel(ThreadPanel):
    """Notes on the file selected in the inventory, for the open review."""

    def __init__(self, identity: Any, parent: Any = None) -> None:
        super().__init__(identity, parent)
        self.browser.setAccessibleName(self.tr("Notes on the file"))
        self.editor.setAccessibleName(self.tr("New note on the file"))
        self.editor.setPlaceholderText(self.tr("A note on this file (Ctrl+Enter to add)"))
        self.post_button.setText(self.tr("Add &note"))

    def empty_text(self) -> str:
        return self.tr("Start or open a review and select a file to keep notes on it.")

    def heading_text(self) -> str:
        return self.tr("Notes on {0}").format(self.key)

    def load(self) -> list[dict[str, Any]]:
        return list(self.store.file_notes(self.review_id, self.key))

    def store_entry(self, text: str) -> int:
        return int(self.store.add_file_note(self.review_id, self.key, text, reviewer=self._identity()))
