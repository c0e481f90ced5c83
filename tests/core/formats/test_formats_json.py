from __future__ import annotations

import io
import json

from desktop.core.formats import detect_format, read_format


def _read(data: bytes | dict, name: str):
    blob = data if isinstance(data, bytes) else json.dumps(data).encode()
    info = read_format("json", io.BytesIO(blob), len(blob), name)
    assert info is not None and info.format == "json"
    return info


def test_transformers_config():
    info = _read({"_name_or_path": "org-a/base-7b", "architectures": ["LlamaForCausalLM"],
                  "model_type": "llama", "transformers_version": "4.44.0", "torch_dtype": "bfloat16",
                  "auto_map": {"AutoModelForCausalLM": "modeling_acme.AcmeForCausalLM"},
                  "quantization_config": {"quant_method": "gptq", "bits": 4}}, "m/config.json")
    meta = info.metadata
    assert meta["kind"] == "config" and info.problems == []
    assert meta["_name_or_path"] == "org-a/base-7b"
    assert meta["architectures"] == ["LlamaForCausalLM"]
    assert meta["auto_map"] == {"AutoModelForCausalLM": "modeling_acme.AcmeForCausalLM"}
    assert meta["quant_method"] == "gptq"
    assert meta["torch_dtype"] == "bfloat16"


def test_adapter_generation_tokenizer_and_index():
    adapter = _read({"base_model_name_or_path": "org-a/base", "peft_type": "LORA", "task_type": "CAUSAL_LM",
                     "revision": None, "r": 8}, "adapter_config.json").metadata
    assert adapter == {"kind": "adapter-config", "parsed": True, "base_model_name_or_path": "org-a/base",
                       "peft_type": "LORA", "task_type": "CAUSAL_LM"}
    gen = _read({"_from_model_config": True, "eos_token_id": [1, 2], "bos_token_id": 0,
                 "transformers_version": "4.40.0"}, "generation_config.json").metadata
    assert gen["eos_token_id"] == [1, 2] and gen["_from_model_config"] is True and gen["bos_token_id"] == 0
    tok = _read({"tokenizer_class": "LlamaTokenizer", "chat_template": "{{x}}", "model_max_length": 4096},
                "tokenizer_config.json").metadata
    assert tok["kind"] == "tokenizer-config" and tok["has_chat_template"] is True
    index = _read({"metadata": {"total_size": 1234},
                   "weight_map": {"a": "model-00001-of-00002.safetensors",
                                  "b": "model-00002-of-00002.safetensors",
                                  "c": "model-00001-of-00002.safetensors"}},
                  "model.safetensors.index.json").metadata
    assert index["kind"] == "shard-index" and index["total_size"] == 1234
    assert index["shards"] == ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"]


def test_malformed_json_has_line_and_column():
    info = _read(b'{\n  "a": 1,\n  "b": \n}', "config.json")
    assert [p.code for p in info.problems] == ["malformed-json"]
    assert "line 4, column 1" in info.problems[0].message
    assert info.problems[0].message.startswith("config.json: ")


def test_deeply_nested_json_is_a_problem_not_a_crash():
    info = _read(b"[" * 200_000 + b"]" * 200_000, "tokenizer_config.json")
    assert [p.code for p in info.problems] == ["malformed-json"]
    assert "nested too deeply" in info.problems[0].message


def test_other_problems():
    assert "UTF-8" in _read(b'{"a": "\xff"}', "x.json").problems[0].message
    assert "cannot be read" in _read(b"1" * 5000, "x.json").problems[0].message
    assert "expected a JSON object" in _read(b"[1]", "config.json").problems[0].message
    assert _read(b"[1, 2]", "special_tokens_map.json").problems == []


def test_big_files_are_only_sniffed():
    blob = b'{"model": {"vocab": {' + b'"t": 1, ' * 800_000 + b'"u": 2}}}'
    info = _read(blob, "tokenizer.json")
    assert info.metadata == {"kind": "json", "parsed": False} and info.problems == []
    bad = b"<html>" + b" " * (6 << 20)
    assert _read(bad, "tokenizer.json").problems[0].code == "malformed-json"


def test_detect_json():
    assert detect_format("a/config.json", b"{}") == "json"


def test_json_with_comments_where_that_is_the_convention_is_not_a_broken_file():
    from desktop.core.formats.json_configs import read_json

    jsonc = b'{\n  // compiler options\n  "compilerOptions": {"strict": true}\n}\n'
    for name in ("demo/web/tsconfig.json", "jsconfig.json", ".vscode/settings.json"):
        info = read_json(io.BytesIO(jsonc), len(jsonc), name)
        assert info.problems == [] and info.metadata["jsonc"] is True and info.metadata["parsed"] is False
    for name in ("config.json", "demo/web/package.json"):  # a model's or a package's JSON must be JSON
        info = read_json(io.BytesIO(jsonc), len(jsonc), name)
        assert [p.code for p in info.problems] == ["malformed-json"]
