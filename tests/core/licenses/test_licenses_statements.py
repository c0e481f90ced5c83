"""License statements in prose: links, label fields, other verbs, versionless and unknown names."""

from __future__ import annotations

import pytest

from desktop.core.licenses import identify_text
from desktop.core.licenses.statements import plain_prose


def _rows(library, text):
    return [m.to_json() for m in identify_text(text, library)]


@pytest.mark.parametrize(("text", "key", "written"), [
    ("Use is governed by the [Llama 3.2 Community License](https://example.org/l).",
     "llama-3.2-license-2024", "Llama 3.2 Community License"),
    ("The code is licensed under [the MIT License](LICENSE-CODE).", "mit", "MIT License"),
    ("The weights are licensed `cc-by-nc-sa-4.0`.", "cc-by-nc-sa-4.0", "cc-by-nc-sa-4.0"),
    ("The dataset is CC BY NC 4.0.", "cc-by-nc-4.0", "CC BY NC 4.0"),
    ("LICENSE.core (Apache 2.0) applies to all files here.", "apache-2.0", "Apache 2.0"),
    ("Use requires adherence to [Apache 2.0](LICENSE) and the model terms.", "apache-2.0", "Apache 2.0"),
    ("**License:** [MIT](LICENSE)", "mit", "MIT"),
])
def test_statement_shapes_name_the_key(library, text, key, written):
    rows = _rows(library, f"# Card\n\n{text}\n")
    assert [(r["key"], r["source"], r["status"], r["written"], r["lines"]) for r in rows] == [
        (key, "notice", "identified", written, [3, 3])]


def test_creativeml_openrail_m_is_not_openrail_plus_plus(library):
    [plain] = _rows(library, "This model is licensed under the CreativeML OpenRAIL-M license.\n")
    [plus] = _rows(library, "This model is licensed under the CreativeML OpenRAIL++-M license.\n")
    assert plain["key"] == "stable-diffusion-2022-08-22"
    assert plus["key"] == "bigscience-open-rail-m2"


@pytest.mark.parametrize(("text", "family", "candidates"), [
    ("Use is subject to the Gemma Terms of Use.", "gemma", ["gemma-tou-2024-04-01", "gemma-tou-2025-03-24"]),
    ("The weights are released under the CC-BY-NC license.", "cc-by-nc", ["cc-by-nc-4.0"]),
])
def test_a_name_without_version_gives_the_family_and_candidates(library, text, family, candidates):
    [row] = _rows(library, text + "\n")
    assert (row["key"], row["family"], row["status"]) == (None, family, "needs-identification")
    assert row["candidates"] == candidates
    assert "version not stated" in row["reason"]


def test_a_version_the_library_lacks_is_not_guessed(library):
    [row] = _rows(library, "Distributed under the Llama 7 Community License.\n")
    assert (row["key"], row["family"], row["status"]) == (None, "llama", "needs-identification")
    assert "version 7" in row["reason"]
    assert "llama-3.1-license-2024" in row["candidates"]


@pytest.mark.parametrize(("text", "written"), [
    ("The model is licensed under the Databricks Open Model License.", "Databricks Open Model License"),
    ("This checkpoint is governed by the Roboflow Enterprise License.", "Roboflow Enterprise License"),
    ("**License:** [Proprietary-Vendor](LICENSE)", "Proprietary-Vendor"),
])
def test_a_license_name_the_library_lacks_needs_identification(library, text, written):
    [row] = _rows(library, text + "\n")
    assert (row["key"], row["status"], row["written"]) == (None, "needs-identification", written)


def test_a_license_given_only_as_a_link(library):
    [row] = _rows(library, "Please refer to license: https://example.org/terms\n")
    assert (row["key"], row["status"], row["written"]) == (None, "needs-identification",
                                                         "https://example.org/terms")


@pytest.mark.parametrize("text", [
    "Redistribution is subject to the terms of this Agreement.",
    "You must comply with the same license as the original model.",
    "This is licensed under the license found in the LICENSE file.",
    "The Software is provided by the copyright holders as is.",
    "Subject to the Licensor's prior written consent, you may not.",
    "Our models are subject to the following terms.",
])
def test_prose_without_a_license_name_reports_nothing(library, text):
    assert _rows(library, text + "\n") == []


def test_front_matter_is_not_read_as_a_label():
    text = "---\nlicense: other\nlicense_name: x\n---\n# Card\n"
    cleaned = plain_prose(text)
    assert "license:" not in cleaned
    assert cleaned.count("\n") == text.count("\n")


def test_two_statements_on_one_line_are_both_reported(library):
    rows = _rows(library, "Small models are under the Apache 2.0 license, and the large one under the "
                          "Gemma Terms of Use.\n")
    assert [(r["key"], r["family"]) for r in rows] == [("apache-2.0", "apache"), (None, "gemma")]


def test_a_left_out_version_is_not_filled_in_from_a_longer_name(library):
    [row] = _rows(library, "Released in accordance with the LLAMA COMMUNITY LICENSE AGREEMENT.\n")
    assert (row["key"], row["family"]) == (None, "llama")
    assert "version not stated" in row["reason"]


def test_a_year_after_the_name_is_not_a_version(library):
    [row] = _rows(library, "Use is governed by the Llama 3.3 Community License Agreement.\n")
    assert row["key"] == "llama-3.3-license-2024"


def test_a_named_license_found_at_a_link(library):
    [row] = _rows(library, "The Acme Open Weights License can be found at [LICENSE](https://example.org/l).\n")
    assert (row["key"], row["status"], row["written"]) == (None, "needs-identification",
                                                         "Acme Open Weights License")


@pytest.mark.parametrize(("name", "family"), [
    ("tencent-hunyuan-community", "tencent"), ("exaone", "exaone"), ("stable-cascade-nc-community", "stability"),
    ("deepseek-license", "deepseek"), ("tencent-license", "tencent")])
def test_card_license_other_with_a_known_license_name_gives_the_family(library, name, family):
    from desktop.core.licenses import identify_entry
    from desktop.core.results import FileEntry

    entry = FileEntry("README.md", 10, None, role="model_card", text="# Card\n",
                      metadata={"license": "other", "license_name": name, "license_link": "LICENSE"})
    [row] = identify_entry(entry, library)
    assert (row["key"], row["family"], row["status"], row["source"]) == (
        None, family, "needs-identification", "declared")
    assert row["written"] == f"other: {name}"
    assert row["reason"].startswith("declared but unidentified")


def test_card_license_name_that_pins_a_text(library):
    from desktop.core.licenses import identify_entry
    from desktop.core.results import FileEntry

    entry = FileEntry("README.md", 10, None, role="model_card", text="# Card\n",
                      metadata={"license": "other", "license_name": "creativeml-openrail-m"})
    [row] = identify_entry(entry, library)
    assert (row["key"], row["status"]) == ("stable-diffusion-2022-08-22", "identified")


def test_a_name_of_an_ai_license_the_library_lacks_points_to_its_identity(library):
    [row] = _rows(library, "This model is distributed under the Llama 3 Community License.\n")
    assert (row["key"], row["family"], row["candidates"]) == (None, "llama", ["llama-3-license-2024"])
    assert "llama-3.1-license-2024" not in row["reason"]


def test_a_title_shared_by_two_editions_lists_both(library):
    [row] = _rows(library, "Use is governed by the Tencent Hunyuan Community License Agreement.\n")
    assert (row["family"], row["status"]) == ("tencent", "needs-identification")
    assert row["candidates"] == [
        "tencent-hunyuan-a13b-2025-06-27", "tencent-hunyuan-community-2024-05-14", "tencent-hunyuan-image-2.1-2025-09-08",
        "tencent-hunyuan-large-2024-11-05", "tencent-hunyuan-video-1.5-2025-11-21", "tencent-hunyuan-video-2024-12-03"]
    assert "version not stated" in row["reason"]


def test_a_bullet_headed_by_a_license_name(library):
    [row] = _rows(library, "- **Permissive Apache 2.0 license:** build freely.\n")
    assert (row["key"], row["written"]) == ("apache-2.0", "Apache 2.0 license")
    assert _rows(library, "- Custom license: see the file.\n") == []


def test_each_component_statement_of_a_notice_is_reported(library):
    text = ("Component A is licensed under the MIT License.\n\nComponent B is licensed under the MIT License.\n")
    rows = _rows(library, text)
    assert [(r["key"], r["lines"]) for r in rows] == [("mit", [1, 1]), ("mit", [3, 3])]
