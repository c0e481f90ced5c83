"""Regenerate resources/licenses/spdx_spans.json from SPDX's license XML (run when normalisation changes).

    AIREVIEW_CACHE_DIR=/tmp/lc nice -n 10 .venv/bin/python bench/spdx_spans.py --spdx-xml DIR

``DIR`` is src/ of spdx/license-list-XML (``exceptions/`` inside it is read too). Each SPDX
template is aligned, word by word, with the LicenseDB reference of the same id, and the file
keeps only positions and fingerprints, never words of a license:

- ``spans``: [start, end, kind] word ranges of the reference that SPDX marks replaceable
  (``alt``: a holder, a year, "Software"/"Materials"), optional (``optional``), the title
  (``title``) or the copyright notice (``copyright``);
- ``inserts``: [position, words] where the template has optional or replaceable words that the
  reference lacks (up to ``words`` may appear there);
- ``variants``: [start, end, digest] where SPDX's published text has other words than the
  reference (the digest of SPDX's words, see ``allowances.variant_digest``);
- ``words``: a digest of the reference's words, so a stale entry is ignored after a change.
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent.parent)]

from rapidfuzz.distance import Indel  # noqa: E402

from desktop.core.licenses import load_library  # noqa: E402
from desktop.core.licenses.allowances import reference_digest, spans_file, variant_digest  # noqa: E402
from desktop.core.licenses.normalize import words_of  # noqa: E402

NS = "{http://www.spdx.org/license}"
KINDS = {"alt": "alt", "optional": "optional", "titleText": "title", "copyrightText": "copyright",
         "bullet": "optional", "standardLicenseHeader": "optional"}
RANK = {"": 0, "optional": 1, "title": 2, "copyright": 3, "alt": 4}


def template_words(path: Path) -> list[tuple[str, str]]:
    """(word, kind) of a template's text in order; kind '' for words that must match."""
    root = ET.parse(path).getroot()
    text = root.find(f".//{NS}text")
    out: list[tuple[str, str]] = []

    def add(chunk: str | None, kind: str) -> None:
        if chunk and chunk.strip():
            out.extend((w, kind) for w in words_of(chunk).words)

    def walk(node: ET.Element, kind: str) -> None:
        tag = node.tag.replace(NS, "")
        inner = kind
        if tag in KINDS and RANK[KINDS[tag]] >= RANK[kind]:
            inner = KINDS[tag]
        add(node.text, inner)
        for child in node:
            walk(child, inner)
            add(child.tail, inner)

    if text is not None:
        walk(text, "")
    return out


def spans_for(template: list[tuple[str, str]], ref_words: list[str]) -> dict:
    ids: dict[str, int] = {}
    a = [ids.setdefault(w, len(ids) + 1) for w in ref_words]
    b = [ids.setdefault(w, len(ids) + 1) for w, _ in template]
    marks: list[str] = [""] * len(ref_words)
    inserts: list[list[int]] = []
    variants: list[list] = []
    for tag, ra, rb, ta, tb in Indel.opcodes(a, b).as_list():
        kinds = [k for _, k in template[ta:tb]]
        if tag == "equal":
            for offset, kind in enumerate(kinds):
                marks[ra + offset] = kind
            continue
        near = {template[i][1] for i in (ta - 1, tb) if 0 <= i < len(template)} - {""}
        if kinds and all(kinds):  # the template's words here are all replaceable or optional
            if rb > ra:
                best = max(kinds, key=RANK.__getitem__)
                for i in range(ra, rb):
                    marks[i] = best
            else:
                inserts.append([ra, tb - ta])
        elif not kinds and near & {"alt", "copyright", "title"}:
            for i in range(ra, rb):  # the reference's own longer form of a replaceable text
                marks[i] = max(near, key=RANK.__getitem__)
        else:
            variants.append([ra, rb, variant_digest([w for w, _ in template[ta:tb]])])
    spans: list[list] = []
    for i, kind in enumerate(marks):
        if not kind:
            continue
        if spans and spans[-1][1] == i and spans[-1][2] == kind:
            spans[-1][1] = i + 1
        else:
            spans.append([i, i + 1, kind])
    return {"spans": spans, "inserts": inserts, "variants": variants}


def main(argv: list[str]) -> int:
    if "--spdx-xml" not in argv:
        print(__doc__)
        return 2
    src = Path(argv[argv.index("--spdx-xml") + 1])
    library = load_library()
    by_spdx: dict[str, list] = {}
    for ref in library.references:
        if ref.matchable:
            for spdx in (ref.spdx, *ref.other_spdx):
                if spdx:
                    by_spdx.setdefault(spdx.lower(), []).append(ref)
    spelled = {i: w for w, i in library.vocabulary.items()}
    result: dict[str, dict] = {}
    for path in sorted([*src.glob("*.xml"), *src.glob("exceptions/*.xml")]):
        for ref in by_spdx.get(path.stem.lower(), []):
            ref_words = [spelled[int(i)] for i in library.ids(ref)]
            found = spans_for(template_words(path), ref_words)
            entry = result.setdefault(ref.key, {"words": reference_digest(ref_words), "spans": [],
                                                "inserts": [], "variants": []})
            for name in ("spans", "inserts", "variants"):
                entry[name] += [x for x in found[name] if x not in entry[name]]
    target = spans_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(result, sort_keys=True, separators=(",", ":")) + "\n")
    print(f"{len(result)} references, {target.stat().st_size // 1024} KB written to {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
