"""The knowledge base: every file loads, every quote is in its cited lines, every required key exists."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest
import yaml

from desktop.cli import kb
from desktop.core.checks.knowledge import (
    FACT_NAMES,
    KnowledgeError,
    check_evidence,
    facts_to_json,
    knowledge_dir,
    knowledge_version,
    load_knowledge,
    load_knowledge_file,
)
from desktop.core.licenses.library import reference_dir
from desktop.core.licenses.reference_file import read_reference

AI_KEYS = (
    "llama-license-2023", "llama-2-license-2023", "llama-3.1-license-2024", "llama-3.2-license-2024",
    "llama-3.3-license-2024", "llama-4-cla-2025", "llama-4-license-2025", "gemma-tou-2024-04-01",
    "gemma-tou-2025-03-24", "gemma-pup-2024-02-21", "qwen-2024", "tongyi-qianwen-2023", "deepseek-la-1.0",
    "falcon-2-11b-1.0", "stability-ai-community-2024", "stability-ai-nc-2023-12-06",
    "nvidia-open-model-2025-04-28", "openmdw-1.0", "bigscience-rail-1.0", "bigscience-open-rail-m",
    "bigscience-open-rail-m2", "bigcode-open-rail-m-v1", "stable-diffusion-2022-08-22",
    "apple-ml-ferret-2023", "c-uda-1.0", "cdla-permissive-2.0", "chameleon-research-2024",
    "exaone-ai-model-1.1-nc", "hyperclova-x-seed-2025", "flux-1-nc", "ltxv-owl-2025-04-17",
    "ltxv-owl-2025-05-05", "playground-v2-community", "tencent-hunyuan-3d-2.0-cla",
    "moonshot-ai-modified-mit-2025", "open-weights-permissive-1.0.0", "fair-ai-public-1.0",
    "fair-ai-public-1.0-sd", "soml-1.0", "hfoil-1.0", "ms-research-license-terms",
    "bilibili-model-ula-2025-09-09", "openatom-model-1.0", "open-aleph-1.0", "responsible-ai-source-1.0", "responsible-ai-source-1.1",
    "nvidia-model-training-2025",
)
SOFTWARE_KEYS = (
    "apache-2.0", "mit", "bsd-new", "bsd-simplified", "gpl-2.0", "gpl-3.0", "agpl-3.0", "lgpl-2.1",
    "lgpl-3.0", "mpl-2.0", "cc-by-4.0", "cc-by-sa-4.0", "cc-by-nc-4.0", "cc-by-nc-sa-4.0",
    "cc-by-nc-nd-4.0", "cc0-1.0", "unlicense", "isc", "bsl-1.0", "epl-2.0",
)
REQUIRED_KEYS = AI_KEYS + SOFTWARE_KEYS


def _reference_dir() -> Path:
    """The reference texts, found the way the app finds them."""
    return reference_dir()


def _identity_ids() -> set[str]:
    """AI licenses the library lacks, named by an identity; their knowledge files cite the identity's source."""
    from desktop.core.licenses.identities import load_identities

    return {identity.id for identity in load_identities()}


def _all_keys() -> list[str]:
    return sorted(path.stem for path in knowledge_dir().glob("*.yaml"))


def _present_keys() -> list[str]:
    """Knowledge files for LicenseDB keys (checked against the reference library)."""
    return [key for key in _all_keys() if key not in _identity_ids()]


def test_the_whole_knowledge_base_loads():
    knowledge = load_knowledge()
    assert set(knowledge) == set(_all_keys())


@pytest.mark.parametrize("key", _present_keys())
def test_evidence_is_in_the_reference_text(key):
    facts = load_knowledge_file(knowledge_dir() / f"{key}.yaml")
    assert tuple(facts.facts) == FACT_NAMES
    json.dumps(facts_to_json(facts))
    reference_path = _reference_dir() / f"{key}.LICENSE"
    assert reference_path.is_file(), f"{key} is not a LicenseDB key in the reference library"
    reference = read_reference(reference_path)
    assert check_evidence(facts, reference.text, meta=reference.meta) == []


def test_every_required_key_is_present():
    present = set(_present_keys())
    missing = [key for key in REQUIRED_KEYS if key not in present]
    assert not missing, f"{len(missing)} knowledge files missing: {', '.join(missing)}"


# --- the checker itself, on hand-made files ------------------------------------------------------

REFERENCE_TEXT = ("Sample Model License\n\nYou may use the Model\nfor any purpose.\n\n"
                  "Governed by the laws of Utopia.\n")


def _document(**overrides) -> dict:
    facts = {name: {"value": "not-stated", "summary": "The text is silent.", "evidence": []}
             for name in FACT_NAMES}
    facts["mau_threshold"]["value"] = None
    facts["revenue_threshold"]["value"] = None
    facts["aup"]["value"] = {"kind": "none", "updatable": "not-stated", "url": None}
    facts["output_restrictions"]["value"] = []
    facts["derivative_obligations"]["value"] = {
        "terms_flow_down": "not-stated", "name_prefix": None, "attribution_phrase": None, "notice_file": None}
    facts["redistribution"]["value"] = {"copy_of_agreement": "not-stated", "notices": []}
    facts["territory_exclusions"]["value"] = []
    facts["termination_triggers"]["value"] = []
    facts["covers_weights"] = {"value": "yes", "summary": "Covers the model.",
                               "evidence": [{"lines": [3, 4], "quote": "use the Model for any purpose"}]}
    facts["governing_law"] = {"value": "Utopia", "summary": "Utopian law governs.",
                              "evidence": [{"lines": [6, 6], "quote": "laws of Utopia"}]}
    osi_evidence = {"source": "metadata", "field": "osi_license_key", "quote": "absent"}
    facts["osi_approved"] = {"value": False, "summary": "Not OSI approved.", "evidence": [osi_evidence]}
    for name, fact in overrides.items():
        facts[name] = fact
    return {"key": "sample-1.0", "name": "Sample Model License", "family": "sample", "kind": "model",
            "facts": facts}


def _write(tmp_path: Path, document: dict, name: str = "sample-1.0") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


def test_a_good_file_loads_and_its_evidence_checks(tmp_path):
    facts = load_knowledge_file(_write(tmp_path, _document()))
    assert facts.facts["covers_weights"].value == "yes"
    assert facts.facts["covers_weights"].evidence[0].lines == (3, 4)
    assert check_evidence(facts, REFERENCE_TEXT, meta={"key": "sample-1.0"}) == []


def test_a_bare_yaml_yes_means_yes(tmp_path):
    path = tmp_path / "sample-1.0.yaml"
    text = yaml.safe_dump(_document(), sort_keys=False).replace("value: 'yes'", "value: yes")
    assert "value: yes\n" in text
    path.write_text(text, encoding="utf-8")
    assert load_knowledge_file(path).facts["covers_weights"].value == "yes"


def test_a_wrong_quote_is_reported(tmp_path):
    document = _document(governing_law={"value": "Utopia", "summary": "s",
                                        "evidence": [{"lines": [6, 6], "quote": "laws of Atlantis"}]})
    problems = check_evidence(load_knowledge_file(_write(tmp_path, document)), REFERENCE_TEXT)
    assert len(problems) == 1
    assert "governing_law" in problems[0]
    assert "laws of Atlantis" in problems[0]


def test_a_quote_outside_its_range_is_reported(tmp_path):
    document = _document(governing_law={"value": "Utopia", "summary": "s",
                                        "evidence": [{"lines": [3, 4], "quote": "laws of Utopia"}]})
    problems = check_evidence(load_knowledge_file(_write(tmp_path, document)), REFERENCE_TEXT)
    assert problems
    assert "lines 3-4" in problems[0]


def test_an_out_of_range_line_is_reported(tmp_path):
    document = _document(governing_law={"value": "Utopia", "summary": "s",
                                        "evidence": [{"lines": [6, 99], "quote": "laws of Utopia"}]})
    problems = check_evidence(load_knowledge_file(_write(tmp_path, document)), REFERENCE_TEXT)
    assert len(problems) == 1
    assert "outside the reference text" in problems[0]


def test_a_wrong_metadata_value_is_reported(tmp_path):
    facts = load_knowledge_file(_write(tmp_path, _document()))
    problems = check_evidence(facts, REFERENCE_TEXT, meta={"osi_license_key": "Sample-1.0"})
    assert len(problems) == 1
    assert "osi_license_key" in problems[0]


@pytest.mark.parametrize(("change", "field"), [
    (lambda d: d["facts"].pop("venue"), "facts: missing venue"),
    (lambda d: d["facts"].__setitem__("extra_fact", {}), "facts: unexpected extra_fact"),
    (lambda d: d.__setitem__("kind", "treaty"), "kind"),
    (lambda d: d.__setitem__("key", "other-key"), "key"),
    (lambda d: d["facts"]["commercial_use"].__setitem__("value", "maybe"), "facts.commercial_use.value"),
    (lambda d: d["facts"]["mau_threshold"].__setitem__("value", "700 million"), "facts.mau_threshold.value"),
    (lambda d: d["facts"]["revenue_threshold"].__setitem__("value", {"amount": 1}),
     "facts.revenue_threshold.value"),
    (lambda d: d["facts"]["aup"]["value"].__setitem__("kind", "hidden"), "facts.aup.value.kind"),
    (lambda d: d["facts"]["governing_law"].__setitem__("evidence", []), "facts.governing_law.evidence"),
    (lambda d: d["facts"]["governing_law"]["evidence"][0].__setitem__("lines", [6]),
     "facts.governing_law.evidence[0].lines"),
    (lambda d: d["facts"]["governing_law"]["evidence"][0].__setitem__("quote", "x" * 201),
     "facts.governing_law.evidence[0].quote"),
    (lambda d: d["facts"]["governing_law"].__setitem__(
        "evidence", [{"source": "metadata", "field": "name", "quote": "Sample"}]),
     "metadata evidence is allowed only for osi_approved"),
])
def test_a_malformed_file_names_the_file_and_the_field(tmp_path, change, field):
    document = _document()
    change(document)
    with pytest.raises(KnowledgeError, match=r"sample-1\.0\.yaml") as caught:
        load_knowledge_file(_write(tmp_path, document))
    assert field in str(caught.value)


def test_a_duplicated_fact_is_refused(tmp_path):
    text = yaml.safe_dump(_document(), sort_keys=False)
    text = text.replace("facts:\n", "facts:\n  venue:\n    value: x\n    summary: s\n    evidence: []\n", 1)
    path = tmp_path / "sample-1.0.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeError, match="duplicate key 'venue'"):
        load_knowledge_file(path)


def test_the_version_follows_the_contents(tmp_path):
    _write(tmp_path, _document())
    before = knowledge_version(tmp_path)
    assert before == knowledge_version(tmp_path)
    _write(tmp_path, _document(venue={"value": "Utopia", "summary": "s",
                                      "evidence": [{"lines": [6, 6], "quote": "Utopia"}]}))
    assert knowledge_version(tmp_path) != before
    assert load_knowledge(tmp_path)["sample-1.0"].facts["venue"].value == "Utopia"


# --- aireview kb ------------------------------------------------------------------------------------

def _run_kb(argv: list[str], directory: Path, capsys) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="aireview")
    kb.register(parser.add_subparsers(dest="command"))
    ns = parser.parse_args(["kb", "--knowledge-dir", str(directory), *argv])
    code = ns.func(ns)
    out, err = capsys.readouterr()
    return code, out, err


def test_kb_lists_and_shows_keys(tmp_path, capsys):
    _write(tmp_path, _document())
    code, out, _ = _run_kb(["--list"], tmp_path, capsys)
    assert code == 0
    assert out.splitlines() == ["sample-1.0\tSample Model License"]
    code, out, _ = _run_kb(["--list", "--json"], tmp_path, capsys)
    assert code == 0
    assert json.loads(out) == [{"key": "sample-1.0", "name": "Sample Model License",
                                              "family": "sample", "kind": "model"}]
    code, out, _ = _run_kb(["sample-1.0", "--json"], tmp_path, capsys)
    assert code == 0
    assert json.loads(out)["facts"]["governing_law"]["evidence"][0]["lines"] == [6, 6]
    code, out, _ = _run_kb(["sample-1.0"], tmp_path, capsys)
    assert code == 0
    assert "governing_law" in out
    assert "laws of Utopia" in out
    assert "[line 6]" in out


def test_kb_unknown_key_exits_2(tmp_path, capsys):
    _write(tmp_path, _document())
    code, out, err = _run_kb(["no-such-key"], tmp_path, capsys)
    assert code == 2
    assert out == ""
    assert err.strip().splitlines() == [err.strip()]
    assert "no-such-key" in err


# --- OSI approval: one rule for every key, a missing LicenseDB key included ----------------------

def _osi_from_metadata(meta) -> bool:
    """OSI approval as the reference front matter and the bundled OSI list record it."""
    from desktop.core.checks.knowledge import osi_approved_ids

    return bool(meta.get("osi_license_key")
                or "OSI certified" in str(meta.get("notes") or "")
                or meta.get("spdx_license_key") in osi_approved_ids())


@pytest.mark.parametrize("key", _present_keys())
def test_osi_approval_is_read_the_same_way_for_every_key(key):
    facts = load_knowledge_file(knowledge_dir() / f"{key}.yaml")
    meta = read_reference(_reference_dir() / f"{key}.LICENSE").meta
    value = facts.facts["osi_approved"].value
    assert value != "not-stated", "OSI status is a registry fact: true or false, never not-stated"
    assert value is _osi_from_metadata(meta)


@pytest.mark.parametrize(("key", "spdx"), [("epl-2.0", "EPL-2.0"), ("unlicense", "Unlicense")])
def test_osi_list_evidence_names_the_spdx_identifier(key, spdx):
    facts = load_knowledge_file(knowledge_dir() / f"{key}.yaml")
    items = [e for e in facts.facts["osi_approved"].evidence if e.source == "osi-list"]
    assert [(e.field, e.quote) for e in items] == [("spdx_license_key", spdx)]


def test_osi_list_evidence_for_a_key_off_the_list_is_a_problem(tmp_path):
    text = (knowledge_dir() / "unlicense.yaml").read_text(encoding="utf-8")
    path = tmp_path / "unlicense.yaml"
    path.write_text(text.replace("quote: Unlicense}", "quote: WTFPL}"), encoding="utf-8")
    facts = load_knowledge_file(path)
    reference = read_reference(_reference_dir() / "unlicense.LICENSE")
    problems = check_evidence(facts, reference.text, meta=reference.meta)
    assert any("not on the OSI list" in p for p in problems)
    assert any("'Unlicense', not 'WTFPL'" in p for p in problems)


# --- corrections from the independent audit -----------------------------------------------------

def _fact(key: str, name: str):
    return load_knowledge_file(knowledge_dir() / f"{key}.yaml").facts[name]


@pytest.mark.parametrize("key", ["llama-3.2-license-2024", "llama-3.3-license-2024", "llama-4-license-2025"])
def test_llama_multimodal_eu_exclusion_is_recorded(key):
    territories = _fact(key, "territory_exclusions").value
    assert len(territories) == 1
    assert territories[0].startswith("European Union:")
    assert "multimodal" in territories[0]


def test_chameleon_agreement_can_be_changed_by_posting():
    aup = _fact("chameleon-research-2024", "aup")
    assert aup.value["updatable"] is True
    assert any("by posting a revised version" in e.quote for e in aup.evidence)


def test_exaone_licensor_owns_derivatives():
    fact = _fact("exaone-ai-model-1.1-nc", "derivative_obligations")
    assert any("Derivatives" in e.quote and "exclusive property" in e.quote for e in fact.evidence)
    assert "owns the Derivatives" in fact.summary


@pytest.mark.parametrize("key", ["cc-by-4.0", "cc-by-sa-4.0", "cc-by-nc-4.0", "cc-by-nc-sa-4.0", "cc-by-nc-nd-4.0"])
def test_cc_by_a_uri_satisfies_the_license_notice(key):
    fact = _fact(key, "redistribution")
    assert fact.value["copy_of_agreement"] is False
    assert any("URI or hyperlink" in e.quote for e in fact.evidence)


def test_mau_timing_wording():
    assert "release date" in _fact("llama-3.1-license-2024", "commercial_use").summary
    assert "no date or period" in _fact("tongyi-qianwen-2023", "mau_threshold").summary


# --- AI licenses outside the reference library (named by an identity) ----------------------------

def _identity(key: str):
    from desktop.core.licenses.identities import load_identities

    return next(i for i in load_identities() if i.id == key)


def test_every_identity_has_a_knowledge_file():
    missing = sorted(_identity_ids() - set(_all_keys()))
    assert not missing, f"identities without a knowledge file: {', '.join(missing)}"


@pytest.mark.parametrize("key", sorted(_identity_ids() & set(_all_keys())))
def test_an_identity_knowledge_file_matches_its_identity_and_cites_its_source(key):
    path = knowledge_dir() / f"{key}.yaml"
    facts = load_knowledge_file(path)
    identity = _identity(key)
    assert (facts.family, facts.kind) == (identity.family, identity.kind)
    assert not (reference_dir() / f"{key}.LICENSE").exists(), "an identity is never a LicenseDB key"
    repo_commit, file_path = identity.source.split(":", 1)
    header = path.read_text(encoding="utf-8").split("\n", 1)[0]
    assert header.startswith("# Read from ") and f"{repo_commit}:{file_path}" in header
    osi = facts.facts["osi_approved"]
    assert osi.value is False and [(e.source, e.field, e.quote) for e in osi.evidence] == [
        ("metadata", "osi_license_key", "absent")]


@pytest.mark.parametrize("key", sorted(_identity_ids() & set(_all_keys())))
def test_an_identity_knowledge_file_states_nothing_without_a_quote(key):
    """With no reference text in the app, a stated value must rest on quotes found in the delivered text."""
    facts = load_knowledge_file(knowledge_dir() / f"{key}.yaml")
    for fact in facts.facts.values():
        if fact.name == "osi_approved":
            continue
        quotes = [e for e in fact.evidence if e.source == "text"]
        assert all(0 < len(e.quote.strip()) <= 200 and "**" not in e.quote for e in quotes), fact.name
        stated = fact.value not in (None, "not-stated", []) and not (
            isinstance(fact.value, dict) and all(v in (None, "not-stated", [], "none") for v in fact.value.values()))
        assert quotes or not stated, f"{key}: {fact.name} is stated with no quote to find in the delivered text"
