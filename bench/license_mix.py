"""A realistic delivery mix for the speed bench (deterministic, no downloads).

    .venv/bin/python bench/license_mix.py OUT_DIR [--files N]

License texts from the reference library in every variant ``license_corpus.variants`` makes
(the corpus's own minimal PDFs excepted), named ``LICENSE-<key>__<variant>.txt`` as vendors name
them; 10% of the files as PDFs printed the way real tools print them (Qt's QPdfWriter from a
QTextDocument, as ``desktop.pdf`` does for memos: embedded subset fonts, per-glyph positioning,
ToUnicode maps, several pages each, a vendor footer); and model cards and READMEs (10%), each in
its own model folder.  ``manifest.json`` lists every file and its kind.
"""

from __future__ import annotations

import html
import json
import random
import sys
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent.parent), str(Path(__file__).resolve().parent)]

from license_corpus import AI_KEYS, LISTED_KEYS, SOFTWARE_KEYS, prose, reference_texts, variants  # noqa: E402

PDF_SHARE = 0.10
CARD_SHARE = 0.10
MIN_PDF_CHARS = 9_000          # texts long enough to print on several pages
_CARD_LICENSES = ("apache-2.0", "mit", "llama3.1", "gemma", "cc-by-nc-4.0", "openrail-m", "other")


def qt_pdf(text: str) -> bytes:
    """``text`` printed to A4 by Qt (QTextDocument -> QPdfWriter), with page numbers."""
    from desktop.pdf import html_to_pdf

    body = "".join(f"<p>{html.escape(p).replace(chr(10), '<br/>')}</p>" for p in text.split("\n\n") if p.strip())
    return html_to_pdf(body, reserve_signature_band=False, title="License", footer="Vendor terms")


def model_card(rng: random.Random, n: int) -> str:
    """A Hugging Face style README with front matter, a usage section and a license section."""
    license_id = _CARD_LICENSES[n % len(_CARD_LICENSES)]
    base = rng.choice(["meta-llama/Llama-3.1-8B", "google/gemma-2-9b", "mistralai/Mistral-7B-v0.3",
                       "Qwen/Qwen2.5-7B"])
    front = (f"---\nlicense: {license_id}\nbase_model: {base}\nlibrary_name: transformers\n"
             f"pipeline_tag: text-generation\ntags:\n- fine-tuned\n- acme-{n}\n---\n\n")
    body = prose(rng, paragraphs=4).replace("# Release notes", f"# Acme assistant {n}")
    usage = ("\n## Usage\n\n```python\nfrom transformers import AutoModelForCausalLM\n"
             f"model = AutoModelForCausalLM.from_pretrained(\"acme/assistant-{n}\")\n```\n")
    terms = (f"\n## License\n\nThis model is released under the {license_id} license. Use of the model "
             "is also governed by the acceptable use policy of the base model.\n")
    return front + body + usage + terms


def readme(rng: random.Random, n: int) -> str:
    """A plain project README (no front matter)."""
    return prose(rng, paragraphs=3).replace("# Release notes", f"# acme-tools {n}") + (
        "\n## Install\n\n    pip install acme-tools\n\n## License\n\nApache License 2.0, see LICENSE.\n")


def generate(out_dir: Path, files: int, *, seed: int = 7) -> list[dict]:
    """Write about ``files`` files under ``out_dir`` and return the manifest rows."""
    rng = random.Random(seed)
    texts = reference_texts(list(LISTED_KEYS))
    pdfs = round(files * PDF_SHARE)
    cards = round(files * CARD_SHARE)
    plain = files - pdfs - cards
    pool = []
    for n, key in enumerate(LISTED_KEYS):
        partner_key = SOFTWARE_KEYS[n % len(SOFTWARE_KEYS)] if key in AI_KEYS else AI_KEYS[n % len(AI_KEYS)]
        for variant, content, _expected, _modified in variants(key, texts[key], (partner_key, texts[partner_key])):
            if variant != "pdf":
                pool.append((key, variant, content))
    by_variant: dict[str, list[tuple[str, str, str | bytes]]] = {}
    for item in pool:
        by_variant.setdefault(item[1], []).append(item)
    for items in by_variant.values():
        rng.shuffle(items)
    picked = []
    while len(picked) < plain and any(by_variant.values()):   # every variant in turn
        for items in by_variant.values():
            if items and len(picked) < plain:
                picked.append(items.pop())
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest = []
    for key, variant, content in picked:
        suffix = ".md" if variant == "markdown" else ".txt"
        path = out_dir / "licenses" / f"LICENSE-{key}__{variant}{suffix}"   # named as vendors name them
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        manifest.append({"path": str(path.relative_to(out_dir)), "kind": "license", "key": key,
                         "variant": variant})
    long_keys = [k for k in LISTED_KEYS if len(texts[k]) >= MIN_PDF_CHARS]
    for i in range(pdfs):
        key = long_keys[i % len(long_keys)]
        path = out_dir / "agreements" / f"{key}-{i:03d} License Agreement.pdf"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(qt_pdf(texts[key]))
        manifest.append({"path": str(path.relative_to(out_dir)), "kind": "pdf", "key": key, "variant": "qt_pdf"})
    for i in range(cards):
        folder = out_dir / "models" / f"model-{i:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        kind = "model_card" if i % 2 == 0 else "readme"
        (folder / "README.md").write_text(model_card(rng, i) if kind == "model_card" else readme(rng, i),
                                          encoding="utf-8")
        manifest.append({"path": f"models/model-{i:03d}/README.md", "kind": kind, "key": None,
                         "variant": kind})
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return manifest


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv and not argv[0].startswith("--") else Path("bench/out/license-mix")
    files = int(argv[argv.index("--files") + 1]) if "--files" in argv else 300
    manifest = generate(out, files)
    print(f"{len(manifest)} files in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
