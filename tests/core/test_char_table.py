"""translated() is str.translate for small tables whose replacements hold none of their own characters."""

from __future__ import annotations

import pytest

from desktop.core.char_table import translated

TABLES = [
    str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"}),
    str.maketrans({"\ufffe": "-", "\x02": "-"}),
    {ord("\t"): " ", ord("\u00a0"): " ", ord("\u200b"): None, ord("\u2028"): "\n"},
]


@pytest.mark.parametrize("table", TABLES)
@pytest.mark.parametrize("text", ["", "plain ascii", "\u201cquoted\u201d \u2018x\u2019", "hy\ufffephen\x02end",
                                  "a\tb\u00a0c\u200bd\u2028e", "\t\t\u200b\u200b"])
def test_translated_is_str_translate(table, text):
    assert translated(text, table) == text.translate(table)
