"""The one-pass clause extractor gives exactly what the per-sentence, per-rule extractor gave.

``_reference_extract`` below is the previous algorithm, kept here only: cut into sentences,
search every sentence for any trigger, lower-case it, try each rule whose trigger it holds.
The rules themselves come from ``clause_rules.RULES`` for both, so a new rule is compared too.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_right

import pytest

from desktop.core.checks import clauses as fast
from desktop.core.checks.clause_rules import RULES
from desktop.core.checks.clauses import Clause, extract_clauses
from desktop.core.licenses.library import reference_dir
from desktop.core.licenses.reference_file import read_reference

# -- the previous algorithm -------------------------------------------------------------------

_ANY_TRIGGER = re.compile("|".join(sorted({re.escape(t) for rule in RULES for t in rule.triggers})), re.IGNORECASE)
_BOUNDARY = re.compile(
    r"(?<!\bInc)(?<!\bLtd)(?<!\bCo)(?<!\bCorp)(?<!\bNo)(?<!\bS)(?<!\be\.g)(?<!\bi\.e)(?<!\bvs)(?<!\bSt)"
    r"(?<!\bDr)(?<!\bMr)(?<!\bSec)(?<!\bArt)[.!?;](?=\s{1,20}[^\sa-z])"
    r"|\n[ \t]{0,40}\n"
    r"|:[ \t]{0,40}(?=\n)"
    r"|\n(?=[ \t]{0,40}\(?(?:[a-z]|\d{1,3}(?:\.\d{1,3}){0,3}|[ivxIVX]{1,5})[.)][ \t])"
)


def _sentences(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for end in [m.end() for m in _BOUNDARY.finditer(text)] + [len(text)]:
        while end - start > 2_000:
            cut = text.rfind(" ", start + 1_000, start + 2_000)
            cut = cut if cut > start else start + 2_000
            spans.append((start, cut))
            start = cut
        if end > start:
            spans.append((start, end))
        start = max(start, end)
    trimmed = []
    for begin, end in spans:
        while begin < end and text[begin].isspace():
            begin += 1
        while end > begin and text[end - 1].isspace():
            end -= 1
        if end > begin:
            trimmed.append((begin, end))
    return trimmed


def _quote_window(text: str, sentence: tuple[int, int], hit: tuple[int, int]) -> tuple[int, int]:
    s_start, s_end = sentence
    if s_end - s_start <= 300:
        return s_start, s_end
    h_start, h_end = hit
    start = s_start if h_end - s_start <= 300 else max(s_start, h_start - max(0, (300 - (h_end - h_start)) // 2))
    end = min(s_end, start + 300)
    if start > s_start:
        space = text.find(" ", start, min(h_start, end))
        start = space + 1 if space != -1 else start
    if end < s_end:
        space = text.rfind(" ", max(h_end, start), end)
        end = space if space > start else end
    return start, end


def _locate(text: str, page_starts: list[int] | None, start: int, end: int) -> tuple[int | None, tuple[int, int]]:
    newlines = [m.start() for m in re.finditer("\n", text)]
    first = bisect_right(newlines, start - 1) + 1
    last = bisect_right(newlines, max(start, end - 1) - 1) + 1
    if page_starts is None:
        return None, (first, last)
    page = bisect_right(page_starts, start)
    base = bisect_right(newlines, page_starts[page - 1] - 1)
    return page, (first - base, last - base)


def _reference_extract(text: str | None = None, *, pages: list[str] | None = None) -> list[Clause]:
    page_starts: list[int] | None = None
    if pages is not None:
        parts, page_starts, offset = [], [], 0
        for page_text in pages:
            page_text = page_text.replace("\r\n", "\n").replace("\r", "\n")
            page_starts.append(offset)
            parts.append(page_text)
            offset += len(page_text) + 1
        text = "\n".join(parts)
    if not text:
        return []
    text = text.replace("\r\n", "\n").replace("\r", "\n")[:500_000]
    clauses: list[Clause] = []
    seen: set[tuple[str, str, str]] = set()
    for s_start, s_end in _sentences(text):
        if s_end - s_start < 12:
            continue
        sentence = text[s_start:s_end]
        if not _ANY_TRIGGER.search(sentence):
            continue
        lowered = sentence.lower()
        for rule in RULES:
            if not any(trigger in lowered for trigger in rule.triggers):
                continue
            for value, h_start, h_end in rule.find(sentence):
                q_start, q_end = _quote_window(text, (s_start, s_end), (s_start + h_start, s_start + h_end))
                quote = " ".join(text[q_start:q_end].split())
                key = (rule.kind, repr(value), quote)
                if key in seen:
                    continue
                seen.add(key)
                page, lines = _locate(text, page_starts, q_start, q_end)
                clauses.append(Clause(rule.kind, value, lines, page, quote))
                if len(clauses) >= 2_000:
                    return clauses
    return clauses


# -- the texts compared -----------------------------------------------------------------------

_NAMED = ("llama-3.1-license-2024", "llama-4-license-2025", "gemma-tou-2025-03-24", "qwen-2024",
          "deepseek-la-1.0", "stability-ai-community-2024", "bigscience-open-rail-m", "flux-1-nc",
          "nvidia-open-model-2025-04-28", "tencent-hunyuan-3d-2.0-cla", "hyperclova-x-seed-2025",
          "apache-2.0", "gpl-3.0", "mpl-2.0", "cc-by-nc-sa-4.0", "epl-2.0")
_SAMPLE_EVERY = 60             # plus every 60th text of the whole reference library


def _texts() -> list[tuple[str, str]]:
    folder = reference_dir()
    paths = [folder / f"{key}.LICENSE" for key in _NAMED]
    assert all(p.exists() for p in paths), f"reference texts missing from {folder}"
    paths += sorted(folder.glob("*.LICENSE"))[::_SAMPLE_EVERY]
    return [(p.stem, read_reference(p).text) for p in paths]


def _variants(text: str) -> dict[str, str]:
    """The text as delivered: CRLF with a BOM, typographic quotes, and letters whose lower case
    is not one character or depends on the next letter (İ, Σ) or is ASCII (the Kelvin sign)."""
    return {
        "plain": text,
        "crlf_bom": "\ufeff" + text.replace("\n", "\r\n"),
        "quotes": text.replace('"', "\u201c").replace("'", "\u2019").replace(" - ", " \u2014 "),
        "kelvin": text.replace("k", "\u212a"),
        "dotted_i": "İstanbul office. " + text,
        "sigma": text.replace("Licensee", "ΟΔΟΣ Licensee"),
    }


def _same(text: str | None = None, pages: list[str] | None = None) -> None:
    fast._CACHE = fast._Cache()          # compute, not recall
    assert extract_clauses(text, pages=pages) == _reference_extract(text, pages=pages)


@pytest.mark.parametrize(("key", "text"), _texts(), ids=lambda v: v if len(v) < 60 else "")
def test_reference_texts_give_the_same_clauses(key: str, text: str) -> None:
    for variant in _variants(text).values():
        _same(variant)
    _same(pages=[text[i:i + 2_500] for i in range(0, len(text), 2_500)])


def test_edge_texts_give_the_same_clauses() -> None:
    hostile = ("governed by the laws of ", "You may not use the outputs ", "rights are not granted in Aaaa ",
               "exclusive venue in the courts of X ", "monthly active users more than ", ". . . ",
               "If you institute a claim ", "include \u201c")
    for text in ("", "x", "Governed.", "GOVERNED BY THE LAWS OF THE STATE OF NEW YORK.\n",
                 "This Agreement is governed by the laws of England; courts of London have jurisdiction.",
                 "".join(hostile) * 400, "Inc. Ltd. Co. e.g. i.e. vs. St. Dr. Mr. Sec. Art. The outputs. " * 50,
                 "a" * 5_000 + " commercial use " + "b" * 5_000,
                 "本协议适用中华人民共和国法律。因本协议引起的争议\uff0c由北京市有管辖权的人民法院管辖。\n"
                 "本模型仅限非商业用途\uff0c不得用于任何商业目的。The Model is governed by the laws of China.\n",
                 "ΟΔΟΣ governed by the laws of Greece. ΑΣ ΣΑ courts of Athens; no commercial use."):
        _same(text)
    _same(pages=["", "The licence is governed by the laws of Ireland.", ""])
    _same(pages=["The Model may not be used for commercial\r\n", "purposes. Research only.\r"])


def test_same_clauses_every_call_and_across_threads() -> None:
    text = read_reference(reference_dir() / "llama-3.1-license-2024.LICENSE").text
    first = extract_clauses(text)
    first[0] = None  # type: ignore[call-overload]   # a caller's list is its own
    again = extract_clauses(text)
    assert again == _reference_extract(text) and again[0] is not None
    revenue = [c for c in again if isinstance(c.value, dict)]
    for clause in revenue:
        clause.value.clear()                         # nor are the values shared
    assert extract_clauses(text) == _reference_extract(text)
    results: list[list[Clause]] = []
    threads = [threading.Thread(target=lambda: results.append(extract_clauses(text))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [again] * 4
