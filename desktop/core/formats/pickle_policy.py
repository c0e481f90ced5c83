"""Which pickle globals are safe: an allow-list of known-safe rebuild functions, nothing else.

Modelled on ``torch.load(weights_only=True)``'s allow-list and picklescan's ``_safe_globals``.
Safety comes only from the allow-list: every other global is "unsafe", whatever its name.
A short deny-list only decides the wording ("known to run code" vs "not on the allow-list").
Python 2 names are mapped the way CPython's Unpickler maps them (``fix_imports``) before the
look-up, so ``__builtin__.set`` is ``builtins.set`` and ``cPickle.loads`` is ``pickle.loads``.
"""

from __future__ import annotations

import _compat_pickle
import re

SAFE, UNSAFE, UNKNOWN = "safe", "unsafe", "unknown"
UNRESOLVED = "unknown"    # module/name recorded when a STACK_GLOBAL argument could not be resolved

# Modules whose globals (and child modules) are known to run code or touch the system.
DANGEROUS_MODULES = frozenset({
    "os", "posix", "nt", "subprocess", "_posixsubprocess", "sys", "socket", "shutil", "runpy",
    "pickle", "_pickle", "cPickle", "pdb", "bdb", "ctypes", "_ctypes", "asyncio", "importlib", "imp",
    "zipimport", "webbrowser", "httplib", "http", "requests", "urllib", "urllib2", "urllib3", "ftplib",
    "smtplib", "telnetlib", "poplib", "imaplib", "nntplib", "xmlrpc", "socketserver", "ssl",
    "multiprocessing", "code", "codeop", "commands", "pty", "marshal", "timeit", "cProfile", "profile",
    "trace", "site", "threading", "_thread", "signal", "distutils", "setuptools", "pip", "ensurepip",
    "dill", "cloudpickle", "pydoc", "doctest", "uuid", "_osx_support", "platform", "tempfile", "glob",
    "torch.hub", "numpy.f2py", "numpy.distutils", "builtins", "__builtin__", "__builtins__",
    "functools", "operator", "_operator", "types", "pkgutil", "io", "_io", "codecs", "pathlib",
})
_BUILTIN_MODULES = ("builtins", "__builtin__", "__builtins__")

# The allow-list: rebuild functions and plain value types a weights pickle needs.
_TORCH_DTYPES = frozenset({
    "float32", "float", "float64", "double", "float16", "half", "bfloat16", "int8", "uint8", "int16",
    "short", "int32", "int", "int64", "long", "bool", "complex64", "complex128", "float8_e4m3fn",
    "float8_e5m2", "float8_e4m3fnuz", "float8_e5m2fnuz", "uint16", "uint32", "uint64", "qint8", "quint8",
    "qint32", "strided", "sparse_coo", "contiguous_format", "channels_last", "preserve_format",
})
SAFE_MEMBERS = frozenset({
    ("collections", "OrderedDict"), ("collections", "defaultdict"),
    ("torch._utils", "_rebuild_tensor"), ("torch._utils", "_rebuild_tensor_v2"),
    ("torch._utils", "_rebuild_tensor_v3"), ("torch._utils", "_rebuild_parameter"),
    ("torch._utils", "_rebuild_parameter_with_state"), ("torch._utils", "_rebuild_qtensor"),
    ("torch._utils", "_rebuild_meta_tensor_no_storage"), ("torch._tensor", "_rebuild_from_type_v2"),
    ("torch", "Size"), ("torch", "device"), ("torch", "Tensor"), ("torch.nn.parameter", "Parameter"),
    *(("torch", n) for n in _TORCH_DTYPES),
    ("numpy.core.multiarray", "_reconstruct"), ("numpy._core.multiarray", "_reconstruct"),
    ("numpy.core.multiarray", "scalar"), ("numpy._core.multiarray", "scalar"),
    ("numpy.core.numeric", "_frombuffer"), ("numpy._core.numeric", "_frombuffer"),
    ("numpy", "ndarray"), ("numpy", "dtype"),
    # _codecs.encode turns a str into bytes (numpy's protocol-2 pickles store array bytes this way);
    # it does no I/O and runs no code, so it is as harmless as the bytes it returns.
    ("_codecs", "encode"),
    *(("builtins", n) for n in (
        "set", "frozenset", "slice", "bytearray", "bytes", "complex", "int", "float", "bool", "str",
        "tuple", "list", "dict", "range")),
})
_STORAGE = re.compile(r"[A-Za-z0-9]*Storage")
_STORAGE_MODULES = frozenset({"torch", "torch.storage", "torch.cuda"})
_NUMPY_DTYPES = re.compile(r"[A-Za-z0-9]+DType")


def loader_name(module: str, name: str) -> tuple[str, str]:
    """The (module, name) CPython's Unpickler imports for a protocol < 3 pickle (``fix_imports``)."""
    if (module, name) in _compat_pickle.NAME_MAPPING:
        return _compat_pickle.NAME_MAPPING[(module, name)]
    return _compat_pickle.IMPORT_MAPPING.get(module, module), name


def is_allowed(module: str, name: str) -> bool:
    """True only for an allow-listed rebuild function or value type (after the Python 2 name map)."""
    for mod, attr in {(module, name), loader_name(module, name)}:
        if "." in attr or not attr.isidentifier():
            return False            # protocol 4 walks dotted names attribute by attribute
        if not all(part.isidentifier() for part in mod.split(".")):
            return False
    mod, attr = loader_name(module, name)
    if (module, name) not in SAFE_MEMBERS and (mod, attr) not in SAFE_MEMBERS:
        if not ((mod in _STORAGE_MODULES and _STORAGE.fullmatch(attr))
                or (mod == "numpy.dtypes" and _NUMPY_DTYPES.fullmatch(attr))):
            return False
    return True


def is_known_dangerous(module: str, name: str) -> bool:
    """A module or member known to run code or touch the system (wording only, never safety)."""
    mods = {module, loader_name(module, name)[0]}
    return any(m == d or m.startswith(d + ".") for m in mods for d in DANGEROUS_MODULES)


def classify_global(module: str, name: str, resolved: bool = True) -> str:
    """Return "safe" for an allow-listed global, else "unsafe" (anything else can run code on load)."""
    if resolved and is_allowed(module, name):
        return SAFE
    return UNSAFE
