"""Write resources/identities/*.yaml from public license texts (read at build time, never stored).

Usage: python bench/make_identities.py MIRRORS CORPUS
  MIRRORS  folder of bare git mirrors named owner+repo/repo (as the `fetch` tool leaves them)
  CORPUS   ../shared/corpus/deliveries (texts copied unmodified from the vendors' repositories)

Each identity keeps title and release lines, a few short phrases, the SHA-256 of the normalised
words and a MinHash sketch; the text itself is not written anywhere.  A spec with `lines` takes only
those lines of the file (a copier's note, a translation or an appended policy left out) and records
them in the identity's source.  The knowledge files (resources/knowledge/<id>.yaml) cite lines of the
whole file; bench/identity_check.py checks their quotes against it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktop.core.licenses.identities import fingerprint, words_key  # noqa: E402

# id, name, family, kind, repo, commit (None: the mirror's HEAD), path, where (mirror|corpus:CASE),
# titles, versions, phrases (short, as written in the text), summary (our own words)
SPECS: list[dict] = [
    dict(id="llama-3-license-2024", name="Meta Llama 3 Community License Agreement (April 18, 2024)",
         family="llama", kind="model", repo="meta-llama/llama3", path="LICENSE", lines=(1, 41), where="mirror",
         titles=["META LLAMA 3 COMMUNITY LICENSE AGREEMENT"],
         versions=["Meta Llama 3 Version Release Date: April 18, 2024"],
         phrases=["Built with Meta Llama 3", "include \"Llama 3\" at the beginning of any such AI model name"],
         summary="Meta's license for Llama 3: royalty-free use and redistribution, a separate license from "
                 "Meta above 700 million monthly active users in the month before the release date, "
                 "'Built with Meta Llama 3' attribution and a 'Llama 3' name prefix for derived models, the "
                 "Acceptable Use Policy incorporated, California law and courts."),
    *[dict(id=f"llama-{v}-aup", name=f"Llama {v} Acceptable Use Policy", family="llama", kind="policy",
           repo="meta-llama/llama-models", path=f"models/{folder}/USE_POLICY.md", where="mirror",
           titles=[title], versions=[], phrases=[],
           summary=f"Meta's list of prohibited uses of Llama {v} (unlawful, dangerous and deceptive uses, "
                   "undisclosed dangers), incorporated by reference into the Llama license; it points to the most "
                   "recent copy at Meta's web address."
                   + (" It withholds the rights to the multimodal models from individuals and companies in "
                      "the European Union (end users of products are not affected)." if v in ("3.2", "3.3") else ""))
      for v, folder, title in (("2", "llama2", "Llama 2 Acceptable Use Policy"),
                               ("3", "llama3", "Meta Llama 3 Acceptable Use Policy"),
                               ("3.1", "llama3_1", "Llama 3.1 Acceptable Use Policy"),
                               ("3.2", "llama3_2", "Llama 3.2 Acceptable Use Policy"),
                               ("3.3", "llama3_3", "Llama 3.3 Acceptable Use Policy"))],
    dict(id="qwen-research-2023", name="Tongyi Qianwen Research License Agreement (November 30, 2023)",
         family="qwen", kind="model", repo="QwenLM/Qwen", path="Tongyi Qianwen RESEARCH LICENSE AGREEMENT",
         where="mirror", titles=["Tongyi Qianwen RESEARCH LICENSE AGREEMENT"],
         versions=["Tongyi Qianwen Release Date: November 30, 2023"], phrases=["Non-Commercial"],
         summary="Alibaba Cloud's research license for some Qwen releases: use for non-commercial research "
                 "only; commercial use needs a separate license."),
    dict(id="dbrx-open-model-2024", name="Databricks Open Model License (DBRX)", family="dbrx", kind="model",
         repo="databricks/dbrx", path="LICENSE", where="mirror", titles=["Databricks Open Model License"],
         versions=[], phrases=["DBRX Derivatives"],
         summary="Databricks' license for DBRX: use and redistribution with the Acceptable Use Policy, a "
                 "separate license above 700 million monthly active users, no use of DBRX or its outputs "
                 "to improve other large language models."),
    dict(id="dbrx-aup-2024-03-27", name="Databricks Open Model Acceptable Use Policy (last modified March 27, 2024)",
         family="dbrx", kind="policy", repo="orsonteodoro/oiledmachine-overlay",
         commit="6e57e6891213ea111c285ff39109e1757371dbb9",
         path="licenses/Databricks-Open-Model-Acceptable-Use-Policy", lines=(3, 21), where="mirror",
         titles=["Databricks Open Model Acceptable Use Policy"], versions=["Last Modified: March 27, 2024"],
         phrases=["You agree not to use DBRX or DBRX Derivatives"],
         summary="The use policy the Databricks Open Model License incorporates: uses of DBRX and its "
                 "derivatives that are prohibited (unlawful uses, harm to minors, malware, harmful false "
                 "information, undisclosed machine-generated content, discrimination, medical advice, automated "
                 "decisions in justice and immigration); Databricks may update it."),
    dict(id="yi-series-1.0", name="Yi Series Models License Agreement, Version 1.0", family="yi", kind="model",
         repo="01-ai/Yi", commit="03c9c1b35f76c54a6467ac7783ec997c01e857c0", path="MODEL_LICENSE_AGREEMENT.txt",
         where="mirror", titles=["Yi Series Models License Agreement"],
         versions=["Yi Series Models License Agreement Version: 1.0"], phrases=[],
         summary="01.AI's first license for the Yi models: research use, commercial use after applying "
                 "to the licensor, PRC law."),
    dict(id="yi-series-2.0", name="Yi Series Models License Agreement, Version 2.0", family="yi", kind="model",
         repo="01-ai/Yi", commit="8cea864a674114582c46c28382b7bde8cb3e3420", path="MODEL_LICENSE_AGREEMENT.txt",
         where="mirror", titles=["Yi Series Models License Agreement"],
         versions=["Yi Series Models License Agreement Version: 2.0"], phrases=[],
         summary="01.AI's second Yi model license."),
    dict(id="yi-series-community-2.1", name="Yi Series Models Community License Agreement, Version 2.1",
         family="yi", kind="model", repo="01-ai/Yi", commit="90fe5676d3ec5f9e5b54601de4aa5f80a13d5f79",
         path="MODEL_LICENSE_AGREEMENT.txt", where="mirror",
         titles=["Yi Series Models Community License Agreement"],
         versions=["Yi Series Models Community License Agreement Version: 2.1"], phrases=[],
         summary="01.AI's community license for the Yi models: free commercial use after registration."),
    dict(id="kolors-model-2024-07-06", name="Kolors Model License Agreement (2024/7/6)", family="kolors",
         kind="model", repo="Kwai-Kolors/Kolors", path="MODEL_LICENSE", where="mirror",
         titles=["MODEL LICENSE AGREEMENT Release Date: 2024/7/6"], versions=["Release Date: 2024/7/6"], phrases=[],
         summary="Kuaishou's bilingual (Chinese and English) license for the Kolors model: use restrictions "
                 "that must flow down, commercial use after registration."),
    dict(id="tencent-hunyuan-community-2024-05-14",
         name="Tencent Hunyuan Community License Agreement (Hunyuan DiT, 14 May 2024)", family="tencent",
         kind="model", repo="Tencent/HunyuanDiT", commit="368280ec35119ed2741a30cc5b40aafde34f8a8a",
         path="LICENSE.txt", where="corpus:hunyuan-dit", titles=["TENCENT HUNYUAN COMMUNITY LICENSE AGREEMENT"],
         versions=["Tencent Hunyuan DiT Release Date: 14 May 2024"],
         phrases=["DOES NOT APPLY IN THE EUROPEAN UNION"],
         summary="Tencent's community license for Hunyuan DiT: not available in the European Union, a "
                 "separate license above 100 million monthly active users, Hong Kong law and courts."),
    dict(id="tencent-hunyuan-large-2024-11-05",
         name="Tencent Hunyuan Community License Agreement (Hunyuan-Large, November 5, 2024)", family="tencent",
         kind="model", repo="Tencent/Tencent-Hunyuan-Large", commit="cdc37358aa7ce74f4883ae639726804a63ea99f6",
         path="LICENSE.txt", where="corpus:hunyuan-large",
         titles=["TENCENT HUNYUAN COMMUNITY LICENSE AGREEMENT"],
         versions=["Tencent-Hunyuan-Large Release Date: November 5, 2024"],
         phrases=["DOES NOT APPLY IN THE EUROPEAN UNION"],
         summary="Tencent's community license for Hunyuan-Large: not available in the European Union, a "
                 "separate license above 100 million monthly active users, Hong Kong law and courts."),
    dict(id="cogvlm-model", name="The CogVLM License", family="glm", kind="model", repo="THUDM/CogVLM",
         commit="f7283b2c8d26cd7f932d9a5f7f5f9307f568195d", path="MODEL_LICENSE", where="corpus:cogvlm",
         titles=["The CogVLM License"], versions=["Llama2 and EVA-CLIP2 License"], phrases=["CogVLM Model Team"],
         summary="Zhipu/Tsinghua's license for the CogVLM weights: academic use, commercial use after "
                 "registration, PRC law, Haidian court."),
    dict(id="glm-130b-model", name="The GLM-130B License", family="glm", kind="model", repo="THUDM/GLM-130B",
         commit="212215c54f8a9da2deed51455868305235664370", path="MODEL_LICENSE", where="corpus:glm-130b",
         titles=["The GLM-130B License"], versions=[], phrases=["GLM-130B Model Team"],
         summary="The GLM-130B weights license: non-commercial research use only, PRC law, Haidian court."),
    dict(id="chatglm3-6b-model", name="The ChatGLM3-6B License", family="glm", kind="model",
         repo="THUDM/ChatGLM3", path="MODEL_LICENSE", where="mirror", titles=["The ChatGLM3-6B License"],
         versions=[], phrases=[],
         summary="The ChatGLM3-6B weights license (Chinese and English): academic research use, commercial "
                 "use after registration, PRC law, Haidian court."),
    dict(id="cogvideox-model", name="The CogVideoX License", family="glm", kind="model", repo="THUDM/CogVideo",
         path="MODEL_LICENSE", where="mirror", titles=["The CogVideoX License"], versions=[],
         phrases=["CogVideoX Model Team"],
         summary="The CogVideoX weights license: academic research use, commercial use after registration "
                 "within stated limits, PRC law, Haidian court."),
    dict(id="minimax-model-2025-01-15", name="MiniMax Model License (15 January 2025)", family="minimax",
         kind="model", repo="MiniMax-AI/MiniMax-01", commit="57cf223b177e99636c7711a0f179e9fdc9c38e8a",
         path="LICENSE-MODEL", where="corpus:minimax-01", titles=["MINIMAX MODEL LICENSE"],
         versions=["Model Release Date: 15 January 2025"], phrases=["Prohibited Uses Policy"],
         summary="MiniMax's model license: Singapore law, SIAC arbitration, an appended Prohibited Uses "
                 "Policy and a notice to keep."),
    dict(id="bilibili-index-model-1.0", name="bilibili Index-1.9B Model License Agreement 1.0 (11 June 2024)",
         family="bilibili", kind="model", repo="bilibili/Index-1.9B", path="INDEX_MODEL_LICENSE",
         where="mirror", titles=["bilibili Index-1.9B 模型许可协议"], versions=["版本 1.0，2024 年 6 月 11 日"],
         phrases=["bilibili Index Inside"],
         summary="bilibili's license for the Index-1.9B weights (Chinese only): non-commercial use, "
                 "commercial use only after registering with and written authorisation from the licensor, "
                 "a list of prohibited uses, marking of open-source derivatives and ranked derivatives with "
                 "the bilibili Index brand, mainland PRC law and the courts where the licensor is based."),
    dict(id="cogvlm2-model", name="The CogVLM License (CogVLM2 release, Llama 3 base)", family="glm", kind="model",
         repo="THUDM/CogVLM2", commit="f6e1d1476f67f5771c53ab93d252c35f90882d94", path="MODEL_LICENSE",
         where="mirror", titles=["The CogVLM License"], versions=["Llama3 and EVA-CLIP2 License"],
         phrases=["CogVLM Model Team"],
         summary="The CogVLM license as issued with CogVLM2: academic use, commercial use after registration, "
                 "the Llama 3 and EVA-CLIP2 (MIT) conditions also applying to the Llama 3 based weights, PRC law, "
                 "Haidian court."),
    dict(id="chatglm-6b-model", name="The ChatGLM-6B License", family="glm", kind="model", repo="THUDM/ChatGLM-6B",
         commit="16fd212c05fc721e18ebf3dd997902049f8b847b", path="MODEL_LICENSE", where="mirror",
         titles=["The ChatGLM-6B License"], versions=[], phrases=["ChatGLM-6B Model Team"],
         summary="The ChatGLM-6B weights license (Chinese and English): use of the parameters with the notice "
                 "kept, no military or illegal use, PRC law, Haidian court."),
    dict(id="chatglm2-6b-model", name="The ChatGLM2-6B License", family="glm", kind="model",
         repo="THUDM/ChatGLM2-6B", commit="4a85b09f8f64150aa9a05055cf66556096044e61", path="MODEL_LICENSE",
         where="mirror", titles=["The ChatGLM2-6B License"], versions=[], phrases=["ChatGLM2-6B Model Team"],
         summary="The ChatGLM2-6B weights license (Chinese and English): use of the parameters with the notice "
                 "kept, no military or illegal use, PRC law, Haidian court."),
    dict(id="chatglm3-6b-model-2023-10-27", name="The ChatGLM3-6B License (first version, 2023-10-27)",
         family="glm", kind="model", repo="THUDM/ChatGLM3", commit="bd5bfb247316f4cff396a4c079217da40c6c772d",
         path="MODEL_LICENSE", where="mirror", titles=["The ChatGLM3-6B License"], versions=[], phrases=[],
         summary="The first ChatGLM3-6B weights license (Chinese and English): use of the parameters with the "
                 "notice kept, no military or illegal use, PRC law, Haidian court; no registration step."),
    dict(id="glm-4-9b-model", name="The glm-4-9b License", family="glm", kind="model",
         repo="orsonteodoro/oiledmachine-overlay", commit="5413230733ccb8de063b7ad312dab8a2281d9a5b",
         path="licenses/glm-4-9b-LICENSE", where="mirror", titles=["The glm-4-9b License"], versions=[],
         phrases=["Built with glm-4"],
         summary="The GLM-4-9B weights license (Chinese and English): academic use, commercial use after "
                 "registration, a copy of the license and 'Built with glm-4' for distributions, 'glm-4' at the "
                 "start of derived model names, PRC law, Haidian court."),
    *[dict(id=ident, name=f"Tencent Hunyuan Community License Agreement ({model}, {when})", family="tencent",
           kind="model", repo=repo, commit=commit, path=path, where="mirror",
           titles=["TENCENT HUNYUAN COMMUNITY LICENSE AGREEMENT"], versions=[version],
           phrases=["DOES NOT APPLY IN THE EUROPEAN UNION, UNITED KINGDOM AND SOUTH KOREA"],
           summary=f"Tencent's community license for {model}: not available in the European Union, the United "
                   "Kingdom or South Korea, a separate license above 100 million monthly active users, no use of "
                   "the works or outputs to improve any other AI model, Hong Kong law and courts."
                   + (" Users of services built on it must be told who provides them and that Tencent is not "
                      "affiliated." if extra else ""))
      for ident, model, when, repo, commit, path, version, extra in (
          ("tencent-hunyuan-video-2024-12-03", "HunyuanVideo", "3 December 2024", "Tencent/HunyuanVideo",
           "0fd76e2a56ec835e95c86f6639e9ed8c7cb2aab5", "LICENSE.txt",
           "Tencent HunyuanVideo Release Date: December 3, 2024", False),
          ("tencent-hunyuan-a13b-2025-06-27", "Hunyuan-A13B", "27 June 2025", "Tencent-Hunyuan/Hunyuan-A13B",
           "a728865b7398d1e18e9fb35a9894e4a4b9516a8a", "LICENSE",
           "Tencent Hunyuan A13B Release Date: June 27, 2025", False),
          ("tencent-hunyuan-image-2.1-2025-09-08", "HunyuanImage 2.1", "8 September 2025",
           "Tencent-Hunyuan/HunyuanImage-2.1", "307df8801d176740dafb67b2872c831cb9362cf9", "LICENSE",
           "Tencent HunyuanImage 2.1 Release Date: September 8, 2025", True),
          ("tencent-hunyuan-video-1.5-2025-11-21", "HunyuanVideo 1.5", "21 November 2025",
           "Tencent-Hunyuan/HunyuanVideo-1.5", "e8b2117388706ab2a7b60ce2d62460496bec3ae1", "LICENSE",
           "Tencent HunyuanVideo 1.5 Release Date: November 21, 2025", True))],
    dict(id="minimax-model-m2.5-2026-02-13", name="MiniMax Model License (MiniMax-M2.5, version release date 2026-02-13)",
         family="minimax", kind="model", repo="MiniMax-AI/MiniMax-M2.5", commit="7a771393dc7e26952a21497c91c6d82c1694b331",
         path="LICENSE-MODEL", where="mirror", titles=["MINIMAX MODEL LICENSE"],
         versions=["MiniMax-M2.5 Version Release Date: 2026-02-13"], phrases=["Prohibited Uses Policy"],
         summary="MiniMax's model license as issued with MiniMax-M2.5: royalty-free use and redistribution with "
                 "a copy of the agreement and a Notice file, an appended Prohibited Uses Policy, Singapore law, "
                 "SIAC arbitration."),
    dict(id="minimax-m2-modified-mit-2025", name="MiniMax M2 License (MIT with a display duty)", family="minimax",
         kind="model", repo="MiniMax-AI/MiniMax-M2", commit="a01f06af0e56b2bc992c81354155fa9c29d8a2ed", path="LICENSE",
         where="mirror", titles=[], versions=["prominently display “MiniMax M2” on the user interface"],
         phrases=["Copyright 2025 MiniMax AI", "Our only modification is that"],
         summary="The MIT License with one addition by MiniMax: products or services with more than 100 million "
                 "monthly active users or more than USD 30 million annual recurring revenue must display "
                 "'MiniMax M2' on their user interface."),
    dict(id="minimax-m2.7-non-commercial-2026", name="MiniMax M2.7 Non-Commercial License (2026)", family="minimax",
         kind="model", repo="MiniMax-AI/MiniMax-M2.7", commit="1e267c3e155b30bd4156beaaf7042dd0b585d8e3",
         path="LICENSE", where="mirror", titles=["Non-commercial use permitted based on MIT-style terms"],
         versions=["Built with MiniMax M2.7"], phrases=["M2.7 licensing"],
         summary="MiniMax's MIT-style license for M2.7 limited to non-commercial use: commercial use needs "
                 "MiniMax's prior written authorization and a 'Built with MiniMax M2.7' display; personal, "
                 "non-profit, academic and research use free; an appended list of prohibited uses."),
    dict(id="qwen-research-2024-09-19", name="Qwen Research License Agreement (September 19, 2024)", family="qwen",
         kind="model", repo="orsonteodoro/oiledmachine-overlay", commit="4b61b4da4ebb50464771a57331b6d5fcf5ff6f6d",
         path="licenses/Qwen-RESEARCH-LICENSE-AGREEMENT", where="mirror",
         titles=["Qwen RESEARCH LICENSE AGREEMENT"],
         versions=["Qwen RESEARCH LICENSE AGREEMENT Release Date: September 19, 2024"], phrases=["Non-Commercial"],
         summary="Alibaba Cloud's research license for some Qwen2.5 releases: non-commercial research or "
                 "evaluation use only; commercial use needs a separate license."),
    dict(id="llama-code-aup", name="Llama Code Acceptable Use Policy", family="llama", kind="policy",
         repo="orsonteodoro/oiledmachine-overlay", commit="370c6e2c960c8297d95e229a1006cc6e9864d090",
         path="licenses/codellama-USE_POLICY.md", lines=(3, 52), where="mirror",
         titles=["Llama Code Acceptable Use Policy"], versions=[], phrases=[],
         summary="Meta's list of prohibited uses of Code Llama (unlawful, dangerous and deceptive uses, undisclosed "
                 "dangers), the Llama 2 policy written for Llama Code; it points to the most recent copy at "
                 "Meta's web address."),
    # Texts the vendors publish only on their web sites or Hugging Face, read from public GitHub
    # repositories that keep a copy; `lines` keeps only the license (not the copier's own note).
    dict(id="falcon-180b-tii-1.0", name="Falcon 180B TII License, Version 1.0 (September 2023)", family="falcon",
         kind="model", repo="sinotec2/FAQ", commit="d530771d8388549e9fb8f1c1930dd20cd59e1cc7",
         path="journal/falcon170BTOU.md", lines=(3, 100), where="mirror",
         titles=["FALCON 180B TII LICENSE VERSION 1.0"], versions=["FALCON 180B TII LICENSE VERSION 1.0 September 2023"],
         phrases=["is built using Falcon LLM technology from the", "Hosting Application Address"],
         summary="TII's license for Falcon 180B, built on Apache 2.0: royalty-free use and redistribution, "
                 "the Acceptable Use Policy (updatable, at FalconLLM.tii.ae) binding and to be passed on, a "
                 "'built using Falcon LLM technology' statement for derivatives, and no hosted inference or "
                 "fine-tuning API service without TII's separate permission."),
    dict(id="tii-falcon-license-2024-12", name="TII Falcon License (Falcon 3, December 2024)", family="falcon",
         kind="model", repo="orsonteodoro/oiledmachine-overlay", commit="44bfd3269cf90efddc72e395f0b27c4f5d4a8bb0",
         path="licenses/Falcon-3-TII-Falcon-License-December-2024", lines=(3, 116), where="mirror",
         titles=["Falcon 3 TII Falcon License"], versions=["Falcon 3 TII Falcon License December 2024"],
         phrases=["is built using artificial intelligence technology from the"],
         summary="TII's license for the Falcon 3 models, built on Apache 2.0: royalty-free use and redistribution, "
                 "the Acceptable Use Policy (updatable, at FalconLLM.tii.ae) binding and to be passed on, and a "
                 "'built using artificial intelligence technology from the Technology Innovation Institute' "
                 "statement for derivatives."),
    dict(id="mistral-mrl-0.1", name="Mistral AI Research License (MRL-0.1)", family="mistral", kind="model",
         repo="orsonteodoro/oiledmachine-overlay", commit="5413230733ccb8de063b7ad312dab8a2281d9a5b",
         path="licenses/MRL-0.1.md", where="mirror", titles=["Mistral AI Research License"], versions=[],
         phrases=["Licensed by Mistral AI under the Mistral AI Research License"],
         summary="Mistral AI's research license: the models, derivatives and outputs for research purposes "
                 "only (personal, scientific or academic, non-commercial), redistribution with the agreement "
                 "and a Notice file, French law and the courts of Paris."),
    dict(id="mistral-mnpl-0.1", name="Mistral AI Non-Production License (MNPL-0.1)", family="mistral",
         kind="model", repo="orsonteodoro/oiledmachine-overlay", commit="e172fcec47b98e1e6efad23338917a16a60cdd28",
         path="licenses/MNPL-0.1.md", lines=(3, 81), where="mirror",
         titles=["Mistral AI Non-Production License"], versions=[],
         phrases=["Licensed by Mistral AI under the Mistral AI Non-Production License"],
         summary="Mistral AI's non-production license: the models and derivatives for testing, research, "
                 "personal or evaluation use in non-production environments only, never supplied in a "
                 "commercial activity, French law and the courts of Paris."),
    dict(id="cohere-c4ai-aup", name="Cohere For AI Acceptable Use Policy", family="cohere", kind="policy",
         repo="orsonteodoro/oiledmachine-overlay", commit="8c72d14118c06542d09eff60857274808348b0df",
         path="licenses/C4AI-Acceptable-Use-Policy", lines=(3, 22), where="mirror",
         titles=["Cohere For AI Acceptable Use Policy"], versions=[],
         phrases=["Synthetic data for commercial uses"],
         summary="The use policy Cohere For AI adds to the CC-BY-NC weights of its open models: prohibited "
                 "uses (violence, harassment, sexual exploitation, sensitive information, fraud and deception) "
                 "and no synthetic data generated for commercial purposes."),
]


def _text(spec: dict, mirrors: Path, corpus: Path) -> tuple[str, str]:
    where = spec["where"]
    if where.startswith("corpus:"):
        return (corpus / where.split(":", 1)[1] / spec["path"]).read_text(encoding="utf-8"), spec["commit"]
    repo = mirrors / spec["repo"].replace("/", "+") / "repo"
    commit = spec.get("commit") or subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], check=True,
                                                  capture_output=True, text=True).stdout.strip()
    shown = subprocess.run(["git", "-C", str(repo), "show", f"{commit}:{spec['path']}"], check=True,
                           capture_output=True)
    text = shown.stdout.decode("utf-8")
    if "lines" in spec:  # the license only, without the copier's note or translation around it
        first, last = spec["lines"]
        text = "\n".join(text.split("\n")[first - 1:last]) + "\n"
    return text, commit


def main(mirrors: Path, corpus: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for spec in SPECS:
        text, commit = _text(spec, mirrors, corpus)
        joined = f" {words_key(text)} "
        lines = [words_key(line) for line in spec["titles"] + spec["versions"] + spec["phrases"]]
        missing = [line for line in lines if f" {line} " not in joined]
        if missing:
            raise SystemExit(f"{spec['id']}: not in the text: {missing}")
        source = {"repo": spec["repo"], "commit": commit, "path": spec["path"]}
        if "lines" in spec:
            source["lines"] = list(spec["lines"])
        doc = {
            "id": spec["id"], "name": spec["name"], "family": spec["family"], "kind": spec["kind"],
            "source": source,
            "titles": [words_key(t) for t in spec["titles"]],
            "versions": [words_key(v) for v in spec["versions"]],
            "phrases": [words_key(p) for p in spec["phrases"]],
            "summary": spec["summary"],
            "fingerprint": fingerprint(text),
        }
        path = out / f"{spec['id']}.yaml"
        path.write_text(yaml.safe_dump(doc, sort_keys=False, width=120, allow_unicode=True), encoding="utf-8")
        print(path, doc["fingerprint"]["words"])


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(__file__).resolve().parents[1] / "resources" / "identities")
