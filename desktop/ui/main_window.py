"""The main window: welcome, import (off the GUI thread), review workspace, history, settings."""

from __future__ import annotations

import gc
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from desktop.core.jobs import CancelToken, Progress, Report
from desktop.core.results import ScanResult
from desktop.ui.choosers import BUNDLE_FILTER, Choosers
from desktop.ui.history_view import HistoryView
from desktop.ui.icons import icon
from desktop.ui.import_panel import ImportPanel
from desktop.core.settings import Settings, load_settings, save_settings
from desktop.ui.notice_bar import NoticeBar
from desktop.ui.sort_arrows import fix_sort_arrows
from desktop.ui.review_page import FILES, INVENTORY, REVIEW_TAB, SUMMARY, TEXT, ReviewPage
from desktop.ui.tasks import JobWorker, start_job, stop_jobs
from desktop.ui.welcome_view import WelcomeView

ScanJob = Callable[[Path, Report, CancelToken], ScanResult]
WELCOME, REVIEW, HISTORY = range(3)
MAX_RECENT = 8


class MainWindow(QMainWindow):
    """One window; ``scan_finished`` fires with each ScanResult, ``review_opened`` with a review id."""

    scan_finished = Signal(object)
    verify_finished = Signal(str)
    scan_stopped = Signal(str)
    review_opened = Signal(int)
    memo_finished = Signal(object)  # the memo written (exported or countersigned), or None

    def __init__(self, scan_job: ScanJob, sample_path: Callable[[], Path] | None = None, *,
                 store_url: str | None = None, data_dir: Path | None = None,
                 choosers: Choosers | None = None, settings: QSettings | None = None) -> None:
        super().__init__()
        self._scan_job, self._sample_path, self._store_url = scan_job, sample_path, store_url
        self._data_dir = data_dir
        self.choosers = choosers or Choosers()
        self.settings = settings or QSettings()
        self.prefs: Settings = load_settings(self.data_dir())
        self._worker: JobWorker | None = None
        self._opening: Path | None = None
        self._store: Any = None
        self._library: Any = None
        self.result: ScanResult | None = None
        self.review_id: int | None = None
        self.setWindowTitle(self.tr("AI Review Desk"))
        self.setWindowIcon(icon("app"))
        self.setAcceptDrops(True)
        self.resize(1200, 780)
        self._build()
        self._build_menus()
        fix_sort_arrows(self)
        from desktop.ui.window_extras import ReviewTools
        self.tools = ReviewTools(self)  # find, notes, discussion, guide, recent, AI-BOM, drops
        geometry = self.settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        self.refresh_recent()

    # -- building -------------------------------------------------------------------------------
    def _build(self) -> None:
        self.welcome = WelcomeView(self)
        self.welcome.open_folder.connect(self.choose_folder)
        self.welcome.open_bundle.connect(self.choose_bundle)
        self.welcome.open_sample.connect(self.open_sample)
        self.welcome.open_recent.connect(self._open_recent)
        self.review = ReviewPage(self.identity, self.library, self)
        self.review.checklist.certify = self.certified_identity
        self.review.checklist.ask = lambda title, text, options: self.choosers.choice(self, title, text, options)
        self.review.start_review.connect(self.start_review)
        self.review.summary.export_memo.connect(self.export_memo)
        self.history = HistoryView(self)
        self.history.open_review.connect(self.open_review)
        self.history.compare_reviews.connect(self.compare_reviews)
        self.pages = QStackedWidget(self)
        for page in (self.welcome, self.review, self.history):
            self.pages.addWidget(page)
        self.import_panel = ImportPanel(self)
        self.import_panel.cancel_requested.connect(self.cancel_scan)
        self.import_panel.setVisible(False)
        self.summary = QLabel(self.tr("Open a model folder, a bundle or the sample delivery."), self)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.statusBar().addWidget(self.summary, 1)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 0)
        self.notice = NoticeBar(self)
        layout.addWidget(self.notice)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.import_panel)
        self.setCentralWidget(central)
        # Names the older tests and scripts use.
        self.progress, self.cancel_button = self.import_panel.bar, self.import_panel.cancel_button
        self.files, self.table = self.review.files, self.review.files_view

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self._action(file_menu, self.tr("Open model &folder…"), QKeySequence.StandardKey.Open, self.choose_folder)
        self._action(file_menu, self.tr("Open &bundle…"), QKeySequence("Ctrl+Shift+O"), self.choose_bundle)
        if self._sample_path is not None:
            self._action(file_menu, self.tr("Open &sample delivery"), None, self.open_sample)
        file_menu.addSeparator()
        self.export_action = self._action(file_menu, self.tr("&Export memo…"), QKeySequence("Ctrl+E"),
                                          self.export_memo)
        self._action(file_menu, self.tr("&Countersign memo…"), None, self.countersign_memo)
        self._action(file_menu, self.tr("&Verify memo…"), QKeySequence("Ctrl+Shift+V"), self.verify_memo)
        file_menu.addSeparator()
        self._action(file_menu, self.tr("Your &identity…"), None, self.open_identity)
        self._action(file_menu, self.tr("Se&ttings…"), QKeySequence.StandardKey.Preferences, self.open_settings)
        self._action(file_menu, self.tr("&Quit"), QKeySequence.StandardKey.Quit, self.close)
        view = self.menuBar().addMenu(self.tr("&View"))
        # Ctrl+1..6 follow the review's tabs, left to right; then History; Ctrl+0 goes home.
        for key, text, slot in (
                ("Ctrl+1", self.tr("&Review"), partial(self.show_review_tab, REVIEW_TAB)),
                ("Ctrl+2", self.tr("&Inventory"), partial(self.show_review_tab, INVENTORY)),
                ("Ctrl+3", self.tr("&All files"), partial(self.show_review_tab, FILES)),
                ("Ctrl+4", self.tr("&Text viewer"), partial(self.show_review_tab, TEXT)),
                ("Ctrl+5", self.tr("S&ummary"), partial(self.show_review_tab, SUMMARY)),
                ("Ctrl+6", self.tr("&Obligations"), lambda: self.show_review_tab(
                    self.review.indexOf(self.review.obligations))),
                ("Ctrl+7", self.tr("&History"), self.show_history),
                ("Ctrl+0", self.tr("&Welcome"), self.show_welcome)):
            self._action(view, text, QKeySequence(key), slot)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        self._action(help_menu, self.tr("&About AI Review Desk"), None, self.open_about)

    def _action(self, menu: Any, text: str, key: Any, slot: Callable[[], Any]) -> QAction:
        action = QAction(text, self)
        if key is not None:
            action.setShortcut(key)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    # -- services ---------------------------------------------------------------------------------
    def data_dir(self) -> Path:
        if self._data_dir is None:
            from desktop import paths
            self._data_dir = paths.data_dir()
        return self._data_dir

    def identity(self) -> Any:
        """Who acts: the reviewer's name, email and signing certificate fingerprint."""
        return self.prefs.acting_identity()

    def certified_identity(self) -> Any:
        """Who approves: the holder of the reviewer's certificate, proven by its passphrase."""
        from desktop.ui.approval import certified_reviewer
        return certified_reviewer(self, self.choosers, self.prefs)

    def store(self) -> Any:
        """The review store, opened on first use; None (with a message) when it cannot be."""
        if self._store is None:
            from desktop.core.store import StoreError, open_store
            if not self._offer_recovery():
                return None
            try:
                self._store = open_store(self._store_url, allow_self_approval=self.prefs.allow_self_approval())
            except (StoreError, ValueError) as exc:
                self.summary.setText(self.tr("The review database cannot be opened: {0}").format(exc))
                return None
        return self._store

    def _offer_recovery(self) -> bool:
        from desktop.core.store import configured_url
        from desktop.ui.recovery_action import offer_recovery
        url = self._store_url or configured_url(self.data_dir())
        go_on, opened = offer_recovery(self, url)
        if opened != url:  # a recovered copy
            self._store_url = opened
        return go_on

    def library(self) -> Any:
        if self._library is None:
            from desktop.ui.evidence import library
            self._library = library(firm_dir=self.prefs.path("reference_folder"))
        return self._library

    def checklist(self) -> Any:
        from desktop.core.checks.checklist import ChecklistError, load_checklist
        try:
            return load_checklist("default", self.prefs.path("checklist_folder"))
        except ChecklistError as exc:
            self.summary.setText(str(exc))
            return None

    # -- navigation ------------------------------------------------------------------------------
    def show_welcome(self) -> None:
        self.refresh_recent()
        self.pages.setCurrentIndex(WELCOME)

    def show_review_tab(self, tab: int) -> None:
        if self.result is None:
            self.summary.setText(self.tr("Open a delivery first."))
            return
        self.pages.setCurrentIndex(REVIEW)
        self.review.setCurrentIndex(tab)

    def show_history(self) -> None:
        store = self.store()
        if store is not None:
            self.history.set_store(store)
        self.pages.setCurrentIndex(HISTORY)

    def refresh_recent(self) -> None:
        rows: list[dict[str, Any]] = []
        recent = self.settings.value("recent/paths") or []
        for path in ([recent] if isinstance(recent, str) else list(recent))[:MAX_RECENT]:
            rows.append({"kind": "path", "path": path})
        if self._store is not None:
            rows = [{"kind": "review", **r} for r in self._store.search(limit=MAX_RECENT)] + rows
        self.welcome.set_recent(rows)

    def load_recent_reviews(self) -> None:
        """Open the store (after the window is up, to keep launch fast) and list recent reviews."""
        if self.store() is not None:
            self.refresh_recent()

    def _remember(self, path: Path) -> None:
        recent = self.settings.value("recent/paths") or []
        recent = [recent] if isinstance(recent, str) else list(recent)
        recent = [str(path), *[p for p in recent if p != str(path)]][:MAX_RECENT]
        self.settings.setValue("recent/paths", recent)

    def _open_recent(self, row: dict[str, Any]) -> None:
        if row.get("kind") == "review":
            self.open_review(int(row["id"]))
        else:
            self.open_delivery(Path(row["path"]))

    # -- opening a delivery ------------------------------------------------------------------------
    def choose_folder(self) -> None:
        folder = self.choosers.folder(self, self.tr("Open model folder"), str(self.settings.value("last/folder", "")))
        if folder is not None:
            self.settings.setValue("last/folder", str(folder))
            self.open_delivery(folder)

    def choose_bundle(self) -> None:
        name = self.choosers.open_file(self, self.tr("Open bundle"), self.tr(BUNDLE_FILTER),
                                       str(self.settings.value("last/folder", "")))
        if name is not None:
            self.settings.setValue("last/folder", str(name.parent))
            self.open_delivery(name)

    def open_sample(self) -> None:
        if self._sample_path is not None:
            self.open_delivery(self._sample_path())

    def open_delivery(self, path: Path) -> None:
        """Scan ``path`` in a worker thread; the workspace fills when it finishes."""
        if self._worker is not None:
            return
        path = Path(path)
        self.summary.setText(self.tr("Scanning {0}…").format(path))
        worker = JobWorker(partial(self._scan_job, path))
        worker.progress.connect(self._on_progress)
        worker.finished.connect(self._on_finished)
        # Bound methods, not lambdas: a lambda would run in the worker's thread.
        worker.cancelled.connect(self._on_cancelled)
        worker.failed.connect(self._on_failed)
        self._worker, self._opening = worker, path
        # Objects alive now (the library, the knowledge base, earlier reviews) live on: keep the
        # garbage collector from walking them during the scan, where a full pass stalls the window.
        gc.freeze()
        self.import_panel.begin(str(path))
        self.notice.hide()
        start_job(self, worker)

    def cancel_scan(self) -> None:
        if self._worker is not None:
            self._worker.token.cancel()
            self.import_panel.cancelling()

    def _on_progress(self, p: Progress) -> None:
        self.import_panel.update_progress(p)

    def _on_finished(self, result: ScanResult) -> None:
        self._worker = None
        self.import_panel.end()
        if self._opening is not None:
            self._remember(self._opening)  # only what opened goes to Recent
        self.show_scan(result)
        problems = sum(len(f.problems) for f in result.files) + len(result.problems)
        self.summary.setText(self.tr("{0} — {1} files, fingerprint {2}, {3} problems").format(
            result.source_path, len(result.files), result.fingerprint[:16], problems))
        self.scan_finished.emit(result)

    def _on_cancelled(self) -> None:
        self._on_stopped(self.tr("Scan cancelled."))

    def _on_failed(self, message: str) -> None:
        self.notice.show_problem(self.tr("Could not open {0}").format(self._opening),
                                 message.removeprefix(f"{self._opening}: "))
        self._on_stopped(self.tr("Could not open {0}: {1}").format(self._opening, message))

    def _on_stopped(self, message: str) -> None:
        self._worker = None
        self.import_panel.end()
        self.summary.setText(message)
        self.scan_stopped.emit(message)

    def show_scan(self, result: ScanResult, review_id: int | None = None) -> None:
        """Show a delivery in the workspace (and its review when it has one)."""
        self.result, self.review_id = result, review_id
        self.review.set_scan(result, _lineage(result))
        self.pages.setCurrentIndex(REVIEW)
        self.setWindowTitle(self.tr("{0} — AI Review Desk").format(Path(result.source_path).name))

    # -- reviews ---------------------------------------------------------------------------------
    def start_review(self, details: dict[str, Any]) -> None:
        """Create the review of the open delivery in the store and walk its checklist."""
        store = self.store()
        if store is None or self.result is None:
            return
        from desktop.core.store import StoreError
        try:
            checklist, items = self.prefs.review_checklist()
            review_id = store.create_review(self.result, reviewer=self.identity(), checklist=checklist,
                                            items=items, **self.prefs.review_versions(), **details)
        except (StoreError, ValueError) as exc:
            self.review.form.message.setText(str(exc))
            return
        self._show_review(store, review_id)

    def open_review(self, review_id: int) -> None:
        """Open a stored review: its delivery as stored, its checklist and summary."""
        store = self.store()
        if store is None:
            return
        from desktop.ui.review_data import scan_from_review
        self.show_scan(scan_from_review(store.get_review(review_id, include_files=True),
                                        store.file_texts(review_id)), review_id)
        self._show_review(store, review_id)

    def _show_review(self, store: Any, review_id: int) -> None:
        self.review_id = review_id
        self.review.show_review(store, review_id, self.checklist())
        self.pages.setCurrentIndex(REVIEW)
        self.review.setCurrentIndex(REVIEW_TAB)
        self.review_opened.emit(review_id)

    def compare_reviews(self, old_id: int, new_id: int) -> Any:
        from desktop.ui.compare_view import CompareDialog
        dialog = CompareDialog(self._store.diff_reviews(old_id, new_id), self,
                               redlines=self._store.text_redlines(old_id, new_id),
                               carry_over=self.tools.carry_over_action(old_id, new_id))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.compare_dialog = dialog
        dialog.open()
        return dialog

    def export_memo(self) -> Any:
        """Export the signed memo in a worker; returns the run (its ``done`` gives the path)."""
        from desktop.ui.memo_action import export_memo
        self.review.checklist.flush()
        self.memo_run = export_memo(self, self.choosers, self.store() if self.review_id else None, self.review_id,
                                    self.prefs.firm_name, self.prefs.path("templates_folder"),
                                    self.prefs.privilege_legend, self.prefs)
        if self.memo_run is not None:
            self.memo_run.done.connect(self.memo_finished)
        return self.memo_run

    def countersign_memo(self) -> Any:
        """Add the approver's signature to the preparer's memo, in a worker; returns the run."""
        from desktop.ui.memo_action import countersign_memo
        self.memo_run = countersign_memo(self, self.choosers, self.store() if self.review_id else None,
                                         self.review_id, self.prefs)
        if self.memo_run is not None:
            self.memo_run.done.connect(self.memo_finished)
        return self.memo_run

    def verify_memo(self) -> None:
        """Check a signed memo (and optionally its delivery) in a worker thread."""
        from desktop.ui.verify_action import VerifyRun, choose_memo_and_delivery
        if self._worker is not None:
            return
        chosen = choose_memo_and_delivery(self, self.choosers)
        if chosen is not None:
            self._verify_run = VerifyRun(self, *chosen)

    # -- dialogs -----------------------------------------------------------------------------------
    def ensure_identity(self) -> Any:
        """First run: ask who is reviewing unless a reviewer and signing identity are set up."""
        return None if self.prefs.has_identity() else self.open_identity()

    def open_identity(self) -> Any:
        from desktop.ui.identity_dialog import IdentityDialog
        dialog = IdentityDialog(self.prefs, self.choosers, self)
        dialog.accepted.connect(lambda: self._save_prefs(dialog.preferences()))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.identity_dialog = dialog
        dialog.open()
        return dialog

    def _save_prefs(self, prefs: Settings) -> None:
        self.prefs = prefs
        save_settings(prefs, self.data_dir())

    def open_settings(self) -> Any:
        from desktop.core.store import configured_url, default_sqlite_url
        from desktop.ui.settings_dialog import SettingsDialog
        dialog = SettingsDialog(self.prefs, self._store_url or configured_url(self.data_dir()),
                                default_sqlite_url(self.data_dir()), self.choosers, self)
        dialog.accepted.connect(lambda: self.apply_settings(dialog))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.settings_dialog = dialog
        dialog.open()
        return dialog

    def apply_settings(self, dialog: Any) -> None:
        """Save the dialog's preferences and database choice; reopen the store if it changed."""
        from desktop.core.store import save_database_url
        self.prefs = dialog.preferences()
        save_settings(self.prefs, self.data_dir())
        url = dialog.database_url()
        if self._store_url is None or url is not None:
            save_database_url(url, self.data_dir())
            if url != self._store_url and self._store is not None:
                self._store.close()
                self._store = None
            self._store_url = url
        self._library = None
        self.summary.setText(self.tr("Settings saved."))

    def open_about(self) -> Any:
        from desktop import __version__
        from desktop.ui.about_dialog import AboutDialog
        dialog = AboutDialog(__version__, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.about_dialog = dialog
        dialog.open()
        return dialog

    # -- drag and drop, closing ------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.open_delivery(paths[0])

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.review.checklist.may_leave():  # an unsaved decision: asked, and kept if wanted
            event.ignore()
            return
        self.cancel_scan()
        self.settings.setValue("window/geometry", self.saveGeometry())
        stop_jobs(self)  # this window's jobs and those of every widget in it (the text viewer's redline)
        if self._store is not None:
            self._store.close()
        super().closeEvent(event)


def _lineage(result: ScanResult) -> dict[str, Any] | None:
    from desktop.core.checks.lineage import extract_lineage
    try:
        return extract_lineage(result.files, Path(result.source_path).name).to_json()
    except Exception:  # lineage is a nicety of the details pane; a bad file must not stop the view
        return None
