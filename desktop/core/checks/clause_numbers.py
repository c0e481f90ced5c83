"""Numbers and money amounts as license texts write them, normalised to integers.

"700 million", "100,000,000", "one hundred million", "1.5 billion", "USD 1M" and
"US $1,000,000" all become plain integers.  The regex fragments here are shared by the
clause rules; every quantifier is bounded so matching stays linear in the text length.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_UNITS = {
    "zero": 0, "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90,
}
_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "trillion": 10**12}
_SHORT_SCALES = {"k": 1_000, "m": 1_000_000, "mn": 1_000_000, "mm": 1_000_000, "b": 1_000_000_000,
                 "bn": 1_000_000_000}

_WORD = r"(?:" + "|".join(sorted((w for w in _UNITS if w not in ("a", "an")), key=len, reverse=True)) + r")"
_SCALE_WORD = r"(?:hundred|thousand|million|billion|trillion)"

# A number written with words: "one hundred million", "seven hundred and fifty thousand", "a million".
WORD_NUMBER = (
    r"(?:\b(?:" + _WORD + r"|an?)(?:[\s-]{1,3}(?:" + _WORD + r"|" + _SCALE_WORD + r"|and)){0,8}"
    r"[\s-]{1,3}" + _SCALE_WORD + r"\b)"
)
# A number written with digits, optionally with a scale: "700 million", "100,000,000", "1M", "1.5 bn".
DIGIT_NUMBER = (
    r"(?:(?<![\w.,])(?:\d{1,3}(?:[,\u00a0 ]\d{3}){1,5}|\d{1,15})(?:\.\d{1,6})?"
    r"(?:\s{0,2}(?:million|billion|thousand|trillion|mn|mm|bn|[mbk])\b)?)"
)
NUMBER = r"(?:" + WORD_NUMBER + r"|" + DIGIT_NUMBER + r")"

_CURRENCY_BEFORE = (
    r"(?P<cur_before>US\s?\$|U\.S\.\s?\$|USD\s?\$?|\$|€|EUR\s?|£|GBP\s?|RMB\s?|CNY\s?|¥|₩|KRW\s?|JPY\s?)"
)
_CURRENCY_AFTER = (
    r"(?P<cur_after>USD\b|US\s+dollars|U\.S\.\s+dollars|dollars|EUR\b|euros?|GBP\b|RMB\b|yuan|CNY\b|KRW\b|won\b)"
)
# A money amount: "US $1,000,000", "USD 1M", "$1,000,000", "1 million US dollars", "€ 10 million".
MONEY = (
    r"(?:" + _CURRENCY_BEFORE + r"\s?(?P<num_before>" + NUMBER + r")"
    r"|(?P<num_after>" + NUMBER + r")\s{0,2}" + _CURRENCY_AFTER + r")"
)

_CURRENCY_CODES = {
    "$": "USD", "us$": "USD", "u.s.$": "USD", "usd": "USD", "usd$": "USD", "usdollars": "USD",
    "u.s.dollars": "USD", "dollars": "USD", "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR",
    "£": "GBP", "gbp": "GBP", "rmb": "CNY", "cny": "CNY", "yuan": "CNY", "¥": "CNY", "₩": "KRW",
    "krw": "KRW", "won": "KRW", "jpy": "JPY",
}


def currency_code(symbol: str) -> str:
    """Map a currency mark as written ("US $", "USD", "€", "RMB") to an ISO 4217 code.

    A bare "$" is read as USD, the dollar every license text in the reference library means.
    """
    compact = re.sub(r"\s+", "", symbol).lower()
    return _CURRENCY_CODES.get(compact, compact.upper())


def _word_number(text: str) -> int | None:
    total, current, seen = 0, 0, False
    for word in re.split(r"[\s-]+", text.lower()):
        if not word or word == "and":
            continue
        if word in _UNITS:
            current += _UNITS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word in _SCALES:
            total += max(current, 1) * _SCALES[word]
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def normalise_number(text: str) -> int | None:
    """Turn a written number into an integer: "700 million" -> 700000000, "USD 1M" -> 1000000.

    Returns None when the text holds no number this module understands.
    """
    cleaned = re.sub(r"(?i)\b(?:US|U\.S\.|USD|EUR|GBP|RMB|CNY|KRW|JPY)\b|[$€£¥₩]", " ", text).strip()
    if not cleaned:
        return None
    if re.fullmatch(WORD_NUMBER, cleaned, flags=re.IGNORECASE):
        return _word_number(cleaned)
    match = re.fullmatch(
        r"(?P<digits>\d{1,3}(?:[,\u00a0 ]\d{3}){1,5}|\d{1,15})(?P<frac>\.\d{1,6})?"
        r"\s{0,2}(?P<scale>million|billion|thousand|trillion|mn|mm|bn|[mbk])?",
        cleaned,
        flags=re.IGNORECASE,
    )
    if not match:
        return None
    try:
        value = Decimal(re.sub(r"[,\u00a0 ]", "", match["digits"]) + (match["frac"] or ""))
    except InvalidOperation:  # pragma: no cover - the regex only admits digits
        return None
    scale = (match["scale"] or "").lower()
    if scale in _SCALES:
        value *= _SCALES[scale]
    elif scale in _SHORT_SCALES:
        value *= _SHORT_SCALES[scale]
    return int(value)
