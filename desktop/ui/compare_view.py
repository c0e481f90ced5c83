"""What changed between two versions of a delivery: files, licenses, findings, items to review,
and a word redline of each license, notice or model card text that changed."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QTextBrowser, QVBoxLayout, QWidget


DELETED_STYLE = "color:#b3261e;text-decoration:line-through"
INSERTED_STYLE = "color:#1b6e20;text-decoration:underline"


def redline_html(ops: list[dict[str, Any]]) -> str:
    """A redline's runs as one paragraph: deleted words struck through, inserted ones underlined."""
    parts = []
    for op in ops:
        if op["op"] == "equal":
            parts.append(escape(op["old"]))
            continue
        if op["op"] in ("delete", "replace") and op["old"]:
            parts.append(f"<span style='{DELETED_STYLE}'>{escape(op['old'])}</span>")
        if op["op"] in ("insert", "replace") and op["new"]:
            parts.append(f"<span style='{INSERTED_STYLE}'>{escape(op['new'])}</span>")
    return "<p>" + " ".join(parts) + "</p>"


def _list(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{escape(str(i))}</li>" for i in items) + "</ul>" if items else ""


class CompareDialog(QDialog):
    """Shows the result of ``Store.diff_reviews`` as readable lists, and the word redlines of
    ``Store.text_redlines`` of the same two reviews."""

    def __init__(self, diff: dict[str, Any], parent: QWidget | None = None,
                 redlines: list[dict[str, Any]] | None = None,
                 carry_over: Callable[[], str] | None = None) -> None:
        """``carry_over`` (offered when the newer review is open) copies the unchanged decisions into it
        and returns what it did, in words."""
        super().__init__(parent)
        self.diff = diff
        self.redlines = redlines or []
        self.setWindowTitle(self.tr("Changes between review {0} and review {1}").format(
            diff.get("old_review"), diff.get("new_review")))
        self.resize(720, 560)
        self.browser = QTextBrowser(self)
        self.browser.setAccessibleName(self.tr("Changes between the two deliveries"))
        self.browser.setHtml(self.html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        self.outcome = QLabel(self)
        self.outcome.setWordWrap(True)
        self.outcome.hide()
        self.carry_button: QPushButton | None = None
        if carry_over is not None:
            self.carry_button = buttons.addButton(self.tr("&Carry over unchanged decisions"),
                                                  QDialogButtonBox.ButtonRole.ActionRole)
            self.carry_button.setToolTip(self.tr(
                "Copy the earlier review's decisions and settled obligations into this one, where nothing they "
                "rest on changed; each keeps the name of whoever decided it"))
            self.carry_button.clicked.connect(lambda: self._carry(carry_over))
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(self.outcome)
        layout.addWidget(buttons)

    def _carry(self, carry_over: Callable[[], str]) -> None:
        self.outcome.setText(carry_over())
        self.outcome.show()
        if self.carry_button is not None:
            self.carry_button.setEnabled(False)

    def html(self) -> str:
        d = self.diff
        files, lic, fin = d["files"], d["licenses"], d["findings"]
        counts = self.tr("{0} added, {1} removed, {2} changed, {3} unchanged").format(
            len(files["added"]), len(files["removed"]), len(files["changed"]), files["unchanged"])
        parts = [f"<h3>{escape(self.tr('Files'))}</h3>", f"<p>{escape(counts)}</p>"]
        if files["added"]:
            parts.append(f"<b>{escape(self.tr('Added'))}</b>" + _list(files["added"]))
        if files["removed"]:
            parts.append(f"<b>{escape(self.tr('Removed'))}</b>" + _list(files["removed"]))
        if files["changed"]:
            parts.append(f"<b>{escape(self.tr('Changed'))}</b>" + _list([c["path"] for c in files["changed"]]))
        parts.append(f"<h3>{escape(self.tr('Licenses'))}</h3>")
        if not (lic["added"] or lic["removed"] or lic["files"] or lic.get("text_changed")):
            parts.append(f"<p>{escape(self.tr('No license changed.'))}</p>")
        if lic.get("text_changed"):
            parts.append(f"<b>{escape(self.tr('License texts whose words changed'))}</b>"
                         + _list([c["path"] + (f" ({', '.join(c['keys'])})" if c["keys"] else "")
                                  for c in lic["text_changed"]]))
        if lic["added"]:
            parts.append(f"<b>{escape(self.tr('New licenses'))}</b>" + _list(lic["added"]))
        if lic["removed"]:
            parts.append(f"<b>{escape(self.tr('Licenses no longer present'))}</b>" + _list(lic["removed"]))
        parts.extend(self._redlines_html())
        parts.append(f"<h3>{escape(self.tr('Findings'))}</h3>")
        none = f"<p>{escape(self.tr('none'))}</p>"
        for title, key in ((self.tr("New"), "new"), (self.tr("Resolved"), "resolved")):
            found = _list([f"{f['level']}: {f['summary']}" for f in fin[key]])
            parts.append(f"<b>{escape(title)}</b>" + (found or none))
        parts.append(f"<h3>{escape(self.tr('Checklist items to review again'))}</h3>"
                     + (_list(d.get("items_to_review") or []) or none))
        return "".join(parts)

    def _redlines_html(self) -> list[str]:
        parts = []
        for redline in self.redlines:
            counts = self.tr("{0} words deleted, {1} inserted").format(redline["deleted"], redline["inserted"])
            parts.append(f"<h4>{escape(self.tr('Redline of {0}').format(redline['path']))}</h4>"
                         f"<p><i>{escape(counts)}</i></p>" + redline_html(redline["ops"]))
        return parts
