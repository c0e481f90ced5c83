"""Load: one 100 GB sparse weights file scanned by `aireview scan --json --no-licenses`.

The file is sparse (no disk used); the scan still hashes all 100 GB.  Prints wall time,
GB/s and peak RSS (target, issue 10: < 400 MB).  Usage: python bench/load_100gb.py [GB]
"""

from __future__ import annotations

import sys

from _common import aireview, out_dir, peak_rss_mb, sparse_file

GB = 1 << 30


def main() -> None:
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    folder = out_dir(f"load_{total}gb")
    sparse_file(folder / "model.safetensors.bin", total * GB)
    wall, rss = peak_rss_mb(aireview("scan", str(folder), "--json", "--no-licenses"))
    print(f"{total} GB sparse weights file: scanned in {wall:.1f} s ({total / wall:.2f} GB/s), "
          f"peak RSS {rss:.0f} MB (target < 400 MB)")


if __name__ == "__main__":
    main()
