from __future__ import annotations

from desktop.core.licenses.normalize import page_words, words_of


def test_formatting_variants_normalise_to_the_same_words():
    plain = 'The "Software" is provided as-is; see http://example.org.\n1. Licence terms\n'
    fancy = ("\ufeff## The \u201c**Software**\u201d is provided as\u2013is; see https://example.org.\r\n"
             "   (a)\tLicense   terms\r\n")
    assert words_of(plain).words == words_of(fancy).words
    assert "licence" not in words_of(plain).words


def test_version_numbers_and_plus_plus_are_kept():
    words = words_of("Llama 3.1 Version 2.0 OpenRAIL++-M").words
    assert words == ["llama", "3.1", "version", "2.0", "openrail", "++"]


def test_lines_follow_the_source_and_pages_are_counted():
    words = words_of("alpha\n\nbeta gamma\n")
    assert words.lines == [1, 3, 3]
    joined, starts = page_words(["first page\nmore", "second page"])
    assert starts == [1, 3]
    assert joined.lines[-1] == 3


def test_list_markers_go_and_numbers_in_sentences_stay():
    text = "1. Grant\n(2) Use within 30 days\n3) more than 20 million users, Section 6(a).\n"
    assert words_of(text).words == ["grant", "use", "within", "30", "days", "more", "than", "20",
                                    "million", "users", "section", "6"]


def test_pdf_page_numbers_are_not_words():
    pages = ["Terms of use\nmore than 20 million\n\n- 3 -\n", "Page 4 of 9\nEnd of the terms 12\n"]
    joined, _ = page_words(pages)
    assert joined.words == ["terms", "of", "use", "more", "than", "20", "million", "end", "of", "the",
                            "terms", "12"]


def test_lowered_in_place_only_when_offsets_and_case_folding_agree():
    from desktop.core.case_fold import lowered_in_place

    assert lowered_in_place("Licensed UNDER “MIT”") == "licensed under “mit”"
    assert lowered_in_place("\u0130stanbul") is None          # lower-cases to two characters
    assert lowered_in_place("licen\u017fed") is None          # long s: case-blind "s" matches it
    assert lowered_in_place("5 \u212a") is None               # Kelvin sign: case-blind "k" matches it


def test_clean_text_folds_odd_spaces_in_ascii_and_other_texts_alike():
    from desktop.core.licenses.normalize import _SPACES, clean_text

    for text in ("a\tb\x0bc\x0cd", "a\tb\x0bc\x0cd \u00e9", "a\u00a0b\u200bc\u2028d\te", "plain words", "caf\u00e9"):
        assert clean_text(text) == text.translate(_SPACES)
    assert clean_text("no odd spaces here") == "no odd spaces here"


def _words_line_by_line(text: str, first_line: int = 1):
    """words_of as it was written before it read the text in one pass: one search per line."""
    from desktop.core.licenses.normalize import _NORMALISED, _WORD, Words, clean_text

    words, lines = [], []
    for number, line in enumerate(clean_text(text).lower().split("\n"), first_line):
        found = [word for raw in _WORD.findall(line) for word in _NORMALISED[raw]]
        words += found
        lines += [number] * len(found)
    return Words(words, lines)


def test_one_pass_words_equal_the_line_by_line_words_on_every_licensedb_text():
    from desktop.core.licenses import reference_dir

    edges = ["1.\n2)\n(3)\n4.5\n12.\n7", "end 2.\n3 next", "a\n\n\nb 10.1\n", "\u4e00\u4e8c\n\u4e09", "x++\n++y",
             "\n", "", "trailing 9."]
    texts = edges + [p.read_text(errors="replace") for p in sorted(reference_dir().glob("*.LICENSE"))]
    for text in texts:
        for first in (1, 7):
            expected, found = _words_line_by_line(text, first), words_of(text, first_line=first)
            assert (found.words, found.lines) == (expected.words, expected.lines), text[:80]
