"""Facts come from the delivered text; model terms from what speaks for the weights; components stay
components; the same delivery as a folder, zip or tar gives identical findings.  Hand-made deliveries."""

from __future__ import annotations

import io
import json
import tarfile
import zipfile
from pathlib import Path
from typing import Any

import pytest

from desktop.core.sample import sample_weights
from desktop.core.scan import ScanOptions, scan_path
from hand_made import TINY_TERMS, make, ref_text

TERMS = TINY_TERMS


@pytest.fixture
def work(tmp_path: Path) -> Path:
    (tmp_path / "work").mkdir()
    return tmp_path / "work"


def scan(folder: Path, work: Path) -> dict[str, Any]:
    return scan_path(folder, options=ScanOptions(work_dir=work)).to_json()


def of(result: dict[str, Any], check: str) -> list[dict[str, Any]]:
    return [f for f in result["findings"] if f["check"] == check]


def test_an_unknown_text_is_read_by_rule(tmp_path: Path, work: Path) -> None:
    result = scan(make(tmp_path / "d", {"model.safetensors": sample_weights(), "MODEL_LICENSE": TERMS}), work)
    (cov,) = of(result, "weights_coverage")
    assert cov["facts"]["status"] == "covered" and cov["facts"]["reason"] == "file-name"
    (com,) = of(result, "commercial_use")
    assert com["facts"]["allowed"] == "conditional" and com["facts"]["mau_threshold"] == 5_000_000
    assert "does not hold" in com["facts"]["read_from"]
    (law,) = of(result, "jurisdiction")
    assert law["facts"]["governing_law"] == "Ruritania"
    assert "Zenda" in law["facts"]["venue"]
    (use,) = of(result, "use_restrictions")
    assert use["facts"]["aup"]["kind"] == "inline"
    assert all(f["why"] for f in result["findings"])


def test_a_changed_threshold_in_a_known_text_is_the_delivered_one(tmp_path: Path, work: Path) -> None:
    text = ref_text("llama-2-license-2023")
    assert "700 million monthly active users" in text
    changed = text.replace("700 million monthly active users", "70 million monthly active users")
    result = scan(make(tmp_path / "d", {"model.safetensors": sample_weights(), "LICENSE": changed}), work)
    (com,) = [f for f in of(result, "commercial_use") if f["facts"]["license"]]
    assert com["facts"]["mau_threshold"] == 70_000_000
    (diff,) = [d for d in com["facts"]["differences"] if d["fact"] == "mau_threshold"]
    assert diff["reference"] == 700_000_000 and diff["delivered"] == 70_000_000
    quotes = [e["quote"] for e in com["evidence"] if e["origin"] == "delivered"]
    assert any("70 million" in q for q in quotes)
    assert not any("700 million" in q for q in quotes)


def test_an_added_restriction_to_a_known_text_is_not_hidden(tmp_path: Path, work: Path) -> None:
    changed = ref_text("apache-2.0").replace(
        "END OF TERMS AND CONDITIONS",
        "You will not use the Work for any military purposes.\n\nEND OF TERMS AND CONDITIONS")
    result = scan(make(tmp_path / "d", {"model.safetensors": sample_weights(), "LICENSE": changed}), work)
    (use,) = of(result, "use_restrictions")
    assert use["facts"]["aup"]["kind"] == "inline"
    assert "no acceptable use policy" not in use["summary"]
    assert any("military" in e["quote"] for e in use["evidence"])


def test_apache_notice_duty_only_when_the_work_has_a_notice(tmp_path: Path, work: Path) -> None:
    plain = scan(make(tmp_path / "a", {"model.safetensors": sample_weights(), "LICENSE": ref_text("apache-2.0")}),
                 work)
    for f in of(plain, "attribution"):
        assert not f["facts"]["missing"], f["summary"]
    notice = "This product includes the Tiny tokenizer, written by the Tiny authors.\n"
    with_notice = scan(make(tmp_path / "b", {"model.safetensors": sample_weights(),
                                              "LICENSE": ref_text("apache-2.0"), "NOTICE": notice}), work)
    (att,) = of(with_notice, "attribution")
    assert any("NOTICE" in d for d in att["facts"]["duties"]) and not att["facts"]["missing"]


def test_components_in_a_notice_never_decide_the_model_terms(tmp_path: Path, work: Path) -> None:
    notice = ("Third-party components\n\nfastparse\nLicensed under the MIT License.\n\n"
              "pixelkit\nLicensed under the BSD 3-Clause License.\n")
    readme = "# Tiny\n\nThe model weights are licensed under the CC BY-NC 4.0 license in LICENSE_weights.\n"
    result = scan(make(tmp_path / "d", {"model.safetensors": sample_weights(), "LICENSE": ref_text("mit"),
                                        "LICENSE_weights": ref_text("cc-by-nc-4.0"), "NOTICE": notice,
                                        "README.md": readme}), work)
    (cov,) = of(result, "weights_coverage")
    assert cov["facts"]["status"] == "covered" and cov["facts"]["license"] == "cc-by-nc-4.0"
    licensed = {f["facts"].get("license") for f in result["findings"] if f["check"] == "commercial_use"}
    assert licensed <= {"mit", "cc-by-nc-4.0"}
    (dvd,) = [f for f in of(result, "declared_vs_detected") if "sources" in f["facts"]]
    assert dvd["level"] == "info" and dvd["facts"]["consistent"] is True
    assert all(row["where"]["path"] == "NOTICE" for row in result["license_components"])


def test_openness_never_lists_an_item_as_present_and_missing(tmp_path: Path, work: Path) -> None:
    result = scan(make(tmp_path / "d", {"model.safetensors": sample_weights(), "LICENSE": ref_text("cc-by-nc-4.0"),
                                        "README.md": "# Tiny\n\nA model card.\n"}), work)
    (op,) = of(result, "openness")
    assert not set(op["facts"]["present"]) & set(op["facts"]["missing"])


def _zip(folder: Path, out: Path, top: str) -> Path:
    with zipfile.ZipFile(out, "w") as z:
        for path in sorted(folder.rglob("*"), reverse=True):  # another file order than the folder's
            if path.is_file():
                z.write(path, f"{top}/{path.relative_to(folder).as_posix()}")
    return out


def _tar(folder: Path, out: Path) -> Path:
    with tarfile.open(out, "w") as t:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                data = path.read_bytes()
                info = tarfile.TarInfo(path.relative_to(folder).as_posix())
                info.size = len(data)
                t.addfile(info, io.BytesIO(data))
    return out


def _comparable(result: dict[str, Any], top: str) -> str:
    findings = [dict(f, facts={k: v for k, v in f["facts"].items() if k != "fingerprint"})
                for f in result["findings"]]  # the fingerprint hashes member paths, top folder included
    text = json.dumps(findings, sort_keys=True)
    return text.replace(f"{top}/", "") if top else text


def test_folder_zip_and_tar_give_identical_findings(tmp_path: Path, work: Path) -> None:
    readme = "---\nlicense: other\nlicense_name: tiny-terms\nlicense_link: MODEL_LICENSE\n---\n# Tiny\n"
    folder = make(tmp_path / "tiny", {"model.safetensors": sample_weights(), "MODEL_LICENSE": TERMS,
                                      "LICENSE": ref_text("apache-2.0"), "README.md": readme,
                                      "NOTICE": "bundled tokenizer\nLicensed under the MIT License.\n"})
    as_folder = scan(folder, work)
    as_zip = scan(_zip(folder, tmp_path / "tiny.zip", "tiny"), work)
    as_tar = scan(_tar(folder, tmp_path / "tiny.tar"), work)
    assert _comparable(as_folder, "") == _comparable(as_zip, "tiny") == _comparable(as_tar, "")


GRANT_TERMS = """Acme Model Terms

1. Grant. You are granted a non-exclusive, worldwide and royalty-free license to use, reproduce,
distribute and modify the model weights.
2. You will not use the model for any military purposes.
3. These terms are governed by the laws of Ruritania.
"""


@pytest.mark.parametrize("extra, allowed", [
    ("", "yes"),
    ("4. The model is made available for research purposes.\n", "not-stated"),
    ("4. Use in production requires our written consent.\n", "not-stated"),
])
def test_a_general_grant_allows_commercial_use_only_when_nothing_speaks_of_it(
        tmp_path: Path, work: Path, extra: str, allowed: str) -> None:
    """A broad grant settles commercial use only when the text says nothing of commercial,
    research or production use anywhere; then the grant itself is the evidence."""
    files = {"model.safetensors": sample_weights(), "MODEL_LICENSE": GRANT_TERMS + extra}
    (com,) = of(scan(make(tmp_path / "d", files), work), "commercial_use")
    assert com["facts"]["allowed"] == allowed
    if allowed == "yes":
        assert com["level"] == "low" and "general grant" in com["summary"]
        (ev,) = com["evidence"]
        assert ev["path"] == "MODEL_LICENSE" and ev["lines"] == [3, 4] and "royalty-free" in ev["quote"]
    else:
        assert com["level"] == "medium"


@pytest.mark.parametrize("sentence, status, license_key", [
    ("The code and associated weights in this release are licensed under the Apache 2.0 license.",
     "covered", "apache-2.0"),
    ("The model weights are licensed under the Acme Special Weights Terms.", "text-missing", None),
])
def test_weights_stated_in_prose_settle_coverage_only_by_a_known_name(
        tmp_path: Path, work: Path, sentence: str, status: str, license_key: str | None) -> None:
    """No license file: a README sentence naming a known license for the weights covers them,
    cited by that sentence; a name the library does not know leaves the terms missing."""
    files = {"model.safetensors": sample_weights(), "README.md": f"# Tiny model\n\n{sentence}\n"}
    (cov,) = of(scan(make(tmp_path / "d", files), work), "weights_coverage")
    assert cov["facts"]["status"] == status and cov["facts"]["license"] == license_key
    if status == "covered":
        assert cov["facts"]["reason"] == "statement" and cov["facts"]["text_delivered"] is False
        assert cov["level"] == "low"
        assert cov["evidence"] == [{"path": "README.md", "lines": [3, 3], "quote": sentence, "origin": "delivered"}]
    else:
        assert cov["level"] == "high"


def test_license_other_with_a_link_to_a_delivered_text_is_that_text(tmp_path: Path, work: Path) -> None:
    """`license: other` + `license_link` to a delivered file: the weights are covered by that file and
    the declaration agrees with it (not "text missing", not a conflict)."""
    card = "---\nlicense: other\nlicense_name: acme-model-license\nlicense_link: ./TERMS.md\n---\n# Acme\n"
    files = {"model.safetensors": sample_weights(), "README.md": card, "TERMS.md": TERMS}
    result = scan(make(tmp_path / "d", files), work)
    (cov,) = of(result, "weights_coverage")
    assert cov["facts"]["status"] == "covered" and cov["facts"]["reason"] == "license_link"
    assert cov["facts"]["path"] == "TERMS.md"
    assert cov["evidence"][0] == {"path": "README.md", "lines": [4, 4], "quote": "license_link: ./TERMS.md",
                                  "origin": "delivered"}  # where the delivery says so comes first
    (dvd,) = of(result, "declared_vs_detected")
    assert dvd["facts"]["consistent"] is True and dvd["level"] == "info"


def test_the_sentence_that_ties_the_weights_to_a_license_is_cited(tmp_path: Path, work: Path) -> None:
    """"The documentation says the weights are licensed under it": the finding quotes that sentence."""
    sentence = "The model weights are licensed under the Apache License, Version 2.0."
    files = {"model.safetensors": sample_weights(), "README.md": f"# Tiny\n\n{sentence}\n",
             "LICENSE": ref_text("apache-2.0")}
    (cov,) = of(scan(make(tmp_path / "d", files), work), "weights_coverage")
    assert cov["facts"]["reason"] == "readme"
    assert cov["evidence"][0] == {"path": "README.md", "lines": [3, 3], "quote": sentence, "origin": "delivered"}
    assert cov["evidence"][1]["path"] == "LICENSE"


def test_an_absence_is_stated_as_read_and_cites_the_text_that_was_read(tmp_path: Path, work: Path) -> None:
    """"No governing law", "no restriction on outputs": said of the text, and the finding points at it."""
    files = {"model.safetensors": sample_weights(), "LICENSE": ref_text("mit")}
    result = scan(make(tmp_path / "d", files), work)
    (out,) = of(result, "output_use")
    assert out["summary"] == "MIT License states no restriction on outputs."
    (law,) = of(result, "jurisdiction")
    assert "no stated law" in law["summary"]
    for finding in (out, law):
        assert [e["path"] for e in finding["evidence"]] == ["LICENSE"]
        assert finding["evidence"][0]["origin"] == "delivered"


def test_a_code_package_declaration_is_not_the_models_terms(tmp_path: Path, work: Path) -> None:
    """A demo's package.json saying MIT is the demo code's license: reported as such, not read as model terms."""
    files = {"model.safetensors": sample_weights(), "LICENSE": ref_text("apache-2.0"),
             "demo/web/package.json": json.dumps({"name": "demo", "license": "MIT"})}
    result = scan(make(tmp_path / "d", files), work)
    assert [f["facts"]["license"] for f in of(result, "commercial_use")] == ["apache-2.0"]
    assert [f["facts"]["license"] for f in of(result, "jurisdiction")] == ["apache-2.0"]
    package = [f for f in of(result, "declared_vs_detected") if f["facts"].get("packages")]
    assert [p["license"] for p in package[0]["facts"]["packages"]] == ["mit"]
    agreed = [f for f in of(result, "declared_vs_detected") if f["facts"].get("consistent")]
    assert agreed[0]["summary"] == "One license statement, nothing to contradict it (Apache License 2.0)."


def test_the_notice_file_duty_is_found_alike_in_lowered_text():
    """The region search runs case-sensitively on the lowered text when lowering keeps offsets: the
    same spans as the case-blind search, on every LicenseDB text and on case and line-end variants."""
    from desktop.core.checks import rules_delivery
    from desktop.core.licenses.library import reference_dir

    texts = [p.read_text(errors="replace") for p in sorted(reference_dir().glob("*.LICENSE"))]
    texts += ["Within a NOTICE text file", "in a \u201cNotice\u201d file", "IN A NOTICE\nFILE", "xin a notice file"]
    found = 0
    for text in texts:
        blind = rules_delivery._NOTICE_FILE._blind.search(text)
        fast = rules_delivery._NOTICE_FILE.search(text)
        assert (blind is None) == (fast is None), text[:80]
        if blind is not None:
            found += 1
            assert (blind.span(), blind.span("name")) == (fast.span(), fast.span("name"))
    assert found >= 10
