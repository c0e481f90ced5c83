"""Obligations of use restrictions: the use policy (and passing it on), territories, outputs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from desktop.core.obligations import reading
from desktop.core.obligations.common import evidence_of, key_of, quoting, reference_note
from desktop.core.obligations.register import Kind, Obligation

_OUTPUT_TEXT = {    # category (rules or knowledge base) -> what the company must do; words that find its quote
    "improve-other-models": ("Do not use the model's outputs to train, develop or improve other AI models, "
                             "within the limits of the quoted clause.", ("train", "improve", "develop")),
    "use-restricted": ("Use the model's outputs only as the quoted clause allows.", ("output",)),
    "attribution": ("A model created or trained with the outputs carries the attribution the quoted clause "
                    "requires.", ("name", "include", "attribution")),
    "training-creates-derivative": ("Treat a model trained on the outputs (distillation included) as a derivative "
                                    "of this one, under its terms.", ("train", "distill")),
    "disclose-machine-generated": ("Do not present the outputs as made by a person: say they are machine-generated "
                                   "where the quoted clause requires.", ("machine", "generated", "human")),
    "licensor-updates": ("Follow the updates the quoted clause lets the licensor make.", ("update", "latest")),
    "open-release-required": ("Release what is made with the outputs as openly as the quoted clause requires.",
                              ("release", "open")),
    "publication-limited": ("Publish outputs only as the quoted clause allows.", ("publi",)),
    "output-owned-by-licensor": ("The licensor owns the outputs: use them only as the quoted clause allows.",
                                 ("own",)),
    "territory": ("Use the outputs only where the quoted clause allows.", ("territor", "countr")),
}
NO_DUTY_OUTPUTS = frozenset({"none", "no-output-rights-claimed", "outputs-owned-by-user", "copyleft-if-derived"})


def use_restrictions(f: Mapping[str, Any], texts: dict[str, str]) -> list[Obligation]:
    facts = f.get("facts") or {}
    key = facts.get("license")
    evidence = evidence_of(f)
    aup = facts.get("aup") if isinstance(facts.get("aup"), dict) else {}
    territories = [str(t) for t in facts.get("territory_exclusions") or []]
    out: list[Obligation] = []
    if aup.get("kind") in ("external", "inline"):
        cited = [e for e in evidence if not any(t.lower() in str(e.get("quote") or "").lower() for t in territories)]
        where = f" ({aup['url']})" if aup.get("url") else ""
        text = f"Follow the use restrictions of the {aup['kind']} acceptable use policy{where}."
        flow = None
        for path in dict.fromkeys(str(e.get("path")) for e in cited if e.get("origin", "delivered") == "delivered"):
            for pattern in reading.FLOW_DOWN if texts.get(path) else ():
                flow = flow or reading.find_clause(path, texts[path], pattern)
        if flow is not None:
            text += " Pass them on to downstream users in the company's own terms, as the quoted clause requires."
            cited.insert(1, flow)
        else:
            text += " Whether they must be passed on to downstream users is not stated in the quoted clauses."
        if aup.get("updatable") is True:
            text += " The licensor may change the policy: check it again before each release."
        out.append(Obligation(key_of(Kind.USE_POLICY, key, aup["kind"]), Kind.USE_POLICY, key,
                              text + reference_note(key, cited), tuple(cited[:4])))
    if territories:
        cited = quoting(evidence, *territories) or evidence
        out.append(Obligation(key_of(Kind.TERRITORY, key, "-".join(territories)), Kind.TERRITORY, key,
                              f"Do not deploy or offer the model, or anything built with it, in: "
                              f"{', '.join(territories)}; the quoted terms exclude it."
                              + reference_note(key, cited), tuple(cited[:3])))
    return out


def outputs(f: Mapping[str, Any]) -> list[Obligation]:
    facts = f.get("facts") or {}
    key = facts.get("license")
    evidence = evidence_of(f)
    out = []
    for r in facts.get("restrictions") or []:
        category = str(r.get("category") if isinstance(r, dict) else r)
        if category in NO_DUTY_OUTPUTS:
            continue
        summary = str(r.get("summary") or "") if isinstance(r, dict) else ""
        text, words = _OUTPUT_TEXT.get(category, (f"Follow the quoted restriction on the model's outputs "
                                                  f"({category}).", ()))
        cited = [e for e in evidence if summary and summary[:60].lower() in str(e.get("quote") or "").lower()] \
            or quoting(evidence, *words) or evidence[:2]
        out.append(Obligation(key_of(Kind.OUTPUT_USE, key, category), Kind.OUTPUT_USE, key,
                              text + reference_note(key, cited), tuple(cited[:2])))
    return out
