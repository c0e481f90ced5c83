from __future__ import annotations

import pytest

from desktop.core.licenses import identify_entry, identify_text, load_library, save_firm_reference
from desktop.core.results import FileEntry


def test_spdx_expressions_are_decomposed(library):
    text = "// SPDX-License-Identifier: (MIT OR GPL-2.0-or-later WITH Classpath-exception-2.0) AND Apache-2.0\n"
    found = identify_text(text, library)
    assert sorted(m.key for m in found) == ["apache-2.0", "classpath-exception-2.0", "gpl-2.0-plus", "mit"]
    assert {m.source for m in found} == {"spdx-tag"}


def test_notice_in_a_readme(library):
    found = identify_text("# Model\n\nThis code is licensed under the Apache License, Version 2.0.\n", library)
    assert [(m.key, m.source, m.lines) for m in found] == [("apache-2.0", "notice", (3, 3))]


def test_notices_inside_a_full_text_are_not_repeated(library):
    found = identify_text(open_text(library, "apache-2.0"), library)
    assert [m.source for m in found] == ["text"]


def open_text(library, key):
    return library.text(key)


@pytest.mark.parametrize(("declared", "expected"), [
    ("llama3.1", "llama-3.1-license-2024"), ("apache-2.0", "apache-2.0"),
    ("creativeml-openrail-m", "stable-diffusion-2022-08-22"), ("MIT", "mit")])
def test_declared_model_card_license(library, declared, expected):
    entry = FileEntry("README.md", 10, None, role="model_card", text="# Card\n",
                      metadata={"license": declared})
    [row] = identify_entry(entry, library)
    assert (row["key"], row["source"], row["status"]) == (expected, "declared", "identified")


def test_declared_family_without_version_abstains(library):
    entry = FileEntry("README.md", 10, None, role="model_card", text="",
                      metadata={"license": "gemma", "license_link": "LICENSE"})
    [row] = identify_entry(entry, library)
    assert row["key"] is None and row["family"] == "gemma" and row["status"] == "needs-identification"


def test_declared_and_detected_are_both_reported(library):
    entry = FileEntry("README.md", 10, None, role="model_card",
                      text="# Card\n\n" + library.text("mit"), metadata={"license": "apache-2.0"})
    rows = identify_entry(entry, library)
    assert {(r["key"], r["source"]) for r in rows} == {("mit", "text"), ("apache-2.0", "declared")}


def test_weights_only_report_declared_metadata(library):
    gguf = FileEntry("m.gguf", 10, None, role="weights", metadata={"general": {"license": "mit"}})
    bare = FileEntry("m.safetensors", 10, None, role="weights", metadata={"metadata": {"format": "pt"}})
    assert [r["key"] for r in identify_entry(gguf, library)] == ["mit"]
    assert identify_entry(bare, library) == []


def test_code_header_tag_and_full_header(library):
    tagged = FileEntry("a.py", 10, None, role="code", text="# SPDX-License-Identifier: MIT\nimport os\n")
    header = "".join(f"# {line}\n" for line in library.text("mit").split("\n"))
    full = FileEntry("b.py", 10, None, role="code", text=header + "\nimport os\n")
    plain = FileEntry("c.py", 10, None, role="code", text="import os\nprint('license')\n")
    assert [(r["key"], r["source"]) for r in identify_entry(tagged, library)] == [("mit", "spdx-tag")]
    assert [(r["key"], r["source"]) for r in identify_entry(full, library)] == [("mit", "text")]
    assert identify_entry(plain, library) == []


def test_firm_reference_is_matched_and_marked(refs_dir, tmp_path):
    firm = tmp_path / "firm"
    text = ("Acme Negotiated Model Agreement. The customer may run the model on its own servers for "
            "internal evaluation and production use, may not resell access to the model to third "
            "parties, and must delete all copies within thirty days after the agreement ends. ") * 3
    save_firm_reference(firm, "acme-nma-2025", "Acme Negotiated Model Agreement 2025", text)
    library = load_library(tmp_path / "cache", firm_dir=firm, refs_dir=refs_dir)
    [match] = identify_text(text, library)
    assert (match.key, match.firm, match.status) == ("acme-nma-2025", True, "identified")


@pytest.fixture(scope="module")
def full_library():
    return load_library()  # the installed reference library: vendor names such as NVIDIA are keys there


@pytest.mark.parametrize("text", [
    "OpenVINO is an open source toolkit designed by Intel for deep learning inference.",
    "The code is provided by NVIDIA to help you get started.",
    "This checkpoint was released by the MIT team last year.",
])
def test_by_names_the_author_not_the_terms(full_library, text):
    """"Released by X", "provided by X": who made it, not a license (a vendor's name is also a license key)."""
    assert identify_text(text, full_library) == []


@pytest.mark.parametrize(("text", "key"), [
    ("Use of the model is governed by the MIT License.", "mit"),
    ("The weights are covered by the Apache License 2.0.", "apache-2.0"),
    ("You are bound by the terms of the MIT License.", "mit"),
])
def test_governed_covered_or_bound_by_still_names_the_terms(full_library, text, key):
    assert [m.key for m in identify_text(text, full_library)] == [key]


@pytest.mark.parametrize(("text", "key"), [
    ("The weights are available subject to a `CreativeML Open RAIL++-M` license.", "bigscience-open-rail-m2"),
    ("The weights are available subject to the CreativeML Open RAIL-M license.", "stable-diffusion-2022-08-22"),
])
def test_open_rail_spelled_with_a_space_is_the_same_name(full_library, text, key):
    """LicenseDB writes both "OpenRAIL" and "Open RAIL"; vendors do too (Stability AI's SDXL README)."""
    assert [m.key for m in identify_text(text, full_library)] == [key]


def test_shapes_written_literal_first_match_what_their_word_boundary_forms_match():
    """The first four shapes start with their word and look back for the boundary: the same matches
    as the plain ``\\b`` patterns, on every LicenseDB text and on boundary cases."""
    import re

    from desktop.core.licenses import short_forms
    from desktop.core.licenses.library import reference_dir

    plain = [
        r"\blicen[cs]ed\s+(?:as\s+)?(?P<name>[A-Za-z][\w.+]*(?:-[\w.+]+)+)",
        r"\b(?:is|are)\s+(?:licen[cs]ed\s+)?(?:under\s+)?(?:the\s+)?(?P<name>[A-Z][^\n;:()<>\"“”]{1,80})",
        r"\bLICEN[CS]E[\w.-]*\s*\((?P<name>[^()\n]{2,80})\)",
        r"\bunder\s+(?:(?:the|a|an)\s+)?(?=(?P<name>[^\n;:()<>\"“”]{2,120}))",
    ]
    edges = ["is Apache-2.0", "xis Apache", "This is MIT", "éis Apache", "_are The X", "are licensed under GPL",
             "licensed as Apache-2.0", "unlicensed as MIT-0", "ÜLICENSE (MIT)", "LICENSE.md (Apache 2.0)",
             "under the MIT", "thunder the X", "9under a Y", "under", "is", "\nare Z\n", "i", "a"]
    texts = edges + [p.read_text(errors="replace") for p in sorted(reference_dir().glob("*.LICENSE"))]
    for old, (new, _mode) in zip(plain, short_forms._SHAPES, strict=False):
        old = re.compile(old)
        for text in texts:
            assert [(m.span(), m.groupdict()) for m in new.finditer(text)] == \
                   [(m.span(), m.groupdict()) for m in old.finditer(text)], (old.pattern, text[:80])
