"""External tools the tests rely on: poppler's ``pdfsig`` and NSS ``certutil``.

``require_tools()`` makes sure both exist.  When one is missing and the tests run as root,
it installs ``poppler-utils`` and ``libnss3-tools`` with apt-get (once per session); in
any other case it fails loudly.  Tests that need an independent signature check never skip.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

TOOLS = {"pdfsig": "poppler-utils", "certutil": "libnss3-tools"}
APT_TIMEOUT = 900


class ToolsMissing(RuntimeError):
    """A required external tool is not installed and could not be installed."""


def _missing() -> dict[str, str]:
    return {tool: package for tool, package in TOOLS.items() if shutil.which(tool) is None}


def require_tools() -> dict[str, Path]:
    """Paths of ``pdfsig`` and ``certutil``, installing them with apt-get when running as root."""
    missing = _missing()
    if missing:
        if not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("apt-get") is None:
            raise ToolsMissing(
                f"The tests need {', '.join(sorted(missing))}; install the packages "
                f"{' '.join(sorted(set(missing.values())))} (apt-get install -y ...).")
        failure = apt_install(sorted(set(missing.values())))
        if failure:
            raise ToolsMissing(failure)
        still = _missing()
        if still:
            raise ToolsMissing(f"{', '.join(sorted(still))} still missing after apt-get install.")
    return {tool: Path(shutil.which(tool) or tool) for tool in TOOLS}


def apt_install(packages: list[str]) -> str | None:
    """``apt-get update`` and ``install`` of ``packages``, one test process at a time (the suite's
    parallel workers share one lock file, since apt and dpkg refuse to run twice); None when it
    worked, else what failed."""
    import fcntl

    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    with open(Path(os.environ.get("TMPDIR", "/tmp")) / "aireview-tests-apt.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for command in (["apt-get", "update"], ["apt-get", "install", "-y", "--no-install-recommends", *packages]):
            done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=APT_TIMEOUT, check=False)
            if done.returncode != 0:
                return f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-2000:]}"
    return None


def nss_trust_db(folder: Path, ca_pem: Path, nickname: str = "reviewroot") -> str:
    """An NSS database in ``folder`` that trusts ``ca_pem``; returns the ``sql:`` spec for pdfsig."""
    certutil = require_tools()["certutil"]
    folder.mkdir(parents=True, exist_ok=True)
    spec = f"sql:{folder}"
    subprocess.run([str(certutil), "-N", "-d", spec, "--empty-password"],
                   check=True, capture_output=True, timeout=60)
    subprocess.run([str(certutil), "-A", "-d", spec, "-n", nickname, "-t", "CT,C,C",
                    "-i", str(ca_pem)], check=True, capture_output=True, timeout=60)
    return spec


def pdfsig(pdf: Path, nss_spec: str | None = None) -> list[dict[str, str]]:
    """Run ``pdfsig`` and parse its text (its exit code is 0 even on a digest mismatch).

    Returns one dict per signature with the keys ``field``, ``signer``, ``signature``
    (e.g. ``"Signature is Valid."``), ``certificate`` (or ``""`` when not printed) and
    ``total`` (``"yes"`` for "Total document signed", ``"no"`` otherwise).
    """
    tool = require_tools()["pdfsig"]
    command = [str(tool)]
    if nss_spec:
        command += ["-nssdir", nss_spec]
    done = subprocess.run([*command, str(pdf)], capture_output=True, text=True, timeout=60,
                          check=False)
    return parse_pdfsig(done.stdout)


def parse_pdfsig(text: str) -> list[dict[str, str]]:
    """Parse ``pdfsig`` output into one dict per ``Signature #N:`` block."""
    signatures: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("Signature #"):
            current = {"field": "", "signer": "", "signature": "", "certificate": "", "total": "no"}
            signatures.append(current)
            continue
        if current is None or not line.startswith("- "):
            continue
        body = line[2:]
        key, _, value = body.partition(": ")
        if key == "Signature Field Name":
            current["field"] = value
        elif key == "Signer Certificate Common Name":
            current["signer"] = value
        elif key == "Signature Validation":
            current["signature"] = value
        elif key == "Certificate Validation":
            current["certificate"] = value
        elif body == "Total document signed":
            current["total"] = "yes"
    return signatures
