"""Settings, About, every item model under qtmodeltester, and keyboard/accessibility coverage."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTextEdit,
    QWidget,
)

from desktop import __version__
from desktop.core.checks.clauses import extract_clauses
from desktop.core.results import Problem
from desktop.ui.models.checklist_model import ChecklistModel
from desktop.ui.models.clauses_model import ClausesModel
from desktop.ui.models.components_model import ComponentsModel
from desktop.ui.models.evidence_model import EvidenceModel
from desktop.ui.models.findings_model import FindingsModel
from desktop.ui.models.license_table_model import LicenseTableModel
from desktop.ui.models.precedents_model import PrecedentsModel
from desktop.ui.models.problems_model import ProblemsModel
from desktop.ui.models.reviews_model import ReviewsModel
from desktop.ui.review_data import license_rows
from desktop.ui.review_page import CHECKLIST, INVENTORY, SUMMARY, TEXT

LEFT = Qt.MouseButton.LeftButton


def test_settings_save_identity_paths_and_test_the_connection(qtbot, make_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    policy = tmp_path / "policy.yaml"
    policy.write_text("company: {}\n", encoding="utf-8")
    dialog = window.open_settings()
    window.choosers.answers["open_file"] = policy
    window.choosers.answers["folder"] = tmp_path
    dialog.reviewer.clear()
    qtbot.keyClicks(dialog.reviewer, "Bob Approver <bob@firm.example>")
    browse = [b for b in dialog.findChildren(QAbstractButton) if b.text() == "Browse…"]
    qtbot.mouseClick(browse[0], LEFT)
    qtbot.mouseClick(browse[1], LEFT)
    assert dialog.paths["policy_file"].text() == str(policy)
    assert dialog.paths["reference_folder"].text() == str(tmp_path)
    with qtbot.waitSignal(dialog.connection_tested, timeout=10_000) as ok:
        qtbot.mouseClick(dialog.test_button, LEFT)
    assert ok.args[0] is True
    dialog.server.setChecked(True)
    dialog.server_url.setText("sqlite:////nonexistent-folder/reviews.db")
    with qtbot.waitSignal(dialog.connection_tested, timeout=10_000) as bad:
        qtbot.mouseClick(dialog.test_button, LEFT)
    assert bad.args[0] is False
    assert "does not exist" in dialog.test_result.text()
    dialog.local.setChecked(True)
    dialog.accept()
    saved = json.loads((window.data_dir() / "preferences.json").read_text(encoding="utf-8"))
    assert saved["reviewer"] == "Bob Approver <bob@firm.example>"
    assert saved["policy_file"] == str(policy)
    assert str(window.identity()) == "Bob Approver <bob@firm.example>"


def test_about_credits_the_reference_texts(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    dialog = make_window().open_about()
    text = dialog.text.text()
    assert __version__ in text
    assert "ScanCode LicenseDB" in text
    assert "CC-BY-4.0" in text


def test_every_model_passes_the_model_tester(qtmodeltester, sample_scan) -> None:  # type: ignore[no-untyped-def]
    from desktop.core.checks.checklist import load_checklist

    components = ComponentsModel()
    components.set_scan(sample_scan)
    qtmodeltester.check(components)
    assert components.rowCount(components.index(0, 0)) > 0
    findings = FindingsModel()
    findings.set_rows(sample_scan.findings)
    qtmodeltester.check(findings)
    licenses = LicenseTableModel()
    licenses.set_rows(license_rows(sample_scan))
    qtmodeltester.check(licenses)
    problems = ProblemsModel()
    problems.set_rows([Problem("path-traversal", "../x: escapes the delivery")])
    qtmodeltester.check(problems)
    reviews = ReviewsModel()
    reviews.set_rows([{"id": 1, "vendor": "V", "product": "P", "version": "1", "status": "draft",
                       "licenses": ["mit"], "purpose": "x", "preparer": "A", "approver": None,
                       "created_at": "2025-01-01T00:00:00"}])
    qtmodeltester.check(reviews)
    evidence = EvidenceModel()
    evidence.set_rows([{"path": "LICENSE", "lines": [1, 2], "quote": "q"}, {"path": "a.pdf", "pages": [3]}])
    qtmodeltester.check(evidence)
    assert evidence.index(1, 1).data() == "p. 3"
    clauses = ClausesModel()
    clauses.set_rows(extract_clauses("This Agreement is governed by the laws of the State of New York.\n"))
    qtmodeltester.check(clauses)
    precedents = PrecedentsModel()
    precedents.set_rows([{"id": 1, "decision": "accept", "license_key": "mit", "rationale": "ok",
                          "conditions": None, "reviewer": "A", "source_review": 1}])
    qtmodeltester.check(precedents)
    checklist = ChecklistModel()
    items = load_checklist().items
    checklist.set_rows([{"item": i, "answer": {"decision": None, "suggested_level": "low"}} for i in items])
    qtmodeltester.check(checklist)
    checklist.update_answer(items[0].id, {"decision": "reject"})
    assert checklist.index(0, 1).data() == "Reject"


def _controls(root: QWidget) -> list[QWidget]:
    kinds = (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView, QPlainTextEdit, QTextEdit, QSpinBox)
    return [w for w in root.findChildren(QWidget) if isinstance(w, kinds) and w.isVisibleTo(root)
            and w.metaObject().className() not in ("QTabBar", "QScrollBar", "QToolButton", "QHeaderView")
            and not w.objectName().startswith("qt_")]


def _named(w: QWidget) -> bool:
    text = w.text() if isinstance(w, QAbstractButton | QLineEdit) and w.text() else ""
    buddy = any(getattr(label, "buddy", lambda: None)() is w for label in w.parent().findChildren(QWidget))
    return bool(w.accessibleName() or text or buddy)


def test_controls_take_focus_and_have_accessible_names(qtbot, sample_window) -> None:  # type: ignore[no-untyped-def]
    window = sample_window
    window.review.form.purpose.setText("internal chatbot")
    window.show_review_tab(CHECKLIST)
    qtbot.mouseClick(window.review.form.start_button, LEFT)
    for page in (INVENTORY, TEXT, CHECKLIST, SUMMARY):
        window.show_review_tab(page)
        if page == TEXT:
            window.review.open_path("LICENSE")
        for control in _controls(window.review.currentWidget()):
            assert control.focusPolicy() != Qt.FocusPolicy.NoFocus, control
            assert _named(control), f"{control.metaObject().className()} has no accessible name"
    window.show_welcome()
    for control in _controls(window.welcome):
        assert _named(control), control
    window.show_history()
    for control in _controls(window.history):
        assert control.focusPolicy() != Qt.FocusPolicy.NoFocus
        assert _named(control), control


def test_settings_create_and_import_signing_identities(qtbot, make_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from desktop.core.memo.identity import create_identity, identities_dir, open_identity

    window = make_window()
    dialog = window.open_settings()
    email = f"{tmp_path.name}@firm.example"
    dialog.reviewer.setText(f"Carol Counsel <{email}>")
    window.choosers.answers["secret"] = "s3cret-passphrase"
    qtbot.mouseClick(dialog.create_identity_button, LEFT)
    created = [p for p in identities_dir().glob("*.p12") if tmp_path.name in p.name]
    assert len(created) == 1
    assert open_identity(created[0], "s3cret-passphrase").info.email == email
    assert created[0].name in dialog.identities.text()
    assert any("Certificate fingerprint" in m for m in window.choosers.messages)

    firm = create_identity("Firm Signer", f"signer-{tmp_path.name}@firm.example", "firm-pass",
                           tmp_path / f"firm-{tmp_path.name}.p12")
    window.choosers.answers.update(open_file=firm.path, secret="wrong-pass")
    qtbot.mouseClick(dialog.import_identity_button, LEFT)
    assert "wrong" in window.choosers.messages[-1].lower()
    window.choosers.answers["secret"] = "firm-pass"
    qtbot.mouseClick(dialog.import_identity_button, LEFT)
    assert f"signer-{tmp_path.name}" in dialog.identities.text()
    dialog.reject()
