"""The knowledge files' parsed form is cached by content: same facts from the cache, a changed file re-read."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from desktop.core.checks.knowledge import KnowledgeError, knowledge_dir, load_knowledge


def test_cached_knowledge_equals_parsed_and_follows_edits(tmp_path: Path) -> None:
    folder = tmp_path / "kb"
    folder.mkdir()
    for name in ("mit.yaml", "apache-2.0.yaml"):
        shutil.copy(knowledge_dir() / name, folder / name)
    cache = tmp_path / "cache"
    first = load_knowledge(folder, cache_dir=cache)
    (written,) = list(cache.glob("knowledge-*.json"))
    assert load_knowledge(folder, cache_dir=cache) == first  # read back from the cache
    text = (folder / "mit.yaml").read_text(encoding="utf-8")
    (folder / "mit.yaml").write_text(text.replace("name:", "name: Edited", 1), encoding="utf-8")
    edited = load_knowledge(folder, cache_dir=cache)
    assert edited["mit"].name.startswith("Edited") and not first["mit"].name.startswith("Edited")
    assert len(list(cache.glob("knowledge-*.json"))) == 2 and written.exists()


def test_a_broken_cache_file_is_ignored_and_a_broken_file_still_fails(tmp_path: Path) -> None:
    folder = tmp_path / "kb"
    folder.mkdir()
    shutil.copy(knowledge_dir() / "mit.yaml", folder / "mit.yaml")
    cache = tmp_path / "cache"
    good = load_knowledge(folder, cache_dir=cache)
    (written,) = list(cache.glob("knowledge-*.json"))
    written.write_text("{not json", encoding="utf-8")
    assert load_knowledge(folder, cache_dir=cache) == good
    (folder / "mit.yaml").write_text("key: [unclosed", encoding="utf-8")
    with pytest.raises(KnowledgeError, match="mit.yaml: is not valid YAML"):
        load_knowledge(folder, cache_dir=cache)
