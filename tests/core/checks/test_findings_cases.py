"""The checklist rules on hand-made deliveries: each case of the risk-checklist issue, end to end."""

from __future__ import annotations

import json
import pickle
import struct
from pathlib import Path
from typing import Any

import pytest

from desktop.core.sample import sample_weights
from desktop.core.scan import ScanOptions, scan_path
from hand_made import make, ref_text


def card(**front: Any) -> str:
    lines = ["---"]
    for k, v in front.items():
        lines.append(f"{k}: {json.dumps(v)}")
    return "\n".join([*lines, "---", "", "# A model", "", "Some description.", ""])


def findings(folder: Path, work: Path, check: str) -> list[dict[str, Any]]:
    result = scan_path(folder, options=ScanOptions(work_dir=work))
    return [f for f in result.findings if f["check"] == check]


@pytest.fixture
def work(tmp_path: Path) -> Path:
    (tmp_path / "work").mkdir()
    return tmp_path / "work"


def test_weights_with_only_a_code_license_are_ambiguous(tmp_path: Path, work: Path) -> None:
    folder = make(tmp_path / "d", {"model.safetensors": sample_weights(), "LICENSE": ref_text("mit")})
    (found,) = findings(folder, work, "weights_coverage")
    assert found["facts"]["status"] == "ambiguous"
    assert found["facts"]["license"] == "mit"
    assert found["level"] in ("high", "medium")
    assert found["evidence"][0]["path"] == "LICENSE"


@pytest.mark.parametrize("front", [
    {"license": "gemma"},
    {"license": "llama3.1"},
    {"license": "other", "license_name": "acme-model-license", "license_link": "LICENSE"},
])
def test_declared_license_without_its_text_is_text_missing(tmp_path: Path, work: Path, front: dict) -> None:
    folder = make(tmp_path / "d", {"model.safetensors": sample_weights(), "README.md": card(**front)})
    (found,) = findings(folder, work, "weights_coverage")
    assert found["facts"]["status"] == "text-missing"
    assert found["level"] == "high"
    assert found["evidence"][0]["path"] == "README.md"


def test_non_commercial_license_blocks_commercial_use(tmp_path: Path, work: Path) -> None:
    folder = make(tmp_path / "d", {"model.safetensors": sample_weights(),
                                   "LICENSE": ref_text("cc-by-nc-4.0")})
    found = findings(folder, work, "commercial_use")
    nc = [f for f in found if f["facts"]["license"] == "cc-by-nc-4.0"]
    assert nc and nc[0]["facts"]["allowed"] == "no"
    assert nc[0]["level"] == "block"
    assert nc[0]["evidence"] and nc[0]["evidence"][0]["path"] == "LICENSE"


def test_research_only_terms_block_commercial_use(tmp_path: Path, work: Path) -> None:
    terms = ("ACME MODEL RESEARCH TERMS\n\n1. Grant. Acme grants you a limited license to use the model "
             "weights for research purposes only.\n\n2. You may not use the model for any commercial "
             "purpose or in production.\n\n3. These terms are governed by the laws of the State of Texas.\n")
    folder = make(tmp_path / "d", {"model.safetensors": sample_weights(), "LICENSE": terms})
    found = findings(folder, work, "commercial_use")
    assert any(f["facts"]["allowed"] == "no" and f["level"] == "block" for f in found), found
    blocking = next(f for f in found if f["level"] == "block")
    assert any("research" in e["quote"].lower() for e in blocking["evidence"])


def test_tongyi_qianwen_jurisdiction_and_users(tmp_path: Path, work: Path) -> None:
    folder = make(tmp_path / "d", {"model.safetensors": sample_weights(),
                                   "LICENSE": ref_text("tongyi-qianwen-2023")})
    result = scan_path(folder, options=ScanOptions(work_dir=work))
    juris = [f for f in result.findings if f["check"] == "jurisdiction"
             and f["facts"]["license"] == "tongyi-qianwen-2023"][0]
    assert "China" in juris["facts"]["governing_law"]
    assert "Hangzhou" in juris["facts"]["venue"]
    assert juris["level"] == "high"  # not an accepted jurisdiction under the default policy
    commercial = [f for f in result.findings if f["check"] == "commercial_use"
                  and f["facts"]["license"] == "tongyi-qianwen-2023"][0]
    assert commercial["facts"]["mau_threshold"] == 100_000_000
    lic = ref_text("tongyi-qianwen-2023").split("\n")
    for ev in juris["evidence"]:
        a, b = ev["lines"]
        assert " ".join(ev["quote"].split())[:30] in " ".join(" ".join(lic[a - 1:b]).split())


def test_stability_community_revenue_threshold(tmp_path: Path, work: Path) -> None:
    folder = make(tmp_path / "d", {"model.safetensors": sample_weights(),
                                   "LICENSE.md": ref_text("stability-ai-community-2024")})
    found = [f for f in findings(folder, work, "commercial_use")
             if f["facts"]["license"] == "stability-ai-community-2024"][0]
    revenue = found["facts"]["revenue_threshold"]
    assert revenue["amount"] == 1_000_000
    assert revenue["currency"] == "USD"
    assert found["facts"]["allowed"] == "conditional"
    assert found["level"] == "high"  # the default policy's company earns more than US$1M


class _Evil:
    def __reduce__(self):  # type: ignore[no-untyped-def]
        import os

        return (os.system, ("echo pwned",))


def test_unsafe_pickle_blocks(tmp_path: Path, work: Path) -> None:
    folder = make(tmp_path / "d", {"pytorch_model.bin": pickle.dumps(_Evil(), protocol=4),
                                   "LICENSE": ref_text("apache-2.0")})
    (found,) = findings(folder, work, "file_safety")
    assert found["level"] == "block"
    assert found["facts"]["unsafe_files"] == ["pytorch_model.bin"]
    assert "system" in found["evidence"][0]["quote"]


def test_llama_fine_tune_shipped_as_mit_is_a_conflict(tmp_path: Path, work: Path) -> None:
    folder = make(tmp_path / "d", {
        "model.safetensors": sample_weights(),
        "README.md": card(license="mit", base_model="meta-llama/Llama-3.1-8B", base_model_relation="finetune"),
        "LICENSE": ref_text("mit"),
    })
    result = scan_path(folder, options=ScanOptions(work_dir=work))
    (deriv,) = [f for f in result.findings if f["check"] == "derivative_status"]
    assert deriv["facts"]["conflict"] is True
    assert deriv["level"] == "high"
    assert deriv["facts"]["base_license"] == "llama-3.1-license-2024"
    assert deriv["facts"]["relation"] == "fine-tune"
    paths = {e["path"] for e in deriv["evidence"]}
    assert {"README.md", "LICENSE"} <= paths
    attribution = [f for f in result.findings if f["check"] == "attribution"]
    assert any("Llama" in " ".join(f["facts"]["duties"]) for f in attribution)


def gguf(kv: dict[str, Any]) -> bytes:
    def s(text: str) -> bytes:
        raw = text.encode()
        return struct.pack("<Q", len(raw)) + raw

    out = b"GGUF" + struct.pack("<IQQ", 3, 0, len(kv))
    for key, value in kv.items():
        out += s(key)
        out += struct.pack("<I", 8) + s(value) if isinstance(value, str) else struct.pack("<II", 4, value)
    return out


def test_quantized_gguf_names_its_base(tmp_path: Path, work: Path) -> None:
    blob = gguf({"general.architecture": "llama", "general.name": "Llama 3.1 8B Instruct Q4",
                 "general.license": "llama3.1", "general.file_type": 15, "general.base_model.count": 1,
                 "general.base_model.0.name": "Llama 3.1 8B Instruct",
                 "general.base_model.0.repo_url": "https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct"})
    folder = make(tmp_path / "d", {"llama-3.1-8b-instruct-q4_k_m.gguf": blob,
                                   "LICENSE": ref_text("llama-3.1-license-2024")})
    (deriv,) = findings(folder, work, "derivative_status")
    assert deriv["facts"]["base_models"] == ["meta-llama/Llama-3.1-8B-Instruct"]
    assert deriv["facts"]["relation"] == "quantized"
    assert deriv["facts"]["base_license"] == "llama-3.1-license-2024"
    assert deriv["facts"]["conflict"] is False


def test_apache_adapter_on_apache_base_has_no_conflict(tmp_path: Path, work: Path) -> None:
    folder = make(tmp_path / "d", {
        "adapter_model.safetensors": sample_weights(),
        "adapter_config.json": json.dumps({"base_model_name_or_path": "mistralai/Mistral-7B-v0.1",
                                           "peft_type": "LORA", "r": 8}),
        "README.md": card(license="apache-2.0", base_model="mistralai/Mistral-7B-v0.1"),
        "LICENSE": ref_text("apache-2.0"),
    })
    result = scan_path(folder, options=ScanOptions(work_dir=work))
    (deriv,) = [f for f in result.findings if f["check"] == "derivative_status"]
    assert deriv["facts"]["conflict"] is False
    assert deriv["facts"]["relation"] == "adapter"
    assert deriv["level"] in ("info", "low")
    (declared,) = [f for f in result.findings if f["check"] == "declared_vs_detected"]
    assert declared["facts"]["consistent"] is True


def test_card_and_license_file_disagree(tmp_path: Path, work: Path) -> None:
    folder = make(tmp_path / "d", {"model.safetensors": sample_weights(),
                                   "README.md": card(license="apache-2.0"),
                                   "LICENSE": ref_text("llama-3.1-license-2024")})
    (declared,) = findings(folder, work, "declared_vs_detected")
    assert declared["facts"]["consistent"] is False
    assert declared["level"] == "high"
    assert {e["path"] for e in declared["evidence"]} == {"README.md", "LICENSE"}


def test_policy_file_changes_levels(tmp_path: Path, work: Path) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text("name: research lab\npurpose: {commercial: false, research_only_fits: true}\n"
                      "company: {monthly_active_users: 10}\n")
    folder = make(tmp_path / "d", {"model.safetensors": sample_weights(), "LICENSE": ref_text("cc-by-nc-4.0")})
    result = scan_path(folder, options=ScanOptions(work_dir=work, policy=policy))
    nc = [f for f in result.findings if f["check"] == "commercial_use" and f["facts"]["license"] == "cc-by-nc-4.0"]
    assert nc[0]["level"] == "medium"


def test_every_finding_has_the_contract_shape(sample_dir: Path, work: Path) -> None:
    result = scan_path(sample_dir, options=ScanOptions(work_dir=work))
    assert result.findings
    for f in result.findings:
        assert set(f) == {"check", "level", "summary", "facts", "evidence", "why"}
        assert f["level"] in ("block", "high", "medium", "low", "info")
        for ev in f["evidence"]:
            assert "path" in ev and "quote" in ev
            assert ev["origin"] in ("delivered", "reference", "scan")
    checks = {f["check"] for f in result.findings}
    assert {"weights_coverage", "commercial_use", "openness", "integrity"} <= checks


def test_code_package_metadata_is_reconciled_with_the_delivered_texts(tmp_path: Path, work: Path) -> None:
    folder = make(tmp_path / "d", {
        "LICENSE": ref_text("apache-2.0"),
        "README.md": card(license="apache-2.0"),
        "src/pyproject.toml": '[project]\nname = "tool"\nlicense = {text = "GPL-3.0-only"}\n',
        "src/package.json": '{"name": "ui", "license": "Apache-2.0"}',
    })
    found = findings(folder, work, "declared_vs_detected")
    package = [f for f in found if "packages" in f["facts"]]
    assert len(package) == 1
    assert package[0]["level"] == "medium"
    assert [p["path"] for p in package[0]["facts"]["packages"]] == ["src/pyproject.toml"]
    assert package[0]["facts"]["packages"][0]["license"] == "gpl-3.0"
    paths = {e["path"] for e in package[0]["evidence"]}
    assert {"src/pyproject.toml", "LICENSE"} <= paths
    model = [f for f in found if "packages" not in f["facts"]]
    assert model and model[0]["facts"]["consistent"] is True
