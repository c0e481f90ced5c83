"""The reference library: LicenseDB texts plus the firm's texts, indexed once and cached on disk.

The cache is one SQLite file per (engine version, LicenseDB version, firm library contents):
reference facts as JSON, the texts, and whole-text fingerprints (``exact.py``) that identify
unchanged texts without alignment; beside it, a ``.arrays`` file of raw numpy arrays (the
normalised words as word ids, an inverted index of rare word trigrams used to pick candidates
quickly, per-reference trigram codes) that is memory-mapped, not read: a scan touches only the
pages it needs, and forked helpers share them.  Nothing is pickled.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import mmap
import os
import sqlite3
import tempfile
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from desktop.core.errors import SetupError
from desktop.core.licenses.bundled import bundled_zip, unpacked_reference_dir
from desktop.core.licenses.catalog import display_name, family_of, spdx_of
from desktop.core.licenses.exact import copyright_lines, digest
from desktop.core.licenses.normalize import clean_text, words_of
from desktop.core.licenses.reference_file import read_reference

ENGINE_VERSION = "9"
DISTRIBUTION = "scancode-toolkit-mini"
SHIFT = 21  # word ids < 2**21, so three ids pack exactly into one int64 trigram
MAX_DOC_FREQ = 40  # trigrams found in more references than this are not indexed...
MIN_INDEXED = 40  # ...except each reference's rarest MIN_INDEXED trigrams
MAX_REFERENCE_BYTES = 2_000_000


class LibraryMissing(SetupError):
    """The LicenseDB reference texts are not installed."""


@dataclass(frozen=True)
class Reference:
    """One reference license of the library."""

    index: int
    key: str
    spdx: str
    name: str
    short_name: str
    category: str
    family: str
    firm: bool
    deprecated: bool
    exception: bool
    unknown: bool
    other_spdx: tuple[str, ...]
    start: int  # slice of Library.words
    end: int

    @property
    def length(self) -> int:
        return self.end - self.start

    @property
    def matchable(self) -> bool:
        return not (self.deprecated or self.unknown)

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "spdx": self.spdx, "name": self.name, "short_name": self.short_name,
                "category": self.category, "family": self.family, "firm": self.firm,
                "deprecated": self.deprecated, "exception": self.exception, "unknown": self.unknown,
                "other_spdx": list(self.other_spdx), "start": self.start, "end": self.end}


@dataclass
class Library:
    """Reference facts, word ids and the trigram index; texts are read from the cache on demand."""

    references: list[Reference]
    vocabulary: dict[str, int]
    words: np.ndarray  # int32 word ids of every reference, concatenated
    trigrams: np.ndarray  # sorted int64 trigram codes
    offsets: np.ndarray  # postings of trigrams[i] are postings[offsets[i]:offsets[i + 1]]
    postings: np.ndarray  # int32 reference indexes
    indexed: np.ndarray  # int32 number of indexed trigrams per reference
    path: Path
    version: str
    word_counts: np.ndarray  # per word id, how many matchable references use it
    # Every reference's sorted distinct trigram codes, concatenated; reference i's are
    # ref_codes[ref_code_offsets[i]:ref_code_offsets[i + 1]] (stored: no process computes them)
    ref_codes: np.ndarray
    ref_code_offsets: np.ndarray
    whole: dict[bytes, tuple[int, ...]] = field(default_factory=dict, repr=False)  # fingerprint -> refs
    bare: dict[bytes, tuple[int, ...]] = field(default_factory=dict, repr=False)  # same, no copyright lines
    by_key: dict[str, Reference] = field(default_factory=dict)
    memo: OrderedDict = field(default_factory=OrderedDict, repr=False)
    _lists: dict[int, list[int]] = field(default_factory=dict, repr=False)
    _texts: dict[int, str] = field(default_factory=dict, repr=False)
    _twins: dict[int, tuple[int, ...]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if len(self.vocabulary) >= MASKED_CHAR:
            raise ValueError(f"the reference library holds {len(self.vocabulary)} distinct words; "
                             f"the aligner encodes at most {MASKED_CHAR - 1}")
        self.by_key = {ref.key: ref for ref in self.references}
        self._twins = {i: group for group in self.whole.values() if len(group) > 1 for i in group}

    def ids(self, ref: Reference) -> np.ndarray:
        """Word ids of one reference."""
        return self.words[ref.start:ref.end]

    def reference_counts(self) -> tuple[np.ndarray, int]:
        """(per word id, the matchable references using it; how many matchable references there are)."""
        return self.word_counts, sum(1 for r in self.references if r.matchable and r.length)

    def id_list(self, ref: Reference) -> list[int]:
        """Word ids of one reference as a list (what the aligner takes), computed once."""
        found = self._lists.get(ref.index)
        if found is None:
            found = self._lists[ref.index] = self.ids(ref).tolist()
        return found

    def id_text(self, ref: Reference) -> str:
        """Word ids of one reference as a string, one character per id (see :func:`ids_as_text`)."""
        found = self._texts.get(ref.index)
        if found is None:
            found = self._texts[ref.index] = ids_as_text(self.ids(ref))
        return found

    def codes(self, ref: Reference) -> np.ndarray:
        """Sorted distinct trigram codes of one reference (stored in the cache)."""
        return self.ref_codes[self.ref_code_offsets[ref.index]:self.ref_code_offsets[ref.index + 1]]

    def twins(self, ref: Reference) -> list[Reference]:
        """Other matchable references whose normalised words are identical to ``ref``'s."""
        return [self.references[i] for i in self._twins.get(ref.index, ()) if i != ref.index]

    def text(self, key: str) -> str:
        """The reference text of ``key`` (raises KeyError when unknown)."""
        if key not in self.by_key:
            raise KeyError(key)
        with sqlite3.connect(f"file:{self.path}?mode=ro", uri=True) as db:
            row = db.execute("SELECT text FROM refs WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise KeyError(key)
        return str(row[0])


REFERENCE_DIR_VARIABLE = "AIREVIEW_REFERENCE_DIR"


def reference_dir() -> Path:
    """The installed LicenseDB texts (``licensedcode/data/licenses`` of scancode-toolkit-mini).

    ``AIREVIEW_REFERENCE_DIR`` names another folder of ``*.LICENSE`` texts instead.
    """
    override = os.environ.get(REFERENCE_DIR_VARIABLE)
    if override:
        path = Path(override)
        if not path.is_dir() or next(path.glob("*.LICENSE"), None) is None:
            raise LibraryMissing(f"{REFERENCE_DIR_VARIABLE}={override} is not a folder of *.LICENSE "
                                 f"reference texts; unset it or point it at one.")
        return path
    archive = bundled_zip()
    if archive is not None:  # the packaged app carries the texts as a zip, unpacked once to the cache
        from desktop import paths

        return unpacked_reference_dir(archive, paths.cache_dir())
    try:
        dist = importlib.metadata.distribution(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        raise LibraryMissing(
            "The license reference texts are missing: install them with "
            f"`pip install --no-deps {DISTRIBUTION}==32.5.0` (see the README).") from None
    path = Path(str(dist.locate_file("licensedcode/data/licenses")))
    if not path.is_dir():
        raise LibraryMissing(f"The license reference folder {path} does not exist; reinstall "
                             f"{DISTRIBUTION} with `pip install --no-deps {DISTRIBUTION}==32.5.0`.")
    return path


def _library_version(refs_dir: Path) -> str:
    try:
        return f"{DISTRIBUTION}-{importlib.metadata.version(DISTRIBUTION)}"
    except importlib.metadata.PackageNotFoundError:
        return f"dir-{refs_dir}"


def _reference_files(folder: Path | None) -> list[Path]:
    if folder is None or not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.LICENSE") if p.is_file())


def _cache_key(refs_dir: Path, firm_dir: Path | None, explicit_refs: bool) -> str:
    digest = hashlib.sha256(f"{ENGINE_VERSION}|{_library_version(refs_dir)}".encode())
    builtin = _reference_files(refs_dir) if explicit_refs else []
    for path in builtin + _reference_files(firm_dir):
        digest.update(path.name.encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:20]


def load_library(cache_dir: Path | None = None, firm_dir: Path | None = None, *,
                 refs_dir: Path | None = None) -> Library:
    """The reference library, built on first use and then loaded from ``cache_dir``.

    ``firm_dir`` holds the firm's own ``*.LICENSE`` texts (same format); ``refs_dir`` replaces
    the LicenseDB folder (tests). The cache is rebuilt when either changes.
    """
    explicit = refs_dir is not None
    refs_dir = refs_dir if refs_dir is not None else reference_dir()
    if cache_dir is None:
        from desktop.paths import cache_dir as default_cache_dir
        cache_dir = default_cache_dir()
    cache_dir.mkdir(parents=True, exist_ok=True)
    key = _cache_key(refs_dir, firm_dir, explicit)
    path = cache_dir / f"licenses-{key}.sqlite"
    if path.is_file():
        try:
            return _read_cache(path)
        except (sqlite3.Error, KeyError, ValueError, json.JSONDecodeError):
            _remove(path)
    _build_cache(path, refs_dir, firm_dir)
    _drop_old_caches(cache_dir, keep=path)
    return _read_cache(path)


KEEP_CACHES = 3  # index files kept: this one and the two most recently built others (other firm folders)
ARRAY_ALIGN = 64  # each array of the .arrays file starts at a multiple of this
# The Library fields read from the .arrays file (a name missing from it: KeyError, the cache is rebuilt)
ARRAY_FIELDS = ("words", "trigrams", "offsets", "postings", "indexed", "word_counts", "ref_codes", "ref_code_offsets")


def arrays_path(path: Path) -> Path:
    """The memory-mapped arrays file that goes with the SQLite index file ``path``."""
    return path.with_suffix(".arrays")


def _drop_old_caches(cache_dir: Path, keep: Path) -> None:
    """Remove index files of older engine versions or firm libraries beyond the newest few."""
    others = sorted((p for p in cache_dir.glob("licenses-*.sqlite") if p != keep),
                    key=lambda p: p.stat().st_mtime, reverse=True)
    for old in others[KEEP_CACHES - 1:]:
        _remove(old)


def _remove(path: Path) -> None:
    """Delete an index file and its arrays; one still mapped by another process (Windows) stays."""
    for file in (path, arrays_path(path)):
        try:
            file.unlink(missing_ok=True)
        except OSError:
            pass


def _read_texts(refs_dir: Path, firm_dir: Path | None) -> list[tuple[dict[str, Any], str]]:
    entries: dict[str, tuple[dict[str, Any], str]] = {}
    for folder, firm in ((refs_dir, False), (firm_dir, True)):
        for path in _reference_files(folder):
            if path.stat().st_size > MAX_REFERENCE_BYTES:
                continue
            ref = read_reference(path)
            meta = dict(ref.meta)
            meta["key"] = str(meta.get("key") or path.stem)
            meta["firm"] = firm
            entries[meta["key"]] = (meta, ref.text)  # a firm text replaces a built-in one
    return list(entries.values())


def _build_cache(path: Path, refs_dir: Path, firm_dir: Path | None) -> None:
    vocabulary: dict[str, int] = {}
    chunks: list[np.ndarray] = []
    references: list[Reference] = []
    texts: list[str] = []
    prints: list[tuple[bytes, bytes]] = []
    position = 0
    for index, (meta, text) in enumerate(_read_texts(refs_dir, firm_dir)):
        read = words_of(text)
        words = read.words
        marked = copyright_lines(clean_text(text))
        prints.append((digest(words), digest([w for w, n in zip(words, read.lines, strict=True)
                                              if n not in marked])))
        ids = np.fromiter((vocabulary.setdefault(w, len(vocabulary) + 1) for w in words),
                          dtype=np.int32, count=len(words))
        chunks.append(ids)
        key = meta["key"]
        other = meta.get("other_spdx_license_keys") or []
        references.append(Reference(
            index=index, key=key, spdx=spdx_of(key, meta), name=display_name(key, meta),
            short_name=str(meta.get("short_name") or meta.get("name") or key),
            category=str(meta.get("category") or ""), family=family_of(key, meta),
            firm=bool(meta["firm"]), deprecated=bool(meta.get("is_deprecated")),
            exception=bool(meta.get("is_exception")), unknown=bool(meta.get("is_unknown")),
            other_spdx=tuple(str(o) for o in other if isinstance(o, str)),
            start=position, end=position + len(ids)))
        texts.append(text)
        position += len(ids)
    if len(vocabulary) >= 1 << SHIFT:
        raise ValueError("reference vocabulary too large for the trigram index")
    words = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int32)
    own_codes = reference_codes(words, references)
    trigrams, offsets, postings, indexed = _build_index(words, references, own_codes)
    arrays = {"words": words, "trigrams": trigrams, "offsets": offsets, "postings": postings, "indexed": indexed,
              "word_counts": word_reference_counts(words, references, len(vocabulary)),
              "ref_codes": np.concatenate(own_codes) if own_codes else np.zeros(0, dtype=np.int64),
              "ref_code_offsets": np.concatenate(([0], np.cumsum([len(c) for c in own_codes]))).astype(np.int64)}
    _write_cache(path, references, texts, prints, vocabulary, arrays)


def trigram_codes(ids: np.ndarray) -> np.ndarray:
    """Int64 codes of consecutive word-id triples (empty when fewer than three words)."""
    ids = ids.astype(np.int64, copy=False)
    if len(ids) < 3:
        return np.zeros(0, dtype=np.int64)
    return (ids[:-2] << (2 * SHIFT)) | (ids[1:-1] << SHIFT) | ids[2:]


MASKED_CHAR = 0x10FFFF  # stands for a masked word (id -1); ids are far below it (checked at load)


def ids_as_text(ids: np.ndarray) -> str:
    """Word ids as a string of one character each: the aligner compares strings natively, which is
    faster than a list of Python ints, and gives the same alignment (equal ids, equal characters).
    Unknown words (id 0) are character 0, masked words (id -1) :data:`MASKED_CHAR`."""
    codes = np.where(ids < 0, MASKED_CHAR, ids).astype("<u4")
    return codes.tobytes().decode("utf-32-le", "surrogatepass")


def word_reference_counts(words: np.ndarray, references: list[Reference], vocabulary_size: int) -> np.ndarray:
    """Per word id (0 .. vocabulary_size), how many matchable references use that word."""
    refs = [r for r in references if r.matchable and r.length]
    every = np.concatenate([np.unique(words[r.start:r.end]) for r in refs]) if refs else np.zeros(0, int)
    return np.bincount(every, minlength=vocabulary_size + 1)


def reference_codes(words: np.ndarray, references: list[Reference]) -> list[np.ndarray]:
    """Each reference's sorted distinct trigram codes (what :meth:`Library.codes` returns)."""
    return [np.unique(trigram_codes(words[r.start:r.end])) for r in references]


def _build_index(words: np.ndarray, references: list[Reference], own_codes: list[np.ndarray]):
    per_ref = [own if r.matchable else np.zeros(0, dtype=np.int64) for r, own in zip(references, own_codes,
                                                                                        strict=True)]
    every = np.concatenate(per_ref) if per_ref else np.zeros(0, dtype=np.int64)
    codes, freq = np.unique(every, return_counts=True)
    pair_codes: list[np.ndarray] = []
    pair_refs: list[np.ndarray] = []
    indexed = np.zeros(len(references), dtype=np.int32)
    for ref, own in zip(references, per_ref, strict=True):
        if not len(own):
            continue
        df = freq[np.searchsorted(codes, own)]
        keep = df <= MAX_DOC_FREQ
        if keep.sum() < MIN_INDEXED:
            keep[np.argsort(df, kind="stable")[:MIN_INDEXED]] = True
        chosen = own[keep]
        indexed[ref.index] = len(chosen)
        pair_codes.append(chosen)
        pair_refs.append(np.full(len(chosen), ref.index, dtype=np.int32))
    if not pair_codes:
        empty = np.zeros(0, dtype=np.int64)
        return empty, np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int32), indexed
    all_codes = np.concatenate(pair_codes)
    all_refs = np.concatenate(pair_refs)
    order = np.argsort(all_codes, kind="stable")
    all_codes, all_refs = all_codes[order], all_refs[order]
    trigrams, starts = np.unique(all_codes, return_index=True)
    offsets = np.append(starts, len(all_codes)).astype(np.int64)
    return trigrams, offsets, all_refs, indexed


def _write_cache(path: Path, references, texts, prints, vocabulary, arrays: dict[str, np.ndarray]) -> None:
    layout, size = _write_arrays(arrays_path(path), arrays)
    handle, temp = tempfile.mkstemp(prefix="licenses-", suffix=".tmp", dir=path.parent)
    os.close(handle)
    try:
        with sqlite3.connect(temp) as db:
            db.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT)")
            db.execute("CREATE TABLE refs (idx INTEGER PRIMARY KEY, key TEXT UNIQUE, text TEXT)")
            db.execute("CREATE TABLE arrays (name TEXT PRIMARY KEY, dtype TEXT, offset INTEGER, count INTEGER)")
            db.execute("CREATE TABLE prints (idx INTEGER PRIMARY KEY, whole BLOB, bare BLOB)")
            db.executemany("INSERT INTO prints VALUES (?, ?, ?)", [
                (r.index, whole, bare) for r, (whole, bare) in zip(references, prints, strict=True)
                if r.matchable and r.length])
            db.executemany("INSERT INTO meta VALUES (?, ?)", [
                ("engine", ENGINE_VERSION), ("version", path.stem), ("arrays_size", str(size)),
                ("vocabulary", json.dumps(sorted(vocabulary, key=vocabulary.__getitem__))),
                ("references", json.dumps([r.to_json() for r in references]))])
            db.executemany("INSERT INTO refs VALUES (?, ?, ?)", [
                (r.index, r.key, t) for r, t in zip(references, texts, strict=True)])
            db.executemany("INSERT INTO arrays VALUES (?, ?, ?, ?)", layout)
        db.close()
        os.replace(temp, path)
    finally:
        Path(temp).unlink(missing_ok=True)
    for stale in path.parent.glob("licenses-*.sqlite"):
        if stale != path and stale.stat().st_mtime < path.stat().st_mtime - 3600:
            _remove(stale)


def _write_arrays(target: Path, arrays: dict[str, np.ndarray]) -> tuple[list[tuple[str, str, int, int]], int]:
    """Write the arrays one after another (each aligned) to ``target``: their (name, dtype, offset,
    count) rows and the file's size.  An identical file already in place and mapped elsewhere
    (Windows refuses to replace it) is kept: the index key fixes the contents."""
    layout: list[tuple[str, str, int, int]] = []
    handle, temp = tempfile.mkstemp(prefix="licenses-", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            for name, array in arrays.items():
                out.write(b"\0" * (-out.tell() % ARRAY_ALIGN))
                layout.append((name, array.dtype.str, out.tell(), len(array)))
                out.write(np.ascontiguousarray(array).tobytes())
            size = out.tell()
        try:
            os.replace(temp, target)
        except OSError:
            if not target.is_file() or target.stat().st_size != size:
                raise
    finally:
        Path(temp).unlink(missing_ok=True)
    return layout, size


def _read_cache(path: Path) -> Library:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        meta = dict(db.execute("SELECT name, value FROM meta"))
        if meta.get("engine") != ENGINE_VERSION:
            raise ValueError("stale license cache")
        words_list = json.loads(meta["vocabulary"])
        references = []
        for data in json.loads(meta["references"]):
            data["other_spdx"] = tuple(data["other_spdx"])
            references.append(Reference(index=len(references), **data))
        arrays = _map_arrays(arrays_path(path), int(meta["arrays_size"]),
                             list(db.execute("SELECT name, dtype, offset, count FROM arrays")))
        whole: dict[bytes, tuple[int, ...]] = {}
        bare: dict[bytes, tuple[int, ...]] = {}
        for index, whole_print, bare_print in db.execute("SELECT idx, whole, bare FROM prints ORDER BY idx"):
            for found, digest_bytes in ((whole, bytes(whole_print)), (bare, bytes(bare_print))):
                found[digest_bytes] = (*found.get(digest_bytes, ()), index)
    finally:
        db.close()
    return Library(
        references=references, vocabulary={w: i for i, w in enumerate(words_list, 1)}, path=path,
        version=meta["version"], whole=whole, bare=bare, **{name: arrays[name] for name in ARRAY_FIELDS})


def _map_arrays(source: Path, size: int, layout: list[tuple[str, str, int, int]]) -> dict[str, np.ndarray]:
    """The read-only arrays of the index, mapped from ``source`` (ValueError when it is missing or
    not the size the index recorded: the cache is then rebuilt)."""
    try:
        with open(source, "rb") as file:
            if os.fstat(file.fileno()).st_size != size:
                raise ValueError(f"{source.name} is not the size the license index recorded")
            mapped: Any = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) if size else b""
    except OSError as exc:
        raise ValueError(f"{source.name} cannot be mapped ({exc})") from exc
    arrays = {}
    for name, dtype, offset, count in layout:
        kind = np.dtype(dtype)
        if offset < 0 or count < 0 or offset + count * kind.itemsize > size:
            raise ValueError(f"{source.name}: array {name} lies outside the file")
        arrays[name] = np.frombuffer(mapped, dtype=kind, count=count, offset=offset) if count \
            else np.zeros(0, dtype=kind)
    return arrays
