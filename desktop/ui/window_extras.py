"""The review tools of the main window: Find (Ctrl+F), file notes, item discussions, the guide,
File > Open Recent, File > Export AI-BOM and drag and drop of deliveries anywhere on the window.

:class:`ReviewTools` adds them to a built :class:`desktop.ui.main_window.MainWindow` (docks and
menu entries) and follows the window's signals; the window keeps it as ``window.tools``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMenu, QWidget

from desktop.core.results import FileEntry
from desktop.core.store.reviews import LOCKED_STATUSES
from desktop.core.text_search import Hit
from desktop.ui.comment_thread import CommentThread
from desktop.ui.drop_filter import DropFilter
from desktop.ui.file_notes_panel import FileNotesPanel
from desktop.ui.models.table_base import ROW
from desktop.ui.recent_menu import RecentMenu
from desktop.ui.search_bar import SearchBar

MAX_RECENT = 8


def _menu(window: Any, title: str) -> QMenu | None:
    """The menu bar's menu whose title, without its mnemonic, is ``title``."""
    for action in window.menuBar().actions():
        if action.menu() is not None and action.text().replace("&", "") == title:
            return action.menu()
    return None


class ReviewTools(QObject):
    """Owned by the window; every part reads the window's open delivery and review lazily."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.help_dialog: Any = None
        self.search = SearchBar(self._files, window)
        self.search.open_hit.connect(self.open_hit)
        self.search.closed.connect(lambda: self.find_dock.hide())
        self.notes = FileNotesPanel(window.identity, window)
        self.thread = CommentThread(window.identity, window)
        self.thread.help_requested.connect(self.show_item_help)
        self.find_dock = self._dock(self.search, self.tr("Find"), "find", Qt.DockWidgetArea.BottomDockWidgetArea)
        self.notes_dock = self._dock(self.notes, self.tr("File notes"), "file_notes",
                                     Qt.DockWidgetArea.RightDockWidgetArea)
        self.thread_dock = self._dock(self.thread, self.tr("Discussion"), "discussion",
                                      Qt.DockWidgetArea.RightDockWidgetArea)
        window.tabifyDockWidget(self.notes_dock, self.thread_dock)
        self.drops = DropFilter(window, window.open_delivery)
        self._follow(window)
        self._menus(window)

    def _dock(self, widget: QWidget, title: str, name: str, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self.window)
        dock.setObjectName(f"dock_{name}")
        dock.setWidget(widget)
        self.window.addDockWidget(area, dock)
        dock.hide()
        return dock

    def _follow(self, window: Any) -> None:
        window.review.inventory.tree.selectionModel().currentChanged.connect(lambda *_: self.refresh_notes())
        window.review.checklist.item_list.selectionModel().currentRowChanged.connect(
            lambda *_: self.refresh_thread())
        window.review.checklist.status_changed.connect(lambda _s: self.refresh())
        window.review_opened.connect(lambda _id: self.refresh())
        window.scan_finished.connect(lambda _r: self.refresh())

    def _menus(self, window: Any) -> None:
        file_menu, view, help_menu = _menu(window, "File"), _menu(window, "View"), _menu(window, "Help")
        if file_menu is not None:
            self.recent_menu = RecentMenu(self.recent_rows, file_menu)
            self.recent_menu.chosen.connect(self.open_recent)
            self.recent_menu.cleared.connect(self.clear_recent)
            first_separator = next((a for a in file_menu.actions() if a.isSeparator()), None)
            file_menu.insertMenu(first_separator, self.recent_menu)  # type: ignore[arg-type]
            self.bom_action = QAction(self.tr("Export &AI-BOM (CycloneDX)…"), window)
            self.bom_action.triggered.connect(lambda _c=False: self.export_bom())
            after = file_menu.actions()
            at = after.index(window.export_action) + 1 if window.export_action in after else len(after)
            file_menu.insertAction(after[at] if at < len(after) else None, self.bom_action)  # type: ignore[arg-type]
        edit = QMenu(self.tr("&Edit"), window)
        self.find_action = edit.addAction(self.tr("&Find…"))
        self.find_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))
        self.find_action.triggered.connect(lambda _c=False: self.start_find())
        window.menuBar().insertMenu(view.menuAction() if view is not None else None, edit)  # type: ignore[arg-type]
        window.addAction(self.find_action)  # the shortcut works on every page
        if view is not None:
            view.addSeparator()
            self.changes_action = view.addAction(self.tr("Changes since last &approved"))
            self.changes_action.triggered.connect(lambda _c=False: self.changes_since_approved())
            for dock, text in ((self.notes_dock, self.tr("File &notes")), (self.thread_dock, self.tr("&Discussion"))):
                action = dock.toggleViewAction()
                action.setText(text)
                view.addAction(action)
        if help_menu is not None:
            self.guide_action = QAction(self.tr("&Guide"), window)
            self.guide_action.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
            self.guide_action.triggered.connect(lambda _c=False: self.show_context_help())
            help_menu.insertAction(help_menu.actions()[0] if help_menu.actions() else None,  # type: ignore[arg-type]
                                   self.guide_action)
            window.addAction(self.guide_action)
        item_help = QAction(self.tr("Help on this item"), window.review.checklist.item_list)
        item_help.triggered.connect(lambda _c=False: self.show_item_help(self.current_item() or ""))
        window.review.checklist.item_list.addAction(item_help)
        window.review.checklist.item_list.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

    # -- what is open ---------------------------------------------------------------------------
    def _files(self) -> list[FileEntry]:
        result = self.window.result
        return list(result.files) if result is not None else []

    def _review(self) -> tuple[Any, int | None]:
        review_id = self.window.review_id
        return (self.window.store() if review_id is not None else None), review_id

    def selected_path(self) -> str | None:
        index = self.window.review.inventory.tree.currentIndex()
        node = index.data(ROW) if index.isValid() else None
        return node.path if isinstance(node, FileEntry) else None

    def current_item(self) -> str | None:
        checklist = self.window.review.checklist
        row = checklist.item_list.currentIndex().row()
        return checklist.items.row(row)["item"].id if 0 <= row < checklist.items.rowCount() else None

    def _item(self, item_id: str) -> Any:
        checklist = self.window.review.checklist._checklist or self.window.checklist()
        return next((i for i in (checklist.items if checklist else ()) if i.id == item_id), None)

    # -- following the window ------------------------------------------------------------------
    def refresh(self) -> None:
        self.refresh_notes()
        self.refresh_thread()

    def refresh_notes(self) -> None:
        store, review_id = self._review()
        path = self.selected_path() if review_id is not None else None
        self.notes.set_target(store, review_id, path)

    def refresh_thread(self) -> None:
        store, review_id = self._review()
        item = self.current_item() if review_id is not None else None
        found = self._item(item) if item else None
        self.thread.set_item(store, review_id, item, found.title if found else (item or ""))

    # -- find --------------------------------------------------------------------------------------
    def start_find(self) -> None:
        self.find_dock.show()
        self.find_dock.raise_()
        self.search.start()

    def open_hit(self, hit: Hit) -> None:
        """A file name selects the file in the inventory; a text line opens the viewer there."""
        page = self.window.review
        self.window.pages.setCurrentWidget(page)
        if hit.kind == "text" and hit.line is not None and page.open_path(hit.path, (hit.line, hit.line)):
            return
        page.setCurrentWidget(page.inventory)
        page.inventory.select_path(hit.path)

    def changes_since_approved(self) -> Any:
        """Compare the open review with the last approved review of the same product (the dialog)."""
        from desktop.ui.history_view import last_approved_before
        store, review_id = self._review()
        if store is None or review_id is None:
            self.window.choosers.tell(self.window, self.tr("Changes since last approved"),
                                      self.tr("Open a review first."))
            return None
        delivery = store.get_review(review_id)["delivery"]
        earlier = last_approved_before(store, {"id": review_id, "vendor": delivery["vendor"],
                                               "product": delivery["product"]})
        if earlier is None:
            self.window.choosers.tell(self.window, self.tr("Changes since last approved"),
                                      self.tr("No earlier approved review of this delivery."))
            return None
        return self.window.compare_reviews(earlier, review_id)

    def carry_over_action(self, old_id: int, new_id: int) -> Callable[[], str] | None:
        """What "Carry over unchanged decisions" does, when ``new_id`` is the open review and still open."""
        store, review_id = self._review()
        if store is None or review_id != new_id or old_id == new_id or \
                store.get_review(new_id)["status"] in LOCKED_STATUSES:
            return None
        return lambda: self.carry_over(store, old_id, new_id)

    def carry_over(self, store: Any, old_id: int, new_id: int) -> str:
        """Copy the unchanged decisions of review ``old_id`` into ``new_id``; says what was carried."""
        from desktop.core.store import StoreError
        self.window.review.checklist.flush()
        try:
            carried = store.carry_over_report(new_id, reviewer=self.window.identity(), old_review_id=old_id)
        except StoreError as exc:
            return str(exc)
        self.window.open_review(new_id)
        titles = [found.title if (found := self._item(i)) else i for i in carried["items"]]
        said = self.tr("Carried over from review {0}: {1}.").format(
            old_id, ", ".join(titles) if titles else self.tr("no decision (each changed or was already decided)"))
        return said + " " + self.tr("Obligations settled the same way: {0}.").format(len(carried["obligations"]))

    # -- recent, BOM, help ------------------------------------------------------------------------
    def recent_rows(self) -> list[dict[str, Any]]:
        recent = self.window.settings.value("recent/paths") or []
        rows = [{"kind": "path", "path": p} for p in ([recent] if isinstance(recent, str) else list(recent))]
        store = self.window._store
        if store is not None:
            rows = [{"kind": "review", **r} for r in store.search(limit=MAX_RECENT)] + rows
        return rows[: 2 * MAX_RECENT]

    def open_recent(self, row: dict[str, Any]) -> None:
        if row.get("kind") == "review":
            self.window.open_review(int(row["id"]))
        else:
            self.window.open_delivery(Path(row["path"]))

    def clear_recent(self) -> None:
        self.window.settings.setValue("recent/paths", [])
        self.window.refresh_recent()

    def export_bom(self) -> Path | None:
        from desktop.ui.bom_action import export_bom
        self.window.review.checklist.flush()
        store, review_id = self._review()
        return export_bom(self.window, self.window.choosers, store, review_id)

    def show_help(self, section: str = "top", item: Any = None) -> Any:
        from desktop.ui.help_dialog import HelpDialog
        if self.help_dialog is None:
            self.help_dialog = HelpDialog(self.window)
        self.help_dialog.show_section(section, item)
        return self.help_dialog

    def show_item_help(self, item_id: str) -> Any:
        found = self._item(item_id) if item_id else None
        return self.show_help(item_id or "checks", found)

    def show_context_help(self) -> Any:
        """F1: the current checklist item's section when the checklist is showing, else the guide."""
        page = self.window.review
        on_checklist = self.window.pages.currentWidget() is page and page.checklist.isVisible()
        item = self.current_item() if on_checklist else None
        return self.show_item_help(item) if item else self.show_help()
