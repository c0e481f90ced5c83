"""Base models named in prose, and the derivation rule table's shape (fast: no scan)."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.checks.derivation_table import RuleTableError, load_rule_table
from desktop.core.checks.derivation_terms import name_variants
from desktop.core.checks.lineage import extract_lineage, lookup_by_name
from desktop.core.checks.lineage_prose import prose_bases
from desktop.core.results import FileEntry


def readme(text: str, path: str = "README.md") -> FileEntry:
    return FileEntry(path, len(text), "x", role="model_card", text=text)


def test_a_sentence_about_this_model_names_its_base() -> None:
    text = "# Widget-Coder-2\n\nWidget-Coder-2 is further pre-trained from an intermediate checkpoint of Gizmo-V2.\n"
    (base,) = prose_bases([readme(text)], ["widget-coder-2"])
    assert (base.name, base.line, base.relation) == ("Gizmo-V2", 3, "fine-tune")


@pytest.mark.parametrize("sentence", [
    "We released the next model, Widget-3, which is based on gizmo-8b.",      # another model, "based on"
    "OtherModel-1 was fine-tuned from Gizmo-7B.",                            # subject is not this model
    "Widget-2 was trained from scratch on 2T tokens.",                       # no base
    "Widget-2 was trained on ImageNet-21K.",                                 # data, not a model
    "The model was fine-tuned on Alpaca-52K.",                               # "on" names data unless a Hub id
])
def test_sentences_that_name_no_base(sentence: str) -> None:
    assert prose_bases([readme(f"# Widget-2\n\n{sentence}\n")], ["Widget-2"]) == []


def test_this_model_and_hub_ids() -> None:
    text = "This model was distilled from org-a/teacher-70b with synthetic prompts.\n"
    (base,) = prose_bases([readme(text)], [])
    assert (base.name, base.relation) == ("org-a/teacher-70b", "distillation")


def test_license_text_applying_other_licenses_to_the_weights() -> None:
    text = ("MODEL TERMS\n\n4. Gizmo2 and Sprocket-Vision2 License\n\n"
            "Gizmo2 license conditions (https://example.com/g) and Sprocket license conditions "
            "(BSD-3-Clause, https://example.com/s) also apply to the model weights.\n")
    entry = FileEntry("MODEL_LICENSE", len(text), "x", role="license", text=text)
    first, second = prose_bases([entry], [])
    assert (first.name, first.license_phrase, first.line, first.in_license) == ("Gizmo2", "Gizmo2 license", 5, True)
    assert (second.name, second.license_phrase) == ("Sprocket-Vision2", "BSD-3-Clause")


def test_prose_is_read_only_when_no_field_names_a_base() -> None:
    text = "---\nbase_model: org-a/base-7b\n---\nWidget-2 was fine-tuned from Gizmo-7B.\n"
    entry = FileEntry("README.md", 1, "x", role="model_card", metadata={"base_model": ["org-a/base-7b"]}, text=text)
    lineage = extract_lineage([entry], "Widget-2")
    assert [b.id for b in lineage.base_models] == ["org-a/base-7b"]


def test_prose_names_are_looked_up_without_their_organisation() -> None:
    row = lookup_by_name("Mistral-7B-v0.1")
    assert row is not None and row.license == "apache-2.0"
    assert lookup_by_name("Unknown-Thing-1") is None


def test_name_variants_drop_only_size_and_variant_tags() -> None:
    assert name_variants("org/widget-base-alpha-7b") == ["org/widget-base-alpha-7b", "widget-base-alpha-7b",
                                                         "widget-base-alpha"]
    assert name_variants("org/Gizmo2-VL-72B-Instruct") == ["org/Gizmo2-VL-72B-Instruct", "Gizmo2-VL-72B-Instruct",
                                                           "Gizmo2-VL-72B", "Gizmo2-VL"]


def test_the_bundled_rule_table_loads_and_ends_with_a_catch_all() -> None:
    table = load_rule_table()
    assert table.rules[-1].id == "undecided"
    assert {"permissive", "share-alike"} <= set(table.classes)
    assert "non-commercial" in table.traits_of_family("cc-by-nc")


TABLE = """version: 1
classes: {permissive: [mit]}
family_traits: {}
rules:
%s
  - {id: last, relations: any, outcome: clause-dependent, clause: c, says: s}
"""


@pytest.mark.parametrize("rule, message", [
    ("  - {id: a, base: [permisive], outcome: conflict, clause: c, says: s}", "unknown value"),
    ("  - {id: a, when: [same-licence], outcome: conflict, clause: c, says: s}", "unknown value"),
    ("  - {id: a, relations: [finetune], outcome: conflict, clause: c, says: s}", "unknown value"),
    ("  - {id: a, outcome: maybe, clause: c, says: s}", "outcome"),
    ("  - {id: last, outcome: conflict, clause: c, says: s}", "unique"),
    ("  - {id: a, outcome: conflict, says: s}", "needs id"),
])
def test_a_bad_rule_table_is_refused(tmp_path: Path, rule: str, message: str) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(TABLE % rule, encoding="utf-8")
    with pytest.raises(RuleTableError, match=message):
        load_rule_table(path)


def test_a_table_without_a_catch_all_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text("version: 1\nrules:\n  - {id: a, base: [permissive], outcome: compatible, clause: c, says: s}\n",
                    encoding="utf-8")
    with pytest.raises(RuleTableError, match="last rule"):
        load_rule_table(path)


def test_a_license_applying_a_versioned_model_license() -> None:
    text = "Gizmo terms.\n\nThe Llama 3.1 license terms apply to the model weights as well.\n"
    entry = FileEntry("LICENSE", len(text), "x", role="license", text=text)
    (base,) = prose_bases([entry], [])
    assert (base.name, base.license_phrase, base.line) == ("Llama 3.1", "Llama 3.1 license", 3)


@pytest.mark.parametrize("written, key, family", [
    ("Llama 3.1 license", "llama-3.1-license-2024", "llama"),
    ("Llama2 license", "llama-2-license-2023", "llama"),
    ("CC BY-SA-4.0", "cc-by-sa-4.0", "cc-by-sa"),
    ("MIT", "mit", "mit"),
    ("Qwen license", None, "qwen"),
    ("the supervision", None, None),
])
def test_written_license_names_resolve_to_a_key_or_a_family(written: str, key: str | None,
                                                            family: str | None) -> None:
    from types import SimpleNamespace

    from desktop.core.checks.derivation_terms import resolve_phrase
    from desktop.core.checks.knowledge import load_knowledge

    ctx = SimpleNamespace(knowledge=load_knowledge())
    assert resolve_phrase(ctx, written) == (key, family)  # type: ignore[arg-type]


def test_families_for_keys_the_knowledge_base_lacks_and_other_spellings() -> None:
    from types import SimpleNamespace

    from desktop.core.checks.derivation_terms import family_of
    from desktop.core.checks.knowledge import load_knowledge

    ctx = SimpleNamespace(knowledge=load_knowledge())
    assert family_of(ctx, "cc-by-sa-3.0", "cc-by") == "cc-by-sa"  # type: ignore[arg-type]
    assert family_of(ctx, "cc-by-nc-sa-4.0", "cc-by-nc") == "cc-by-nc-sa"  # type: ignore[arg-type]
    assert family_of(ctx, None, "exaone") == "lg-exaone"  # type: ignore[arg-type]
    assert family_of(ctx, None, None) is None  # type: ignore[arg-type]


def test_a_config_holding_the_parents_id_does_not_hide_the_prose_base() -> None:
    text = "# Widget-2\n\nWidget-2 was fine-tuned from org-a/gizmo-7b on support chats.\n"
    files = [readme(text), FileEntry("config.json", 1, "y", role="config", format="json",
                                     metadata={"_name_or_path": "org-a/gizmo-7b"})]
    lineage = extract_lineage(files, "widget-2")
    assert [(b.id, b.sources[0]["field"]) for b in lineage.base_models] == [("org-a/gizmo-7b", "prose")]
    assert lineage.relation == "fine-tune"
