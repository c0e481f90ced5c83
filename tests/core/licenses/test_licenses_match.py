from __future__ import annotations

from desktop.core.licenses import identify_text, reference_text


def keys(matches):
    return sorted(m.key for m in matches if m.status != "needs-identification")


def test_verbatim_text_is_identified_exactly(library):
    found = identify_text(reference_text(library, "apache-2.0"), library)
    assert [(m.key, m.status, m.modified, m.score) for m in found] == [("apache-2.0", "identified", False, 1.0)]


def test_llama_versions_are_told_apart(library):
    for key in ("llama-3.1-license-2024", "llama-3.2-license-2024", "llama-3.3-license-2024"):
        assert keys(identify_text(reference_text(library, key), library)) == [key]


def test_version_words_removed_means_abstention(library):
    text = reference_text(library, "llama-3.2-license-2024").replace("3.2", "3.x")
    text = text.replace("September 25, 2024", "")
    found = identify_text(text, library)
    assert all(m.status != "identified" for m in found)
    assert "llama-3.1-license-2024" not in keys(found) and "llama-3.3-license-2024" not in keys(found)


def test_gemma_and_cc_variants_are_told_apart(library):
    for key in ("gemma-tou-2024-04-01", "gemma-tou-2025-03-24", "cc-by-nc-4.0", "cc-by-nc-sa-4.0",
                "gpl-2.0", "gpl-3.0", "stable-diffusion-2022-08-22", "bigscience-open-rail-m2"):
        assert keys(identify_text(reference_text(library, key), library)) == [key]


def test_two_licenses_in_one_file_with_lines(library):
    mit = reference_text(library, "mit")
    text = "Vendor bundle notes.\n\n" + mit + "\n\n" + reference_text(library, "llama-3.1-license-2024")
    found = identify_text(text, library)
    assert keys(found) == ["llama-3.1-license-2024", "mit"]
    first = found[0]
    assert first.key == "mit" and first.lines[0] == 3
    assert found[1].lines[0] > first.lines[1]


def test_removed_clause_is_modified_with_differences(library):
    clause = ("The above copyright notice and this permission notice shall be\n"
              "included in all copies or substantial portions of the Software.\n")
    original = reference_text(library, "mit")
    assert clause in original
    text = original.replace(clause, "")
    [match] = identify_text(text, library)
    assert (match.key, match.status, match.modified) == ("mit", "modified", True)
    assert any(op["op"] == "delete" and "permission notice" in op["ref"] for op in match.differences)


def test_pdf_pages_are_reported(library):
    text = reference_text(library, "bsd-new")
    lines = text.split("\n")
    pages = ["Cover page of the delivery\n", "\n".join(lines[:10]), "\n".join(lines[10:])]
    [match] = identify_text("", library, pages=pages)
    assert match.key == "bsd-new" and match.pages == (2, 3) and not match.modified


def test_prose_is_not_a_license(library):
    prose = "This model was trained on public data. Please read the license before use. " * 20
    assert keys(identify_text(prose, library)) == []



def _refit_realigning_every_rival(library, tried, work, marks):
    """_refit_rivals as written before it skipped hopeless rivals: every rival elsewhere is realigned."""
    from desktop.core.licenses import match

    if len(tried) < 2:
        return tried
    top, refit = tried[0], [tried[0]]
    for other in tried[1:]:
        overlaps = other.start < top.end and top.start < other.end
        wider = other.start < top.start - match.EDGE_GAP or other.end > top.end + match.EDGE_GAP
        if wider or not overlaps:
            margin = 20 + other.ref.length // 10
            again = match._align(library, other.ref, work, max(0, top.start - margin),
                                 min(len(work), top.end + margin), marks)
            if again is not None and (again.score > other.score if overlaps
                                      else again.matched >= match.CLOSE_RIVAL * top.matched):
                other = again
        refit.append(other)
    refit.sort(key=lambda a: (a.rank, a.coverage, -a.ref.length), reverse=True)
    return refit


def test_skipping_hopeless_rivals_ranks_as_realigning_them_all(library, monkeypatch):
    """A rival elsewhere in the file shorter than CLOSE_RIVAL of the top match is not realigned;
    the ranking is the same as when every rival is (texts of several licenses, in both orders)."""
    from desktop.core.licenses import match

    real = match._refit_rivals
    compared = []

    def both(library_, tried, work, marks):
        ours = real(library_, tried, work, marks)
        theirs = _refit_realigning_every_rival(library_, tried, work, marks)
        top = tried[0] if tried else None
        compared.append(sum(not (o.start < top.end and top.start < o.end)
                            and o.ref.length < match.CLOSE_RIVAL * top.matched for o in tried[1:]))
        assert [(a.ref.key, a.start, a.end, a.matched, a.ops) for a in ours] == \
               [(a.ref.key, a.start, a.end, a.matched, a.ops) for a in theirs]
        return ours

    monkeypatch.setattr(match, "_refit_rivals", both)
    texts = ["mit", "apache-2.0", "bsd-new", "gpl-2.0", "llama-3.1-license-2024"]
    for long_key in ("gpl-3.0", "llama-3.1-license-2024", "apache-2.0"):
        for short_key in ("mit", "bsd-simplified", "json"):
            long, short = reference_text(library, long_key), reference_text(library, short_key)
            identify_text(f"Notes.\n\n{short}\n\n{long}\n", library)
            identify_text(f"{long}\n\nThird-party:\n\n{short}\n", library)
    identify_text("\n\n".join(reference_text(library, k) for k in texts), library)
    assert sum(compared) >= 5  # hopeless rivals were met (and skipped)
