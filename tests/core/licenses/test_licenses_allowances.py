"""`modified` follows the SPDX matching guidelines: only words outside the allowances count."""

from __future__ import annotations

import pytest

from desktop.core.licenses import identify_text, reference_text


def only(library, text):
    [match] = identify_text(text, library)
    return match


def unchanged(library, text, key):
    match = only(library, text)
    assert (match.key, match.status, match.modified, match.differences) == (key, "identified", False, [])


@pytest.mark.parametrize(("old", "new"), [
    ("THE AUTHORS OR COPYRIGHT HOLDERS", "ACME ROBOTICS LTD"),  # the holder filled in
    ("sublicense", "sub license"),  # a word split
    ("MERCHANTABILITY", "MERCHANTIBILITY"),  # SPDX's equivalent words
    ("copies of the Software, and", "copies of this software, and"),  # "the Software" / "this software"
    ('"AS IS"', "&quot;AS IS&quot;"),  # an HTML entity
])
def test_allowed_differences_leave_mit_unmodified(library, old, new):
    text = reference_text(library, "mit")
    assert old in text
    unchanged(library, text.replace(old, new, 1), "mit")


def test_copyright_notice_and_years_are_not_changes(library):
    text = "Copyright (c) 2019-2024 Jane Roe and\n  Example Widgets GmbH\n\n" + reference_text(library, "mit")
    unchanged(library, text, "mit")


def test_changed_words_are_modified_and_the_redline_shows_only_them(library):
    text = reference_text(library, "mit").replace("free of charge", "for a yearly fee")
    text = text.replace("THE AUTHORS OR COPYRIGHT HOLDERS", "ACME ROBOTICS LTD")
    text = "Copyright 2024 Acme Robotics Ltd\n\n" + text
    match = only(library, text)
    assert (match.key, match.status, match.modified) == ("mit", "modified", True)
    assert [(d["op"], d["ref"], d["text"]) for d in match.differences] == [
        ("replace", "free of charge", "for yearly fee")]


def test_a_negation_is_never_a_placeholder(library):
    text = reference_text(library, "mit").replace("THE AUTHORS OR COPYRIGHT HOLDERS", "NOBODY NOT")
    assert only(library, text).modified


def test_title_line_may_be_missing(library):
    text = reference_text(library, "apache-2.0")
    first, rest = text.split("\n", 1)
    assert first.strip() == "Apache License"
    unchanged(library, rest, "apache-2.0")


def test_url_path_and_scheme_are_not_changes(library):
    text = reference_text(library, "gpl-3.0")
    old = "<https://www.gnu.org/licenses/why-not-lgpl.html>"
    assert old in text
    unchanged(library, text.replace(old, "<http://www.gnu.org/philosophy/why-not-lgpl.html/>"), "gpl-3.0")


def test_template_placeholders_come_from_spdx_spans(library):
    text = reference_text(library, "gpl-2.0")
    old = "<one line to give the program's name and a brief idea of what it does.>"
    assert old in text
    text = text.replace(old, "one line to give the program's name and an idea of what it does.")
    text = text.replace("<year>  <name of author>", "yyyy  name of author")
    unchanged(library, text, "gpl-2.0")
    library.memo["__spans__"] = {}
    library.memo["__spans_file__"] = {}  # without SPDX's spans, "a brief idea" -> "an idea" is a change
    try:
        match = only(library, text)
        assert match.modified
        assert [(d["ref"], d["text"]) for d in match.differences] == [("brief", "an")]
    finally:
        del library.memo["__spans__"], library.memo["__spans_file__"]


@pytest.mark.parametrize(("old", "new"), [("any person obtaining", "any researcher obtaining"),
                                          ("to deal in the Software", "to study the Software")])
def test_a_word_of_the_terms_is_no_name(library, old, new):
    match = only(library, reference_text(library, "mit").replace(old, new, 1))
    assert match.modified and match.status == "modified"
    assert len(match.differences) == 1


def test_a_negation_next_to_a_url_or_a_copyright_line_is_a_change(library):
    apache = reference_text(library, "apache-2.0")
    old = "http://www.apache.org/licenses/\n"
    assert old in apache
    assert only(library, apache.replace(old, old + "NOT ", 1)).modified
    mit = "Copyright 2024 Jane Roe\n" + reference_text(library, "mit").replace(
        "The above copyright notice", "Copyright 2024 Jane Roe\nnot\nThe above copyright notice", 1)
    match = only(library, mit)
    assert match.modified and [d["text"] for d in match.differences] == ["not"]


def test_a_stale_spans_entry_is_ignored(library):
    from desktop.core.licenses.allowances import load_spans, spans_of

    ref = library.by_key["gpl-2.0"]
    entry = load_spans()["gpl-2.0"]
    saved = library.memo.pop("__spans__", None), library.memo.pop("__spans_file__", None)
    try:
        library.memo["__spans_file__"] = {"gpl-2.0": {**entry, "words": "0" * 16}}
        assert spans_of(library, ref) is None  # the reference's words changed since the file was made
        library.memo["__spans__"] = {}
        library.memo["__spans_file__"] = {"gpl-2.0": entry}
        assert spans_of(library, ref) is not None
    finally:
        library.memo["__spans__"], library.memo["__spans_file__"] = {}, saved[1] or load_spans()


@pytest.mark.parametrize("key", ["mit", "apache-2.0", "gpl-2.0", "gpl-3.0", "bsd-new", "bsd-simplified"])
def test_spdx_spans_match_the_current_normalisation(library, key):
    """After a change to normalisation, run bench/spdx_spans.py again (the entries would be ignored)."""
    from desktop.core.licenses.allowances import spans_of

    assert spans_of(library, library.by_key[key]) is not None


def test_a_markdown_link_label_made_of_its_url_words_is_not_a_change(library):
    text = reference_text(library, "gpl-3.0")
    old = "<https://www.gnu.org/licenses/>"
    assert old in text
    unchanged(library, text.replace(old, "[GNU licenses](https://www.gnu.org/licenses/)", 1), "gpl-3.0")
