"""Before/after table for the AI license identities, and a check of their knowledge files.

Usage: python bench/identity_check.py MIRRORS CORPUS [--json OUT]
  MIRRORS, CORPUS  as for bench/make_identities.py (the texts are read here, never stored)

For every identity: its own text and a lightly modified copy (one word changed, one line
re-wrapped), identified with the full reference library once without identities ("before") and
once with them ("after"): key and status.  Then every knowledge file named like an identity: each
text quote must be in its cited lines of the identity's source file (repository@commit:path).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from make_identities import SPECS, _text  # noqa: E402

from desktop.core.checks.knowledge import knowledge_dir, load_knowledge_file  # noqa: E402
from desktop.core.licenses import identify_text, load_library  # noqa: E402
from desktop.core.licenses import identify as identify_module  # noqa: E402

RIVALS = ("apache-2.0", "mit", "linux-openib", "moonshot-ai-modified-mit-2025", "qwen-2024", "tongyi-qianwen-2023",
          "falcon-2-11b-1.0", "tencent-hunyuan-3d-2.0-cla", "llama-2-license-2023", "llama-3.1-license-2024",
          "llama-4-license-2025", "llama-4-cla-2025", "gemma-pup-2024-02-21", "bigscience-open-rail-m2")
_WORD = re.compile(r"\b(shall|must|may|any|all|the)\b")
_SPACE = re.compile(r"\s+")


def modified_copy(text: str) -> str:
    """One word changed (the first 'shall', 'must', ... becomes another word) and the longest line
    re-wrapped in two: a light edit, not another license."""
    swap = {"shall": "will", "must": "should", "may": "can", "any": "each", "all": "every", "the": "this"}
    changed = _WORD.sub(lambda m: swap[m.group(1)], text, count=1)
    if changed == text:  # a text in Chinese
        changed = text.replace("的", "之", 1)
    lines = changed.split("\n")
    longest = max(range(len(lines)), key=lambda i: len(lines[i]))
    words = lines[longest].split(" ")
    half = len(words) // 2
    lines[longest:longest + 1] = [" ".join(words[:half]), " ".join(words[half:])]
    return "\n".join(lines)


def _row(library, text: str) -> str:
    matches = [m for m in identify_text(text, library) if m.source == "text"]
    if not matches:
        return "(none)"
    return ", ".join(f"{m.key or '(unknown)'} {m.status}" for m in matches)


def _without_identities():
    return mock.patch.multiple(identify_module, best_identity=lambda *a, **k: None,
                               names_an_identity=lambda words: False)


def evidence_problems(spec: dict, full_text: str) -> list[str]:
    """Quotes of the identity's knowledge file that are not in their cited lines of the source file."""
    path = knowledge_dir() / f"{spec['id']}.yaml"
    if not path.is_file():
        return [f"{spec['id']}: no knowledge file"]
    facts = load_knowledge_file(path)
    lines = full_text.split("\n")
    problems = []
    for fact in facts.facts.values():
        for item in fact.evidence:
            if item.source != "text" or item.lines is None:
                continue
            first, last = item.lines
            excerpt = _SPACE.sub(" ", "\n".join(lines[first - 1:last]))
            quote = _SPACE.sub(" ", item.quote).strip()
            if last > len(lines) or quote not in excerpt:
                problems.append(f"{spec['id']}: {fact.name}: {item.quote!r} not in lines {first}-{last}")
            elif last > first and any(quote in _SPACE.sub(" ", "\n".join(lines[a - 1:b]))
                                      for a, b in ((first + 1, last), (first, last - 1))):
                problems.append(f"{spec['id']}: {fact.name}: {item.quote!r} cited as {first}-{last}, "
                                "a shorter range holds it")
    return problems


def _full_text(spec: dict, mirrors: Path, corpus: Path) -> str:
    whole = {k: v for k, v in spec.items() if k != "lines"}
    return _text(whole, mirrors, corpus)[0]


def main(mirrors: Path, corpus: Path, out: Path | None) -> int:
    library = load_library()
    rows, problems = [], []
    for spec in SPECS:
        text, commit = _text(spec, mirrors, corpus)
        edited = modified_copy(text)
        with _without_identities():
            before = (_row(library, text), _row(library, edited))
        after = (_row(library, text), _row(library, edited))
        rows.append({"id": spec["id"], "source": f"{spec['repo']}@{commit}:{spec['path']}",
                     "before_own": before[0], "before_modified": before[1],
                     "after_own": after[0], "after_modified": after[1],
                     "ok": after == (f"{spec['id']} identified", f"{spec['id']} modified")})
        problems += evidence_problems(spec, _full_text(spec, mirrors, corpus))
    # the library texts the identities resemble must keep their own keys, own text and modified copy
    kept = []
    for key in RIVALS:
        if key not in library.by_key:
            continue
        text = library.text(key)
        got = (_row(library, text), _row(library, modified_copy(text)))
        kept.append((key, got, all(g.split(",")[0].split()[0] == key for g in got)))  # its key, never an identity
    width = max(len(r["id"]) for r in rows)
    print(f"{'identity'.ljust(width)}  before: own | modified  ->  after: own | modified")
    for r in rows:
        print(f"{r['id'].ljust(width)}  {r['before_own']} | {r['before_modified']}  ->  "
              f"{r['after_own']} | {r['after_modified']}{'' if r['ok'] else '  <-- WRONG'}")
    named_before = sum(r["before_own"].startswith(f"{r['id']} ") for r in rows)
    named_after = sum(r["ok"] for r in rows)
    print(f"\nnamed correctly (own text and modified copy): before {named_before}/{len(rows)}, "
          f"after {named_after}/{len(rows)}")
    for key, got, ok in kept:
        print(f"library {key}: {got[0]} | {got[1]}{'' if ok else '  <-- WRONG'}")
    for problem in problems:
        print("KNOWLEDGE", problem)
    if out is not None:
        out.write_text(json.dumps({"rows": rows, "library": [{"key": k, "own": g[0], "modified": g[1]} for k, g, _ in kept],
                                    "knowledge_problems": problems}, indent=2), encoding="utf-8")
    return 0 if named_after == len(rows) and not problems and all(ok for _, _, ok in kept) else 1


if __name__ == "__main__":
    args = sys.argv[1:]
    target = Path(args[args.index("--json") + 1]) if "--json" in args else None
    sys.exit(main(Path(args[0]), Path(args[1]), target))
