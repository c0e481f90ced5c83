"""Nothing leaves the machine: the suite's guard refuses and records non-local connections."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import netguard_impl
import pytest


def test_outbound_connection_is_refused_in_this_process() -> None:
    with netguard_impl.expect_block(), socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s, \
            pytest.raises(netguard_impl.NetworkBlocked):
        s.connect(("192.0.2.1", 9))  # TEST-NET-1: never reached, refused before the syscall


def test_dns_lookup_is_refused() -> None:
    with netguard_impl.expect_block(), pytest.raises(netguard_impl.NetworkBlocked):
        socket.getaddrinfo("example.invalid", 443)


def test_loopback_stays_usable() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.create_connection(server.getsockname(), timeout=5):
            conn, _ = server.accept()
            conn.close()


def test_child_processes_are_guarded_too(tmp_path) -> None:  # type: ignore[no-untyped-def]
    log = tmp_path / "child.log"
    env = {**os.environ, "AIREVIEW_NETGUARD_LOG": str(log)}
    code = "import socket\ntry:\n socket.create_connection(('192.0.2.1', 9), timeout=1)\n" \
           "except OSError as e:\n print(type(e).__name__)\n"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True, timeout=60)
    assert out.stdout.strip() == "NetworkBlocked"
    assert "192.0.2.1" in log.read_text()
