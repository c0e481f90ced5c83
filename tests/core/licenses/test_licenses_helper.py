"""The scan's identifier: same results with or without a helper process, and it survives losing one."""

from __future__ import annotations

import os
import signal
import sys
import threading

from desktop.core.licenses import identify_entry, reference_text
from desktop.core.licenses.helper import MIN_FILES, Identifier
from desktop.core.results import FileEntry


def entries(library):
    texts = [reference_text(library, key) for key in ("mit", "apache-2.0", "gpl-2.0")]
    texts.append("Vendor notes.\n\n" + texts[0] + "\n\n" + texts[1].replace("Apache", "Acme"))
    found = [FileEntry(path=f"LICENSE-{i}", size=len(t), sha256="0" * 64, role="license", text=t)
             for i, t in enumerate(texts)]
    found.append(FileEntry(path="a.py", size=10, sha256="1" * 64, role="code",
                           text="# SPDX-License-Identifier: MIT\nprint(1)\n"))
    return found


def test_small_scans_stay_in_process(library):
    identify = Identifier(library, files_expected=MIN_FILES - 1)
    try:
        assert identify.helpers == 0
        assert [identify(e) for e in entries(library)] == [identify_entry(e, library) for e in entries(library)]
    finally:
        identify.close()


def test_helper_results_equal_in_process_results(library):
    expected = [identify_entry(e, library) for e in entries(library)]
    forkable = sys.platform.startswith("linux") and threading.active_count() == 1
    identify = Identifier(library, files_expected=10 * MIN_FILES)
    try:
        assert (identify.helpers >= 1) == forkable
        assert [identify(e) for e in entries(library)] == expected
        assert expected[0][0]["key"] == "mit" and expected[-1][0]["source"] == "spdx-tag"
    finally:
        identify.close()
    assert identify.helpers == 0  # closed


def test_a_dead_helper_means_in_process_identification(library):
    identify = Identifier(library, files_expected=10 * MIN_FILES)
    try:
        if identify.helpers:  # only where a helper can be forked (Linux, single-threaded caller)
            for pid in list(identify._pool._processes):  # the test plays the OOM killer
                os.kill(pid, signal.SIGKILL)
        first = entries(library)[0]
        assert identify(first) == identify_entry(first, library)
        assert identify(first) == identify_entry(first, library)
    finally:
        identify.close()


def test_warm_up_fills_the_tables_helpers_inherit_and_changes_no_result(refs_dir, tmp_path):
    from desktop.core.licenses import load_library
    from desktop.core.licenses.helper import _warm_up

    cold = load_library(tmp_path / "cold", refs_dir=refs_dir)
    warm = load_library(tmp_path / "warm", refs_dir=refs_dir)
    assert "__names__" not in warm.memo and "__families__" not in warm.memo
    _warm_up(warm)
    assert {"__names__", "__families__", "__words_in_1/5__"} <= set(warm.memo)
    assert [identify_entry(e, warm) for e in entries(warm)] == [identify_entry(e, cold) for e in entries(cold)]


def test_the_cache_holds_the_word_counts_the_matcher_would_compute(library):
    import numpy as np

    from desktop.core.licenses.library import word_reference_counts

    assert library.word_counts is not None  # read from the cache, not computed at load
    fresh = word_reference_counts(library.words, library.references, len(library.vocabulary))
    assert np.array_equal(library.word_counts, fresh)
    assert library.word_counts[library.vocabulary["permission"]] >= 2


def test_modules_the_helpers_need_are_imported_before_the_fork_only_when_helpers_start(library):
    calls = []
    small = Identifier(library, files_expected=MIN_FILES - 1, before_fork=lambda: calls.append("small"))
    small.close()
    big = Identifier(library, files_expected=10 * MIN_FILES, before_fork=lambda: calls.append("big"))
    try:
        assert calls == (["big"] if big.helpers else [])
    finally:
        big.close()


def test_the_cache_holds_each_references_trigram_codes(library):
    import numpy as np

    from desktop.core.licenses.library import trigram_codes

    assert library.ref_codes is not None  # read from the cache, not computed per process
    for ref in library.references:
        assert np.array_equal(library.codes(ref), np.unique(trigram_codes(library.ids(ref)))), ref.key
