"""A generated 10,000-file code tree (1-50 KB files): inventory + hashing files per second.

Target (foundation issue): >= 2,000 files/s on a 2-core machine.  Also prints how much license
identification adds (license issue target: < 50%).  Usage: python bench/code_tree.py
"""

from __future__ import annotations

import json
import random

from _common import aireview, out_dir, timed

FILES = 10_000
HEADERS = [
    "# SPDX-License-Identifier: Apache-2.0\n# Copyright 2025 Example Corp.\n",
    "# Copyright (c) 2024 Example Corp.\n# Licensed under the MIT License.\n",
    "// SPDX-License-Identifier: BSD-3-Clause\n",
    "",
]
EXTS = [".py", ".js", ".c", ".go", ".rs", ".ts"]


def generate() -> str:
    root = out_dir("code_tree")
    marker = root / ".complete"
    if marker.exists():
        return str(root / "tree")
    rng = random.Random(42)
    words = ["value", "index", "tensor", "return", "model", "config", "layer", "weight", "token"]
    for i in range(FILES):
        folder = root / "tree" / f"pkg{i // 200:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        size = rng.randint(1024, 50 * 1024)
        body = []
        while sum(len(x) for x in body) < size:
            body.append(" ".join(rng.choice(words) for _ in range(10)) + "\n")
        text = rng.choice(HEADERS) + "".join(body)
        (folder / f"mod{i:05d}{rng.choice(EXTS)}").write_text(text[:size])
    marker.write_text("ok")
    return str(root / "tree")


def main() -> None:
    tree = generate()
    timed(aireview("scan", tree, "--json", "--no-licenses"))  # warm the page cache
    rows = []
    for label, extra in (("inventory + hashing", ["--no-licenses"]), ("with license identification", [])):
        runs = []
        for _ in range(3):
            wall, out = timed(aireview("scan", tree, "--json", *extra))
            doc = json.loads(out)
            runs.append((doc["stats"]["seconds"], wall, doc["stats"]["files"]))
        seconds, wall, files = min(runs)
        rows.append(seconds)
        print(f"{label:<28}: {files} files in {seconds:.2f} s scan ({files / seconds:,.0f} files/s), "
              f"{wall:.2f} s wall with process start ({files / wall:,.0f} files/s)")
    print(f"license identification adds {100 * (rows[1] - rows[0]) / rows[0]:.0f}% (target < 50%); "
          f"target >= 2,000 files/s")


if __name__ == "__main__":
    main()
