"""A damaged local review database: say so, and offer to open a salvaged copy (never touch the file)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication


def _tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


def offer_recovery(window: Any, url: str) -> tuple[bool, str]:
    """(go on, the URL to open): a damaged SQLite file is left alone and a recovered copy offered."""
    from desktop.core.store.recovery import check_database, salvage_copy

    if not url.startswith("sqlite:///"):
        return True, url
    path = Path(url[len("sqlite:///"):])
    damage = check_database(path)
    if damage is None:
        return True, url
    recover = _tr("Open a recovered copy")
    answer = window.choosers.choice(
        window, _tr("Damaged review database"),
        _tr("{0}\nThe file will not be changed or deleted. The app can copy every decision it can "
            "still read into a new database and open that copy.").format(damage),
        [recover, _tr("Do not open")])
    if answer != recover:
        window.summary.setText(damage)
        return False, url
    try:
        copy, report = salvage_copy(path)
    except (OSError, ValueError) as exc:
        window.choosers.tell(window, _tr("Damaged review database"), str(exc))
        return False, url
    rows = sum(report["tables"].values())
    window.choosers.tell(window, _tr("Recovered copy opened"), _tr(
        "Opened {0} ({1} rows recovered, {2} problems). The damaged file {3} was left as it was."
    ).format(copy, rows, len(report["errors"]), path))
    return True, f"sqlite:///{copy.as_posix()}"
