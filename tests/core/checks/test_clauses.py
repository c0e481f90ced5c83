"""Clause evidence extractor: real reference texts, pages, plain text, numbers, hostile input."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from desktop.core.checks.clause_numbers import currency_code, normalise_number
from desktop.core.checks.clauses import Clause, clauses_to_json, extract_clauses
from desktop.core.licenses.library import reference_dir
from desktop.core.licenses.reference_file import read_reference



def _text(key: str) -> str:
    """A reference text, found the way the app finds the library (a missing one fails the test)."""
    path = reference_dir() / f"{key}.LICENSE"
    assert path.exists(), f"reference text {key} is not in the installed library {path.parent}"
    return read_reference(path).text


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _assert_spans(text: str, clauses: list[Clause]) -> None:
    lines = text.split("\n")
    for clause in clauses:
        first, last = clause.lines
        assert 1 <= first <= last <= len(lines)
        assert len(clause.quote) <= 300
        assert _collapse(clause.quote) in _collapse(" ".join(lines[first - 1:last])), clause


def _values(clauses: list[Clause], kind: str) -> list[object]:
    return [c.value for c in clauses if c.kind == kind]


def test_llama_3_1_clauses() -> None:
    text = _text("llama-3.1-license-2024")
    clauses = extract_clauses(text)
    _assert_spans(text, clauses)
    assert _values(clauses, "governing_law") == ["State of California"]
    assert _values(clauses, "venue") == ["courts of California"]
    assert _values(clauses, "mau_threshold") == [700_000_000]
    assert "Built with Llama" in _values(clauses, "attribution_duty")
    assert _values(clauses, "naming_duty") == ["Llama"]
    assert _values(clauses, "aup_reference") == ["https://llama.meta.com/llama3_1/use-policy"]
    assert _values(clauses, "termination_on_litigation") == ["licenses terminate"]
    mau = next(c for c in clauses if c.kind == "mau_threshold")
    assert mau.lines == (31, 31)
    assert mau.page is None
    assert "700 million monthly active users" in mau.quote


def test_tongyi_qianwen_law_courts_and_threshold() -> None:
    text = _text("tongyi-qianwen-2023")
    clauses = extract_clauses(text)
    _assert_spans(text, clauses)
    assert _values(clauses, "governing_law") == ["China"]
    venue = _values(clauses, "venue")
    assert len(venue) == 1
    assert "Hangzhou" in str(venue[0])
    assert _values(clauses, "mau_threshold") == [100_000_000]
    assert _values(clauses, "output_restriction") == ["improve-other-models"]
    assert _values(clauses, "export_control") == [True]


def test_stability_community_revenue_threshold() -> None:
    text = _text("stability-ai-community-2024")
    clauses = extract_clauses(text)
    _assert_spans(text, clauses)
    revenue = _values(clauses, "revenue_threshold")
    assert revenue
    assert all(v == {"amount": 1_000_000, "currency": "USD", "period": "annual"} for v in revenue)
    assert "Powered by Stability AI" in _values(clauses, "attribution_duty")
    assert "https://stability.ai/use-policy" in _values(clauses, "aup_reference")
    assert _values(clauses, "aup_updatable") == [True]
    assert _values(clauses, "non_commercial") == []  # it licenses commercial use below the threshold


def test_gemma_prohibited_use_policy_reference_and_updates() -> None:
    terms = _text("gemma-tou-2024-04-01")
    clauses = extract_clauses(terms)
    _assert_spans(terms, clauses)
    assert _values(clauses, "aup_reference") == ["ai.google.dev/gemma/prohibited_use_policy"]
    assert _values(clauses, "venue") == ["state and federal courts of Santa Clara County, California"]
    policy = _text("gemma-pup-2024-02-21")
    policy_clauses = extract_clauses(policy)
    _assert_spans(policy, policy_clauses)
    assert _values(policy_clauses, "aup_updatable") == [True]


def test_cc_by_nc_is_non_commercial_and_cc_by_is_not() -> None:
    text = _text("cc-by-nc-4.0")
    clauses = extract_clauses(text)
    _assert_spans(text, clauses)
    assert len(_values(clauses, "non_commercial")) >= 2
    assert _values(extract_clauses(_text("cc-by-4.0")), "non_commercial") == []


def test_research_only_naming_and_arbitration() -> None:
    text = _text("exaone-ai-model-1.1-nc")
    clauses = extract_clauses(text)
    _assert_spans(text, clauses)
    assert "research-only" in _values(clauses, "research_only")
    assert _values(clauses, "naming_duty") == ["EXAONE"]
    assert _values(clauses, "governing_law") == ["Republic of Korea"]
    assert "Seoul, Republic of Korea" in _values(clauses, "arbitration")


def test_territory_exclusion() -> None:
    text = _text("tencent-hunyuan-3d-2.0-cla")
    clauses = extract_clauses(text)
    _assert_spans(text, clauses)
    assert "European Union, United Kingdom and South Korea" in _values(clauses, "territory_exclusion")


def test_pages_give_page_and_lines_within_the_page() -> None:
    pages = [
        "ACME MODEL LICENSE\n\nYou may use the Model solely for research purposes.\n",
        "Preamble line.\nThis Agreement is governed by and construed in accordance with\n"
        "the laws of the State of New York, without regard to conflict of laws.\n",
        "If your products have more than one hundred million monthly active users,\nyou must ask us.",
    ]
    clauses = extract_clauses(pages=pages)
    by_kind = {c.kind: c for c in clauses}
    assert by_kind["research_only"].page == 1
    assert by_kind["research_only"].lines == (3, 3)
    law = by_kind["governing_law"]
    assert (law.page, law.lines, law.value) == (2, (2, 3), "State of New York")
    mau = by_kind["mau_threshold"]
    assert (mau.page, mau.lines, mau.value) == (3, (1, 2), 100_000_000)
    for clause in clauses:
        page_lines = "\n".join(pages[clause.page - 1:]).split("\n")
        first, last = clause.lines
        assert _collapse(clause.quote) in _collapse(" ".join(page_lines[first - 1:last]))


def test_plain_permissive_text_has_no_clauses() -> None:
    assert extract_clauses(_text("mit")) == []
    assert extract_clauses("Just a README.\nNothing legal here at all.\n") == []
    assert extract_clauses("") == []
    assert extract_clauses(None) == []
    assert extract_clauses(pages=[]) == []


def test_hand_written_clauses_and_json() -> None:
    text = (
        "This model is not for production use.\n"
        "Licensees with more than USD 1M in annual revenue need a commercial license.\n"
        "You must not use the outputs to train any other AI model.\n"
        "Any dispute shall be finally settled by arbitration administered by the Singapore International "
        "Arbitration Centre.\n"
        "You may not use the Model if you are located in a comprehensively sanctioned jurisdiction.\n"
    )
    clauses = extract_clauses(text)
    _assert_spans(text, clauses)
    assert _values(clauses, "non_production") == ["non-production"]
    revenue = {"amount": 1_000_000, "currency": "USD", "period": "annual"}
    assert _values(clauses, "revenue_threshold") == [revenue]
    assert _values(clauses, "output_restriction") == ["improve-other-models"]
    assert _values(clauses, "arbitration") == ["Singapore International Arbitration Centre"]
    assert _values(clauses, "export_control") == [True]
    data = clauses_to_json(clauses)
    assert data[0] == {"kind": "non_production", "value": "non-production", "lines": [1, 1], "page": None,
                       "quote": "This model is not for production use."}


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("700 million", 700_000_000),
        ("100,000,000", 100_000_000),
        ("one hundred million", 100_000_000),
        ("1 million", 1_000_000),
        ("US $1,000,000", 1_000_000),
        ("USD 1M", 1_000_000),
        ("$1,000,000", 1_000_000),
        ("1.5 billion", 1_500_000_000),
        ("seven hundred and fifty thousand", 750_000),
        ("ten", None),
        ("many", None),
        ("", None),
    ],
)
def test_number_normaliser(written: str, expected: int | None) -> None:
    assert normalise_number(written) == expected


def test_currency_codes() -> None:
    assert currency_code("US $") == "USD"
    assert currency_code("USD") == "USD"
    assert currency_code("€") == "EUR"
    assert currency_code("RMB") == "CNY"


_HOSTILE_CHUNKS = (
    "governed by the laws of ",
    "You may not use the outputs ",
    "rights are not granted in Aaaa ",
    "exclusive venue in the courts of X ",
    "monthly active users more than ",
    ". . . ",
    "If you institute a claim ",
    "include \u201c",
)


def test_five_megabytes_of_hostile_text_ends() -> None:
    """Hostile text ends (a hang guard; bench/responsiveness.py times it, target 2 s)."""
    for chunk in ("".join(_HOSTILE_CHUNKS), "x"):
        text = chunk * (5_000_000 // len(chunk))
        started = time.perf_counter()
        result = extract_clauses(text)
        assert time.perf_counter() - started < 60.0
        assert len(result) <= 2_000


@pytest.mark.parametrize(("text", "kind"), [
    ("You may not u\u017fe the Outputs to improve any other large language model.", "output_restriction"),
    ("We hereby grant you a worldwide, royalty-free l\u0131cense to use and distribute the Model.",
     "general_grant"),
    ("You may not u\u017fe the Model for illegal ends.", "use_prohibition"),
    ("If You in\u017ftitute patent litigation against any entity, your patent licenses shall terminate.",
     "termination_on_litigation"),
    ("Disputes go to the courts of Dublin, which have exclu\u017f\u0131ve jurisdiction.", "venue"),
    ("You may use the Model \u017folely for non-commercial purposes.", "non_commercial"),
])
def test_letters_that_fold_to_ascii_still_match(text: str, kind: str) -> None:
    """ſ, ı and İ match "s" and "i" case-insensitively, so the words rules look for before running
    their patterns are not ruled out when they are spelled with them."""
    assert kind in {c.kind for c in extract_clauses(text)}
