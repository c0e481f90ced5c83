from __future__ import annotations

import io
import time

from desktop.core.formats import detect_format, read_format, split_front_matter

CARD = """---
license: other
license_name: acme-model-license-1.0
license_link: LICENSE
base_model: org-a/base-7b
base_model_relation: finetune
datasets: [org-c/corpus]
language: en
pipeline_tag: text-generation
tags: [merge]
library_name: transformers
extra_gated_prompt: "You agree to the Acme terms."
extra_gated_fields: {Company: text, "I accept the terms": checkbox}
model-index:
  - name: demo-7b
    results: []
---
# Demo

Body text.
"""


def _card(text: str, name: str = "README.md"):
    blob = text.encode()
    info = read_format("markdown", io.BytesIO(blob), len(blob), name)
    assert info is not None
    return info


def test_model_card_metadata():
    info = _card(CARD)
    meta = info.metadata
    assert info.problems == []
    assert meta["front_matter"] is True
    assert meta["license"] == "other"
    assert meta["license_name"] == "acme-model-license-1.0"
    assert meta["base_model"] == ["org-a/base-7b"]
    assert meta["language"] == ["en"]
    assert meta["datasets"] == ["org-c/corpus"]
    assert meta["model_name"] == "demo-7b"
    assert meta["extra_gated"] == {"extra_gated_prompt": "You agree to the Acme terms.",
                                   "extra_gated_fields": {"Company": "text", "I accept the terms": "checkbox"}}
    assert detect_format("README.md", CARD.encode()) == "markdown"


def test_split_front_matter_returns_body_and_its_line():
    data, body, line, problems = split_front_matter(CARD)
    assert problems == []
    assert data is not None and data["license"] == "other"
    assert body.startswith("# Demo")
    assert CARD.split("\n")[line - 1] == "# Demo"


def test_no_front_matter():
    data, body, line, problems = split_front_matter("# Title\ntext\n")
    assert (data, body, line, problems) == (None, "# Title\ntext\n", 1, [])
    assert _card("# Title\n").metadata == {"front_matter": False}


def test_malformed_yaml_reports_file_line():
    text = "---\nlicense: mit\ntags: [a, b\nbase_model: x\n---\nbody\n"
    info = _card(text)
    assert [p.code for p in info.problems] == ["malformed-yaml"]
    message = info.problems[0].message
    assert message.startswith("README.md: front matter at line ")
    line = int(message.split("line ")[1].split()[0])
    assert 3 <= line <= 5
    assert info.metadata["front_matter"] is False


def test_error_line_counts_lines_before_the_yaml():
    text = "---\na: 1\nb: 2\nc: [\n---\n"
    _, _, _, problems = split_front_matter(text)
    assert "line 5" in problems[0].message or "line 4" in problems[0].message


def test_billion_laughs_is_refused_quickly():
    levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 10):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        levels.append(f"{cur}: &{cur} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, "
                      f"*{prev}, *{prev}]")
    text = "---\n" + "\n".join(levels) + "\n---\n"
    start = time.perf_counter()
    info = _card(text)
    assert time.perf_counter() - start < 30.0  # hang guard; bench/responsiveness.py times it
    assert [p.code for p in info.problems] == ["malformed-yaml"]
    assert "too many aliases" in info.problems[0].message


def test_many_plain_aliases_refused():
    text = "---\nx: &x 1\nl: [" + ", ".join(["*x"] * 150) + "]\n---\n"
    assert "too many aliases" in _card(text).problems[0].message


def test_deep_nesting_refused():
    text = "---\nx: " + "[" * 200 + "]" * 200 + "\n---\n"
    assert "nested more than" in _card(text).problems[0].message


def test_non_mapping_block_and_unclosed_block():
    info = _card("---\n- a\n- b\n---\nbody\n")
    assert [p.code for p in info.problems] == ["malformed-yaml"]
    assert "not a mapping" in info.problems[0].message
    unclosed = _card("---\nlicense: mit\n")
    assert "never closed" in unclosed.problems[0].message


def test_duplicate_keys_warn_with_key_and_line():
    info = _card("---\nlicense: mit\ntags: [a]\nlicense: apache-2.0\n---\n")
    assert [p.code for p in info.problems] == ["duplicate-yaml-key"]
    assert "'license' at line 4" in info.problems[0].message
    assert info.metadata["license"] == "apache-2.0"


def test_python_tags_are_not_executed():
    info = _card("---\nlicense: !!python/object/apply:os.system ['echo x']\n---\n")
    assert [p.code for p in info.problems] == ["malformed-yaml"]


def test_dates_and_odd_values_stay_json_safe():
    info = _card("---\nlicense: 2024-01-02\ntags: 5\nbase_model: [a, 3]\n---\n")
    assert info.metadata["license"] == "2024-01-02"
    assert info.metadata["tags"] == [5]
    assert info.metadata["base_model"] == ["a", 3]


def test_yaml_files():
    blob = b"a: 1\n---\nb: [1, 2\n"
    info = read_format("yaml", io.BytesIO(blob), len(blob), "conf.yaml")
    assert info.format == "yaml"
    assert [p.code for p in info.problems] == ["malformed-yaml"]
    assert "at line 4" in info.problems[0].message
    assert "flow sequence started at line 3" in info.problems[0].message
    good = b"a: 1\n---\nb: 2\n"
    info = read_format("yaml", io.BytesIO(good), len(good), "conf.yml")
    assert info.problems == [] and info.metadata["documents"] == 2
    assert detect_format("cfg/conf.yml", good) == "yaml"
