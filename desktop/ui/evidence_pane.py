"""The evidence of the selected checklist item beside it: the delivered document scrolled to the
quoted clause, every quote of that document highlighted, quotes stepped through with F8 / Shift+F8,
reference-library texts labelled as such, and the redline one tab away."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from desktop.ui import evidence as ev
from desktop.ui.labels import selectable_label
from desktop.ui.text_viewer import TextViewer

# show(viewer, path, lines, page, marks) -> None when shown, else why the text is not available
ShowText = Callable[[TextViewer, str, "tuple[int, int] | None", "int | None", "list[tuple[int, int]]"], "str | None"]


def _plain(parent: QWidget, name: str) -> QLabel:
    return selectable_label(parent, name)


class EvidencePane(QWidget):
    """``quote_shown(n)`` after quote ``n`` (0-based) is shown."""

    quote_shown = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.show_text: ShowText | None = None
        self.quotes: list[dict[str, Any]] = []
        self.current = -1
        self.position = _plain(self, self.tr("Which quote"))
        self.previous_button = QToolButton(self)
        self.previous_button.setText(self.tr("◂ Previous"))
        self.previous_button.setToolTip(self.tr("Previous quote (Shift+F8)"))
        self.previous_button.setAccessibleName(self.tr("Previous quote"))
        self.previous_button.clicked.connect(lambda: self.step(-1))
        self.next_button = QToolButton(self)
        self.next_button.setText(self.tr("Next ▸"))
        self.next_button.setToolTip(self.tr("Next quote (F8)"))
        self.next_button.setAccessibleName(self.tr("Next quote"))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.where = _plain(self, self.tr("Where the quote is"))
        self.quote = _plain(self, self.tr("Quoted text"))
        font = self.quote.font()
        font.setItalic(True)
        self.quote.setFont(font)
        self.message = _plain(self, self.tr("Evidence message"))
        self.viewer = TextViewer(self)
        self.viewer.set_clauses_visible(False)
        self.viewer.show_found = False  # only the quotes stand out
        self.viewer.title.setVisible(False)
        self.viewer.setAccessibleName(self.tr("The document quoted as evidence"))
        bar = QHBoxLayout()
        bar.addWidget(self.position, 1)
        bar.addWidget(self.previous_button)
        bar.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.where)
        layout.addWidget(self.quote)
        layout.addWidget(self.message)
        layout.addWidget(self.viewer, 1)
        self.set_evidence([])

    def set_evidence(self, quotes: list[dict[str, Any]]) -> None:
        """Show the evidence of one item, from its first quote in a delivered file."""
        self.quotes = list(quotes)
        self.current = -1
        if not self.quotes:
            self.position.setText(self.tr("No quoted evidence for this item."))
            for label in (self.where, self.quote, self.message):
                label.clear()
            self.quote.setVisible(False)
            self.message.setText(self.tr("No clause is quoted for this suggestion (it rests on what the "
                                         "delivery does not say, or on what the scanner read)."))
            self.message.setVisible(True)
            self.viewer.setVisible(False)
            self._buttons()
            return
        first = next((n for n, q in enumerate(self.quotes) if q.get("origin", "delivered") == "delivered"
                      and q.get("path")), 0)
        self.show_quote(first)

    def step(self, delta: int) -> None:
        """The next (``delta`` 1) or previous (-1) quote, wrapping around."""
        if self.quotes:
            self.show_quote((self.current + delta) % len(self.quotes))

    def show_quote(self, n: int) -> None:
        """Show quote ``n``: its document scrolled to it, every quote of that document marked."""
        if not 0 <= n < len(self.quotes):
            return
        self.current = n
        item = self.quotes[n]
        path, lines, page = ev.evidence_target(item)
        self.position.setText(self.tr("Quote {0} of {1}").format(n + 1, len(self.quotes)))
        self.where.setText(self._where(item, path, lines, page))
        quote = str(item.get("quote") or "")
        self.quote.setText(f"\u201c{quote}\u201d" if quote else "")
        self.quote.setVisible(bool(quote))
        self.message.clear()
        marks = [span for q in self.quotes if (t := ev.evidence_target(q))[0] == path and (span := t[1])]
        problem = None
        if item.get("origin") == "scan" or not path or self.show_text is None:
            problem = str(item.get("note") or "") or self.tr("What the scanner read; there is no text to show.")
        else:
            problem = self.show_text(self.viewer, path, lines, page, marks)
        self.message.setText(problem or "")
        self.message.setVisible(bool(problem))
        self.viewer.setVisible(not problem)  # never leave another file's text beside this quote
        self._buttons()
        self.quote_shown.emit(n)

    def _where(self, item: dict[str, Any], path: str, lines: Any, page: Any) -> str:
        origin = item.get("origin") or "delivered"
        if origin == "reference" or path.startswith(ev.REFERENCE_PREFIX):
            return self.tr("Reference library copy of {0}, not a delivered file{1}").format(
                path[len(ev.REFERENCE_PREFIX):] if path.startswith(ev.REFERENCE_PREFIX) else path,
                f", {self._lines(lines)}" if lines else "")
        if origin == "scan":
            return self.tr("Read by the scanner from {0} (metadata, no quote)").format(path)
        where = self._lines(lines) if lines else self.tr("page {0}").format(page) if page else ""
        return self.tr("Delivered file {0}{1}").format(path, f", {where}" if where else "")

    def _lines(self, lines: Any) -> str:
        """'line 7' or 'lines 7–9'."""
        first, last = lines[0], lines[-1]
        return self.tr("line {0}").format(first) if first == last else self.tr("lines {0}–{1}").format(first, last)

    def _buttons(self) -> None:
        several = len(self.quotes) > 1
        self.previous_button.setEnabled(several)
        self.next_button.setEnabled(several)
