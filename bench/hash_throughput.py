"""Hash throughput: `aireview scan` vs `sha256sum`, back to back on the same sparse files.

Targets (foundation issue): one 4 GB file at >= 0.9 of sha256sum's throughput; a folder of two
4 GB files faster than one sha256sum run over both.  Usage: python bench/hash_throughput.py
"""

from __future__ import annotations

import shutil

from _common import aireview, out_dir, sparse_file, timed

GB = 1 << 30
SIZE = 4 * GB
REPEATS = 3


def best(cmd: list[str]) -> float:
    return min(timed(cmd)[0] for _ in range(REPEATS))


def main() -> None:
    if not shutil.which("sha256sum"):
        raise SystemExit("sha256sum is needed for the comparison")
    one = out_dir("hash/one")
    two = out_dir("hash/two")
    single = sparse_file(one / "weights.bin", SIZE)
    pair = [sparse_file(two / f"weights-{i}.bin", SIZE) for i in (1, 2)]
    def scan(folder: object) -> list[str]:
        return aireview("scan", str(folder), "--json", "--no-licenses", "--no-findings")

    t_sum1 = best(["sha256sum", str(single)])
    t_app1 = best(scan(one))
    t_sum2 = best(["sha256sum", *map(str, pair)])
    t_app2 = best(scan(two))
    print(f"one 4 GB file : sha256sum {t_sum1:.2f} s ({SIZE / GB / t_sum1:.2f} GB/s), "
          f"aireview scan {t_app1:.2f} s ({SIZE / GB / t_app1:.2f} GB/s), "
          f"throughput ratio {t_sum1 / t_app1:.2f} (target >= 0.90)")
    print(f"two 4 GB files: sha256sum over both {t_sum2:.2f} s, aireview scan {t_app2:.2f} s, "
          f"speed-up {t_sum2 / t_app2:.2f}x (target > 1.00)")


if __name__ == "__main__":
    main()
