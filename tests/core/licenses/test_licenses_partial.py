"""Partial texts and lookalike references, against the whole installed library (as users run it)."""

from __future__ import annotations

import pytest

from desktop.core.licenses import identify_text, load_library, reference_text

MOONSHOT = "moonshot-ai-modified-mit-2025"


@pytest.fixture(scope="module")
def full_library():
    return load_library()


def verdicts(matches):
    return [(m.key, m.status) for m in matches]


def test_partial_text_with_a_title_names_the_longer_reference(full_library):
    """Moonshot's text cut inside the MIT body holds its title and nothing else of its own: the
    title decides over plain MIT, and the missing Kimi clause is shown as the difference."""
    text = reference_text(full_library, MOONSHOT)
    partial = text[:text.index("IN NO EVENT")]
    [match] = identify_text(partial, full_library)
    assert (match.key, match.status, match.modified) == (MOONSHOT, "modified", True)
    assert match.coverage < 0.9
    assert any(op["op"] == "delete" and "kimi k2" in op["ref"] for op in match.differences)


def test_partial_text_is_not_given_to_a_lookalike_it_skips(full_library):
    """Happy Bunny shares the title but has a paragraph the text passes over: it is not chosen."""
    text = reference_text(full_library, MOONSHOT)
    partial = text[:text.index("IN NO EVENT")]
    assert "happy-bunny" not in [m.key for m in identify_text(partial, full_library)]
    assert verdicts(identify_text(reference_text(full_library, "happy-bunny"), full_library)) == [
        ("happy-bunny", "identified")]


def test_text_carrying_on_past_a_whole_shorter_reference(full_library):
    """A whole disclaimer followed by the start of the next clause of the license that holds it."""
    full = reference_text(full_library, "nxp-microcontroller-proprietary")
    cut = full.index("Permission to use") + len("Permission to use, copy, modify, and distribute")
    [match] = identify_text(full[:cut], full_library)
    assert (match.key, match.status) == ("nxp-microcontroller-proprietary", "modified")
    disclaimer = reference_text(full_library, "nxp-warranty-disclaimer")
    assert verdicts(identify_text(disclaimer, full_library)) == [("nxp-warranty-disclaimer", "identified")]


@pytest.mark.parametrize(("title", "key"), [
    ("The MIT License (MIT)\n\nCopyright (c) 2020 Jane Roe\n\n", "mit"),
    ("BSD 3-Clause License\n\nCopyright (c) 2020, Jane Roe\nAll rights reserved.\n\n", "bsd-new"),
])
def test_vendor_title_on_a_whole_text_keeps_it_identified(full_library, title, key):
    found = identify_text(title + reference_text(full_library, key), full_library)
    assert verdicts(found) == [(key, "identified")]


def test_a_changed_threshold_number_is_a_modification(full_library):
    text = reference_text(full_library, MOONSHOT)
    assert "20 million US dollars" in text
    [match] = identify_text(text.replace("20 million US dollars", "50 million US dollars"), full_library)
    assert (match.key, match.status, match.modified) == (MOONSHOT, "modified", True)
    assert [(op["ref"], op["text"]) for op in match.differences] == [("20", "50")]


def test_repeated_page_headers_do_not_turn_a_text_into_a_lookalike(full_library):
    """CC BY text with its title repeated as a running header: still CC BY, not CC BY-NC."""
    text = reference_text(full_library, "cc-by-4.0")
    header = "Creative Commons Attribution 4.0 International Public License\n"
    paragraphs = text.split("\n\n")
    step = len(paragraphs) // 4
    with_headers = "\n\n".join(p if i % step else header + p for i, p in enumerate(paragraphs))
    assert verdicts(identify_text(with_headers, full_library)) == [("cc-by-4.0", "modified")]


def test_a_share_alike_text_missing_a_clause_stays_share_alike(full_library):
    text = reference_text(full_library, "cc-by-nc-sa-2.5")
    paragraphs = text.split("\n\n")
    removed = "\n\n".join(paragraphs[:len(paragraphs) // 2] + paragraphs[len(paragraphs) // 2 + 1:])
    assert verdicts(identify_text(removed, full_library)) == [("cc-by-nc-sa-2.5", "modified")]


def test_a_license_printed_to_pdf_keeps_its_own_name(full_library):
    """CC BY printed by Qt and read back page by page: text extraction repeats lines at page
    breaks and splits words, and the NC lookalike (which holds every CC BY word) must not win."""
    import html
    import io

    from desktop.core.formats.pdf_text import read_pdf
    from desktop.pdf import html_to_pdf

    text = reference_text(full_library, "cc-by-4.0")
    pdf = html_to_pdf(f"<pre style='white-space: pre-wrap'>{html.escape(text)}</pre>",
                      reserve_signature_band=False)
    info = read_pdf(io.BytesIO(pdf), len(pdf), "cc-by.pdf")
    assert len(info.pages) > 3
    [match] = identify_text("", full_library, pages=info.pages)
    assert match.key == "cc-by-4.0" and match.pages == (1, len(info.pages))


def third_party_notice(full_library):
    """A vendor's notice of components: short texts first, then two Apache texts without the appendix."""
    apache = reference_text(full_library, "apache-2.0")
    apache = apache[:apache.index("END OF TERMS AND CONDITIONS") + len("END OF TERMS AND CONDITIONS")]
    parts = [("Components under the BSD 3-Clause License:\n1. a vision library", "bsd-new"),
             ("Terms of the Apache License Version 2.0:", None), (apache, None),
             ("Components under the HPND License:\n1. an imaging library", "secret-labs-2011"),
             ("Components under the MIT License:\n1. a tokenizer", "mit"),
             ("2. a scheduler", "mit"),
             ("Components under the Apache License Version 2.0, modified by the vendor:", None),
             (apache, None)]
    return "\n\n\n".join(text if key is None else f"{text}\n\n{reference_text(full_library, key)}"
                         for text, key in parts)


def test_apache_without_appendix_among_other_texts_is_apache(full_library):
    """In a notice of many licenses, the Apache text is not named after a sibling that adds to it."""
    found = [m for m in identify_text(third_party_notice(full_library), full_library) if m.source == "text"]
    assert [m.key for m in found] == ["bsd-new", "apache-2.0", "secret-labs-2011", "mit", "mit",
                                      "apache-2.0"]
    assert {m.family for m in found if m.key == "secret-labs-2011"} == {"hpnd"}
