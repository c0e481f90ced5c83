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
