"""Long fuzzing run: hypothesis over every reader and over whole archives, with time and RSS bounds.

Targets: safetensors headers, GGUF headers and metadata, pickle streams, model-card YAML,
config JSON, PDF bytes (through ``desktop.core.formats.read_format``) and zip / tar structures
(through ``desktop.core.intake.open_delivery`` with every member read to the end).  An input
fails when it raises anything but ``UnusableInput`` / ``LimitExceeded``, when a reader reports a
``*-unreadable`` / ``reader-error`` problem (a reader bug), when one input takes longer than
the per-input bound, or when the process grows past the RSS bound.  Failing inputs are saved
to bench/out/fuzz/.

Usage: python bench/fuzz_long.py [SECONDS_PER_TARGET] [TARGET ...]
"""

from __future__ import annotations

import contextlib
import io
import json
import random
import resource
import struct
import sys
import tarfile
import tempfile
import time
import traceback
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

from _common import out_dir
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.core.formats import read_format
from desktop.core.intake import open_delivery
from desktop.core.intake.base import LimitExceeded, Limits, UnusableInput
from desktop.core.jobs import CancelToken

PER_INPUT_S = 10.0
RSS_BOUND_MB = 500
LIMITS = Limits(max_members=500, ratio_grace_bytes=8 << 20, max_spool_bytes=8 << 20)


def _u64(n: int) -> bytes:
    return struct.pack("<Q", n)


def _gguf_kv() -> st.SearchStrategy[bytes]:
    key = st.sampled_from([b"general.name", b"general.license", b"general.base_model.0.name", b"x" * 70, b""])
    value = st.one_of(
        st.builds(lambda s: struct.pack("<I", 8) + _u64(len(s)) + s, st.binary(max_size=40)),
        st.builds(lambda t, n, body: struct.pack("<IIQ", 9, t, n) + body, st.integers(0, 13),
                  st.sampled_from([0, 1, 3, 1 << 40, (1 << 64) - 1]), st.binary(max_size=40)),
        st.builds(lambda t, body: struct.pack("<I", t) + body, st.integers(0, 20), st.binary(max_size=16)))
    return st.builds(lambda k, v: _u64(len(k)) + k + v, key, value)


GGUF = st.builds(lambda v, t, n, kvs, tail: b"GGUF" + struct.pack("<IQQ", v, t, n) + b"".join(kvs) + tail,
                 st.sampled_from([1, 2, 3, 4, 1 << 24]), st.sampled_from([0, 1, 2, 1 << 60]),
                 st.sampled_from([0, 1, 2, 3, 1 << 60, (1 << 64) - 1]), st.lists(_gguf_kv(), max_size=5),
                 st.binary(max_size=64))
JSON_VALUES = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20)),
                           lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                   st.dictionaries(st.text(max_size=10), inner, max_size=4)),
                           max_leaves=30)
ST_HEADER = st.one_of(
    st.builds(lambda d: json.dumps(d).encode(), st.dictionaries(
        st.sampled_from(["__metadata__", "w", "b", "x.weight"]),
        st.one_of(st.fixed_dictionaries({"dtype": st.sampled_from(["F32", "BF16", "I8", "??"]),
                                         "shape": st.lists(st.integers(-2, 1 << 62), max_size=4),
                                         "data_offsets": st.lists(st.integers(-1, 1 << 63), max_size=3)}),
                  JSON_VALUES), max_size=4)),
    st.binary(max_size=200))
SAFETENSORS = st.builds(lambda h, n, tail: _u64(n if n is not None else len(h)) + h + tail, ST_HEADER,
                        st.one_of(st.none(), st.sampled_from([0, 1, 2, 1 << 63, (1 << 64) - 1])),
                        st.binary(max_size=64))
PICKLE_OPS = [b"\x80\x02", b"\x80\x04", b"\x95" + _u64(20), b"cos\nsystem\n", b"\x8c\x02os\x94", b"\x8c\x06system\x94",
              b"\x93", b"(", b"t", b"R", b"h\x00", b"h\xff", b"j\xff\xff\xff\xff", b"\x94", b"]", b"}", b"s",
              b"e", b"0", b"2", b"1", b"X\xff\xff\xff\x7f", b"B\x05\x00\x00\x00abcde", b"\x8e" + _u64(1 << 62),
              b"I12\n", b"Vabc\n", b"S'x'\n", b"N", b"\x88", b"\x85", b"\x86", b"\x87", b"b", b"o", b"iA\nB\n", b"."]
PICKLE = st.builds(lambda ops, tail: b"".join(ops) + tail, st.lists(st.sampled_from(PICKLE_OPS), max_size=60),
                   st.binary(max_size=32))
YAML_TEXT = st.one_of(
    st.builds(lambda parts: "---\n" + "".join(parts) + "---\n# card\n", st.lists(st.sampled_from(
        ["license: mit\n", "a: &a [1, 2]\n", "b: [*a, *a, *a]\n", "c: *zz\n", "- x\n", "  - y\n", "{[\n",
         "key: !!python/object:os.system x\n", "d: " + "[" * 60 + "\n", "base_model: [a, b]\n", "\t\n", "e: 'x\n"]),
        max_size=12)),
    st.text(max_size=300))
PDF = st.one_of(
    st.builds(lambda body, tail: b"%PDF-1.7\n" + b"\n".join(body) + b"\ntrailer\n<< /Root 1 0 R >>\n" + tail,
              st.lists(st.sampled_from([b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj",
                                        b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj",
                                        b"3 0 obj << /Type /Page /Parent 2 0 R /Contents 4 0 R >> endobj",
                                        b"4 0 obj << /Length 999999999 /Filter /FlateDecode >> stream\nx\x9c",
                                        b"endstream endobj", b"xref\n0 5\n", b"startxref\n9\n%%EOF",
                                        b"5 0 obj << /Type /ObjStm /N 99999 /First 0 >> stream\n"]),
                       max_size=10), st.binary(max_size=64)),
    st.binary(max_size=300))


def _zip_blob(members: list[tuple[str, bytes]], damage: list[tuple[int, int]]) -> bytes:
    buf = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        warnings.simplefilter("ignore")
        for name, data in members:
            with contextlib.suppress(ValueError, IndexError):   # names zipfile itself refuses
                zf.writestr(name or "x", data)
    return _damaged(buf.getvalue(), damage)


def _tar_blob(members: list[tuple[str, bytes]], damage: list[tuple[int, int]]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tf:
        for name, data in members:
            info = tarfile.TarInfo(name or "x")
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return _damaged(buf.getvalue(), damage)


def _damaged(blob: bytes, damage: list[tuple[int, int]]) -> bytes:
    data = bytearray(blob)
    for at, value in damage:
        if data:
            data[at % len(data)] = value
    return bytes(data)


MEMBER_NAMES = st.one_of(st.sampled_from(["a.json", "../x", "/abs", "m.gguf", "in.zip", "d/", "p.pkl"]),
                         st.text(max_size=20))
MEMBERS = st.lists(st.tuples(MEMBER_NAMES, st.binary(max_size=200)), min_size=1, max_size=6)
DAMAGE = st.lists(st.tuples(st.integers(0, 1 << 20), st.integers(0, 255)), max_size=6)
ZIPS = st.builds(_zip_blob, MEMBERS, DAMAGE)
TARS = st.builds(_tar_blob, MEMBERS, DAMAGE)


class Stats:
    def __init__(self) -> None:
        self.tried = 0
        self.failures: list[dict[str, str]] = []
        self.slowest = 0.0


def _reader_target(fmt: str, name: str) -> Callable[[bytes], None]:
    def run(blob: bytes) -> None:
        info = read_format(fmt, io.BytesIO(blob), len(blob), name)
        assert info is not None
        json.dumps(info.metadata)
        bad = [p for p in info.problems if p.code.endswith("-unreadable") or not p.message.startswith(name)]
        assert not bad, bad
    return run


def _archive_target(suffix: str) -> Callable[[bytes], None]:
    def run(blob: bytes) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            path, work = Path(tmp) / f"delivery{suffix}", Path(tmp) / "work"
            path.write_bytes(blob)
            try:
                delivery = open_delivery(path, work, LIMITS)
            except UnusableInput:
                return
            try:
                for member in delivery.members(CancelToken()):
                    if member.opener is None:
                        continue
                    try:
                        with member.opener() as stream:
                            while stream.read(1 << 16):
                                pass
                    except LimitExceeded:
                        continue
            finally:
                delivery.close()
            assert not work.exists() or not any(work.iterdir()), "spool left behind"
    return run


TARGETS: dict[str, tuple[st.SearchStrategy[bytes], Callable[[bytes], None]]] = {
    "safetensors": (SAFETENSORS, _reader_target("safetensors", "model.safetensors")),
    "gguf": (GGUF, _reader_target("gguf", "model.gguf")),
    "pickle": (PICKLE, _reader_target("pickle", "pytorch_model.bin")),
    "model-card": (st.builds(str.encode, YAML_TEXT), _reader_target("markdown", "README.md")),
    "yaml": (st.builds(str.encode, YAML_TEXT), _reader_target("yaml", "conf.yaml")),
    "config-json": (st.one_of(st.builds(lambda v: json.dumps(v).encode(), JSON_VALUES), st.binary(max_size=200)),
                    _reader_target("json", "config.json")),
    "pdf": (PDF, _reader_target("pdf", "doc.pdf")),
    "zip": (ZIPS, _archive_target(".zip")),
    "tar": (TARS, _archive_target(".tar")),
}


def fuzz(target: str, seconds: float, stats: Stats, crashes: Path) -> None:
    strategy, run = TARGETS[target]
    deadline = time.monotonic() + seconds

    @settings(max_examples=10**9, deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck), phases=["generate"])
    @given(strategy)
    def one(blob: bytes) -> None:
        if time.monotonic() > deadline:
            raise _Done
        stats.tried += 1
        started = time.monotonic()
        try:
            run(blob)
        except Exception as exc:
            _record(stats, crashes, target, blob, f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}")
        spent = time.monotonic() - started
        stats.slowest = max(stats.slowest, spent)
        if spent > PER_INPUT_S:
            _record(stats, crashes, target, blob, f"took {spent:.1f} s")
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if rss > RSS_BOUND_MB:
            _record(stats, crashes, target, blob, f"peak RSS {rss:.0f} MB")

    with contextlib.suppress(_Done):
        one()


class _Done(Exception):
    pass


def _record(stats: Stats, crashes: Path, target: str, blob: bytes, why: str) -> None:
    name = f"{target}-{len(stats.failures):04d}-{random.getrandbits(32):08x}.bin"
    (crashes / name).write_bytes(blob)
    stats.failures.append({"target": target, "file": name, "why": why[:2000]})


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 120.0
    targets = sys.argv[2:] or list(TARGETS)
    crashes = out_dir("fuzz")
    summary = {}
    for target in targets:
        stats = Stats()
        fuzz(target, seconds, stats, crashes)
        summary[target] = {"inputs": stats.tried, "failures": len(stats.failures),
                           "slowest_s": round(stats.slowest, 3)}
        print(f"{target:<12} {stats.tried:>8,} inputs  {len(stats.failures)} failures  "
              f"slowest {stats.slowest:.3f} s", flush=True)
        for failure in stats.failures[:5]:
            print(f"    {failure['file']}: {failure['why'].splitlines()[0]}", flush=True)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {rss:.0f} MB (bound {RSS_BOUND_MB} MB)")
    (crashes / "summary.json").write_text(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
