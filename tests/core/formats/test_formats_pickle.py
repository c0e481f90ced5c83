from __future__ import annotations

import bz2
import collections
import gzip
import io
import lzma
import os
import pickle
import struct
import zipfile
import zlib
from typing import Any

import pytest

from desktop.core.formats import detect_format, pickle_scan, read_format
from desktop.core.formats.pickle_policy import classify_global, loader_name


class _Evil:
    def __reduce__(self):
        return (os.system, ("echo x",))


def _scan(blob: bytes, name: str = "pytorch_model.bin"):
    info = read_format("pickle", io.BytesIO(blob), len(blob), name)
    assert info is not None
    return info


def _globals(info) -> set[tuple[str, str, str]]:
    return {(g["module"], g["name"], g["safety"]) for g in info.metadata["globals"]}


def _codes(info) -> list[str]:
    return [p.code for p in info.problems]


def _su(text: str) -> bytes:          # SHORT_BINUNICODE
    raw = text.encode()
    return b"\x8c" + bytes([len(raw)]) + raw


def test_os_system_via_global_every_protocol():
    for protocol in (0, 1, 2, 3, 4, 5):
        info = _scan(pickle.dumps(_Evil(), protocol=protocol))
        assert (os.system.__module__, "system", "unsafe") in _globals(info), protocol
        assert info.metadata["unsafe"] == 1
        assert _codes(info) == ["unsafe-pickle"]
        assert "system" in info.problems[0].message
        assert info.problems[0].message.startswith("pytorch_model.bin: ")


def test_builtins_eval_via_global_opcode():
    info = _scan(b"cbuiltins\neval\n(S'1+1'\ntR.")
    assert _globals(info) == {("builtins", "eval", "unsafe")}


def test_stack_global_with_memo_indirection():
    blob = (b"\x80\x04" + _su("builtins") + b"\x94" + _su("eval") + b"\x94" + b"00"
            + b"h\x00h\x01\x93" + _su("1+1") + b"\x85R.")
    info = _scan(blob)
    assert _globals(info) == {("builtins", "eval", "unsafe")}
    assert _codes(info) == ["unsafe-pickle"]


def test_popped_decoy_strings_do_not_hide_the_real_global():
    blob = (b"\x80\x04" + _su("os") + _su("system") + _su("collections") + _su("OrderedDict")
            + b"00\x93" + _su("id") + b"\x85R.")
    assert _globals(_scan(blob)) == {("os", "system", "unsafe")}


def test_unresolvable_stack_global_counts_as_unsafe():
    blob = b"\x80\x04K\x01K\x02\x93)R."          # two ints, then STACK_GLOBAL
    info = _scan(blob)
    assert _globals(info) == {("unknown", "unknown", "unsafe")}
    assert "unsafe-pickle" in _codes(info)


def test_dotted_name_escape_is_unsafe():
    blob = b"\x80\x04" + _su("collections") + _su("OrderedDict.__init__.__globals__") + b"\x93."
    assert _globals(_scan(blob)) == {("collections", "OrderedDict.__init__.__globals__", "unsafe")}


def test_safe_ordered_dict_and_counter_off_the_allow_list():
    info = _scan(pickle.dumps(collections.OrderedDict(a=1), protocol=2))
    assert _globals(info) == {("collections", "OrderedDict", "safe")}
    assert info.problems == []
    assert info.metadata["pickles"] == 1
    assert info.metadata["verdict"] == "safe"
    # Safety comes only from the allow-list: Counter is not on it, so the file is unsafe.
    counter = _scan(pickle.dumps(collections.Counter("ab"), protocol=4))
    assert _globals(counter) == {("collections", "Counter", "unsafe")}
    assert _codes(counter) == ["unsafe-pickle"]
    assert "not on the allow-list" in counter.problems[0].message
    assert counter.metadata["verdict"] == "unsafe"


def test_broken_tail_keeps_globals_found_before_it():
    blob = pickle.dumps([_Evil(), list(range(50))], protocol=2)
    info = _scan(blob[:-10])
    assert (os.system.__module__, "system", "unsafe") in _globals(info)
    assert set(_codes(info)) == {"unsafe-pickle", "pickle-broken"}
    assert info.metadata["verdict"] == "unsafe"


def test_second_pickle_in_stream_is_scanned():
    blob = pickle.dumps(collections.OrderedDict(), protocol=2) + pickle.dumps(_Evil(), protocol=2)
    info = _scan(blob)
    assert info.metadata["pickles"] == 2
    assert {g[2] for g in _globals(info)} == {"safe", "unsafe"}


def test_raw_data_after_pickles_leaves_the_file_unverified():
    blob = pickle.dumps(collections.OrderedDict(), protocol=2) + b"\x00\x01\x02garbage" * 10
    info = _scan(blob)
    assert _codes(info) == ["pickle-unverified"]
    assert info.metadata["trailing_bytes"] is True
    assert info.metadata["verdict"] == "unverified"
    assert "data after pickle 1" in info.metadata["unverified_reasons"][0]


def test_large_byte_strings_are_skipped_not_loaded():
    payload = b"\x80\x04B" + struct.pack("<I", 3 << 20) + b"\0" * (3 << 20) + b"0cos\nsystem\n."
    info = _scan(payload)
    assert _globals(info) == {("os", "system", "unsafe")}


def test_garbage_and_empty():
    garbage = _scan(b"\xff\xfe\xfd")
    assert _codes(garbage) == ["pickle-broken"]
    assert garbage.metadata["verdict"] == "unverified"
    assert _scan(b"").problems == []


def test_detection():
    assert detect_format("pytorch_model.bin", pickle.dumps({}, protocol=2)) == "pickle"
    assert detect_format("model.pkl", b"(dp0\n.") == "pickle"
    assert detect_format("weights.pt", b"\x00\x00") == "pickle"
    assert detect_format("random.bin", b"\x00\x01\x02") == "unknown"


def _torch_zip(data_pkl: bytes, root: str = "archive") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(f"{root}/data.pkl", data_pkl)
        zf.writestr(f"{root}/version", "3\n")
        zf.writestr(f"{root}/byteorder", "little")
        zf.writestr(f"{root}/data/0", b"\0" * 16)
        zf.writestr(f"{root}/data/1", b"\0" * 16)
    return buf.getvalue()


def test_pytorch_zip_with_evil_pickle():
    blob = _torch_zip(pickle.dumps(_Evil(), protocol=2))
    assert detect_format("pytorch_model.bin", blob[:65536]) == "pytorch-zip"
    info = read_format("pytorch-zip", io.BytesIO(blob), len(blob), "pytorch_model.bin")
    assert info.format == "pytorch-zip"
    assert info.metadata["archive_root"] == "archive"
    assert info.metadata["pickles"] == ["archive/data.pkl"]
    assert info.metadata["storages"] == 2
    assert info.metadata["unsafe"] == 1
    assert _codes(info) == ["unsafe-pickle"]


def test_pytorch_zip_with_torch_rebuild_globals_is_clean():
    data = (b"\x80\x02ccollections\nOrderedDict\nq\x00)Rq\x01X\x01\x00\x00\x00w"
            b"ctorch._utils\n_rebuild_tensor_v2\n((X\x07\x00\x00\x00storagectorch\nFloatStorage\n"
            b"X\x01\x00\x00\x000X\x03\x00\x00\x00cpuK\x04tQK\x00K\x02\x85K\x01\x85\x89tRs.")
    blob = _torch_zip(data, root="model")
    info = read_format("pytorch-zip", io.BytesIO(blob), len(blob), "model.pt")
    assert info.problems == []
    assert {g["safety"] for g in info.metadata["globals"]} == {"safe"}
    assert info.metadata["archive_root"] == "model"


def test_pytorch_zip_broken_and_without_data_pkl():
    info = read_format("pytorch-zip", io.BytesIO(b"PK\x03\x04broken"), 10, "m.pt")
    assert _codes(info) == ["pytorch-zip-broken"]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("notes.txt", "hi")
    info = read_format("pytorch-zip", io.BytesIO(buf.getvalue()), len(buf.getvalue()), "m.pt")
    assert _codes(info) == ["pytorch-layout"]


def _npy(descr: str, body: bytes) -> bytes:
    header = f"{{'descr': '{descr}', 'fortran_order': False, 'shape': (1,), }}".encode()
    header += b" " * (63 - len(header) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header + body


def test_numpy_object_array_is_scanned():
    blob = _npy("|O", pickle.dumps([_Evil()], protocol=3))
    assert detect_format("arr.npy", blob[:64]) == "numpy"
    info = read_format("numpy", io.BytesIO(blob), len(blob), "arr.npy")
    assert info.metadata["object"] is True
    assert "unsafe-pickle" in _codes(info)
    plain = _npy("<f4", b"\0" * 4)
    info = read_format("numpy", io.BytesIO(plain), len(plain), "arr.npy")
    assert info.problems == [] and info.metadata["descr"] == "<f4"


def test_npz_counts_object_arrays():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("a.npy", _npy("<f4", b"\0" * 4))
        zf.writestr("b.npy", _npy("|O", pickle.dumps([_Evil()], protocol=2)))
    blob = buf.getvalue()
    info = read_format("numpy", io.BytesIO(blob), len(blob), "arrays.npz")
    assert (info.metadata["arrays"], info.metadata["object_arrays"]) == (2, 1)
    assert "unsafe-pickle" in _codes(info)


# -- fail closed: allow-list only, CPython's reading, unverified reasons ---------------------

@pytest.mark.parametrize(("module", "name", "safety"), [
    ("pydoc", "pipepager", "unsafe"), ("uuid", "_get_command_stdout", "unsafe"),
    ("ensurepip", "_run_pip", "unsafe"), ("doctest", "debug_script", "unsafe"),
    ("_osx_support", "_read_output", "unsafe"), ("codecs", "open", "unsafe"),
    ("cPickle", "loads", "unsafe"), ("torch._utils", "os.system", "unsafe"),
    ("torch._utils.os", "system", "unsafe"), ("torch", "FloatStorage", "safe"),
    ("__builtin__", "set", "safe"), ("copy_reg", "_reconstructor", "unsafe"),
    ("numpy.dtypes", "Float32DType", "safe"), ("torch._utils", "_rebuild_tensor_v2", "safe"),
])
def test_safety_comes_only_from_the_allow_list(module: str, name: str, safety: str) -> None:
    assert classify_global(module, name) == safety


def test_python_2_names_are_mapped_like_the_unpickler() -> None:
    assert loader_name("cPickle", "loads") == ("pickle", "loads")
    assert loader_name("__builtin__", "set") == ("builtins", "set")


def test_int_literals_in_any_base_and_long_lines_are_read_on() -> None:
    info = _scan(b"I0x1f\n0L0o17L\n0S'" + b"A" * 100_000 + b"'\n0cos\nsystem\n(S'x'\ntR.")
    assert _globals(info) == {("os", "system", "unsafe")}
    assert info.metadata["pickles"] == 1


def test_second_pickle_without_a_proto_opcode_is_scanned() -> None:
    blob = pickle.dumps(collections.OrderedDict(), protocol=2) + b"cos\nsystem\n(S'x'\ntR."
    info = _scan(blob)
    assert ("os", "system", "unsafe") in _globals(info)
    assert info.metadata["pickles"] == 2


@pytest.mark.parametrize("ext", [b"\x82\x01", b"\x83\x01\x00", b"\x84\x01\x00\x00\x00"])
def test_extension_registry_opcodes_are_unverified(ext: bytes) -> None:
    info = _scan(b"\x80\x02" + ext + b")R.")
    assert info.metadata["verdict"] == "unverified"
    assert "extension registry" in info.metadata["unverified_reasons"][0]


def test_globals_table_overflow_still_names_the_late_global() -> None:
    body = b"".join(f"charmless{i}\nf\n0".encode() for i in range(pickle_scan.MAX_GLOBALS + 5))
    info = _scan(body + b"cos\nsystem\n(S'x'\ntR.")
    assert ("os", "system", "unsafe") in _globals(info)
    assert any("distinct globals" in r for r in info.metadata["unverified_reasons"])


def test_opcode_budget_ends_unverified(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pickle_scan, "MAX_OPCODES", 1000)
    info = _scan(b"\x80\x02" + b"N0" * 600 + b"N.")
    assert info.metadata["verdict"] == "unverified"
    assert "pickle-scan-limit" in _codes(info)


def test_legacy_torch_file_reads_five_pickles_then_raw_storages() -> None:
    magic = b"\x80\x02\x8a\x0a" + (0x1950A86A20F9469CFC6C).to_bytes(10, "little") + b"."
    blob = (magic + b"\x80\x02M\xe9\x03." + b"\x80\x02}." + pickle.dumps(collections.OrderedDict(), protocol=2)
            + b"\x80\x02]." + b"\x07" * 64)
    info = _scan(blob)
    assert info.metadata["torch_legacy"] is True
    assert info.metadata["verdict"] == "safe"
    assert info.metadata["pickles"] == 5


@pytest.mark.parametrize("compress", [gzip.compress, zlib.compress, bz2.compress, lzma.compress])
def test_compressed_pickles_are_detected_and_scanned(compress: Any) -> None:
    blob = compress(b"cos\nsystem\n(S'x'\ntR.")
    assert detect_format("model.joblib", blob) == "pickle"
    assert detect_format("estimator", blob) == "pickle"
    info = _scan(blob, "model.joblib")
    assert _globals(info) == {("os", "system", "unsafe")}
    assert info.metadata["compression"] in ("gzip", "zlib", "bz2", "xz")


def test_pickles_are_found_whatever_the_name_or_magic() -> None:
    evil = b"cos\nsystem\n(S'x'\ntR."
    for name in ("model.msgpack", "notes.txt", "Model.mlpackage/Data/w.bin", "variables/variables.data-0",
                 "config.json", "weights"):
        assert detect_format(name, evil) == "pickle", name
    assert detect_format("m.bin", b"GGUF\x03\x00\x00\x00\x000" + evil) == "pickle"
    assert detect_format("m.bin", b"NNNJTFL30000" + evil) == "pickle"
    assert detect_format("LICENSE", b"copyright 2024\nall rights reserved\n") == "text"


@pytest.mark.parametrize("descr", ["'|O'", "('|O', (2,))", "'i4,O'", "[('a', '<i4'), ('b', '|O')]",
                                   "[('a', [('b', 'O8')])]", "[('a', 'O', (2,))]", "'V8'.replace('V','O')"])
def test_numpy_object_dtypes_in_every_descr_form(descr: str) -> None:
    blob = _npy_raw(descr, b"cos\nsystem\n(S'x'\ntR.")
    info = read_format("numpy", io.BytesIO(blob), len(blob), "arr.npy")
    assert info.metadata.get("verdict") in ("unsafe", "unverified")


def test_npz_member_without_npy_suffix_and_bad_crc_is_scanned() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("arr_0", _npy_raw("'|O'", b"cos\nsystem\n(S'x'\ntR."))
    blob = buf.getvalue()
    info = read_format("numpy", io.BytesIO(blob), len(blob), "arrays.npz")
    assert info.metadata["verdict"] == "unsafe"


def _npy_raw(descr: str, body: bytes) -> bytes:
    header = f"{{'descr': {descr}, 'fortran_order': False, 'shape': (1,), }}".encode()
    header += b" " * (63 - (len(header) + 10) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header + body


def test_no_allow_listed_name_is_renamed_by_the_python_2_map() -> None:
    # is_allowed accepts a name when either it or its Python 2 mapping is allow-listed; that is
    # only sound while the map never turns an allow-listed name into a different one.
    from desktop.core.formats.pickle_policy import SAFE_MEMBERS

    assert [k for k in SAFE_MEMBERS if loader_name(*k) != k] == []
