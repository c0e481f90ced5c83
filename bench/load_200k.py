"""Load: a delivery of 200,000 small files, scanned by `aireview scan --json`.

Generates the tree once under bench/out/load_200k/ (kept between runs), then scans it with
``--no-licenses`` and with licenses, and prints wall time, files/s and peak RSS.
Target (issue 10): peak RSS < 400 MB.  Usage: python bench/load_200k.py [FILES]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from _common import aireview, out_dir, peak_rss_mb

TEXTS = [b'{"model_type": "llama", "n": %d}\n', b"# notes %d\nsome text about the model\n",
         b"def f_%d():\n    return 1\n", b"MIT License\n\nCopyright (c) %d Example\n"]
SUFFIXES = [".json", ".md", ".py", ".txt"]


def build(root: Path, files: int) -> Path:
    marker = root / f".complete-{files}"
    if marker.exists():
        return root
    per_dir = 1000
    for n in range(files):
        folder = root / f"part-{n // per_dir:04d}"
        if n % per_dir == 0:
            folder.mkdir(parents=True, exist_ok=True)
        kind = n % len(TEXTS)
        (folder / f"file-{n:06d}{SUFFIXES[kind]}").write_bytes(TEXTS[kind] % n)
    marker.write_text("ok")
    return root


def main() -> None:
    files = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    root = build(out_dir(f"load_{files // 1000}k") / "delivery", files)
    report = out_dir("load_reports") / f"load_{files // 1000}k.json"
    figures = {}
    for label, extra in (("no-licenses", ["--no-licenses"]), ("licenses", [])):
        wall, rss = peak_rss_mb(aireview("scan", str(root), "--json", *extra))
        figures[label] = {"seconds": round(wall, 1), "files_per_s": round(files / wall), "peak_rss_mb": round(rss)}
        print(f"{files:,} small files, scan {label}: {wall:.1f} s ({files / wall:,.0f} files/s), "
              f"peak RSS {rss:.0f} MB (target < 400 MB)", flush=True)
    report.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
