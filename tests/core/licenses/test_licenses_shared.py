"""One text, several names: every name is reported unless the file's own words decide."""

from __future__ import annotations

import pytest

from desktop.core.licenses import identify_text, load_library, reference_text
from desktop.core.licenses.identify import _from_text_match
from desktop.core.licenses.match import UNTOLD, Alignment, TextMatch, realign
from desktop.core.licenses.normalize import words_of
from desktop.core.licenses.shared import NOT_IN_FILE


@pytest.fixture(scope="module")
def full_library():
    return load_library()


def text_matches(library, text):
    return [m for m in identify_text(text, library) if m.source == "text"]


def test_gfdl_text_alone_names_every_variant(full_library):
    [match] = text_matches(full_library, reference_text(full_library, "gfdl-1.3"))
    assert match.key == "gfdl-1.3" and match.decided is None
    assert match.deciding_words == NOT_IN_FILE
    assert set(match.shared_with) == {"GFDL-1.3-or-later", "GFDL-1.3-invariants-only", "GFDL-1.3-invariants-or-later",
                                      "GFDL-1.3-no-invariants-only", "GFDL-1.3-no-invariants-or-later"}
    row = match.to_json()
    assert row["key"] == "gfdl-1.3" and row["spdx"] == "GFDL-1.3-only"  # existing fields keep their meaning
    assert row["shared_with"] == match.shared_with and row["deciding_words"] == NOT_IN_FILE


def test_a_notice_outside_the_text_decides_the_gfdl_variant(full_library):
    notice = ("\n\nThis manual may be copied under version 1.3 of the GNU FDL, or any later version\n"
              "published by the Foundation; the manual has no Invariant Sections at all.\n")
    [gfdl] = text_matches(full_library, reference_text(full_library, "gfdl-1.3") + notice)
    assert (gfdl.key, gfdl.status, gfdl.modified) == ("gfdl-1.3-no-invariants-or-later", "identified", False)
    assert gfdl.decided == "GFDL-1.3-no-invariants-or-later" and gfdl.shared_with == []
    assert "any later version" in gfdl.deciding_words and "no Invariant Sections" in gfdl.deciding_words


def test_gpl_body_saying_any_later_version_does_not_decide(library):
    [match] = text_matches(library, reference_text(library, "gpl-2.0"))
    assert match.key == "gpl-2.0" and match.shared_with == ["GPL-2.0-or-later"]
    assert match.deciding_words == NOT_IN_FILE


def test_reserved_font_name_decides_ofl(full_library):
    body = reference_text(full_library, "ofl-1.1")
    [plain] = text_matches(full_library, body)
    assert plain.decided is None and set(plain.shared_with) == {"OFL-1.1-RFN", "OFL-1.1-no-RFN"}
    named = "Copyright (c) 2024 Jane Roe, with Reserved Font Name Roe Sans.\n\n" + body
    [rfn] = text_matches(full_library, named)
    assert rfn.decided == "OFL-1.1-RFN" and rfn.shared_with == []


def test_sibling_is_picked_by_its_own_words(full_library):
    text = reference_text(full_library, "bsd-original")
    assert "<organization>" in text
    [plain] = text_matches(full_library, text)
    assert plain.key == "bsd-original" and plain.shared_with == ["BSD-4-Clause-UC"]
    assert plain.deciding_words == NOT_IN_FILE
    uc = text.replace("<organization>", "University of California, Berkeley and its contributors", 1)
    [match] = text_matches(full_library, uc)
    assert (match.key, match.decided, match.shared_with) == ("bsd-original-uc", "BSD-4-Clause-UC", [])


@pytest.mark.parametrize("version", ["1.0.5", "1.0.6"])
def test_bzip2_version_words_decide(full_library, version):
    text = f"This is bzip2/libbzip2 version {version}.\n\n" + reference_text(full_library, "bzip2-libbzip-2010")
    [match] = text_matches(full_library, text)
    assert match.key == "bzip2-libbzip-2010" and match.decided == f"bzip2-{version}"
    assert version in match.deciding_words


def test_siblings_without_their_telling_words_are_both_reported(library):
    """The matcher abstains between two siblings; the match then names both, and neither is decided."""
    text = reference_text(library, "bsd-new")
    words = words_of(text)
    n = len(words)
    alignment = Alignment(library.by_key["bsd-new"], 0, n, 0, n, n, [("equal", 0, n, 0, n)], exact=True)
    abstained = TextMatch(alignment, "needs-identification", f"{UNTOLD} bsd-new from bsd-simplified are absent",
                          rivals=["bsd-simplified"])
    ids = [library.vocabulary.get(w, 0) for w in words.words]
    found = _from_text_match(abstained, words, None, library, text, [(1, words.lines[-1])], ids)
    assert (found.key, found.status, found.nearest) == (None, "needs-identification", "bsd-new")
    assert found.shared_with == ["BSD-3-Clause", "BSD-2-Clause"] and found.deciding_words == NOT_IN_FILE
    assert found.to_json()["shared_with"] == ["BSD-3-Clause", "BSD-2-Clause"]


def _modified_match(library, text, key, rivals):
    words = words_of(text)
    ids = [library.vocabulary.get(w, 0) for w in words.words]
    alignment = realign(library, library.by_key[key], ids, 0, len(ids))
    match = TextMatch(alignment, "modified", rivals=rivals)
    return _from_text_match(match, words, None, library, text, [(1, words.lines[-1])], ids)


def test_a_rival_the_text_copies_unchanged_wins_over_a_modified_match(full_library):
    text = reference_text(full_library, "psf-2.0").replace("2005, 2006", "2005, 2006, 2007, 2008, 2009", 1)
    found = _modified_match(full_library, text, "psf-3.7.2", ["psf-2.0"])
    assert (found.key, found.status, found.modified, found.differences) == ("psf-2.0", "identified", False, [])


def test_a_rival_holding_fewer_of_the_words_does_not_win(full_library):
    clause = ("Redistributions in binary form must reproduce the above copyright notice, this\n"
              "list of conditions and the following disclaimer in the documentation and/or\n"
              "other materials provided with the distribution.\n")
    text = reference_text(full_library, "bsd-new")
    assert clause in text
    found = _modified_match(full_library, text.replace(clause, ""), "bsd-new", ["bsd-source-code"])
    assert (found.key, found.status, found.modified) == ("bsd-new", "modified", True)
