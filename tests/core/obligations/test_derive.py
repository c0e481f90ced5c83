"""The register derived from real scans of hand-made deliveries: every duty, each quote grounded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from obligation_deliveries import (
    ACME_TERMS,
    CODE_UNDER_MIT,
    DELTA_TERMS,
    NOTICE,
    PLAIN_THRESHOLD_TERMS,
    apache_text,
    make,
    mit_text,
)

from desktop.core.checks.knowledge import load_knowledge
from desktop.core.evidence import lines_of, normalise
from desktop.core.obligations import Basis, Kind, Obligation, derive
from desktop.core.scan import ScanOptions, scan_path


def register(folder: Path, work: Path, keep_texts: bool = True) -> list[Obligation]:
    scan = scan_path(folder, options=ScanOptions(work_dir=work))
    files = [{"path": f.path, "role": f.role, "sha256": f.sha256} for f in scan.files]
    texts = {f.path: f.text for f in scan.files if f.text} if keep_texts else {}
    matches = [{"path": f.path, "role": f.role, **m} for f in scan.files for m in f.licenses]
    return derive(scan.findings, files, texts, matches, load_knowledge())


def by_kind(obligations: list[Obligation], kind: Kind) -> Obligation:
    (found,) = [o for o in obligations if o.kind == kind]
    return found


def assert_grounded(folder: Path, ob: Obligation) -> None:
    """Every delivered quote is inside the cited lines of the file it names."""
    assert ob.evidence, ob
    for e in ob.evidence:
        if e["origin"] == "delivered":
            text = (folder / e["path"]).read_text(encoding="utf-8")
            assert normalise(e["quote"]) in normalise(lines_of(text, tuple(e["lines"]))), e


@pytest.fixture
def work(tmp_path: Path) -> Path:
    (tmp_path / "work").mkdir()
    return tmp_path / "work"


def test_every_duty_of_custom_terms_is_listed_with_its_quote(tmp_path: Path, work: Path) -> None:
    folder = make(tmp_path / "acme", {"LICENSE": ACME_TERMS})
    obligations = register(folder, work)
    kinds = [o.kind for o in obligations]
    assert kinds == [Kind.NOTICE_FILE, Kind.ATTRIBUTION, Kind.NAME_PREFIX, Kind.MODIFIED_FILES, Kind.USE_POLICY,
                     Kind.REGISTRATION, Kind.THRESHOLD, Kind.OUTPUT_USE, Kind.TERRITORY]
    for ob in obligations:
        assert_grounded(folder, ob)
        assert ob.basis is Basis.DELIVERED
    notice = by_kind(obligations, Kind.NOTICE_FILE)
    assert '"Acme Model is licensed under the Acme Open Model License, Copyright Acme Corp."' in notice.text
    assert by_kind(obligations, Kind.ATTRIBUTION).text.startswith('Display "Built with Acme"')
    assert '"Acme"' in by_kind(obligations, Kind.NAME_PREFIX).text
    threshold = by_kind(obligations, Kind.THRESHOLD)
    assert "50,000,000" in threshold.text
    assert 'Measured: "on the Acme Model release date"; "in the preceding calendar month".' in threshold.text
    assert 'When crossed: "you must request a license from Acme' in threshold.text
    policy = by_kind(obligations, Kind.USE_POLICY)
    assert "https://acme.example/aup" in policy.text and "Pass them on to downstream users" in policy.text
    assert any("downstream users" in e["quote"] for e in policy.evidence)
    assert "register" in by_kind(obligations, Kind.REGISTRATION).evidence[0]["quote"]
    assert "train" in by_kind(obligations, Kind.OUTPUT_USE).evidence[0]["quote"]
    assert "European Union" in by_kind(obligations, Kind.TERRITORY).text
    assert len({o.key for o in obligations}) == len(obligations)


def test_unknown_is_an_answer_when_the_clause_does_not_say(tmp_path: Path, work: Path) -> None:
    folder = make(tmp_path / "beta", {"LICENSE": PLAIN_THRESHOLD_TERMS})
    threshold = by_kind(register(folder, work), Kind.THRESHOLD)
    assert "2,000,000" in threshold.text
    assert "When it is measured: not stated in the quoted clause." in threshold.text
    assert "What follows when it is crossed: not stated in the quoted clause." in threshold.text
    assert_grounded(folder, threshold)


def test_apache_with_a_notice_ships_the_notice_exactly(tmp_path: Path, work: Path) -> None:
    folder = make(tmp_path / "apache", {"LICENSE": apache_text(), "NOTICE": NOTICE})
    obligations = register(folder, work)
    assert [o.kind for o in obligations] == [Kind.NOTICE_FILE, Kind.MODIFIED_FILES]
    notice = by_kind(obligations, Kind.NOTICE_FILE)
    shipped = [e for e in notice.evidence if e["path"] == "NOTICE"]
    assert shipped and shipped[0]["quote"] == NOTICE.strip() and shipped[0]["lines"] == [1, 4]
    assert len(shipped[0]["sha256"]) == 64
    assert any(e["path"] == "LICENSE" and "NOTICE" in e["quote"] for e in notice.evidence)
    assert_grounded(folder, notice)
    assert "modified files" in by_kind(obligations, Kind.MODIFIED_FILES).evidence[0]["quote"]


def test_apache_without_a_notice_has_nothing_to_pass_on(tmp_path: Path, work: Path) -> None:
    folder = make(tmp_path / "apache", {"LICENSE": apache_text()})
    assert [o.kind for o in register(folder, work)] == [Kind.MODIFIED_FILES]


def test_a_notice_whose_text_was_not_kept_is_cited_by_its_hash(tmp_path: Path, work: Path) -> None:
    folder = make(tmp_path / "apache", {"LICENSE": apache_text(), "NOTICE": NOTICE})
    notice = by_kind(register(folder, work, keep_texts=False), Kind.NOTICE_FILE)
    (shipped,) = [e for e in notice.evidence if e["path"] == "NOTICE"]
    assert shipped["origin"] == "scan" and shipped["quote"] == shipped["note"]
    assert "its text was not kept" in shipped["note"] and len(shipped["sha256"]) == 64


def test_duties_only_the_reference_shows_are_labelled() -> None:
    finding: dict[str, Any] = {
        "check": "attribution", "level": "low",
        "summary": "The base model's license requires: ... (from the reference text of acme-base; that text is "
                   "not delivered).",
        "facts": {"license": "acme-base", "duties": ['derivative model names begin with "Acme"'],
                  "missing": [], "names": []},
        "evidence": [{"path": "reference:acme-base", "lines": [20, 21], "origin": "reference",
                      "quote": 'the name of a derived model must begin with "Acme"'}]}
    (ob,) = derive([finding])
    assert ob.kind == Kind.NAME_PREFIX and ob.basis is Basis.REFERENCE
    assert "From the reference text of acme-base" in ob.text and "the delivered files do not state it" in ob.text


def test_component_licenses_of_the_delivered_files_follow_the_model_terms(tmp_path: Path, work: Path) -> None:
    folder = make(tmp_path / "mixed", {"LICENSE": apache_text(), "tokenizer_utils.py": CODE_UNDER_MIT,
                                       "README.md": "# Model\n\nThe model weights are licensed under the "
                                                    "Apache License 2.0; the helper code is MIT licensed.\n"})
    (folder / "LICENSES").mkdir()
    (folder / "LICENSES" / "MIT.txt").write_text(mit_text(), encoding="utf-8")
    obligations = register(folder, work)
    assert [o.kind for o in obligations] == [Kind.MODIFIED_FILES, Kind.COMPONENT]
    component = obligations[-1]
    assert component.license_key == "mit" and component.key == "component_license:mit"
    assert "tokenizer_utils.py" in component.text and "LICENSES/MIT.txt" in component.text
    assert "README.md" not in component.text        # the card's words about the code are no file's license
    assert component.basis is Basis.DELIVERED and component.evidence[0]["path"] == "LICENSES/MIT.txt"
    assert_grounded(folder, component)


def test_a_component_license_outside_the_knowledge_base_has_unknown_duties() -> None:
    matches = [{"path": "vendor/lib.py", "role": "code", "key": "acme-tools-license", "name": "Acme Tools License",
                "source": "spdx-tag", "lines": [1, 1]}]
    (ob,) = derive([], [], {}, matches, {})
    assert ob.kind == Kind.COMPONENT and "they are unknown" in ob.text and "vendor/lib.py" in ob.text
    assert ob.evidence == ()


def test_notice_wording_and_passing_restrictions_on_are_read_from_the_clause(tmp_path: Path, work: Path) -> None:
    folder = make(tmp_path / "delta", {"LICENSE": DELTA_TERMS})
    obligations = register(folder, work)
    notice = by_kind(obligations, Kind.NOTICE_FILE)
    assert 'containing the attribution notice "Delta is provided under and subject to the Delta Model Terms."' \
        in notice.text
    policy = by_kind(obligations, Kind.USE_POLICY)
    assert "Pass them on to downstream users" in policy.text
    assert any("enforceable provision" in e["quote"] for e in policy.evidence)
    for ob in (notice, policy):
        assert_grounded(folder, ob)


def test_a_license_file_s_first_text_is_not_a_component_but_an_appended_one_is() -> None:
    matches = [{"path": "LICENSE", "role": "license", "key": "apache-2.0", "name": "Apache License 2.0",
                "source": "text", "lines": [1, 201]},
               {"path": "LICENSE", "role": "license", "key": "mit", "name": "MIT License", "source": "text",
                "lines": [205, 225]},
               {"path": "README.md", "role": "model_card", "key": "bsd-new", "name": "BSD 3-Clause",
                "source": "notice", "lines": [9, 9]}]
    (ob,) = derive([], [], {}, matches, load_knowledge())
    assert ob.key == "component_license:mit" and "The license text is delivered in LICENSE." in ob.text
    assert ob.basis is Basis.REFERENCE          # the text was not kept: the reference's quote, labelled
    assert "quoted from the reference text of mit" in ob.text
