"""Evidence that cannot lie: quotes are checked against the cited lines where the object is made."""

from __future__ import annotations

import pytest

from desktop.core.evidence import Evidence, EvidenceMismatch, Origin, locate, normalise

TEXT = "Title of the terms\n\nYou may use the model\nfor   research only.\nGoverned by the laws of Ruritania.\n"


def test_a_quote_inside_its_lines_is_delivered_evidence() -> None:
    ev = Evidence.found("TERMS", TEXT, (3, 4), "use the model for research only")
    assert ev.origin is Origin.DELIVERED
    assert ev.to_json() == {"path": "TERMS", "lines": [3, 4], "quote": "use the model for research only",
                            "origin": "delivered"}


@pytest.mark.parametrize("span", [(1, 2), (5, 5), (40, 41)])
def test_a_quote_outside_its_lines_is_refused(span: tuple[int, int]) -> None:
    with pytest.raises(EvidenceMismatch):
        Evidence.found("TERMS", TEXT, span, "use the model for research only")


def test_an_empty_quote_is_refused() -> None:
    with pytest.raises(EvidenceMismatch):
        Evidence.found("TERMS", TEXT, (1, 1), "  ")


def test_curly_quotes_and_case_do_not_matter() -> None:
    assert normalise("\u201cMODEL\u201d  x") == '"model" x'
    Evidence.found("T", 'the "Model" means', (1, 1), "THE \u201cmodel\u201d MEANS")


def test_pages_are_checked_too() -> None:
    pages = ["first page text", "second page: governed by the laws of Ruritania"]
    assert Evidence.on_page("a.pdf", pages, 2, "laws of Ruritania").to_json()["pages"] == [2, 2]
    with pytest.raises(EvidenceMismatch):
        Evidence.on_page("a.pdf", pages, 1, "the laws of Atlantis")


def test_reference_and_scanner_evidence_are_labelled() -> None:
    ref = Evidence.reference("some-key", (3, 4), "words of the library copy").to_json()
    assert ref["path"] == "reference:some-key" and ref["origin"] == "reference"
    seen = Evidence.observed("model.bin", "imports os.system").to_json()
    assert seen["origin"] == "scan" and seen["quote"] == "imports os.system"


def test_locate_finds_the_smallest_span_inside_a_window() -> None:
    assert locate(TEXT, "model for research") == (3, 4)
    assert locate(TEXT, "laws of Ruritania", within=(1, 3)) is None
    assert locate(TEXT, "laws of Ruritania", within=(4, 9)) == (5, 5)
    assert locate(TEXT, "not there") is None


def test_normalise_folds_every_unicode_space_and_curly_quote_like_the_regex_it_replaced():
    import re

    from desktop.core.evidence import normalise

    tricky = " \tA\u00a0b\u2028\u3000c\x1c\x85“D” ‘e’\r\n\x0bF "
    expected = re.sub(r"\s+", " ", tricky.translate(str.maketrans("“”‘’", "\"\"''"))).strip().lower()
    assert normalise(tricky) == expected == 'a b c "d" \'e\' f'
    assert normalise("\u200bno-break\u200b") == "\u200bno-break\u200b"  # zero-width space is no whitespace
