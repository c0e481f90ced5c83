"""The whole-text shortcut: unchanged reference texts skip the search; only WHOLE-text equality counts."""

from __future__ import annotations

import shutil

import pytest

from desktop.core.licenses import identify_text, load_library, reference_dir, reference_text
from desktop.core.licenses import match as match_module
from desktop.core.licenses.exact import copyright_lines, fingerprints
from desktop.core.licenses.identify import _covered
from desktop.core.licenses.normalize import clean_text, words_of


def summary(matches):
    return [(m.key, m.status, m.modified) for m in matches]


@pytest.fixture
def no_search(monkeypatch):
    """Fail the test if the trigram search runs (the shortcut must answer alone)."""
    def refuse(*_args, **_kwargs):
        raise AssertionError("the candidate search ran")
    monkeypatch.setattr(match_module, "to_align", refuse)


def test_fingerprints_ignore_formatting_and_copyright_lines():
    plain = "Permission is granted to use this software.\nNo warranty is given."
    fancy = "\ufeff## Permission is **granted** to use this software.\r\n\r\nNo warranty is given.\r\n"
    owned = "Copyright (c) 2025 Acme Robotics Ltd. All rights reserved.\n\n" + plain
    first, second, third = (fingerprints(words_of(clean_text(t)), clean_text(t)) for t in (plain, fancy, owned))
    assert first.whole == second.whole and first.bare is None
    assert third.whole != first.whole and third.bare == first.whole
    assert copyright_lines(clean_text(owned)) == {1}


def test_copyright_lines_are_numbered_like_words():
    text = "Title\n\n(c) 2024 Foo\nbody text\nCopyright 2023 Bar Inc.\nmore copyright words here\n"
    assert copyright_lines(text) == {3, 5}


def test_unchanged_text_is_identified_without_search(library, no_search):
    text = reference_text(library, "gpl-3.0").replace("\n", "\r\n")
    assert summary(identify_text(text, library)) == [("gpl-3.0", "identified", False)]


def test_added_copyright_line_is_confirmed_by_one_alignment(library, no_search):
    text = "Copyright (c) 2025 Acme Robotics Ltd. All rights reserved.\n\n" + reference_text(library, "apache-2.0")
    [found] = identify_text(text, library)
    assert (found.key, found.status, found.modified, found.score) == ("apache-2.0", "identified", False, 1.0)


def test_shortcut_reports_lines_and_pages(library):
    lines = reference_text(library, "bsd-new").split("\n")
    [found] = identify_text("", library, pages=["\n".join(lines[:8]), "\n".join(lines[8:])])
    assert found.key == "bsd-new" and found.pages == (1, 2) and found.lines[0] == 1


def test_contained_text_does_not_shortcut(library):
    # a reference inside a longer text (or a text inside a longer reference) is no whole-text equality
    text = reference_text(library, "mit") + "\n\nThis paragraph was added by the vendor and changes the deal.\n"
    found = identify_text(text, library)
    assert [(m.key, m.status) for m in found] == [("mit", "identified")]
    truncated = " ".join(reference_text(library, "apache-2.0").split()[:1200])
    [partial] = identify_text(truncated, library)
    assert (partial.key, partial.status, partial.modified) == ("apache-2.0", "modified", True)


def test_short_texts_never_shortcut(library):
    assert identify_text("MIT License", library) == []


def test_results_equal_the_full_search(library, monkeypatch):
    texts = [reference_text(library, key) for key in ("mit", "llama-3.1-license-2024", "cc-by-nc-sa-4.0")]
    fast = [summary(identify_text(t, library)) for t in texts]
    monkeypatch.setattr(match_module, "_whole_text_match", lambda *_args: None)
    assert fast == [summary(identify_text(t, library)) for t in texts]


@pytest.fixture(scope="module")
def twin_library(tmp_path_factory):
    """A library where two keys carry the same words (as ms-azure-rtos-2020-05/-07 do in LicenseDB)."""
    refs = tmp_path_factory.mktemp("twin-refs")
    for key in ("mit", "apache-2.0"):
        shutil.copy(reference_dir() / f"{key}.LICENSE", refs / f"{key}.LICENSE")
    body = reference_dir().joinpath("bsd-new.LICENSE").read_text(encoding="utf-8").split("\n---\n", 1)[1]
    for key in ("acme-bsd-a", "acme-bsd-b"):
        (refs / f"{key}.LICENSE").write_text(f"---\nkey: {key}\nshort_name: {key}\n---\n{body}", encoding="utf-8")
    return refs


def test_identical_references_are_never_chosen_silently(twin_library, tmp_path):
    library = load_library(tmp_path / "cache", refs_dir=twin_library)
    assert [r.key for r in library.twins(library.by_key["acme-bsd-a"])] == ["acme-bsd-b"]
    text = library.text("acme-bsd-a")
    for candidate in (text, "Vendor notes for the release.\n\n" + text):
        [found] = identify_text(candidate, library)
        assert (found.key, found.status, found.nearest) == (None, "needs-identification", "acme-bsd-a")
        assert "acme-bsd-a, acme-bsd-b" in found.reason


def test_a_firm_twin_is_preferred(twin_library, tmp_path):
    firm = tmp_path / "firm"
    firm.mkdir()
    text = load_library(tmp_path / "c1", refs_dir=twin_library).text("acme-bsd-a")
    (firm / "acme-firm-bsd.LICENSE").write_text(f"---\nkey: acme-firm-bsd\n---\n{text}", encoding="utf-8")
    library = load_library(tmp_path / "c2", firm, refs_dir=twin_library)
    [found] = identify_text(text, library)
    assert (found.key, found.status, found.firm) == ("acme-firm-bsd", "identified", True)


def test_covered_lines():
    assert _covered([1, 2, 2, 5], [(1, 3), (4, 6)])
    assert _covered([3, 4], [(1, 10), (2, 3)])
    assert not _covered([1, 7], [(1, 5)])
    assert not _covered([2], [(3, 4)])


def test_building_an_index_drops_old_index_files(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os

    from desktop.core.licenses import library as lib_module

    cache = tmp_path / "cache"
    cache.mkdir()
    for n in range(5):
        old = cache / f"licenses-old{n}.sqlite"
        old.write_bytes(b"stale")
        os.utime(old, (1_000_000 + n, 1_000_000 + n))
    keep = cache / "licenses-new.sqlite"
    keep.write_bytes(b"fresh")
    lib_module._drop_old_caches(cache, keep)
    left = sorted(p.name for p in cache.glob("licenses-*.sqlite"))
    assert left == ["licenses-new.sqlite", "licenses-old3.sqlite", "licenses-old4.sqlite"]


def test_copyright_lines_agree_with_the_case_blind_search_on_odd_letters():
    from desktop.core.licenses.exact import copyright_lines

    plain = "MIT License\nCOPYRIGHT 2024 Acme\nPermission is granted.\nAll Rights Reserved\n"
    assert copyright_lines(plain) == {2, 4}
    odd = "\u0130 MIT License\n(C) 2024 Acme\nPermission is granted.\nAll Right\u017f Re\u017ferved\n"
    assert copyright_lines(odd) == {2, 4}  # the long s still matches case-blind, as before
