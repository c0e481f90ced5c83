"""The word redline between two delivered versions of a text."""

from __future__ import annotations

from desktop.core.licenses.word_redline import word_redline, words_of


def test_words_carry_their_lines() -> None:
    assert [(w.text, w.line) for w in words_of("a b\n\n c,\nd")] == [("a", 1), ("b", 1), ("c,", 3), ("d", 4)]


def test_insert_delete_and_replace_as_written() -> None:
    old = "You may use the Model for research only.\nGoverning law: England."
    new = "You may use the Model for any lawful purpose.\nGoverning law: Ireland.\nNo warranty."
    redline = word_redline(old, new, context=None)
    changes = [(op.op, op.old, op.new, op.new_line) for op in redline.ops if op.op != "equal"]
    assert changes == [("replace", "research only.", "any lawful purpose.", 1),
                       ("replace", "England.", "Ireland. No warranty.", 2)]
    assert (redline.inserted, redline.deleted, redline.changed) == (6, 3, True)


def test_spacing_and_line_breaks_alone_are_no_change() -> None:
    redline = word_redline("Grant of\nlicense.", "Grant  of license.\n")
    assert not redline.changed
    assert [op.op for op in redline.ops] == ["equal"]


def test_punctuation_counts_and_long_unchanged_runs_are_cut() -> None:
    words = " ".join(f"w{i}" for i in range(100))
    redline = word_redline(words + " end.", words + " end;", context=3)
    assert [op.op for op in redline.ops] == ["equal", "replace"]
    assert redline.ops[0].old == "… w97 w98 w99"
    assert (redline.ops[1].old, redline.ops[1].new) == ("end.", "end;")
