from __future__ import annotations

from desktop.ui.about_dialog import AboutDialog


def test_about_states_what_safe_means_and_its_limits(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = AboutDialog("1.2.3")
    qtbot.addWidget(dialog)
    text = dialog.text.text()
    assert "Version 1.2.3" in text
    for words in ("safe", "allow-list", "unsafe", "unverified", "blocks the review", "trust_remote_code"):
        assert words in text, words
