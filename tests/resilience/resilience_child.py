"""Run one scan in a fresh interpreter and print its JSON with the peak memory and wall time.

``python resilience_child.py DELIVERY WORK_DIR [LIMITS_JSON]`` prints one JSON document:
``{"result": <aireview.scan/1>, "unusable": null | reason, "seconds": s}``.  The parent
reads the child's peak RSS itself (``os.wait4``), so imports are included in the figure.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    from desktop.core.intake.base import Limits, UnusableInput
    from desktop.core.scan import ScanOptions, scan_path

    delivery, work = Path(argv[0]), Path(argv[1])
    limits = Limits(**json.loads(argv[2])) if len(argv) > 2 else Limits()
    started = time.perf_counter()
    doc: dict[str, object] = {"result": None, "unusable": None}
    try:
        result = scan_path(delivery, options=ScanOptions(work_dir=work, limits=limits, identify=False,
                                                         workers=2))
        doc["result"] = result.to_json()
    except UnusableInput as exc:
        doc["unusable"] = exc.reason
    doc["seconds"] = time.perf_counter() - started
    json.dump(doc, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
