"""The offline guarantee: the whole scan -> review -> memo -> verify flow with sockets refused.

A child interpreter installs an audit hook before importing anything of ours: every
``socket.*`` audit event (creating an internet socket, connect, bind, DNS look-ups) is
recorded and raises ``OSError``.  Only AF_UNIX sockets may be created: asyncio's self-pipe
inside the process (pyHanko's signer runs on an event loop) is not a network.  The flow is
``desktop.selftest.run_self_test`` (sample delivery, scan with license identification and
findings, review in SQLite, memo exported, signed, countersigned and verified).
"""

from __future__ import annotations

import sys
from pathlib import Path

from resilience_support import Sandbox, run_measured

PRELUDE = """
import os, socket, sys
LOG = sys.argv[1]
def refuse_network(event, args):
    if not event.startswith("socket."):
        return
    if event == "socket.__new__" and args[1] == socket.AF_UNIX:
        return
    with open(LOG, "a") as log:
        log.write(f"{event} {args!r}\\n")
    raise OSError(f"network disabled by the offline test ({event})")
sys.addaudithook(refuse_network)
try:
    socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
    raise SystemExit("the guard did not refuse an internet socket")
except OSError:
    pass
open(LOG, "w").close()     # the guard's own probe is not an attempt by the app
from desktop.selftest import run_self_test
sys.exit(run_self_test())
"""


def test_whole_flow_runs_with_sockets_refused(sandbox: Sandbox, tmp_path: Path) -> None:
    log = tmp_path / "socket-attempts.log"
    measured = run_measured([sys.executable, "-c", PRELUDE, str(log)], env=sandbox.env, cwd=sandbox.cwd,
                            timeout=300)
    assert not measured.timed_out
    assert measured.returncode == 0, measured.stdout[-2000:] + measured.stderr[-2000:]
    assert "self-test passed" in measured.stdout
    assert "memo verified" in measured.stdout
    assert log.read_text() == "", f"the app tried to use the network:\n{log.read_text()}"
