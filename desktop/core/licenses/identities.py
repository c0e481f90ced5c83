"""AI licenses the reference library lacks, named from their own text by a stored identity.

An identity (``resources/identities/*.yaml``) holds no license text: only title and release lines,
a few short distinguishing phrases, the SHA-256 of the normalised words, a MinHash sketch of their
5-word shingles, and the repository and commit it was made from.  A delivered text whose sketch is
close to an identity's (and closer than to the library text it resembles) is named by it; it is
``modified`` unless its normalised words hash the same.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from desktop import paths
from desktop.core.licenses.normalize import clean_text, words_of
from desktop.core.resource_yaml import load_resource

SHINGLE = 5
PERMUTATIONS = 128
MIN_SIMILARITY = 0.5  # estimated Jaccard of shingles; unrelated licenses score below 0.2
MIN_WORDS = 150
MAX_WORDS = 60_000
_RNG = np.random.default_rng(20240418)
_A = _RNG.integers(1, 2**63 - 1, PERMUTATIONS, dtype=np.uint64) | np.uint64(1)
_B = _RNG.integers(0, 2**63 - 1, PERMUTATIONS, dtype=np.uint64)
_BASE = np.uint64(1_000_003)


@dataclass(frozen=True)
class Identity:
    """What the app knows to name one license: ids, lines, phrases and fingerprints, never its text."""

    id: str
    name: str
    family: str
    kind: str
    source: str  # "owner/repo@commit:path"
    titles: tuple[str, ...]
    versions: tuple[str, ...]
    phrases: tuple[str, ...]
    sha256: str
    minhash: np.ndarray
    words: int
    summary: str
    # a bilingual text's language halves (each shipped alone by some vendors): (sha256, minhash)
    sections: tuple[tuple[str, np.ndarray], ...] = ()


def identities_dir() -> Path:
    """The bundled identities folder (``resources/identities``)."""
    return paths.resources_dir() / "identities"


def words_key(text: str) -> str:
    """Normalised words of a text joined by spaces (the license engine's normalisation)."""
    return " ".join(words_of(clean_text(text)).words)


@functools.lru_cache(maxsize=65536)
def _word_hash(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")


def sketch(words: Sequence[str]) -> np.ndarray:
    """MinHash of the 5-word shingles of ``words`` (``PERMUTATIONS`` 64-bit minima)."""
    if len(words) < SHINGLE:
        return np.full(PERMUTATIONS, np.iinfo(np.uint64).max, dtype=np.uint64)
    ids = np.fromiter((_word_hash(word) for word in words), dtype=np.uint64, count=len(words))
    count = len(words) - SHINGLE + 1
    hashes = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for offset in range(SHINGLE):  # a polynomial of the shingle's word hashes, wrapping at 2**64
            hashes = hashes * _BASE + ids[offset:offset + count]
        mixed = hashes[:, None] * _A[None, :] + _B[None, :]
    return np.asarray(mixed.min(axis=0), dtype=np.uint64)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two sketches."""
    return float(np.mean(a == b))


def fingerprint(text: str) -> dict[str, Any]:
    """The stored fingerprint of a text: word count, SHA-256 of its normalised words, MinHash sketch (hex);
    for a text in two languages also one such fingerprint per language half (``sections``)."""
    words = words_key(text).split()
    found: dict[str, Any] = {"words": len(words), "sha256": hashlib.sha256(" ".join(words).encode()).hexdigest(),
                             "minhash": sketch(words).astype("<u8").tobytes().hex()}
    halves = language_halves(text)
    if halves:
        found["sections"] = [{"language": language, **fingerprint(part)} for language, part in halves]
    return found


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def language_halves(text: str) -> list[tuple[str, str]]:
    """The Chinese and the other lines of a bilingual text, when each holds at least MIN_WORDS words."""
    cjk, other = [], []
    for line in text.split("\n"):
        letters = [c for c in line if c.isalpha()]
        share = sum(1 for c in letters if _CJK.match(c)) / len(letters) if letters else 0.0
        (cjk if share >= 0.3 else other).append(line)
    halves = [("zh", "\n".join(cjk)), ("en", "\n".join(other))]
    if all(len(words_key(part).split()) >= MIN_WORDS for _, part in halves):
        return halves
    return []


def _load(path: Path) -> Identity:
    raw = load_resource(path.read_text(encoding="utf-8"))
    src = raw["source"]
    fp = raw["fingerprint"]
    return Identity(
        id=raw["id"], name=raw["name"], family=raw["family"], kind=raw["kind"],
        source=f"{src['repo']}@{src['commit']}:{src['path']}",
        titles=tuple(raw.get("titles") or ()), versions=tuple(raw.get("versions") or ()),
        phrases=tuple(raw.get("phrases") or ()), sha256=fp["sha256"],
        minhash=_minhash(fp["minhash"]), words=int(fp["words"]),
        summary=str(raw.get("summary") or ""),
        sections=tuple((str(part["sha256"]), _minhash(part["minhash"])) for part in fp.get("sections") or ()))


def _minhash(hexed: str) -> np.ndarray:
    return np.frombuffer(bytes.fromhex(hexed), dtype="<u8").astype(np.uint64)


@functools.cache
def load_identities(folder: Path | None = None) -> tuple[Identity, ...]:
    """Every identity of a folder (default: the bundled one), sorted by id."""
    folder = identities_dir() if folder is None else folder
    if not folder.is_dir():
        return ()
    return tuple(_load(p) for p in sorted(folder.glob("*.yaml")))


@dataclass(frozen=True)
class IdentityMatch:
    """A text named by an identity: how close, whether its words differ, which lines said what."""

    identity: Identity
    similarity: float
    modified: bool
    titles_found: tuple[str, ...]


def _said(joined: str, lines: Sequence[str]) -> tuple[str, ...]:
    return tuple(line for line in lines if f" {line} " in joined)


def best_identity(words: Sequence[str], *, rival: np.ndarray | None = None,
                  identities: Sequence[Identity] | None = None) -> IdentityMatch | None:
    """The identity the words are closest to, if close enough and closer than ``rival`` (a sketch).

    A title or release line of the identity found in the words adds to its score, so near-twins
    (the Llama 3 and 3.1 policies) are told apart by what the text says it is.
    """
    if len(words) < MIN_WORDS:
        return None
    pool = load_identities() if identities is None else identities
    if not pool:
        return None
    mine = sketch(words)
    joined = f" {' '.join(words)} "
    digest = hashlib.sha256(" ".join(words).encode()).hexdigest()
    best: tuple[float, IdentityMatch] | None = None
    for identity in pool:
        exact = digest == identity.sha256 or any(digest == part[0] for part in identity.sections)
        close = 1.0 if exact else max([similarity(mine, identity.minhash),
                                       *(similarity(mine, part[1]) for part in identity.sections)])
        if close < MIN_SIMILARITY:
            continue
        said = _said(joined, identity.titles + identity.versions)
        score = close + 0.1 * len(said)
        if best is None or score > best[0]:
            best = (score, IdentityMatch(identity, close, not exact, said))
    if best is None:
        return None
    if rival is not None and best[1].modified and similarity(mine, rival) >= best[1].similarity:
        return None
    return best[1]


@functools.cache
def _title_lines() -> tuple[str, ...]:
    return tuple(sorted({f" {line} " for i in load_identities() for line in i.titles + i.versions}))


def names_an_identity(words: Sequence[str]) -> bool:
    """True when the words hold any identity's title or release line (a cheap first test)."""
    joined = f" {' '.join(words[:MAX_WORDS])} "
    return any(line in joined for line in _title_lines())
