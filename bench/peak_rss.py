"""Peak RSS while `aireview scan` hashes a 50 GB sparse weights folder.

Target (foundation issue): < 300 MB.  Usage: python bench/peak_rss.py [GB]
"""

from __future__ import annotations

import sys

from _common import aireview, out_dir, peak_rss_mb, sparse_file

GB = 1 << 30


def main() -> None:
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    folder = out_dir(f"rss_{total}gb")
    shards = 5
    for i in range(shards):
        sparse_file(folder / f"model-{i + 1:05d}-of-{shards:05d}.bin", total * GB // shards)
    wall, rss = peak_rss_mb(aireview("scan", str(folder), "--json"))
    print(f"{total} GB sparse weights folder: scanned in {wall:.1f} s "
          f"({total / wall:.2f} GB/s), peak RSS {rss:.0f} MB (target < 300 MB)")


if __name__ == "__main__":
    main()
