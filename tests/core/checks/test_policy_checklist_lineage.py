"""Firm policy, checklist loading with firm overrides, lineage table and MOF classes."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.checks.checklist import ChecklistError, load_checklist
from desktop.core.checks.knowledge import load_knowledge
from desktop.core.checks.lineage import extract_lineage, hub_id_from, load_base_model_table, lookup_base_model
from desktop.core.checks.openness import MOF, mof_class
from desktop.core.checks.policy import PolicyError, load_policy
from desktop.core.licenses import reference_dir
from desktop.core.results import FileEntry

REQUIRED_ITEMS = {"weights_coverage", "use_restrictions", "jurisdiction", "derivative_status", "commercial_use",
                  "output_use", "attribution", "data_provenance", "file_safety", "integrity",
                  "declared_vs_detected", "openness"}


def test_default_policy() -> None:
    policy = load_policy()
    assert policy.family_status("agpl") == "banned"
    assert policy.family_status("llama") == "needs-approval"
    assert policy.family_status("apache") == "allowed"
    assert policy.family_status("something-else") == "unlisted"
    assert policy.accepts_jurisdiction("State of California, USA") is True
    assert policy.accepts_jurisdiction("People's Republic of China") is False
    assert policy.accepts_jurisdiction("not-stated") is None
    assert policy.monthly_active_users and policy.annual_revenue


def test_bad_policy_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "p.yaml"
    bad.write_text("- just\n- a list\n")
    with pytest.raises(PolicyError, match=r"p\.yaml"):
        load_policy(bad)
    bad.write_text("company: {monthly_active_users: [1]}\n")
    with pytest.raises(PolicyError, match=r"p\.yaml"):
        load_policy(bad)


def test_default_checklist_has_every_required_item() -> None:
    checklist = load_checklist()
    assert set(checklist.ids) >= REQUIRED_ITEMS
    for item in checklist.items:
        assert item.question and item.guidance
        assert set(item.decisions) == {"accept", "accept-with-conditions", "reject", "needs-info"}


def test_firm_checklist_overrides_and_is_validated(tmp_path: Path) -> None:
    (tmp_path / "default.yaml").write_text(
        "name: default\nitems:\n  - {id: weights_coverage, title: W, question: 'Q?', decisions: [accept, reject]}\n")
    firm = load_checklist(firm_dir=tmp_path)
    assert firm.ids == ("weights_coverage",)
    assert firm.item("weights_coverage").decisions == ("accept", "reject")
    (tmp_path / "default.yaml").write_text("name: default\nitems:\n  - {id: a, title: A}\n")
    with pytest.raises(ChecklistError, match="lacks question"):
        load_checklist(firm_dir=tmp_path)


def test_hub_ids_and_table() -> None:
    assert hub_id_from("https://huggingface.co/meta-llama/Llama-3.1-8B") == "meta-llama/Llama-3.1-8B"
    assert hub_id_from("/home/alice/ckpt-500") is None
    assert hub_id_from("org-a/base-7b") == "org-a/base-7b"
    row = lookup_base_model("META-LLAMA/llama-3.1-70b-instruct")
    assert row is not None and row.license == "llama-3.1-license-2024"
    assert lookup_base_model("someone/unknown-model") is None


def test_table_keys_exist_in_the_reference_library_and_have_notes() -> None:
    knowledge = load_knowledge()
    for row in load_base_model_table():
        assert row.note
        assert row.family
        if row.license is not None:
            assert (reference_dir() / f"{row.license}.LICENSE").is_file(), row.license
            assert row.license in knowledge, row.license


def test_lineage_prefers_card_and_adapter_over_config_hint() -> None:
    files = [
        FileEntry("README.md", 1, "a", role="model_card",
                  metadata={"base_model": ["google/gemma-2-9b"], "base_model_relation": "adapter"}),
        FileEntry("config.json", 1, "b", role="config", format="json",
                  metadata={"_name_or_path": "/tmp/local/ckpt"}),
    ]
    lineage = extract_lineage(files)
    assert [b.id for b in lineage.base_models] == ["google/gemma-2-9b"]
    assert lineage.base_models[0].family == "gemma"
    assert lineage.relation == "adapter"


def test_mof_classes_are_cumulative() -> None:
    class3 = {c for c, (k, req, _t) in MOF.items() if req and k >= 3}
    assert mof_class(class3) == 3
    assert mof_class(class3 - {"Model card"}) == 0
    class2 = {c for c, (k, req, _t) in MOF.items() if req and k >= 2}
    assert mof_class(class2) == 2
    everything = {c for c, (k, req, _t) in MOF.items() if req}
    assert mof_class(everything) == 1
    assert mof_class((class3 - {"Technical report"}) | {"Research paper"}) == 3
