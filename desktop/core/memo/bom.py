"""AI bill of materials: a CycloneDX 1.6 BOM of a reviewed delivery.

The model is a ``machine-learning-model`` component with a ``modelCard`` where the delivery
tells (cyclonedx-python-lib has no modelCard model, so it is added to the JSON); every file is
a ``file`` component with its SHA-256; licenses are SPDX ids, or ``LicenseRef-scancode-<key>``
names for terms SPDX does not list.  The review's decision is recorded as properties.

SPDX 3.0 (AI profile) is not written: its validator downloads the context, model and schema
on every run, so it cannot be validated offline (see FORMATS.md 5.1).
"""

from __future__ import annotations

import json
from typing import Any

from desktop.core.memo.snapshot import Snapshot, check_snapshot

CYCLONEDX_SPEC = "1.6"
MODEL_REF = "model"


def _license_entries(matches: list[dict[str, Any]]) -> list[Any]:
    from cyclonedx.model.license import DisjunctiveLicense
    from cyclonedx.spdx import fixup_id

    result: list[Any] = []
    seen: set[str] = set()
    for match in matches:
        spdx = fixup_id(str(match.get("spdx") or "")) if match.get("spdx") else None
        key = str(match.get("key") or "")
        label = spdx or (f"LicenseRef-scancode-{key}" if key else "")
        if not label or label in seen:
            continue
        seen.add(label)
        result.append(DisjunctiveLicense(id=spdx) if spdx else DisjunctiveLicense(name=label))
    return result


def _model_card(snapshot: Snapshot, dataset_refs: list[str]) -> dict[str, Any]:
    files = snapshot["scan"]["files"]
    config = next((f.get("metadata") or {} for f in files
                   if (f.get("metadata") or {}).get("kind") == "config"), {})
    card = next((f.get("metadata") or {} for f in files if f.get("role") == "model_card"), {})
    parameters: dict[str, Any] = {}
    if card.get("pipeline_tag"):
        parameters["task"] = str(card["pipeline_tag"])
    if config.get("model_type"):
        parameters["architectureFamily"] = str(config["model_type"])
    architectures = config.get("architectures")
    if isinstance(architectures, list) and architectures:
        parameters["modelArchitecture"] = str(architectures[0])
    if dataset_refs:
        parameters["datasets"] = [{"ref": ref} for ref in dataset_refs]
    conditions = [str(a["conditions"]) for a in snapshot["answers"] if a.get("conditions")]
    model_card: dict[str, Any] = {"bom-ref": "model-card"}
    if parameters:
        model_card["modelParameters"] = parameters
    if conditions:
        model_card["considerations"] = {"technicalLimitations": conditions}
    review = snapshot["review"]
    model_card["properties"] = [
        {"name": "aireview:review", "value": str(review["id"])},
        {"name": "aireview:status", "value": str(review["status"])},
        {"name": "aireview:knowledge_version", "value": str(snapshot["knowledge_version"])},
    ]
    return model_card


def _datasets(snapshot: Snapshot) -> list[str]:
    for f in snapshot["scan"]["files"]:
        if f.get("role") == "model_card":
            names = (f.get("metadata") or {}).get("datasets")
            if isinstance(names, list):
                return [str(n) for n in names if isinstance(n, str) and n.strip()][:100]
            if isinstance(names, str) and names.strip():
                return [names.strip()]
    return []


def build_cyclonedx(snapshot: Snapshot) -> dict[str, Any]:
    """The CycloneDX 1.6 JSON document (as a dict) for a review snapshot."""
    from cyclonedx.model import HashAlgorithm, HashType, Property
    from cyclonedx.model.bom import Bom
    from cyclonedx.model.component import Component, ComponentType
    from cyclonedx.model.contact import OrganizationalEntity
    from cyclonedx.output.json import JsonV1Dot6

    check_snapshot(snapshot)
    delivery, review = snapshot["delivery"], snapshot["review"]
    files = snapshot["scan"]["files"]
    weights = [m for f in files if f.get("role") in ("weights", "license", "model_card")
               for m in f.get("licenses") or [] if isinstance(m, dict)]
    every = [m for f in files for m in f.get("licenses") or [] if isinstance(m, dict)]
    every += [{"key": k} for k in snapshot["scan"].get("licenses", []) if k]
    bom = Bom()
    model = Component(
        name=delivery["product"] or "model", version=delivery["version"] or None,
        type=ComponentType.MACHINE_LEARNING_MODEL, bom_ref=MODEL_REF,
        supplier=OrganizationalEntity(name=delivery["vendor"]) if delivery["vendor"] else None,
        licenses=_license_entries(weights or every),
        properties=[Property(name="aireview:fingerprint", value=delivery["fingerprint"]),
                    Property(name="aireview:decision", value=str(review["status"]))])
    bom.components.add(model)
    dataset_refs: list[str] = []
    for number, name in enumerate(_datasets(snapshot), 1):
        ref = f"dataset:{number}"
        dataset_refs.append(ref)
        bom.components.add(Component(name=name, type=ComponentType.DATA, bom_ref=ref))
    for f in files:
        sha = f.get("sha256")
        bom.components.add(Component(
            name=str(f.get("path")), type=ComponentType.FILE, bom_ref=f"file:{f.get('path')}",
            hashes=[HashType(alg=HashAlgorithm.SHA_256, content=sha)] if sha else [],
            licenses=_license_entries([m for m in f.get("licenses") or [] if isinstance(m, dict)]),
            properties=[Property(name="aireview:role", value=str(f.get("role") or "other")),
                        Property(name="aireview:size", value=str(f.get("size") or 0))]))
    document = json.loads(JsonV1Dot6(bom).output_as_string())
    by_ref = {c["bom-ref"]: c for c in document.get("components", [])}
    by_ref[MODEL_REF]["modelCard"] = _model_card(snapshot, dataset_refs)
    for ref in dataset_refs:
        by_ref[ref]["data"] = [{"type": "dataset", "name": by_ref[ref]["name"]}]
    return document


def cyclonedx_json(snapshot: Snapshot) -> str:
    """The BOM as JSON text, checked against the CycloneDX 1.6 schema (ValueError if not)."""
    text = json.dumps(build_cyclonedx(snapshot), indent=2, ensure_ascii=False)
    problems = validate_cyclonedx(text)
    if problems:
        raise ValueError(f"The CycloneDX BOM does not match the 1.6 schema: {problems[0]}")
    return text


def validate_cyclonedx(text: str) -> list[str]:
    """Problems found by the offline CycloneDX 1.6 JSON schema check (empty when valid)."""
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    error = JsonStrictValidator(SchemaVersion.V1_6).validate_str(text)
    return [] if error is None else [str(error)]
