"""Find in a delivery: file names first, then text lines, case ignored, bounded."""

from __future__ import annotations

from desktop.core.results import FileEntry
from desktop.core.text_search import Hit, find_in_delivery


def _files() -> list[FileEntry]:
    return [FileEntry("LICENSE", 10, "a" * 64, role="license",
                      text="Grant of License.\nThe Licensee shall not sublicense.\n"),
            FileEntry("docs/terms.pdf", 10, "b" * 64, role="agreement", pages=["page one", "Sublicensing is barred"]),
            FileEntry("sublicense-notes.txt", 5, "c" * 64),
            FileEntry("model.safetensors", 99, "d" * 64, role="weights")]


def test_names_first_then_lines_case_ignored() -> None:
    hits = find_in_delivery(_files(), "  SUBLICENS ")
    assert hits == [Hit("name", "sublicense-notes.txt", None, "sublicense-notes.txt"),
                    Hit("text", "LICENSE", 2, "The Licensee shall not sublicense."),
                    Hit("text", "docs/terms.pdf", 2, "Sublicensing is barred")]


def test_blank_query_and_limit() -> None:
    assert find_in_delivery(_files(), "   ") == []
    many = [FileEntry("LICENSE", 1, "e" * 64, text="word\n" * 50)]
    assert len(find_in_delivery(many, "word", limit=7)) == 7


def test_long_lines_are_cut_around_the_match() -> None:
    line = "x" * 300 + " needle " + "y" * 300
    [hit] = find_in_delivery([FileEntry("NOTICE", 1, "f" * 64, text=line)], "needle")
    assert hit.snippet.startswith("…") and hit.snippet.endswith("…") and "needle" in hit.snippet
    assert len(hit.snippet) <= 122
