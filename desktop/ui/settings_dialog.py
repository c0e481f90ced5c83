"""Settings: reviewer identity, review database (local file or team server, with a connection
test), firm policy file, reference library, checklist and memo template folders."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.choosers import Choosers
from desktop.core.settings import Settings
from desktop.ui.tasks import JobWorker, start_job, stop_jobs


def check_connection(url: str, _report: Any, _cancel: Any) -> str:
    """Open (and migrate) the database at ``url`` and close it; returns where it is."""
    from desktop.core.store import open_store

    store = open_store(url, busy_timeout=5.0)
    try:
        return store.where
    finally:
        store.close()


class SettingsDialog(QDialog):
    """Edits a copy of the preferences and the database URL; ``accepted`` means save them."""

    connection_tested = Signal(bool, str)

    def __init__(self, prefs: Settings, database_url: str | None, local_url: str,
                 choosers: Choosers, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self._choosers = choosers
        self._local_url = local_url
        self._worker: JobWorker | None = None
        self.reviewer = QLineEdit(prefs.reviewer, self)
        self.reviewer.setPlaceholderText(self.tr("Name <email@firm.example>"))
        self.reviewer.setAccessibleName(self.tr("Reviewer identity"))
        self.firm_name = QLineEdit(prefs.firm_name, self)
        self.firm_name.setAccessibleName(self.tr("Firm name"))
        self.local = QRadioButton(self.tr("&Local file ({0})").format(local_url.removeprefix("sqlite:///")), self)
        self.server = QRadioButton(self.tr("&Team server:"), self)
        self.server_url = QLineEdit(self)
        self.server_url.setPlaceholderText("postgresql://user@host/reviews")
        self.server_url.setAccessibleName(self.tr("Team server URL"))
        team = bool(database_url) and database_url != local_url
        (self.server if team else self.local).setChecked(True)
        self.server_url.setText(database_url if team else "")
        self.test_button = QPushButton(self.tr("Test &connection"), self)
        self.test_button.clicked.connect(self.run_connection_test)
        self.test_result = QLabel("", self)
        self.test_result.setWordWrap(True)
        self.test_result.setAccessibleName(self.tr("Connection test result"))
        self.identities = QLabel("", self)
        self.identities.setWordWrap(True)
        self.identities.setAccessibleName(self.tr("Signing identities"))
        self.create_identity_button = QPushButton(self.tr("C&reate signing identity…"), self)
        self.create_identity_button.clicked.connect(self.create_identity)
        self.import_identity_button = QPushButton(self.tr("&Import .p12…"), self)
        self.import_identity_button.clicked.connect(self.import_identity)
        self._refresh_identities()
        self.paths: dict[str, QLineEdit] = {}
        folders = QFormLayout()
        for name, label, is_file in (
                ("policy_file", self.tr("Firm &policy file:"), True),
                ("reference_folder", self.tr("Firm &reference library:"), False),
                ("checklist_folder", self.tr("C&hecklist folder:"), False),
                ("templates_folder", self.tr("&Memo template folder:"), False)):
            edit = QLineEdit(getattr(prefs, name), self)
            edit.setAccessibleName(label.replace("&", "").rstrip(":"))
            browse = QPushButton(self.tr("Browse…"), self)
            browse.setAccessibleName(self.tr("Browse for {0}").format(label.replace("&", "").rstrip(":")))
            browse.clicked.connect(partial(self._browse, edit, is_file))
            row = QHBoxLayout()
            row.addWidget(edit, 1)
            row.addWidget(browse)
            caption = QLabel(label, self)
            caption.setBuddy(edit)
            folders.addRow(caption, row)
            self.paths[name] = edit
        self._prefs = prefs
        self._layout(folders)

    def _layout(self, folders: QFormLayout) -> None:
        who = QFormLayout()
        reviewer_label = QLabel(self.tr("Revie&wer:"), self)
        reviewer_label.setBuddy(self.reviewer)
        firm_label = QLabel(self.tr("&Firm name:"), self)
        firm_label.setBuddy(self.firm_name)
        who.addRow(reviewer_label, self.reviewer)
        who.addRow(firm_label, self.firm_name)
        db = QGroupBox(self.tr("Review database"), self)
        db_layout = QVBoxLayout(db)
        db_layout.addWidget(self.local)
        server_row = QHBoxLayout()
        server_row.addWidget(self.server)
        server_row.addWidget(self.server_url, 1)
        db_layout.addLayout(server_row)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.test_result, 1)
        db_layout.addLayout(test_row)
        signing = QGroupBox(self.tr("Signing identities (memos)"), self)
        signing_layout = QVBoxLayout(signing)
        signing_layout.addWidget(self.identities)
        signing_row = QHBoxLayout()
        signing_row.addWidget(self.create_identity_button)
        signing_row.addWidget(self.import_identity_button)
        signing_row.addStretch(1)
        signing_layout.addLayout(signing_row)
        files = QGroupBox(self.tr("Firm files"), self)
        files.setLayout(folders)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addLayout(who)
        layout.addWidget(db)
        layout.addWidget(signing)
        layout.addWidget(files)
        layout.addWidget(buttons)
        self.resize(640, self.sizeHint().height())

    def _refresh_identities(self) -> None:
        from desktop.ui.identity_actions import identities_summary
        self.identities.setText(identities_summary())

    def create_identity(self) -> None:
        from desktop.ui.identity_actions import create_identity_flow
        create_identity_flow(self, self._choosers, self.reviewer.text())
        self._refresh_identities()

    def import_identity(self) -> None:
        from desktop.ui.identity_actions import import_identity_flow
        import_identity_flow(self, self._choosers)
        self._refresh_identities()

    def _browse(self, edit: QLineEdit, is_file: bool) -> None:
        title = self.tr("Choose a file") if is_file else self.tr("Choose a folder")
        if is_file:
            chosen = self._choosers.open_file(self, title, self.tr("YAML files (*.yaml *.yml);;All files (*)"),
                                              edit.text())
        else:
            chosen = self._choosers.folder(self, title, edit.text())
        if chosen is not None:
            edit.setText(str(chosen))

    def database_url(self) -> str | None:
        """The URL chosen: a team server URL, or None for the local file."""
        return self.server_url.text().strip() or None if self.server.isChecked() else None

    def preferences(self) -> Settings:
        """The preferences as edited."""
        return replace(self._prefs, reviewer=self.reviewer.text().strip(),
                       firm_name=self.firm_name.text().strip(),
                       **{name: edit.text().strip() for name, edit in self.paths.items()})

    def run_connection_test(self) -> None:
        """Open the chosen database in a worker; the result shows beside the button."""
        if self._worker is not None:
            return
        url = self.database_url() or self._local_url
        self.test_result.setText(self.tr("Connecting…"))
        self.test_button.setEnabled(False)
        worker = JobWorker(partial(check_connection, url))
        worker.finished.connect(self._connected)  # bound methods run on the GUI thread
        worker.failed.connect(self._not_connected)
        self._worker = worker
        start_job(self, worker)

    def done(self, result: int) -> None:
        """Closing the dialog waits for a connection test still running (its thread ends first)."""
        stop_jobs(self)
        super().done(result)

    def _connected(self, where: str) -> None:
        self._tested(True, self.tr("Connected to {0}.").format(where))

    def _not_connected(self, message: str) -> None:
        self._tested(False, self.tr("Cannot connect: {0}").format(message))

    def _tested(self, ok: bool, text: str) -> None:
        self._worker = None
        self.test_button.setEnabled(True)
        self.test_result.setText(text)
        self.connection_tested.emit(ok, text)
