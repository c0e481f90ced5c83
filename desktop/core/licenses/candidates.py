"""Pick the references worth aligning against a text: rare shared trigrams, then the region each covers.

Candidates come from the library's inverted index of rare trigrams. A longer reference of which
the text holds only a part (a title, then a common body) may share few rare trigrams with it, so
the references holding rare trigrams just outside the best candidate's region are tried too.
"""

from __future__ import annotations

import numpy as np

from desktop.core.licenses.library import Library, Reference

TOP_BY_CONTAINMENT = 12
TOP_BY_HITS = 12
MIN_HITS_SHARE = 0.3  # fewer rare trigrams than this share of the best candidate's: not a candidate...
# ...unless the text holds half of the reference's rare trigrams (a short text inside a long file)
ALIGNED_PER_ROUND = 8
LARGEST_PER_ROUND = 4  # also aligned: the candidates estimated to explain the most words
ALIGNED_MIN_ESTIMATE = 0.5  # candidates estimated below this share of the best one are not aligned
EDGE_WORDS = 12  # how far outside the best candidate's region unexplained trigrams are looked up
EDGE_CANDIDATES = 3

Estimate = tuple[float, Reference, int, int]  # (estimated similarity, reference, region start, end)


def _found_in(sorted_values: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each of ``values``: where it would sit in the non-empty ``sorted_values``, and whether it
    is there."""
    where = np.minimum(np.searchsorted(sorted_values, values), len(sorted_values) - 1)
    return where, sorted_values[where] == values


class TextCodes:
    """A text's trigram codes and their sorted distinct values: which of them a reference holds is
    then one ordered search over the distinct codes, not a binary search per trigram."""

    def __init__(self, codes: np.ndarray) -> None:
        self.codes = codes
        self.distinct, self.inverse = np.unique(codes, return_inverse=True)

    def held(self, ref_codes: np.ndarray) -> np.ndarray:
        """Per trigram of the text, whether the sorted distinct ``ref_codes`` hold it."""
        distinct = self.distinct
        if not len(ref_codes) or not len(distinct):
            return np.zeros(len(self.codes), dtype=bool)
        if len(ref_codes) < len(distinct):  # search the shorter list in the longer one
            where, found = _found_in(distinct, ref_codes)
            held = np.zeros(len(distinct), dtype=bool)
            held[where[found]] = True
        else:
            held = _found_in(ref_codes, distinct)[1]
        return held[self.inverse]

    def distinct_at(self, positions: np.ndarray) -> np.ndarray:
        """The sorted distinct codes of the trigrams at ``positions`` (indexes or a boolean mask)."""
        present = np.zeros(len(self.distinct), dtype=bool)
        present[self.inverse[positions]] = True
        return self.distinct[present]


def _hits(library: Library, codes: np.ndarray) -> np.ndarray:
    """Per reference, how many of the trigram ``codes`` (sorted, distinct) its index holds."""
    if not len(codes) or not len(library.trigrams):
        return np.zeros(len(library.references), dtype=np.int64)
    where, present = _found_in(library.trigrams, codes)
    found = where[present]
    starts = library.offsets[found]
    lengths = library.offsets[found + 1] - starts
    total = int(lengths.sum())
    shift = np.repeat(starts - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
    refs = library.postings[shift + np.arange(total)]
    return np.bincount(refs, minlength=len(library.references))


def rare_candidates(library: Library, codes: np.ndarray) -> list[int]:
    """Indexes of the references sharing the most rare trigrams with the text's ``codes`` (sorted,
    distinct), counted absolutely and relatively.

    The first LARGEST_PER_ROUND are those most of whose rare trigrams the text holds, weighted
    by how many: the texts that explain the most words, aligned whatever their estimate.
    """
    hits = _hits(library, codes)
    containment = hits / np.maximum(library.indexed, 1)
    eligible = np.nonzero(((hits >= 3) & (hits >= MIN_HITS_SHARE * hits.max())) | (containment >= 0.5))[0]
    if not len(eligible):
        return []
    largest = eligible[np.argsort(-(hits[eligible] * containment[eligible]), kind="stable")][:LARGEST_PER_ROUND]
    by_containment = eligible[np.lexsort((-hits[eligible], -containment[eligible]))][:TOP_BY_CONTAINMENT]
    by_hits = eligible[np.argsort(-hits[eligible], kind="stable")][:TOP_BY_HITS]
    return list(dict.fromkeys(int(i) for i in np.concatenate((largest, by_containment, by_hits))))


def _edge_candidates(library: Library, text: TextCodes, active: np.ndarray, best: Estimate,
                     known: set[int]) -> list[int]:
    """References holding rare trigrams next to ``best``'s region that ``best`` lacks."""
    _, ref, start, end = best
    n = len(text.codes)
    near = np.r_[max(0, start - EDGE_WORDS):start, max(0, end - 2):min(n, end + EDGE_WORDS)]
    near = near[active[near]]
    if not len(near):
        return []
    outside = text.distinct_at(near)
    outside = outside[~_found_in(library.codes(ref), outside)[1]]
    if not len(outside):
        return []
    hits = _hits(library, outside)
    hits[list(known)] = 0
    order = np.argsort(-hits, kind="stable")[:EDGE_CANDIDATES]
    return [int(i) for i in order if hits[i]]


def locate(ref_codes: np.ndarray, text: TextCodes, active: np.ndarray, ref_len: int
           ) -> tuple[int, int, int] | None:
    """The densest region of the text holding the reference's trigrams: (start, end, hits)."""
    hit = np.nonzero(active & text.held(ref_codes))[0]
    if not len(hit):
        return None
    gap = max(30, ref_len // 4)
    cuts = np.nonzero(np.diff(hit) > gap)[0]
    bounds = np.concatenate(([0], cuts + 1, [len(hit)]))
    sizes = np.diff(bounds)
    best = int(np.argmax(sizes))
    run = hit[bounds[best]:bounds[best + 1]]
    limit = int(ref_len * 1.5) + 60
    if run[-1] - run[0] > limit:  # a long run (repeated texts): the densest window of one size
        ends = np.searchsorted(run, run + limit, side="right")
        i = int(np.argmax(ends - np.arange(len(run))))
        run = run[i:ends[i]]
    return int(run[0]), int(run[-1]) + 3, len(run)


def _estimates(library: Library, indexes: list[int], text: TextCodes, active: np.ndarray
               ) -> list[Estimate]:
    """An estimate for each candidate, best first."""
    found = []
    for index in indexes:
        ref = library.references[index]
        if not ref.matchable or ref.length < 3:
            continue
        ref_codes = library.codes(ref)
        located = locate(ref_codes, text, active, ref.length)
        if located is None:
            continue
        start, end, hits = located
        found.append((2 * hits / (len(ref_codes) + end - start), ref, start, end))
    found.sort(key=lambda f: (f[0], -f[1].length), reverse=True)
    return found


def to_align(library: Library, text: TextCodes, active: np.ndarray) -> list[Estimate]:
    """The candidates worth aligning in this round: the best estimates, then the edge ones."""
    indexes = rare_candidates(library, text.distinct_at(active))
    estimates = _estimates(library, indexes, text, active)
    if not estimates:
        return []
    floor = ALIGNED_MIN_ESTIMATE * estimates[0][0]
    chosen = [e for e in estimates[:ALIGNED_PER_ROUND] if e[0] >= floor]
    # A round commits its largest match first, so that match's close rivals must be aligned too,
    # even when short exact texts elsewhere in the file fill the best estimates.
    largest = set(indexes[:LARGEST_PER_ROUND])
    chosen += [e for e in estimates[ALIGNED_PER_ROUND:] if e[0] >= floor and e[1].index in largest]
    edge = _edge_candidates(library, text, active, estimates[0], set(indexes))
    chosen += [e for e in _estimates(library, edge, text, active) if e[0] >= floor]
    return chosen
