"""The test suite's network guard: only loopback and local sockets may connect.

Every refused attempt is appended to a log file; the session fails if the log is not empty
(see ``conftest.py``).  Child Pythons load it through ``netguard/sitecustomize.py``.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import socket
import threading
from collections.abc import Iterator

_state = threading.local()
_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", ""}


class NetworkBlocked(OSError):
    """Raised instead of opening a connection that would leave the machine."""


def _is_local(address: object) -> bool:
    if not isinstance(address, tuple) or not address:
        return True  # AF_UNIX paths and the like
    host = str(address[0]).split("%")[0]
    if host in _LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name that would need DNS


def install(log_path: str) -> None:
    """Patch socket connects and DNS look-ups for this process."""
    if getattr(socket, "_aireview_guard", False):
        return
    socket._aireview_guard = True  # type: ignore[attr-defined]
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def refuse(what: str) -> None:
        if not getattr(_state, "expected", False):
            with open(log_path, "a", encoding="utf-8") as log:
                log.write(f"pid {os.getpid()}: {what}\n")
        raise NetworkBlocked(f"network access blocked by the test suite: {what}")

    def connect(self: socket.socket, address: object) -> None:
        if not _is_local(address):
            refuse(f"connect {address!r}")
        return real_connect(self, address)  # type: ignore[arg-type]

    def connect_ex(self: socket.socket, address: object) -> int:
        if not _is_local(address):
            refuse(f"connect_ex {address!r}")
        return real_connect_ex(self, address)  # type: ignore[arg-type]

    def getaddrinfo(host: object, *args: object, **kwargs: object) -> object:
        if host is not None and not _is_local((host,)):
            refuse(f"getaddrinfo {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]

    socket.socket.connect = connect  # type: ignore[method-assign]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = getaddrinfo  # type: ignore[assignment]


@contextlib.contextmanager
def expect_block() -> Iterator[None]:
    """For the guard's own test: a refused attempt inside is not recorded."""
    _state.expected = True
    try:
        yield
    finally:
        _state.expected = False
