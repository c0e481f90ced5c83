"""Generate the license accuracy corpus from the reference texts (no downloads, deterministic).

    .venv/bin/python bench/license_corpus.py [OUT_DIR] [--other N]

Each listed key gets: verbatim, reflowed, markdown, quotes/dashes, CRLF+BOM, vendor preamble
and footer, copyright line added, truncated, one clause removed, PDF, and a two-license file;
plus plain prose files that are no license. ``manifest.json`` lists every file with the set
of keys a correct identification reports and whether ``modified`` is expected (a cut text
that is word for word another reference is expected to be reported as that reference).
"""

from __future__ import annotations

import json
import random
import re
import sys
import textwrap
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent.parent), str(Path(__file__).resolve().parent)]

from license_pdf import text_pdf  # noqa: E402

from desktop.core.licenses.library import load_library, reference_dir  # noqa: E402
from desktop.core.licenses.normalize import clean_text, words_of  # noqa: E402
from desktop.core.licenses.reference_file import read_reference  # noqa: E402


def _words(text: str) -> list[str]:
    return text.split()


AI_KEYS = _words("""llama-license-2023 llama-2-license-2023 llama-3.1-license-2024 llama-3.2-license-2024
llama-3.3-license-2024 llama-4-cla-2025 llama-4-license-2025 gemma-tou-2024-04-01 gemma-tou-2025-03-24
gemma-pup-2024-02-21 qwen-2024 tongyi-qianwen-2023 deepseek-la-1.0 falcon-2-11b-1.0
stability-ai-community-2024 stability-ai-nc-2023-12-06 nvidia-open-model-2025-04-28 openmdw-1.0
bigscience-rail-1.0 bigscience-open-rail-m bigscience-open-rail-m2 bigcode-open-rail-m-v1
stable-diffusion-2022-08-22 apple-ml-ferret-2023 c-uda-1.0 cdla-permissive-2.0 chameleon-research-2024
exaone-ai-model-1.1-nc hyperclova-x-seed-2025 flux-1-nc ltxv-owl-2025-04-17 ltxv-owl-2025-05-05
playground-v2-community tencent-hunyuan-3d-2.0-cla moonshot-ai-modified-mit-2025
open-weights-permissive-1.0.0 fair-ai-public-1.0 fair-ai-public-1.0-sd soml-1.0 hfoil-1.0
ms-research-license-terms bilibili-model-ula-2025-09-09 openatom-model-1.0 open-aleph-1.0
responsible-ai-source-1.1 nvidia-model-training-2025""")
SOFTWARE_KEYS = _words("""apache-2.0 mit bsd-new bsd-simplified gpl-2.0 gpl-3.0 agpl-3.0 lgpl-2.1 lgpl-3.0
mpl-2.0 cc-by-4.0 cc-by-sa-4.0 cc-by-nc-4.0 cc-by-nc-sa-4.0 cc-by-nc-nd-4.0 cc0-1.0 unlicense isc bsl-1.0
epl-2.0""")
LISTED_KEYS = AI_KEYS + SOFTWARE_KEYS
FORMATTING = ("verbatim", "reflowed", "markdown", "quotes_dashes", "crlf_bom", "preamble_footer",
              "copyright_added", "pdf")
MODIFYING = ("truncated", "clause_removed")

PREAMBLE = ("Acme Robotics model bundle, release 7.\n\nThe materials in this folder were prepared by "
            "our delivery team for the customer named in the order form. Read the terms below "
            "before you deploy the model in production.\n\n")
FOOTER = ("\n\nEnd of terms. Questions about this delivery go to the Acme Robotics delivery desk, "
          "who answer within five working days.\n")
_PROSE_WORDS = _words("model weights dataset evaluation tokenizer training inference checkpoint latency "
                "throughput benchmark quantized adapter prompt response accuracy layer attention "
                "gradient optimizer schedule warmup batch sequence context window memory server "
                "deployment pipeline review team customer delivery folder release notes version "
                "terms license use")


def reference_texts(keys: list[str]) -> dict[str, str]:
    """Reference text of each key, read from the installed LicenseDB files."""
    folder = reference_dir()
    return {key: read_reference(folder / f"{key}.LICENSE").text for key in keys}


def _paragraphs(text: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n", text.strip("\n")) if p.strip()]


def _is_copyright(line: str) -> bool:
    return bool(re.match(r"^\W*(copyright|\(c\)|©|all rights reserved)", line.strip(), re.IGNORECASE))


def reflowed(text: str) -> str:
    out = [textwrap.fill(" ".join(line.strip() for line in para.split("\n")), 60,
                         break_long_words=False, break_on_hyphens=False)
           for para in _paragraphs(text)]
    return "\n\n".join(out) + "\n"


def markdown(text: str) -> str:
    out = []
    for i, para in enumerate(_paragraphs(text)):
        lines = para.split("\n")
        if i == 0 or (len(lines) == 1 and len(para) < 70 and not para.rstrip().endswith((".", ","))):
            out.append("## " + " ".join(line.strip() for line in lines))
            continue
        words = para.split(" ")
        for j, word in enumerate(words):
            if len(word) > 4 and word.isalpha():
                words[j] = f"**{word}**"
                break
        out.append(" ".join(words))
    return "\n\n".join(out) + "\n"


def quotes_dashes(text: str) -> str:
    opened = [False]

    def quote(_: re.Match[str]) -> str:
        opened[0] = not opened[0]
        return "\u201c" if opened[0] else "\u201d"

    text = re.sub(r'"', quote, text)
    text = text.replace("'", "\u2019").replace(" - ", " \u2013 ").replace("--", "\u2014")
    text = re.sub(r"(?m)^(\s*)[-*] ", "\\1\u2022 ", text)
    return text


def truncated(text: str) -> str:
    lines = text.split("\n")
    total = sum(len(line.split()) for line in lines)
    count = 0
    for i, line in enumerate(lines):
        count += len(line.split())
        if count >= 0.65 * total:
            return "\n".join(lines[: i + 1]) + "\n"
    return text


def clause_removed(text: str) -> str:
    paras = _paragraphs(text)
    middle = [i for i in range(len(paras) // 3, max(len(paras) // 3 + 1, 2 * len(paras) // 3 + 1))
              if i < len(paras) and len(paras[i].split()) >= 12]
    if len(paras) >= 3 and middle:
        del paras[middle[len(middle) // 2]]
        return "\n\n".join(paras) + "\n"
    sentences = re.split(r"(?<=[.;])\s+", text)
    long = [i for i, s in enumerate(sentences) if len(s.split()) >= 8]
    if len(long) >= 2:
        del sentences[long[len(long) // 2]]
        return " ".join(sentences)
    words = text.split(" ")
    cut = len(words) // 2
    return " ".join(words[:cut] + words[cut + 8:])


def prose(rng: random.Random, paragraphs: int = 5) -> str:
    out = ["# Release notes"]
    for _ in range(paragraphs):
        sentences = []
        for _ in range(rng.randint(3, 6)):
            words = [rng.choice(_PROSE_WORDS) for _ in range(rng.randint(8, 16))]
            sentences.append(" ".join(words).capitalize() + ".")
        out.append(" ".join(sentences))
    out.append("See the LICENSE file for the terms that apply to this release.")
    return "\n\n".join(out) + "\n"


def variants(key: str, text: str, partner: tuple[str, str]) -> list[tuple[str, str | bytes, list[str], bool]]:
    """(variant, content, expected keys, modified expected) for one reference text."""
    crlf = "\ufeff" + text.replace("\n", "\r\n")
    out: list[tuple[str, str | bytes, list[str], bool]] = [
        ("verbatim", text, [key], False),
        ("reflowed", reflowed(text), [key], False),
        ("markdown", markdown(text), [key], False),
        ("quotes_dashes", quotes_dashes(text), [key], False),
        ("crlf_bom", crlf, [key], False),
        ("preamble_footer", PREAMBLE + text + FOOTER, [key], False),
        ("copyright_added", "Copyright (c) 2025 Acme Robotics Ltd. All rights reserved.\n\n" + text,
         [key], False),
        ("truncated", truncated(text), [key], True),
        ("clause_removed", clause_removed(text), [key], True),
        ("two_licenses", text + "\n\n" + partner[1], sorted({key, partner[0]}), False),
    ]
    pdf = text_pdf(text)
    if pdf is not None:
        out.append(("pdf", pdf, [key], False))
    return out


class WholeTexts:
    """Which references a text is, word for word after normalisation (a cut text may be another one)."""

    def __init__(self) -> None:
        self.library = load_library()
        self.keys: dict[tuple[int, ...], list[str]] = {}
        for ref in self.library.references:
            if ref.matchable:
                self.keys.setdefault(tuple(self.library.id_list(ref)), []).append(ref.key)

    def same_as(self, text: str) -> list[str]:
        vocabulary = self.library.vocabulary
        ids = tuple(vocabulary.get(word, 0) for word in words_of(clean_text(text)).words)
        return sorted(self.keys.get(ids, []))


def _expected(whole: WholeTexts, key: str, content: str | bytes, expected: list[str], modified: bool
              ) -> tuple[list[str], bool]:
    """A truncated or clause-removed text that is exactly another reference is that reference
    (several identical references: an honest engine abstains, so nothing is expected)."""
    if not modified or not isinstance(content, str):
        return expected, modified
    same = [k for k in whole.same_as(content) if k != key]
    if not same:
        return expected, modified
    return (same if len(same) == 1 else []), False


def generate(out_dir: Path, keys: list[str], *, prose_files: int = 30, seed: int = 7) -> list[dict]:
    """Write the corpus under ``out_dir`` and return the manifest rows."""
    rng = random.Random(seed)
    texts = reference_texts(keys)
    whole = WholeTexts()
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest = []
    for n, key in enumerate(keys):
        partner_key = SOFTWARE_KEYS[n % len(SOFTWARE_KEYS)] if key in AI_KEYS else AI_KEYS[n % len(AI_KEYS)]
        partner = (partner_key, reference_texts([partner_key])[partner_key])
        for variant, content, expected, modified in variants(key, texts[key], partner):
            expected, modified = _expected(whole, key, content, expected, modified)
            suffix = ".pdf" if variant == "pdf" else ".txt"
            path = out_dir / f"{key}__{variant}{suffix}"
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_bytes(content.encode("utf-8"))
            manifest.append({"path": path.name, "key": key, "variant": variant, "expected": expected,
                             "modified": modified})
    for i in range(prose_files):
        path = out_dir / f"prose-{i:03d}.md"
        path.write_text(prose(rng), encoding="utf-8")
        manifest.append({"path": path.name, "key": None, "variant": "prose", "expected": [],
                         "modified": False})
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return manifest


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv and not argv[0].startswith("--") else Path("bench/out/license-corpus")
    keys = list(LISTED_KEYS)
    if "--other" in argv:
        count = int(argv[argv.index("--other") + 1])
        others = sorted(p.stem for p in reference_dir().glob("*.LICENSE") if p.stem not in keys
                        and not re.search(r"^is_(deprecated|unknown): yes", p.read_text(), re.M))
        keys += random.Random(11).sample(others, count)
    manifest = generate(out, keys)
    print(f"{len(manifest)} files in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
