"""Derivative compatibility on hand-made deliveries: one delivery per rule of resources/derivation/rules.yaml."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from desktop.core.checks.derivation_table import load_rule_table
from desktop.core.sample import sample_weights
from desktop.core.scan import ScanOptions, scan_path
from hand_made import make, ref_text

def card(body: str = "Some description.", **front: Any) -> str:
    lines = ["---", *(f"{k}: {json.dumps(v)}" for k, v in front.items()), "---", "", "# A model", "", body, ""]
    return "\n".join(lines)


def derivation(folder: Path, work: Path) -> list[dict[str, Any]]:
    result = scan_path(folder, options=ScanOptions(work_dir=work))
    return [f for f in result.findings if f["check"] == "derivative_status"]


def delivered_quotes_hold(folder: Path, finding: dict[str, Any]) -> None:
    """Every delivered quote is in the cited lines of the cited file; reference quotes say so."""
    for ev in finding["evidence"]:
        if ev["origin"] == "reference":
            assert ev["path"].startswith("reference:")
            continue
        if ev["origin"] != "delivered" or not ev.get("lines"):
            continue
        lines = (folder / ev["path"]).read_text(encoding="utf-8").split("\n")
        first, last = ev["lines"]
        assert " ".join(ev["quote"].split()).lower() in " ".join(" ".join(lines[first - 1:last]).split()).lower()


@pytest.fixture
def work(tmp_path: Path) -> Path:
    (tmp_path / "work").mkdir()
    return tmp_path / "work"


def weights_with(folder: Path, files: dict[str, str]) -> Path:
    return make(folder, {"model.safetensors": sample_weights(), **files})


def test_distillation_on_outputs_of_a_teacher_that_forbids_it(tmp_path: Path, work: Path) -> None:
    folder = weights_with(tmp_path / "student", {
        "README.md": card(license="apache-2.0", base_model="meta-llama/Llama-2-7b-hf",
                          base_model_relation="distillation"),
        "LICENSE": ref_text("apache-2.0")})
    (found,) = derivation(folder, work)
    assert found["facts"]["rule"] == "distilled-from-restricted-outputs"
    assert found["facts"]["compatibility"] == "conflict" and found["facts"]["conflict"] is True
    assert found["facts"]["deciding_clauses"][0]["clause"] == "output_restrictions"
    assert any(e["path"] == "reference:llama-2-license-2023" for e in found["evidence"])
    delivered_quotes_hold(folder, found)


def test_non_commercial_base_under_a_commercial_license(tmp_path: Path, work: Path) -> None:
    folder = weights_with(tmp_path / "lora", {
        "README.md": card(license="apache-2.0", base_model="black-forest-labs/FLUX.1-dev",
                          base_model_relation="adapter"),
        "LICENSE": ref_text("apache-2.0")})
    (found,) = derivation(folder, work)
    assert found["facts"]["rule"] == "non-commercial-base-commercial-derivative"
    assert found["level"] == "high" and found["facts"]["conflict"] is True
    assert found["facts"]["base_license"] == "flux-1-nc"
    assert found["facts"]["base_license_source"] == "knowledge base"
    assert "not from the delivery" in found["summary"]
    assert {"README.md", "LICENSE"} <= {e["path"] for e in found["evidence"]}


def test_no_derivatives_base_cannot_be_fine_tuned_and_shared(tmp_path: Path, work: Path) -> None:
    folder = weights_with(tmp_path / "acme-nd", {
        "README.md": card("Acme-Speech-1B is licensed under CC BY-NC-ND-4.0.", license="cc-by-nc-4.0",
                          base_model="acme/Acme-Speech-1B", base_model_relation="finetune")})
    (found,) = derivation(folder, work)
    assert found["facts"]["base_license"] == "cc-by-nc-nd-4.0"
    assert found["facts"]["rule"] == "no-derivatives-base" and found["facts"]["conflict"] is True


def test_flow_down_base_relabelled_permissive(tmp_path: Path, work: Path) -> None:
    folder = weights_with(tmp_path / "coder", {
        "README.md": card(license="mit", base_model="bigcode/starcoder", base_model_relation="finetune"),
        "LICENSE": ref_text("mit")})
    (found,) = derivation(folder, work)
    assert found["facts"]["rule"] == "flow-down-base-permissive-derivative"
    assert found["facts"]["conflict"] is True
    base, derived = found["facts"]["deciding_clauses"]
    assert (base["side"], base["license"], base["clause"]) == ("base", "bigcode-open-rail-m-v1", "derivative_obligations")
    assert base["summary"] and base["source"].startswith("reference text of")  # our words; its text is not delivered
    assert (derived["side"], derived["license"]) == ("derivative", "mit")


def test_merge_checks_every_parent_and_reports_the_conflict_first(tmp_path: Path, work: Path) -> None:
    folder = weights_with(tmp_path / "vlm", {
        "README.md": card(license="mit", base_model=["OpenGVLab/InternViT-300M-448px-V2_5",
                                                     "internlm/internlm2_5-7b-chat"], base_model_relation="merge"),
        "LICENSE": ref_text("mit")})
    first, second = derivation(folder, work)
    assert first["facts"]["rule"] == "conditional-commercial-base-permissive-derivative"
    assert first["facts"]["base"]["id"] == "internlm/internlm2_5-7b-chat"
    assert "InternLM" in first["facts"]["base_license"] and first["facts"]["conflict"] is True
    assert second["facts"]["compatibility"] == "compatible" and second["facts"]["conflict"] is False
    parents = {p["id"]: p["compatibility"] for p in first["facts"]["parents"]}
    assert parents == {"OpenGVLab/InternViT-300M-448px-V2_5": "compatible",
                       "internlm/internlm2_5-7b-chat": "conflict"}
    delivered_quotes_hold(folder, first)


def test_naming_prefix_the_base_requires_is_missing(tmp_path: Path, work: Path) -> None:
    folder = weights_with(tmp_path / "acme-chat", {
        "README.md": card(license="llama3.1", base_model="meta-llama/Llama-3.1-8B", model_name="acme-chat"),
        "LICENSE": ref_text("llama-3.1-license-2024")})
    (found,) = derivation(folder, work)
    assert found["facts"]["rule"] == "naming-prefix-missing"
    assert found["facts"]["compatibility"] == "clause-dependent" and found["facts"]["conflict"] is False


def test_same_license_is_compatible(tmp_path: Path, work: Path) -> None:
    folder = weights_with(tmp_path / "acme", {
        "README.md": "---\nlicense: llama3.1\nbase_model: meta-llama/Llama-3.1-8B\n---\n# Model Card for Llama-acme\n",
        "LICENSE": ref_text("llama-3.1-license-2024")})
    (found,) = derivation(folder, work)
    assert found["facts"]["rule"] == "same-license"  # the card's title gives the name the duty asks for
    (clause,) = found["facts"]["deciding_clauses"]
    assert clause["side"] == "base" and clause["source"] == "delivered text LICENSE"  # not the reference copy
    assert not any(e["origin"] == "reference" for e in found["evidence"])
    delivered_quotes_hold(folder, found)
    assert found["facts"]["compatibility"] == "compatible" and found["level"] == "low"


def test_same_family_without_a_version_is_compatible(tmp_path: Path, work: Path) -> None:
    folder = weights_with(tmp_path / "gemma-acme", {
        "README.md": card(license="gemma", base_model="google/gemma-2-9b", base_model_relation="adapter")})
    (found,) = derivation(folder, work)
    assert found["facts"]["rule"] == "same-family"
    assert found["facts"]["compatibility"] == "compatible"


def test_another_version_of_the_base_license_depends_on_its_clause(tmp_path: Path, work: Path) -> None:
    folder = weights_with(tmp_path / "llama-acme", {
        "README.md": card(license="llama3.2", base_model="meta-llama/Llama-3.1-8B", model_name="Llama-acme"),
        "LICENSE": ref_text("llama-3.2-license-2024")})
    (found,) = derivation(folder, work)
    assert found["facts"]["rule"] == "same-family-other-version"
    assert found["facts"]["compatibility"] == "clause-dependent"


APPLIED = """ACME VISION MODEL LICENSE

1. The licensor grants you the right to use the Acme Vision weights under the terms below.

9. Llama2 and Foo-Vision3 License

For the 20B release, Llama2 license conditions (see https://example.com/llama) and Foo license conditions (MIT, https://example.com/foo) also apply to the model weights.
"""


def test_license_text_applying_base_licenses_names_the_bases_and_carries_their_terms(tmp_path: Path,
                                                                                     work: Path) -> None:
    folder = weights_with(tmp_path / "acme-vision", {"MODEL_LICENSE": APPLIED,
                                                     "README.md": "# Acme Vision\n\nA vision model.\n"})
    found = derivation(folder, work)
    assert found[0]["facts"]["base_models"] == ["Llama2", "Foo-Vision3"]
    by_id = {f["facts"]["base"]["id"]: f for f in found}
    assert by_id["Llama2"]["facts"]["base_license"] == "llama-2-license-2023"
    assert by_id["Llama2"]["facts"]["base_license_source"] == "delivered"
    assert by_id["Llama2"]["facts"]["rule"] == "base-terms-carried"
    assert by_id["Foo-Vision3"]["facts"]["base_license"] == "mit"
    cited = [e for e in by_id["Llama2"]["evidence"] if e["path"] == "MODEL_LICENSE"]
    assert cited and cited[0]["lines"] == [7, 7] and cited[0]["quote"] == "Llama2 license conditions"
    assert all(not f["facts"]["conflict"] for f in found)
    delivered_quotes_hold(folder, by_id["Llama2"])


SHARE_ALIKE = """# Acme Chat

## Licenses

- Base checkpoints (`acme-base`) are licensed under the Creative Commons license ([CC BY-SA-4.0](https://example.com/by-sa)).
- The chat checkpoints are licensed under CC BY-NC-SA-4.0.
"""


def test_share_alike_base_stated_in_the_readme(tmp_path: Path, work: Path) -> None:
    folder = weights_with(tmp_path / "acme-chat", {
        "README.md": "---\nlicense: cc-by-nc-sa-4.0\nbase_model: acme/acme-base-7b\n---\n" + SHARE_ALIKE})
    (found,) = derivation(folder, work)
    assert found["facts"]["base_license"] == "cc-by-sa-4.0"
    assert found["facts"]["base_license_source"] == "delivered"
    assert found["facts"]["rule"] == "share-alike-base"
    assert found["facts"]["compatibility"] == "clause-dependent" and found["facts"]["conflict"] is False
    readme = [e for e in found["evidence"] if e["path"] == "README.md" and e["quote"] == "CC BY-SA-4.0"]
    assert readme and readme[0]["lines"] == [9, 9]
    delivered_quotes_hold(folder, found)


def test_flow_down_base_under_other_restrictive_terms(tmp_path: Path, work: Path) -> None:
    folder = weights_with(tmp_path / "coder-nc", {
        "README.md": card(license="cc-by-nc-4.0", base_model="bigcode/starcoder")})
    (found,) = derivation(folder, work)
    assert found["facts"]["rule"] == "flow-down-base-other-terms"
    assert found["facts"]["compatibility"] == "clause-dependent"


def test_non_commercial_base_under_other_terms(tmp_path: Path, work: Path) -> None:
    folder = weights_with(tmp_path / "acme-tuned", {
        "README.md": card("Acme-NC-7B is released under CC BY-NC-4.0. We tuned it further.",
                          license="cc-by-nc-sa-4.0", base_model="acme/Acme-NC-7B")})
    (found,) = derivation(folder, work)
    assert found["facts"]["base_license"] == "cc-by-nc-4.0"
    assert found["facts"]["rule"] == "restricted-base-other-terms"


def test_permissive_base_imposes_only_notices(tmp_path: Path, work: Path) -> None:
    folder = weights_with(tmp_path / "mpt-acme", {
        "README.md": card(license="cc-by-nc-sa-4.0", base_model="mosaicml/mpt-7b"),
        "LICENSE": ref_text("apache-2.0")})  # the code's license; the card declares the model's
    (found,) = derivation(folder, work)
    assert found["facts"]["rule"] == "permissive-base"
    assert found["facts"]["base_license"] == "apache-2.0" and found["level"] == "info"


def test_pair_no_rule_decides(tmp_path: Path, work: Path) -> None:
    folder = weights_with(tmp_path / "acme-2", {
        "README.md": card("Acme-Base-1B is licensed under openatom-model-1.0.", license="apache-2.0",
                          base_model="acme/Acme-Base-1B"),
        "LICENSE": ref_text("apache-2.0")})
    (found,) = derivation(folder, work)
    assert found["facts"]["rule"] == "undecided"
    assert found["facts"]["compatibility"] == "clause-dependent"


def test_unknown_base_license_is_an_answer(tmp_path: Path, work: Path) -> None:
    folder = weights_with(tmp_path / "acme-3", {
        "README.md": card(license="apache-2.0", base_model="acme/secret-base-3b"), "LICENSE": ref_text("apache-2.0")})
    (found,) = derivation(folder, work)
    assert found["facts"]["compatibility"] == "unknown" and found["facts"]["base_license"] is None
    assert "not stated in the delivery" in found["summary"] and found["level"] == "medium"
    assert found["evidence"][0]["quote"] == "acme/secret-base-3b"


def test_trained_from_sentence_about_this_model_names_the_base(tmp_path: Path, work: Path) -> None:
    body = ("AcmeCoder-2 was fine-tuned from Mistral-7B-v0.1 with our code data.\n\n"
            "Our earlier OtherModel-1 was fine-tuned from Qwen-7B-Chat.\n\nThe model was trained on ImageNet-21K.")
    folder = weights_with(tmp_path / "AcmeCoder-2", {"README.md": card(body, license="apache-2.0"),
                                                     "LICENSE": ref_text("apache-2.0")})
    (found,) = derivation(folder, work)
    assert found["facts"]["base_models"] == ["Mistral-7B-v0.1"]
    assert found["facts"]["relation"] == "fine-tune"
    assert found["facts"]["base_license"] == "apache-2.0" and found["facts"]["compatibility"] == "compatible"
    assert found["evidence"][0]["path"] == "README.md" and found["evidence"][0]["quote"] == "Mistral-7B-v0.1"


def test_no_base_model(tmp_path: Path, work: Path) -> None:
    folder = weights_with(tmp_path / "plain", {"README.md": card(license="mit"), "LICENSE": ref_text("mit")})
    (found,) = derivation(folder, work)
    assert found["facts"]["base_models"] == [] and found["facts"]["conflict"] is False


def test_every_rule_of_the_table_has_a_delivery_above() -> None:
    """Each rule of the table is asserted as the deciding rule of one hand-made delivery in this file."""
    source = Path(__file__).read_text(encoding="utf-8")
    missing = [r.id for r in load_rule_table().rules if f'["rule"] == "{r.id}"' not in source]
    assert not missing
