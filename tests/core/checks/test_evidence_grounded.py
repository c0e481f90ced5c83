"""Every finding's evidence holds: each delivered quote is in the cited lines of the delivered file.

Runs the hand-made deliveries of this folder, the sample delivery and every case of the development
corpus (``<repo>/../shared/corpus``, read at test time, never copied) through the evidence check.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from desktop.core.evidence import Evidence, Origin
from desktop.core.results import ScanResult
from desktop.core.scan import ScanOptions, scan_path
from desktop.core.sample import sample_weights
from hand_made import make, ref_text

REPO = Path(__file__).resolve().parents[3]
CORPUS = REPO.parent / "shared" / "corpus" / "deliveries"


def corpus_cases() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.iterdir() if p.is_dir() or p.suffix == ".zip")


def assert_grounded(result: ScanResult) -> int:
    """Check every piece of evidence against the scanned file's text; returns how many quotes held."""
    files = {f.path: f for f in result.files}
    checked = 0
    for finding in result.findings:
        for ev in finding["evidence"]:
            origin = ev["origin"]
            assert origin in {str(o) for o in Origin}, ev
            if origin == Origin.REFERENCE:
                assert ev["path"].startswith("reference:"), ev
                continue
            assert not ev["path"].startswith("reference:"), (finding["check"], ev)
            if origin == Origin.SCAN or not ev["quote"]:
                continue
            entry = files[ev["path"]]
            if ev.get("pages"):
                assert entry.pages is not None
                Evidence.on_page(ev["path"], entry.pages, ev["pages"][0], ev["quote"])
            else:
                assert entry.text is not None and ev.get("lines"), (finding["check"], ev)
                Evidence.found(ev["path"], entry.text, tuple(ev["lines"]), ev["quote"])
            checked += 1
    return checked


def scan(folder: Path, work: Path) -> ScanResult:
    return scan_path(folder, options=ScanOptions(work_dir=work))


@pytest.fixture
def work(tmp_path: Path) -> Path:
    (tmp_path / "work").mkdir()
    return tmp_path / "work"


def _hand_made() -> dict[str, dict[str, Any]]:
    terms = ("Tiny Model Terms\n\n1. You may use, copy and modify the model weights.\n"
             "2. You may not use the model to improve any other large language model.\n"
             "3. If your products have more than 5 million monthly active users you must ask us for a "
             "license.\n4. These terms are governed by the laws of Ruritania.\n"
             "5. Disputes go to the courts of Zenda.\n")
    return {
        "unknown-terms": {"LICENSE": terms, "README.md": "# Tiny\n\nThe model weights are licensed under "
                                                         "the Tiny Model Terms in LICENSE.\n"},
        "modified-apache": {"LICENSE": ref_text("apache-2.0").replace(
            "END OF TERMS AND CONDITIONS",
            "You may not use the Work for military purposes.\n\nEND OF TERMS AND CONDITIONS")},
        "code-and-model": {"LICENSE": ref_text("mit"), "MODEL_LICENSE": ref_text("cc-by-nc-4.0")},
    }


@pytest.mark.parametrize("name", sorted(_hand_made()))
def test_hand_made_deliveries_cite_only_what_they_contain(tmp_path: Path, work: Path, name: str) -> None:
    folder = make(tmp_path / name, {"model.safetensors": sample_weights(), **_hand_made()[name]})
    result = scan(folder, work)
    assert result.findings
    assert_grounded(result)


def test_sample_delivery_cites_only_what_it_contains(sample_dir: Path, work: Path) -> None:
    result = scan(sample_dir, work)
    assert assert_grounded(result) > 0


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the development corpus is not at {CORPUS}")
@pytest.mark.parametrize("case", [p.name for p in corpus_cases()])
def test_corpus_case_cites_only_what_it_contains(case: str, work: Path) -> None:
    result = scan(CORPUS / case, work)
    assert result.findings
    assert assert_grounded(result) > 0
