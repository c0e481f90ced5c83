"""Which pickle globals are safe, unsafe or unknown (need review).

Modelled on picklescan's lists and on ``torch.load(weights_only=True)``'s allow-list.
The allow-list is deliberately small: anything not on it is "unknown", not "safe".
"""

from __future__ import annotations

import re

SAFE, UNSAFE, UNKNOWN = "safe", "unsafe", "unknown"
UNRESOLVED = "unknown"    # module/name recorded when a STACK_GLOBAL argument could not be resolved

# Whole modules (and every child module) whose globals are unsafe.
UNSAFE_MODULES = frozenset({
    "os", "posix", "nt", "subprocess", "_posixsubprocess", "sys", "socket", "shutil", "runpy",
    "pickle", "_pickle", "pdb", "bdb", "ctypes", "_ctypes", "asyncio", "importlib", "imp", "zipimport",
    "webbrowser", "httplib", "http", "requests", "urllib", "urllib2", "urllib3", "ftplib", "smtplib",
    "telnetlib", "poplib", "imaplib", "nntplib", "xmlrpc", "socketserver", "ssl", "multiprocessing",
    "code", "codeop", "commands", "pty", "marshal", "timeit", "cProfile", "profile", "trace", "site",
    "threading", "_thread", "signal", "distutils", "setuptools", "pip", "dill", "cloudpickle",
    "torch.hub", "numpy.f2py", "numpy.distutils",
})

_BUILTINS_UNSAFE = frozenset({
    "eval", "exec", "execfile", "compile", "getattr", "setattr", "delattr", "open", "apply",
    "breakpoint", "__import__", "input", "raw_input", "globals", "locals", "vars", "file", "reload",
    "help", "exit", "quit",
})
_BUILTIN_MODULES = ("builtins", "__builtin__", "__builtins__")

# Specific members that are unsafe.
UNSAFE_MEMBERS = frozenset({
    *((m, n) for m in _BUILTIN_MODULES for n in _BUILTINS_UNSAFE),
    ("functools", "partial"), ("_functools", "partial"), ("functools", "reduce"),
    *((m, n) for m in ("operator", "_operator") for n in ("attrgetter", "itemgetter", "methodcaller")),
    ("types", "CodeType"), ("types", "FunctionType"), ("types", "LambdaType"), ("types", "MethodType"),
    ("pkgutil", "resolve_name"), ("_io", "FileIO"), ("io", "FileIO"), ("_io", "open"), ("io", "open"),
    ("torch", "load"), ("torch.serialization", "load"), ("torch.serialization", "_load"),
    ("torch.storage", "_load_from_bytes"), ("torch.jit", "load"), ("torch._C", "_jit_script_compile"),
    ("numpy", "load"), ("numpy.lib.npyio", "load"), ("numpy.testing._private.utils", "runstring"),
})

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
    *((m, n) for m in _BUILTIN_MODULES for n in (
        "set", "frozenset", "slice", "bytearray", "bytes", "complex", "int", "float", "bool", "str",
        "tuple", "list", "dict", "range")),
})
_STORAGE = re.compile(r"[A-Za-z0-9]*Storage")
_STORAGE_MODULES = ("torch", "torch.storage", "torch.cuda")
_NUMPY_DTYPES = re.compile(r"[A-Za-z0-9]+DType")
_DANGEROUS_ATTRS = frozenset({"system", "popen", "eval", "exec", "__import__", "getattr", "compile"})


def classify_global(module: str, name: str, resolved: bool = True) -> str:
    """Return "safe", "unsafe" or "unknown" for a pickle global ``module.name``."""
    if not resolved:
        return UNSAFE
    full = f"{module}.{name}"
    if (module, name) in UNSAFE_MEMBERS:
        return UNSAFE
    if any(full == m or full.startswith(m + ".") or module == m or module.startswith(m + ".")
           for m in UNSAFE_MODULES):
        return UNSAFE
    parts = name.split(".")
    if len(parts) > 1:
        # Protocol 4 resolves dotted names attribute by attribute: a dunder or a known
        # dangerous attribute anywhere in the chain is an escape attempt.
        if any(p.startswith("__") or p in _DANGEROUS_ATTRS for p in parts):
            return UNSAFE
        if module in _BUILTIN_MODULES and parts[0] in _BUILTINS_UNSAFE:
            return UNSAFE
        return UNKNOWN
    if (module, name) in SAFE_MEMBERS:
        return SAFE
    if module in _STORAGE_MODULES and _STORAGE.fullmatch(name):
        return SAFE
    if module == "numpy.dtypes" and _NUMPY_DTYPES.fullmatch(name):
        return SAFE
    return UNKNOWN
