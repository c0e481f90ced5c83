"""Accuracy of license identification on the generated corpus (see license_corpus.py).

    .venv/bin/python bench/license_accuracy.py [--other N] [--show-wrong]

A file is right when the set of keys reported (needs-identification excluded) equals the
expected set. Prints per-variant and per-key right %, the confident-wrong count (a wrong key
reported as identified), `modified` accuracy and prose false positives.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent.parent), str(Path(__file__).resolve().parent)]

from license_corpus import FORMATTING, LISTED_KEYS, MODIFYING, generate  # noqa: E402

from desktop.core.formats.pdf_text import read_pdf  # noqa: E402
from desktop.core.licenses import identify_text, load_library  # noqa: E402


def read_case(path: Path) -> tuple[str, list[str] | None]:
    if path.suffix == ".pdf":
        with open(path, "rb") as stream:                 # as the scan reads PDFs
            return "", read_pdf(stream, path.stat().st_size, path.name).pages or []
    raw = path.read_bytes()
    return raw.decode("utf-8-sig", errors="replace"), None


def main(argv: list[str]) -> int:
    other = int(argv[argv.index("--other") + 1]) if "--other" in argv else 0
    corpus = Path(tempfile.mkdtemp(prefix="license-corpus-"))
    keys = list(LISTED_KEYS)
    if other:
        import random
        import re

        from desktop.core.licenses import reference_dir
        others = sorted(p.stem for p in reference_dir().glob("*.LICENSE") if p.stem not in keys
                        and not re.search(r"^is_(deprecated|unknown): yes", p.read_text(), re.M))
        keys += random.Random(11).sample(others, other)
    manifest = generate(corpus, keys)
    t0 = time.perf_counter()
    library = load_library()
    print(f"library: {len(library.references)} references, loaded in {time.perf_counter() - t0:.2f}s")
    per_variant: dict[str, list[bool]] = defaultdict(list)
    per_key: dict[str, list[bool]] = defaultdict(list)
    confident_wrong, modified_right, modified_total, formatting_flagged = [], 0, 0, []
    prose_fp, wrong = [], []
    t0 = time.perf_counter()
    for case in manifest:
        text, pages = read_case(corpus / case["path"])
        matches = identify_text(text, library, pages=pages)
        reported = {m.key for m in matches if m.key and m.status != "needs-identification"}
        expected = set(case["expected"])
        right = reported == expected
        per_variant[case["variant"]].append(right)
        if case["key"]:
            per_key[case["key"]].append(right)
        if not right:
            wrong.append((case["path"], sorted(reported), [(m.key or m.nearest, m.status, m.reason)
                                                            for m in matches]))
        for m in matches:
            if m.status == "identified" and m.key not in expected:
                confident_wrong.append((case["path"], m.key))
        if case["variant"] == "prose" and reported:
            prose_fp.append(case["path"])
        if case["variant"] in MODIFYING:
            modified_total += 1
            if case["modified"]:
                modified_right += any(m.key == case["key"] and m.modified for m in matches)
            else:  # the cut text is word for word another reference
                modified_right += not any(m.modified for m in matches)
        if case["variant"] in FORMATTING and any(m.modified for m in matches):
            formatting_flagged.append(case["path"])
    seconds = time.perf_counter() - t0
    print(f"{len(manifest)} files in {seconds:.1f}s ({len(manifest) / seconds:.1f} files/s)")
    print("right % per variant:")
    for variant, results in sorted(per_variant.items()):
        print(f"  {variant:16s} {100 * sum(results) / len(results):6.2f}%  ({sum(results)}/{len(results)})")
    listed = [k for k in per_key if k in LISTED_KEYS]
    below = {k: per_key[k] for k in per_key if sum(per_key[k]) / len(per_key[k]) < 0.99}
    total = [r for k in listed for r in per_key[k]]
    print(f"listed keys: {100 * sum(total) / len(total):.2f}% right over {len(total)} files; "
          f"keys below 99%: {len([k for k in below if k in LISTED_KEYS])} of {len(listed)}")
    if other:
        rest = [r for k in per_key if k not in LISTED_KEYS for r in per_key[k]]
        print(f"other keys: {100 * sum(rest) / len(rest):.2f}% right over {len(rest)} files")
    for key, results in sorted(below.items()):
        print(f"  {key:40s} {100 * sum(results) / len(results):6.2f}%")
    print(f"confident-wrong: {len(confident_wrong)} {confident_wrong[:10]}")
    print(f"modified right on truncated/clause-removed: {modified_right}/{modified_total} "
          f"({100 * modified_right / max(1, modified_total):.1f}%)")
    print(f"modified set on formatting-only variants: {len(formatting_flagged)} {formatting_flagged[:10]}")
    print(f"prose reported as a license: {len(prose_fp)}")
    if "--show-wrong" in argv:
        for row in wrong:
            print("WRONG", json.dumps(row)[:600])
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
