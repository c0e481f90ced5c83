"""UI fixtures: fail any test that leaves a worker thread running; a window on a private store.

The offscreen platform plugin warns "does not support propagateSizeHints()" whenever a
top-level window has a minimum size; that is a limitation of the test platform, not of the
app, so that one message is ignored for the UI tests (every other Qt warning still fails).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QThread

from desktop import app
from desktop.ui.choosers import Choosers
from desktop.ui.main_window import MainWindow
from desktop.ui.tasks import running_jobs

UI_DIR = Path(__file__).resolve().parent
OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints"


def pytest_collection_modifyitems(items):  # type: ignore[no-untyped-def]
    for item in items:
        if UI_DIR in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@pytest.fixture(autouse=True)
def _no_leftover_threads(qapp):  # type: ignore[no-untyped-def]
    """Torn down after qtbot has closed the test's windows: no job thread may still be running."""
    yield
    assert running_jobs() == 0, f"test left {running_jobs()} job thread(s) running"
    leftovers = [t for t in qapp.findChildren(QThread) if t.isRunning()]
    assert not leftovers, f"test left {len(leftovers)} QThread(s) running"


class FakeChoosers(Choosers):
    """Dialog answers given by the test; every message shown is kept in ``messages``."""

    def __init__(self) -> None:
        super().__init__()
        self.answers: dict[str, object] = {}
        self.folder = lambda *_a: self.answers.get("folder")  # type: ignore[assignment]
        self.open_file = lambda *_a: self.answers.get("open_file")  # type: ignore[assignment]
        self.save_file = lambda *_a: self.answers.get("save_file")  # type: ignore[assignment]
        self.secret = lambda *_a: self.answers.get("secret")  # type: ignore[assignment]
        self.choice = lambda _p, _t, _l, options: self.answers.get("choice", options[0])  # type: ignore[assignment]
        self.inform = lambda *_a: None  # type: ignore[assignment]


@pytest.fixture
def make_window(qtbot, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Build main windows on a private SQLite store, data folder and UI settings."""
    data = tmp_path / "data"
    data.mkdir()
    url = f"sqlite:///{tmp_path / 'reviews.db'}"

    def build(reviewer: str = "Ada Lovelace <ada@firm.example>") -> MainWindow:
        (data / "preferences.json").write_text(f'{{"reviewer": "{reviewer}"}}', encoding="utf-8")
        settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
        window = MainWindow(app.scan_job, app.sample_path, store_url=url, data_dir=data,
                            choosers=FakeChoosers(), settings=settings)
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        window.activateWindow()  # keyboard mnemonics and shortcuts need the active window
        qtbot.waitUntil(window.isActiveWindow, timeout=20_000)
        return window

    return build


@pytest.fixture(scope="session")
def sample_scan():  # type: ignore[no-untyped-def]
    """The sample delivery, scanned for real once per session (license identification included)."""
    from desktop.core.scan import scan_path

    return scan_path(app.sample_path())


@pytest.fixture
def sample_window(make_window, sample_scan):  # type: ignore[no-untyped-def]
    """A window showing the scanned sample delivery (no review started yet)."""
    window = make_window()
    window.show_scan(sample_scan)
    return window
