"""The candidate search's per-text trigram lookups agree with a plain membership test."""

import numpy as np
import pytest

from desktop.core.licenses.candidates import TextCodes


@pytest.fixture
def random_codes():
    rng = np.random.default_rng(7)
    return lambda size, high: rng.integers(0, high, size=size, dtype=np.int64)


@pytest.mark.parametrize("text_size,ref_size", [(500, 40), (40, 500), (300, 300), (0, 10), (10, 0)])
def test_held_is_membership_per_trigram(random_codes, text_size, ref_size):
    codes = random_codes(text_size, 200)
    ref_codes = np.unique(random_codes(ref_size, 200))
    held = TextCodes(codes).held(ref_codes)
    assert held.dtype == bool and len(held) == text_size
    assert held.tolist() == [int(c) in set(ref_codes.tolist()) for c in codes]


def test_held_at_the_ends_of_the_code_range():
    text = TextCodes(np.array([0, 5, 9, 5, 2**62], dtype=np.int64))
    assert text.held(np.array([5, 2**62], dtype=np.int64)).tolist() == [False, True, False, True, True]
    assert text.held(np.array([-1, 0], dtype=np.int64)).tolist() == [True, False, False, False, False]


def test_distinct_at_is_sorted_distinct_codes_of_the_chosen_trigrams(random_codes):
    codes = random_codes(400, 50)
    chosen = np.arange(400) % 3 == 0
    found = TextCodes(codes).distinct_at(chosen)
    assert found.tolist() == sorted(set(codes[chosen].tolist()))
    assert TextCodes(codes).distinct_at(np.zeros(400, dtype=bool)).tolist() == []


def test_distinct_at_takes_indexes_repeated_or_not(random_codes):
    codes = random_codes(100, 20)
    near = np.array([5, 6, 7, 6, 90, 5])
    assert TextCodes(codes).distinct_at(near).tolist() == sorted(set(codes[near].tolist()))
