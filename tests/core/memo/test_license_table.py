"""The memo's compact license table: phrases read from the findings, footnotes that quote the delivered lines."""

from __future__ import annotations

import sys
from pathlib import Path

from desktop.core.memo.license_table import license_table
from desktop.core.sample import sample_weights
from desktop.core.scan import ScanOptions, scan_path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "checks"))
from hand_made import TINY_TERMS, make  # noqa: E402

TERMS = TINY_TERMS


def test_one_row_per_license_with_phrases_and_quoted_footnotes(tmp_path: Path) -> None:
    folder = make(tmp_path / "d", {"model.safetensors": sample_weights(), "MODEL_LICENSE": TERMS})
    (tmp_path / "work").mkdir()
    scan = scan_path(folder, options=ScanOptions(work_dir=tmp_path / "work")).to_json()
    table = license_table({"scan": scan})
    assert table["columns"] == ["Covers the weights", "Commercial use", "Law and courts", "Use restrictions",
                                "Outputs"]
    (row,) = table["rows"]
    cells = dict(zip(table["columns"], row["cells"]))
    assert row["components"] == "text in MODEL_LICENSE"
    assert cells["Covers the weights"]["text"] == "Yes"
    assert cells["Commercial use"]["text"] == "Allowed up to 5,000,000 monthly active users"
    assert "Ruritania" in cells["Law and courts"]["text"] and "Zenda" in cells["Law and courts"]["text"]
    assert cells["Use restrictions"]["text"] == "Prohibited uses listed in the terms"
    assert cells["Outputs"]["text"] in ("None stated", "Not stated") and cells["Outputs"]["notes"] == []
    lines = TERMS.split("\n")
    numbered = {n["number"]: n for n in table["notes"]}
    for cell in row["cells"]:
        for number in cell["notes"]:
            note = numbered[number]
            where, span = note["where"].split(" line")
            assert where == "MODEL_LICENSE"
            first, _, last = span.lstrip("s ").partition("-")
            cited = " ".join(lines[int(first) - 1:int(last or first)])
            assert note["quote"].removesuffix(" ...") in " ".join(cited.split())
    assert [n["number"] for n in table["notes"]] == list(range(1, len(table["notes"]) + 1))
