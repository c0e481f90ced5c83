"""Find every reference license in a run of normalised words.

0. Whole-text shortcut: a text whose normalised words equal a reference's is that reference; one
   equal outside copyright lines is confirmed by a single alignment (see ``exact.py``).
1. Candidates: rare word trigrams of the text are looked up in the library's inverted index.
2. Each candidate's trigrams locate the region of the text it covers (several regions and
   several licenses per text are possible); see ``candidates.py``.
3. An order-aware alignment (rapidfuzz Indel, i.e. longest common subsequence on word ids)
   of region and reference gives the score, the coverage and the word-level differences.
4. The best region is taken, masked, and the search repeats for further licenses.
Near-identical references (Llama 3.1/3.2/3.3, Gemma 2024/2025, ...) are told apart only by
words the text really contains; otherwise the match abstains. A shorter reference held inside a
longer one gives way to it only when the text has the longer one's own words (a title, a clause).
References with identical words (twins) are never chosen between silently: the firm's text wins
when it is the only firm one of the twins, otherwise the match abstains.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np
from rapidfuzz.distance import Indel

from desktop.core.licenses.candidates import Estimate, TextCodes, to_align
from desktop.core.licenses.exact import Fingerprints
from desktop.core.licenses.library import Library, Reference, ids_as_text, trigram_codes

MAX_ROUNDS = 12
MIN_BLOCK = 3  # equal runs shorter than this at a region's edges are chance matches
INSIDE_MIN = 12  # a longer reference's own words inside a match that show the text is that one
EDGE_GAP = 2  # words between a match and a run of a longer reference that still carries it on
MIN_WORDS_TEXT = 20  # a named match needs this many matched words (or the whole short reference)
MODIFIED_MIN_COVERAGE = 0.35
MODIFIED_MIN_PRECISION = 0.85
SHORT_REFERENCE = 40
SHORT_MIN_COVERAGE = 0.8
UNNAMED_MIN_WORDS = 40
UNNAMED_MIN_COVERAGE = 0.2
UNNAMED_MIN_PRECISION = 0.5
CLOSE_RIVAL = 0.9
TWINS = "the text is identical to each of the references"
UNTOLD = "the words that tell"  # ... {key} from {rival} are absent: a sibling abstention


@dataclass
class Alignment:
    """One reference aligned to one region of the text (positions are word indexes)."""

    ref: Reference
    start: int
    end: int
    ref_start: int
    ref_end: int
    matched: int
    ops: list[tuple[str, int, int, int, int]]  # (tag, ref_a, ref_b, text_a, text_b) inside the region

    @property
    def coverage(self) -> float:
        return 1.0 if self.exact else self.matched / max(1, self.ref.length)

    @property
    def precision(self) -> float:
        return self.matched / max(1, self.end - self.start)

    @property
    def score(self) -> float:
        if self.exact:
            return 1.0
        return 2 * self.matched / max(1, self.ref.length + self.end - self.start)

    exact: bool = False  # no differences beyond formatting (copyright statements included)

    @property
    def rank(self) -> float:
        return self.matched * self.score


@dataclass
class TextMatch:
    """A license found in a text: the closest reference, how well it fits, and the verdict."""

    alignment: Alignment
    status: str  # identified | modified | needs-identification
    reason: str = ""
    rivals: list[str] = field(default_factory=list)

    @property
    def ref(self) -> Reference:
        return self.alignment.ref


def _align(library: Library, ref: Reference, work: np.ndarray, start: int, end: int,
           marks: tuple[int, frozenset[int], frozenset[int]]) -> Alignment | None:
    n = len(work)
    ref_ids, ref_text = library.id_list(ref), library.id_text(ref)
    size = len(ref_ids)
    for _ in range(3):
        ops = _opcodes(ref_text, ids_as_text(work[start:end]))  # positions within the window
        blocks = [op for op in ops if op[0] == "equal"]
        big = [i for i, b in enumerate(blocks) if b[2] - b[1] >= MIN_BLOCK or b[2] - b[1] == size]
        if not big:
            return None
        blocks = blocks[big[0]:big[-1] + 1]
        ref_a, text_a = blocks[0][1], blocks[0][3] + start
        ref_b, text_b = blocks[-1][2], blocks[-1][4] + start
        head, tail = ref_a, size - ref_b
        new_start, new_end = max(0, text_a - head), min(n, text_b + tail)
        if ((head == 0 or new_start == start) and (tail == 0 or new_end == end)) or \
                (new_start, new_end) == (start, end):
            break
        start, end = new_start, new_end  # re-align on a window fitted to the reference
    matched = sum(b[2] - b[1] for b in blocks)
    low, high = text_a - start, text_b - start
    region_ops = [(tag, ra, rb, ta + start, tb + start) for tag, ra, rb, ta, tb in ops
                  if low <= ta and tb <= high and not (tag == "insert" and (tb <= low or ta >= high))]
    found = Alignment(ref, text_a, text_b, ref_a, ref_b, matched, region_ops)
    found.exact = ref_a == 0 and ref_b == size and all(
        op[0] == "equal" or _copyright_op(op, ref_ids, work, marks) for op in region_ops)
    return found


def _align_around(library: Library, ref: Reference, work: np.ndarray, start: int, end: int,
                  marks: tuple[int, frozenset[int], frozenset[int]]) -> Alignment | None:
    """``ref`` aligned to the text words [start, end) of ``work``, widened by a margin that grows
    with the reference (its edges may lie outside the region the trigrams located)."""
    margin = 20 + ref.length // 10
    return _align(library, ref, work, max(0, start - margin), min(len(work), end + margin), marks)


def _ranking(alignment: Alignment) -> tuple[float, float, int]:
    """Sort key of alignments, best last: rank, then coverage, then the shorter reference."""
    return alignment.rank, alignment.coverage, -alignment.ref.length


@lru_cache(maxsize=256)
def _opcodes(ref_text: str, window: str) -> list[tuple[str, int, int, int, int]]:
    """Indel opcodes of a reference against a window of the text (read-only: it is shared).

    The same pair recurs: a later round realigns the candidates that lost on windows the winner's
    masking did not touch, and a rival is refitted on the window it was first aligned on."""
    return Indel.opcodes(ref_text, window).as_list()


def _copyright_op(op: tuple[str, int, int, int, int], ref_ids: list[int], work: np.ndarray,
                  marks: tuple[int, frozenset[int], frozenset[int]]) -> bool:
    """True when a difference sits inside a copyright statement (a formatting difference)."""
    _, ra, rb, ta, tb = op
    if (rb - ra) + (tb - ta) > 40:
        return False
    copyright_id, reserved_ids, common_ids = marks
    changed = set(ref_ids[ra:rb]) | set(work[ta:tb].tolist())
    if changed and changed <= reserved_ids:
        return True
    if changed & common_ids:
        return False  # license words changed, not a holder name or a year
    context = ref_ids[max(0, ra - 3):rb] + work[max(0, ta - 3):tb].tolist()
    return copyright_id in context


def words_in_share(library: Library, divisor: int) -> frozenset[int]:
    """Word ids used by at least 1/``divisor`` of the matchable references (and by two at least).

    The per-word reference counts come with the library (stored in its cache).
    """
    key = f"__words_in_1/{divisor}__"
    found = library.memo.get(key)
    if found is None:
        counts, references = library.reference_counts()
        found = frozenset(np.nonzero(counts >= max(2, references // divisor))[0].tolist())
        library.memo[key] = found
    return found


def common_words(library: Library) -> frozenset[int]:
    """Word ids used by at least a fifth of the references (legal vocabulary, not names)."""
    return words_in_share(library, 5)


def _distinct(library: Library, winner: Reference, rival: Reference) -> np.ndarray:
    """Running count of the winner's words that the rival's text lacks (``[0]`` then one per word)."""
    pairs = library.memo.setdefault("__distinct__", {})
    distinct = pairs.get((winner.index, rival.index))
    if distinct is None:
        mask = np.zeros(winner.length, dtype=np.int64)
        for op in Indel.opcodes(library.id_text(rival), library.id_text(winner)):
            if op.tag != "equal":
                mask[op.dest_start:op.dest_end] = 1
        distinct = pairs[(winner.index, rival.index)] = np.concatenate(([0], np.cumsum(mask)))
    return distinct


def _evidence(library: Library, winner: Alignment, rival: Reference) -> tuple[int, int, int]:
    """The winner's words that the rival lacks: (in the text, in all, skipped inside the match).

    Words skipped inside the match lie between the first and last reference words the text holds,
    so the text passes over them rather than merely stopping short of them.
    """
    distinct = _distinct(library, winner.ref, rival)
    total = int(distinct[-1])
    if not total:
        return 0, 0, 0
    present = sum(int(distinct[rb] - distinct[ra]) for tag, ra, rb, _, _ in winner.ops if tag == "equal")
    inside = int(distinct[winner.ref_end] - distinct[winner.ref_start])
    return present, total, inside - present


def _explains_more(library: Library, rival: Alignment, best: Alignment) -> bool:
    """True when the text holds enough of the rival's own words that ``best`` leaves out.

    Counted are the rival's words that ``best``'s reference lacks, matched in runs of MIN_BLOCK
    or more: MIN_BLOCK of them carrying on from ``best``'s edges without a gap (a title before
    it, the next clause after it), or INSIDE_MIN inside its region (a clause of the rival's,
    more than a repeated page header could supply). When ``best`` is complete and exact, only
    a continuation after it counts: a vendor's title on a whole text is not another license.
    """
    own = np.diff(_distinct(library, rival.ref, best.ref)).astype(bool)
    covered = np.zeros(max(rival.end, best.end) + 1, dtype=bool)
    for tag, _, _, ta, tb in best.ops:
        if tag == "equal":
            covered[ta:tb] = True
    runs = sorted((ta, tb, ra) for tag, ra, rb, ta, tb in rival.ops if tag == "equal" and rb - ra >= MIN_BLOCK)

    def new_words(ta: int, tb: int, ra: int, low: int, high: int) -> int:
        low, high = max(ta, low), min(tb, high)
        if low >= high:
            return 0
        return int((own[ra + low - ta:ra + high - ta] & ~covered[low:high]).sum())

    if not best.exact and sum(new_words(*run, best.start, best.end) for run in runs) >= INSIDE_MIN:
        return True
    extra, edge = 0, best.end
    for ta, tb, ra in runs:
        if tb > edge and ta <= edge + EDGE_GAP:
            extra, edge = extra + new_words(ta, tb, ra, edge, tb), tb
    edge = best.start
    for ta, tb, ra in reversed(runs):
        if not best.exact and ta < edge and tb >= edge - EDGE_GAP:
            extra, edge = extra + new_words(ta, tb, ra, ta, edge), ta
    return extra >= MIN_BLOCK


def _consistent(library: Library, best: Alignment, rival: Alignment) -> Alignment | None:
    """Keep ``best`` unless the words that set it apart from ``rival`` are all absent.

    Then the rival wins if it adds nothing of its own or its own words are present. When
    ``best`` has no words of its own (its text lies inside the rival's), the rival wins if the
    text holds enough of the rival's own words (see ``_explains_more``). When neither
    reference's own words are present, the one the text passes over is out (a partial text
    merely stops short); failing that, a rival of the same family means abstention.
    """
    best_present, best_distinct, best_skipped = _evidence(library, best, rival.ref)
    if not best_distinct:
        return rival if _explains_more(library, rival, best) else best
    if best.exact:
        return best
    if best_present:
        return best
    rival_present, rival_distinct, rival_skipped = _evidence(library, rival, best.ref)
    if rival_present or not rival_distinct:
        return rival
    if bool(best_skipped) != bool(rival_skipped):
        return best if rival_skipped else rival
    return None if rival.ref.family == best.ref.family else best


def _twin_verdict(library: Library, alignment: Alignment) -> TextMatch | None:
    """For an exact match of a reference that has identical twins: the firm's one, or abstain."""
    twins = library.twins(alignment.ref)
    if not twins:
        return None
    group = sorted([alignment.ref, *twins], key=lambda r: r.key)
    firm = [r for r in group if r.firm]
    if len(firm) == 1:
        return TextMatch(replace(alignment, ref=firm[0]), "identified",
                         rivals=[r.key for r in group if r is not firm[0]])
    keys = [r.key for r in group]
    return TextMatch(replace(alignment, ref=group[0]), "needs-identification",
                     f"{TWINS} {', '.join(keys)}", rivals=keys[1:])


def _whole_text_match(library: Library, work: np.ndarray, prints: Fingerprints,
                      marks: tuple[int, frozenset[int], frozenset[int]]) -> TextMatch | None:
    """The reference whose words the whole text has (copyright lines aside), or None."""
    n = len(work)
    same = library.whole.get(prints.whole, ())
    if same:
        ref = library.references[same[0]]
        alignment = Alignment(ref, 0, n, 0, n, n, [("equal", 0, n, 0, n)], exact=True)
        return _twin_verdict(library, alignment) or TextMatch(alignment, "identified")
    bare = set(library.bare.get(prints.whole, ()))
    if prints.bare is not None:
        bare.update(library.bare.get(prints.bare, ()))
    if len(bare) != 1:
        return None
    ref = library.references[bare.pop()]
    aligned = _align(library, ref, work, 0, n, marks)
    if aligned is None or not aligned.exact:
        return None
    return _twin_verdict(library, aligned) or TextMatch(aligned, "identified")


def _verdict(library: Library, best: Alignment, others: list[Alignment], judged: list[Alignment]
             ) -> TextMatch | None:
    """The verdict on ``best`` against ``others``; every alignment judged as a best (this one, and
    a rival it gives way to) is added to ``judged``."""
    judged.append(best)
    ref = best.ref
    named = best.matched >= min(MIN_WORDS_TEXT, ref.length) and best.precision >= MODIFIED_MIN_PRECISION \
        and best.coverage >= (SHORT_MIN_COVERAGE if ref.length < SHORT_REFERENCE else MODIFIED_MIN_COVERAGE)
    if not named:
        if best.matched >= UNNAMED_MIN_WORDS and best.coverage >= UNNAMED_MIN_COVERAGE \
                and best.precision >= UNNAMED_MIN_PRECISION:
            return TextMatch(best, "needs-identification",
                             f"only {best.coverage:.0%} of the closest reference is present "
                             f"and {best.precision:.0%} of the text matches it")
        return None
    rivals = [a for a in others if a.ref.index != ref.index and a.start < best.end and best.start < a.end
              and a.matched >= CLOSE_RIVAL * best.matched]
    for rival in rivals:
        chosen = _consistent(library, best, rival)
        if chosen is None:
            return TextMatch(best, "needs-identification",
                             f"{UNTOLD} {ref.key} from {rival.ref.key} are absent",
                             rivals=[rival.ref.key])
        if chosen is not best:
            return _verdict(library, chosen, [a for a in others if a is not best], judged)
    if best.exact:
        twin = _twin_verdict(library, best)
        if twin is not None:
            return twin
    status = "identified" if best.exact else "modified"
    return TextMatch(best, status, rivals=[a.ref.key for a in rivals])


def _first_verdict(library: Library, tried: list[Alignment], judged: list[Alignment]
                   ) -> tuple[TextMatch | None, bool]:
    """The verdict of the best alignment that names a license (or is a reasoned abstention), and
    whether it was found before every alignment had been judged."""
    first = None
    for best in tried:
        verdict = _verdict(library, best, tried, judged)
        if verdict is None:
            continue
        if verdict.status != "needs-identification" or verdict.rivals:
            return verdict, True
        first = first or verdict
    return first, False


def _round(library: Library, chosen: list[Estimate], work: np.ndarray,
           marks: tuple[int, frozenset[int], frozenset[int]]) -> TextMatch | None:
    """The verdict of one round on the candidates ``chosen`` for it.

    An alignment's matched words, and so its rank, are at most its reference's length. So the
    candidates are aligned longest reference first, and one too short to outrank or rival what is
    already aligned waits: when the verdict is decided (not by running out of alignments) without
    judging anything it could outrank or rival, it is never aligned; otherwise it is, and the round
    is judged again. Either way the verdict is the one every candidate aligned would give.
    """
    aligned: dict[int, Alignment | None] = {}

    def align(i: int) -> Alignment | None:
        _, ref, start, end = chosen[i]
        found = aligned[i] = _align_around(library, ref, work, start, end, marks)
        return found

    waiting: list[int] = []
    top_rank = top_matched = 0.0
    for i in sorted(range(len(chosen)), key=lambda i: -chosen[i][1].length):
        length = chosen[i][1].length
        if length < top_rank and length < CLOSE_RIVAL * top_matched:
            waiting.append(i)
        elif (found := align(i)) is not None:
            top_rank, top_matched = max(top_rank, found.rank), max(top_matched, found.matched)
    while True:
        tried = [a for i, a in sorted(aligned.items()) if a is not None]  # the candidates' own order
        tried.sort(key=_ranking, reverse=True)
        judged: list[Alignment] = []
        verdict, early = _first_verdict(library, _refit_rivals(library, tried, work, marks), judged)
        if not waiting or (early and tried and all(_out_of_reach(chosen[i][1], tried[0], judged) for i in waiting)):
            return verdict
        for i in waiting:
            align(i)
        waiting = []


def _out_of_reach(ref: Reference, top: Alignment, judged: list[Alignment]) -> bool:
    """True when no alignment of ``ref`` (matched <= its length) could have ranked first, been
    judged before the verdict, or rivalled an alignment judged."""
    return ref.length < top.rank and all(ref.length < b.rank and ref.length < CLOSE_RIVAL * b.matched
                                         for b in judged)


def _refit_rivals(library: Library, tried: list[Alignment], work: np.ndarray,
                  marks: tuple[int, frozenset[int], frozenset[int]]) -> list[Alignment]:
    """Re-align the rivals of the largest match on its window, then rank again.

    A rival aligned on a wider window (a file of many texts) spans its neighbours and looks
    imprecise, and one aligned on another copy of the same text is not compared at all; aligned
    on the largest match's own words, the two are judged alike.
    """
    if len(tried) < 2:
        return tried
    top = tried[0]
    refit = [top]
    for other in tried[1:]:
        overlaps = other.start < top.end and top.start < other.end
        wider = other.start < top.start - EDGE_GAP or other.end > top.end + EDGE_GAP
        # A reference elsewhere in the file whose every word cannot make CLOSE_RIVAL of the top
        # match's is never taken from a realignment (matched <= its length): none is made.
        hopeless = not overlaps and other.ref.length < CLOSE_RIVAL * top.matched
        if (wider or not overlaps) and not hopeless:
            again = _align_around(library, other.ref, work, top.start, top.end, marks)
            if again is not None and (again.score > other.score if overlaps
                                      else again.matched >= CLOSE_RIVAL * top.matched):
                other = again  # a copy of the text elsewhere in the file: compared here instead
        refit.append(other)
    refit.sort(key=_ranking, reverse=True)
    return refit


def _marks(library: Library) -> tuple[int, frozenset[int], frozenset[int]]:
    vocabulary = library.vocabulary
    reserved = frozenset(vocabulary.get(w, -2) for w in ("all", "rights", "reserved", "inc", "ltd", "llc",
                                                          "copyright"))
    return vocabulary.get("copyright", -2), reserved, common_words(library) - reserved


def realign(library: Library, ref: Reference, ids: list[int], start: int, end: int) -> Alignment | None:
    """``ref`` aligned to the text words [start, end) of ``ids`` (widened to fit the reference)."""
    work = np.asarray(ids, dtype=np.int32)
    return _align_around(library, ref, work, start, end, _marks(library))


def match_ids(library: Library, ids: list[int], prints: Fingerprints | None = None) -> list[TextMatch]:
    """Every license found in a sequence of word ids (0 = a word no reference uses).

    ``prints`` (the text's fingerprints) lets an unchanged reference text skip the search.
    """
    work = np.asarray(ids, dtype=np.int32).copy()
    if len(work) < 3:
        return []
    codes = TextCodes(trigram_codes(work))
    active = (work[:-2] > 0) & (work[1:-1] > 0) & (work[2:] > 0)
    results: list[TextMatch] = []
    vocabulary = library.vocabulary
    marks = _marks(library)
    if prints is not None and active.sum() >= 8:
        whole = _whole_text_match(library, work, prints, marks)
        if whole is not None:
            return [whole]
    for _ in range(MAX_ROUNDS):
        if active.sum() < 8:
            break
        verdict = _round(library, to_align(library, codes, active), work, marks)
        if verdict is None:
            break
        results.append(verdict)
        a = verdict.alignment
        work[a.start:a.end] = -1
        active[max(0, a.start - 2):a.end] = False
    results.sort(key=lambda m: m.alignment.start)
    return results
