"""License identification on public suites, side by side with ScanCode, in one run.

    nice -n 10 .venv/bin/python bench/spdx_suites.py --spdx-tests DIR [--licensee-fixtures DIR]
        [--scancode PATH] [--jobs N] [--show-wrong] [--show-modified]

``--spdx-tests`` is test/simpleTestForGenerator of spdx/license-list-XML (one canonical text per
SPDX id, named ``<id>.txt``); ``--licensee-fixtures`` is spec/fixtures of licensee/licensee (real
LICENSE files; the expected license of each folder is read from its fixtures.yml). Nothing
fetched is stored in the repository; ScanCode's JSON is kept in bench/out/spdx_suites/ and
reused while the inputs and the ScanCode binary are unchanged. ScanCode has no "modified"
verdict: a detection counts as modified when one of its matches covers less than 100% of its
rule or was found by ScanCode's sequence (approximate) matcher.

Figures per suite and tool:
- right: the expected SPDX id is among the names reported for the file's license text
  (needs-identification excluded, except a text reported as shared by several names); a
  deprecated id ("GPL-2.0-with-classpath-exception", "GPL-2.0+") counts under the names that
  replaced it (SPDX's test texts for these hold the exception alone);
- flagged modified: right answers whose match says the text was changed;
- shared texts given one confident name: texts that SPDX publishes under several ids (the
  same normalised words) answered with one name and no mention of the others.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent.parent), str(Path(__file__).resolve().parent)]

from _common import out_dir  # noqa: E402

from desktop.core.licenses import identify_text, load_library  # noqa: E402
from desktop.core.licenses.normalize import words_of  # noqa: E402

SCANCODE = Path(__file__).resolve().parent / "out" / "scancode-venv" / "bin" / "scancode"
NOT_A_LICENSE = {"other", "no-license", "none", ""}


def _arg(argv: list[str], name: str, default: str | None = None) -> str | None:
    return argv[argv.index(name) + 1] if name in argv else default


def spdx_cases(folder: Path) -> list[tuple[Path, str]]:
    """(file, expected SPDX id) for each canonical test text."""
    return [(p, p.stem.removeprefix("depreciate_")) for p in sorted(folder.glob("*.txt"))]


def licensee_cases(folder: Path) -> list[tuple[Path, str]]:
    """(license file, expected licensee key) for each fixture folder naming a license."""
    expected: dict[str, str] = {}
    current = None
    for line in (folder / "fixtures.yml").read_text().splitlines():
        head = re.match(r"^([\w.-]+):\s*$", line)
        if head:
            current = head.group(1)
        key = re.match(r"^\s+key:\s*(\S+)", line)
        if key and current:
            expected[current] = key.group(1)
    cases = []
    for name, key in sorted(expected.items()):
        if key in NOT_A_LICENSE or not (folder / name).is_dir():
            continue
        files = sorted(p for p in (folder / name).iterdir() if p.is_file()
                       and re.match(r"(?i)(un)?licen[cs]e|copying", p.name))
        if files:
            cases.append((files[0], key))
    return cases


def read(path: Path) -> str:
    return path.read_bytes().decode("utf-8-sig", errors="replace")


def shared_groups(cases: list[tuple[Path, str]]) -> dict[str, set[str]]:
    """SPDX id -> the ids whose test text has the same words outside the first (title) lines."""
    by_words: dict[str, set[str]] = defaultdict(set)
    for path, spdx in cases:
        words = words_of(read(path)).words
        body = [w for w in words if not re.fullmatch(r"(19|20)\d\d", w)]
        by_words[hashlib.sha1(" ".join(body).encode()).hexdigest()].add(spdx)
    return {spdx: group for group in by_words.values() if len(group) > 1 for spdx in group}


def _names(library) -> dict[str, set[str]]:
    """Reference key or SPDX id (lower case) -> every name of that reference."""
    names: dict[str, set[str]] = {}
    for ref in library.references:
        every = {s.lower() for s in (ref.spdx, *ref.other_spdx, ref.key) if s}
        for name in every:
            if ref.matchable or name not in names:
                names[name] = every
    return names


def aliases(library) -> dict[str, set[str]]:
    """An SPDX id -> the other names of its reference; a deprecated id ("GPL-2.0-with-classpath-exception")
    -> the names of what replaced it."""
    from desktop.core.licenses import reference_dir
    from desktop.core.licenses.reference_file import read_reference

    names = _names(library)
    found: dict[str, set[str]] = {name: set(every) for name, every in names.items()}
    for ref in library.references:
        if ref.deprecated and ref.spdx:
            path = reference_dir() / f"{ref.key}.LICENSE"
            replaced = read_reference(path).meta.get("replaced_by") if path.is_file() else None
            for key in (k for expr in replaced or [] for k in re.split(r"\s+(?:WITH|AND|OR)\s+", str(expr))):
                found.setdefault(ref.spdx.lower(), set()).update(names.get(str(key).lower(), {str(key).lower()}))
    return found


def ours(cases: list[tuple[Path, str]]) -> tuple[dict[str, dict], float]:
    library = load_library()
    names = _names(library)
    found: dict[str, dict] = {}
    t0 = time.perf_counter()
    for path, _ in cases:
        rows = []
        for m in identify_text(read(path), library):
            row = m.to_json()
            keys = [m.decided] if m.decided else [m.key] if m.key else []
            keys += list(row.get("shared_with") or [])
            row["names"] = sorted({n for k in keys for n in names.get(k.lower(), {k.lower()})})
            row["diffs"] = m.differences
            rows.append(row)
        found[str(path)] = {"rows": rows}
    return found, time.perf_counter() - t0


def scancode(cases: list[tuple[Path, str]], binary: Path, jobs: int, tag: str) -> tuple[dict[str, dict], float]:
    """ScanCode's license detections per file: one ScanCode run, kept in bench/out/spdx_suites/.

    The run is reused while the inputs and the ScanCode binary are unchanged (the digest is
    part of the file name); its wall time is kept with it.
    """
    digest = hashlib.sha1(binary.read_bytes() if binary.is_file() else b"")
    for path, _ in cases:
        digest.update(str(path).encode())
        digest.update(hashlib.sha1(path.read_bytes()).digest())
    folder = out_dir("spdx_suites")
    raw = folder / f"scancode-{tag}-{digest.hexdigest()[:12]}.json"
    timing = raw.with_suffix(".seconds")
    listing = folder / f"{tag}-inputs"
    sources = {f"{i:04d}-{path.name}": str(path) for i, (path, _) in enumerate(cases)}
    if not (raw.is_file() and timing.is_file()):
        listing.mkdir(exist_ok=True)
        for old in listing.iterdir():
            old.unlink()
        for name, source in sources.items():
            (listing / name).write_bytes(Path(source).read_bytes())
        t0 = time.perf_counter()
        try:
            subprocess.run([str(binary), "-l", "-n", str(jobs), "--json", str(raw), str(listing)], check=True,
                           stdout=subprocess.DEVNULL)
        finally:
            shutil.rmtree(listing, ignore_errors=True)  # copies of fetched texts are not kept
        timing.write_text(f"{time.perf_counter() - t0:.1f}\n")
    result: dict[str, dict] = {}
    for entry in json.loads(raw.read_text()).get("files", []):
        if entry.get("type") != "file" or Path(entry["path"]).name not in sources:
            continue
        rows = []
        for det in entry.get("license_detections") or []:
            matches = det.get("matches") or []
            found = {part.strip().lower() for m in [det, *matches]
                     for part in re.split(r"\s+(?:AND|OR|WITH)\s+|[()]", m.get("license_expression_spdx") or "")
                     if part.strip()}
            found.add((det.get("license_expression_spdx") or "").lower())
            modified = any(float(m.get("match_coverage") or 0) < 100 or m.get("matcher") == "3-seq" for m in matches)
            rows.append({"names": sorted(found), "modified": modified, "status": "identified"})
        result[sources[Path(entry["path"]).name]] = {"rows": rows}
    return result, float(timing.read_text())


def score(cases: list[tuple[Path, str]], found: dict[str, dict], shared: dict[str, set[str]],
          aliases: dict[str, set[str]]) -> dict:
    right, modified, confident_shared, wrong, flagged = 0, 0, 0, [], []
    for path, expected in cases:
        want = {expected.lower()} | aliases.get(expected.lower(), set())
        rows = found.get(str(path), {}).get("rows", [])
        hit = [r for r in rows if set(r["names"]) & want
               and (r.get("status") != "needs-identification" or r.get("shared_with"))]
        if hit:
            right += 1
            if any(r.get("modified") for r in hit):
                modified += 1
                flagged.append((path.name, [d for r in hit for d in r.get("diffs", [])][:6]))
        else:
            wrong.append((path.name, [(r.get("key") or r.get("nearest"), r.get("status"), r.get("reason", ""))
                                      for r in rows] if "key" in (rows[0] if rows else {}) else
                          [r["names"] for r in rows]))
        if expected in shared:
            confident = [r for r in rows if r.get("status") == "identified" and not r.get("shared_with")
                         and not r.get("alternatives") and len(set(r["names"]) & {s.lower() for s in shared[expected]}) <= 1
                         and set(r["names"]) & {s.lower() for s in shared[expected]}]
            confident_shared += bool(confident)
    return {"right": right, "modified": modified, "confident_shared": confident_shared, "wrong": wrong,
            "flagged": flagged}


def report(title: str, cases: list, results: dict[str, tuple[dict, float]], argv: list[str],
           shared: dict[str, set[str]], aliases: dict[str, set[str]]) -> None:
    print(f"\n== {title}: {len(cases)} texts" + (f", {len(shared)} of them shared by several ids" if shared else ""))
    print(f"{'tool':10s} {'right':>9s} {'modified':>9s} {'1-name shared':>14s} {'seconds':>8s}")
    scored = {}
    for tool, (found, seconds) in results.items():
        s = scored[tool] = score(cases, found, shared, aliases)
        print(f"{tool:10s} {s['right']:5d}/{len(cases):<3d} {s['modified']:9d} {s['confident_shared']:14d} "
              f"{seconds:8.1f}")
    if "--show-wrong" in argv:
        for name, rows in scored["ours"]["wrong"]:
            print("WRONG", name, json.dumps(rows)[:300])
    if "--show-modified" in argv:
        for name, diffs in scored["ours"]["flagged"]:
            print("MODIFIED", name, json.dumps(diffs)[:400])


def main(argv: list[str]) -> int:
    spdx_dir = _arg(argv, "--spdx-tests")
    licensee_dir = _arg(argv, "--licensee-fixtures")
    if not spdx_dir and not licensee_dir:
        print(__doc__)
        return 2
    binary = Path(_arg(argv, "--scancode", str(SCANCODE)) or SCANCODE)
    jobs = int(_arg(argv, "--jobs", "1") or 1)
    with_scancode = binary.is_file() and "--no-scancode" not in argv
    if not with_scancode:
        print(f"ScanCode not found at {binary}: our figures only")
    if spdx_dir:
        cases = spdx_cases(Path(spdx_dir))
        shared = shared_groups(cases)
        results = {"ours": ours(cases)}
        if with_scancode:
            results["scancode"] = scancode(cases, binary, jobs, "spdx")
        report("SPDX test texts", cases, results, argv, shared, aliases(load_library()))
    if licensee_dir:
        cases = licensee_cases(Path(licensee_dir))
        known = {"bsd-2-clause": {"bsd-2-clause"}, "lgpl-2.1": {"lgpl-2.1-only"}, "lgpl-3.0": {"lgpl-3.0-only"},
                   "gpl-2.0": {"gpl-2.0-only"}, "gpl-3.0": {"gpl-3.0-only"}, "agpl-3.0": {"agpl-3.0-only"},
                   "gfdl-1.3": {"gfdl-1.3-only"}}
        results = {"ours": ours(cases)}
        if with_scancode:
            results["scancode"] = scancode(cases, binary, jobs, "licensee")
        report("licensee fixtures", cases, results, argv, {}, known)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
