"""Turn a license text into comparable words, keeping the line each word came from.

Formatting that must not count as a change is removed here, the same way for reference
texts and for delivered texts: case, whitespace, BOM and CRLF, quote/dash/bullet variants,
markdown emphasis and headings, HTML entities and markup, list numbering, PDF page numbers, http/https and
spelling variants (SPDX's list of equivalent words included).
Everything that survives is a word of the license. Copyright statements are kept as words;
the matcher treats differences inside them as formatting (see ``match.py``).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from desktop.core.char_table import translated

# CJK characters are compared one by one (those texts have no spaces between words).
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
# A one- or two-digit number written as a list marker ("1.", "2)", "(3)") is matched whole and
# dropped; elsewhere a number is a word ("more than 20 million", "within 30 days", "version 2").
_WORD = re.compile(rf"\(\d{{1,2}}\)|\d{{1,2}}[.)](?!\d)|[{_CJK}]|\d+(?:\.\d+)+|\+\+|[^\W_{_CJK}]+")
_WORD_OR_NEWLINE = re.compile(_WORD.pattern + r"|\n")
_COPYRIGHT_LINE = re.compile(
    r"^[\W_]*(?:(?:portions\s+)?copyright\b.*(?:\(c\)|©|\b(?:19|20)\d\d\b|yyyy|\byear\b|"
    r"all rights reserved|<[^>]+>|\[[^\]]+\])|\(c\)\s*\d|©|all rights reserved[\W_]*$)",
    re.IGNORECASE)
_MAX_COPYRIGHT_LINE = 300

# Roman numerals used as list markers; single letters are dropped too.
_ROMAN_LIST = "ii iii iv vi vii viii ix xi xii xiii xiv xv xvi xvii xviii xix xx xxi xxii xxiii xxiv xxv"
_ROMAN = frozenset(_ROMAN_LIST.split(" "))

SPELLING = {
    "licence": "license", "licences": "licenses", "licenced": "licensed", "licencing": "licensing",
    "licencee": "licensee", "licencees": "licensees", "licencor": "licensor", "licencors": "licensors",
    "sublicence": "sublicense", "sublicences": "sublicenses", "sublicenced": "sublicensed",
    "https": "http", "authorise": "authorize", "authorised": "authorized", "authorisation": "authorization",
    "organisation": "organization", "organisations": "organizations", "recognise": "recognize",
    "recognised": "recognized", "favour": "favor", "behaviour": "behavior", "colour": "color",
    "honour": "honor", "analyse": "analyze", "judgement": "judgment", "centre": "center",
    "acknowledgement": "acknowledgment", "acknowledgements": "acknowledgments", "whilst": "while",
    "utilise": "utilize", "utilised": "utilized", "modelling": "modeling", "labelled": "labeled",
    "cancelled": "canceled", "fulfil": "fulfill", "fulfilment": "fulfillment", "enrol": "enroll",
    "noncommercial": "non-commercial",
    # the rest of SPDX's equivalent words (matching guidelines, "equivalentwords.txt")
    "analogue": "analog", "artefact": "artifact", "calibre": "caliber", "capitalisations": "capitalizations",
    "catalogue": "catalog", "categorise": "categorize", "emphasised": "emphasized", "favourite": "favorite",
    "initialise": "initialize", "labelling": "labeling", "labour": "labor", "maximise": "maximize",
    "merchantibility": "merchantability", "modelled": "modeled", "offence": "offense", "optimise": "optimize",
    "organise": "organize", "practise": "practice", "programme": "program", "realise": "realize",
    "signalling": "signaling", "utilisation": "utilization", "wilfull": "wilful",
}


@dataclass(frozen=True)
class Words:
    """The normalised words of a text and the 1-based line number of each word."""

    words: list[str]
    lines: list[int]

    def __len__(self) -> int:
        return len(self.words)


def _keep(word: str) -> bool:
    if word[-1] in ".)":
        return False  # "(1)", "2." and "3)" are list markers
    if word.isascii() and word.isdigit():
        return True
    if len(word) == 1:
        return not word.isascii()  # CJK characters are words; a, b are list markers
    return word not in _ROMAN


def normalize_word(word: str) -> list[str]:
    """The normalised form(s) of one lower-case word (spelling variants folded)."""
    mapped = SPELLING.get(word, word)
    if "-" in mapped:
        return mapped.split("-")
    return [mapped]


def _blank(found: re.Match[str]) -> str:
    return "\n" * found.group(0).count("\n")


def _markup(text: str) -> str:
    """HTML entities decoded; in an HTML page, tags, styles and scripts blanked (lines kept)."""
    if "&" in text:
        text = _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)
    if _HTML.search(text[:4000]):
        text = _TAG.sub(_blank, _STYLE.sub(_blank, text))
    return text


_ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{1,5}|#x[0-9a-fA-F]{1,4});")
_HTML = re.compile(r"<(?:!doctype\s+html|html|body|head)\b", re.IGNORECASE)
_STYLE = re.compile(r"<(style|script)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[!/]?[a-zA-Z][^<>]*>")


def clean_text(text: str) -> str:
    """Fold BOM, CRLF, odd spaces, tabs, HTML entities and markup; the line structure is kept."""
    text = _markup(text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n"))
    if text.isascii():  # the common case; isascii() is free, and only three odd characters are ASCII
        if not any(odd in text for odd in _ASCII_ODD):
            return text
    elif _ODD.search(text) is None:
        return text
    return translated(text, _SPACES)  # no replacement is itself an odd character


_SPACES = {ord(c): " " for c in "\t\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
           "\u2009\u200a\u202f\u205f\u3000\u000b\u000c\ufeff"}
_SPACES.update({ord("\u200b"): None, ord("\u00ad"): None, ord("\u2028"): "\n", ord("\u2029"): "\n"})
_ODD = re.compile("[" + "".join(re.escape(chr(c)) for c in _SPACES) + "]")
_ASCII_ODD = tuple(chr(c) for c in _SPACES if c < 128)


class _Normalised(dict):
    """Raw lower-case word -> its normalised words (empty when dropped), filled on first sight."""

    def __missing__(self, raw: str) -> tuple[str, ...]:
        if len(self) > _MAX_REMEMBERED:
            self.clear()
        value = tuple(normalize_word(raw)) if _keep(raw) else ()
        self[raw] = value
        return value


_MAX_REMEMBERED = 200_000
_NORMALISED = _Normalised()


def is_copyright_line(line: str) -> bool:
    """True for a copyright or 'All rights reserved' line (ignored when comparing)."""
    return len(line) <= _MAX_COPYRIGHT_LINE and bool(_COPYRIGHT_LINE.match(line))


def words_of(text: str, *, first_line: int = 1, max_chars: int | None = None) -> Words:
    """Normalised words of ``text`` with their line numbers (numbering starts at ``first_line``)."""
    text = clean_text(text if max_chars is None else text[:max_chars])
    words: list[str] = []
    lines: list[int] = []
    normalised = _NORMALISED
    number = first_line
    # one pass over the whole text; a newline is a token of its own (no word spans one, and the one
    # look-ahead, "(?!\d)", sees the newline as it saw the end of the line)
    for raw in _WORD_OR_NEWLINE.findall(text.lower()):
        if raw == "\n":
            number += 1
            continue
        found = normalised[raw]
        if len(found) == 1:
            words.append(found[0])
            lines.append(number)
        elif found:
            words += found
            lines += [number] * len(found)
    return Words(words, lines)


_PAGE_NUMBER = re.compile(r"[^\w\n]*(?:page\s+)?\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?[^\w\n]*", re.IGNORECASE)


def _without_page_number(page: str) -> str:
    """The page with a page number ("3", "- 3 -", "Page 3 of 9") blanked on its first or last line."""
    lines = page.split("\n")
    filled = [i for i, text in enumerate(lines) if text.strip()]
    for i in {filled[0], filled[-1]} if filled else ():
        if _PAGE_NUMBER.fullmatch(lines[i].strip()):
            lines[i] = ""
    return "\n".join(lines)


def page_words(pages: list[str], *, max_chars: int | None = None) -> tuple[Words, list[int]]:
    """Words of PDF pages joined in order, plus the first line number of each page."""
    starts: list[int] = []
    parts: list[str] = []
    line = 1
    budget = max_chars
    for page in pages:
        if budget is not None and budget <= 0:
            break
        page = page if budget is None else page[:budget]
        if budget is not None:
            budget -= len(page)
        starts.append(line)
        text = _without_page_number(clean_text(page))
        parts.append(text)
        line += text.count("\n") + 1
    return words_of("\n".join(parts)), starts
