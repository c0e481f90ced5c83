"""Roles by name and content, components with totals."""

from __future__ import annotations

import pytest

from desktop.core.inventory import build_components, decode_text, is_model_card, role_by_name
from desktop.core.results import FileEntry


@pytest.mark.parametrize(("path", "fmt", "role"), [
    ("LICENSE", "text", "license"),
    ("LICENSE.md", "markdown", "license"),
    ("COPYING.LESSER", "text", "license"),
    ("MODEL_LICENSE", "text", "license"),
    ("LICENSE-MODEL", "text", "license"),
    ("USE_POLICY.md", "markdown", "license"),
    ("NOTICE", "text", "notice"),
    ("Notice.txt", "text", "notice"),
    ("model-00001-of-00002.safetensors", "safetensors", "weights"),
    ("pytorch_model.bin", "pytorch-zip", "weights"),
    ("m.gguf", "gguf", "weights"),
    ("tokenizer.json", "json", "tokenizer"),
    ("tokenizer.model", "sentencepiece", "tokenizer"),
    ("config.json", "json", "config"),
    ("adapter_config.json", "json", "config"),
    ("src/modeling.py", "python", "code"),
    ("data/train.jsonl", "json", "data"),
    ("docs/usage.md", "markdown", "docs"),
    ("Vendor Agreement.pdf", "pdf", "agreement"),
    ("EULA.docx", "docx", "agreement"),
    ("whitepaper.pdf", "pdf", "docs"),
    ("bundle.zip!/inner/LICENSE", "text", "license"),
    ("nested.tar.gz", "gzip", "archive"),
    ("blob.xyz", "unknown", "other"),
])
def test_role_by_name(path: str, fmt: str, role: str) -> None:
    assert role_by_name(path, fmt) == role


def test_model_card_needs_card_keys_in_front_matter() -> None:
    assert is_model_card("README.md", {"license": "mit"})
    assert is_model_card("sub/README.md", {"base_model": ["a/b"]})
    assert not is_model_card("README.md", {"title": "x"})
    assert not is_model_card("README.md", None)
    assert not is_model_card("notes.md", {"license": "mit"})


def test_components_group_roles_with_totals() -> None:
    files = [FileEntry("w.safetensors", 100, "a", role="weights"),
             FileEntry("config.json", 10, "b", role="config"),
             FileEntry("LICENSE", 5, "c", role="license"),
             FileEntry("x.py", 7, "d", role="code")]
    comps = {c.kind: c for c in build_components(files)}
    assert comps["model"].bytes == 110
    assert comps["model"].files == ["w.safetensors", "config.json"]
    assert comps["licenses"].files == ["LICENSE"]
    assert comps["code"].to_json()["file_count"] == 1
    assert list(comps) == ["model", "code", "licenses"]


def test_decode_text_handles_bom_latin1_and_cut_characters() -> None:
    assert decode_text(b"\xef\xbb\xbfhello") == "hello"
    assert decode_text("caf\u00e9".encode("latin-1")) == "caf\u00e9"
    assert decode_text("ab\u20ac".encode()[:-1], cut=True) == "ab"
