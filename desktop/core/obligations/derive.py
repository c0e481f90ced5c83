"""Derive the obligations register from a delivery's findings (and its delivered texts).

The facts come from the checklist findings (attribution duties, thresholds, use policies, output
restrictions, territories); each obligation cites the findings' own grounded evidence.  Where the
delivered license and notice texts are at hand (at scan time, or kept with the delivery) a few
more clauses are read from them: when a threshold is measured and what follows when it is
crossed, registration before commercial use, notices on modified files, passing use restrictions
on, and the exact text of a delivered NOTICE file.  Evidence only from the reference library says
so in the obligation's text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from desktop.core.evidence import Evidence
from desktop.core.obligations import reading
from desktop.core.obligations.common import dedupe, evidence_of, key_of, quoting, reference_note
from desktop.core.obligations.components import component_obligations
from desktop.core.obligations.register import Kind, Obligation
from desktop.core.obligations.restrictions import outputs, use_restrictions

_DUTY_PREFIX = re.compile(r'^derivative model names begin with "(?P<v>[^"]+)"')
_DUTY_DISPLAY = re.compile(r'^display "(?P<v>.+)"$')
_DUTY_NOTICE = re.compile(r'^(?P<how>keep a|pass on the) "(?P<v>[^"]+)" file(?P<rest>.*)$')
_PHRASE = re.compile(r"^(?:Built|Powered|Made|Developed|Created|Improved|Trained|Fine-tuned)\s", re.I)
NOTICE_QUOTE_LIMIT = 4000          # a longer NOTICE is cited by its first lines and its SHA-256



def derive(findings: Sequence[Mapping[str, Any]], files: Sequence[Mapping[str, Any]] = (),
           texts: Mapping[str, str] | None = None, matches: Sequence[Mapping[str, Any]] = (),
           knowledge: Mapping[str, Any] | None = None) -> list[Obligation]:
    """The register of one delivery: model terms first, then component licenses, each with evidence.

    ``findings`` are scan-JSON findings; ``files`` the delivery's files (``path``, ``role``,
    ``sha256``); ``texts`` the delivered texts of license and notice files by path, when known;
    ``matches`` the license matches of the files (``path``, ``role``, ``key``, ``name``, ``source``, ``lines``)
    and ``knowledge`` the knowledge base, for the component licenses.
    """
    texts = dict(texts or {})
    out: list[Obligation] = []
    for f in findings:
        check = f.get("check")
        if check == "attribution":
            out += _attribution(f, files, texts)
        elif check == "commercial_use":
            out += _commercial(f, texts)
        elif check == "use_restrictions":
            out += use_restrictions(f, texts)
        elif check == "output_use":
            out += outputs(f)
    out += _from_texts(findings, texts, {o.key for o in out})
    governing = {(f.get("facts") or {}).get("license") for f in findings
                 if f.get("check") in ("weights_coverage", "commercial_use", "use_restrictions", "attribution")}
    out += component_obligations(matches, governing, texts, knowledge or {})
    order = {k: n for n, k in enumerate(Kind)}
    licenses = list(dict.fromkeys(o.license_key for o in out))
    unique = {o.key: replace(o, evidence=dedupe(o.evidence)) for o in reversed(out)}
    return sorted(unique.values(), key=lambda o: (licenses.index(o.license_key), order[o.kind]))


def _attribution(f: Mapping[str, Any], files: Sequence[Mapping[str, Any]],
                 texts: dict[str, str]) -> list[Obligation]:
    facts = f.get("facts") or {}
    key = facts.get("license")
    evidence = evidence_of(f)
    duties = [str(d) for d in facts.get("duties") or []]
    displays = [m["v"] for d in duties if (m := _DUTY_DISPLAY.match(d))]
    notice_texts = [d for d in displays if not _PHRASE.match(d)]
    notice_duties = [m for d in duties if (m := _DUTY_NOTICE.match(d))]
    out: list[Obligation] = []
    for duty in notice_duties:
        ob = _notice(key, duty, evidence, files, texts, notice_texts)
        if ob is not None:
            out.append(ob)
    for phrase in displays:
        if phrase in notice_texts and notice_duties:
            continue
        shown = phrase.split(" / ")[0]
        cited = quoting(evidence, shown) or quoting(evidence, "attribution", "display", "built with")
        text = f'Display "{phrase}" as the quoted terms require.' if _PHRASE.match(phrase) else \
            f'Include the attribution notice "{phrase}" as the quoted terms require.'
        out.append(Obligation(key_of(Kind.ATTRIBUTION, key, shown), Kind.ATTRIBUTION, key,
                              text + reference_note(key, cited or evidence), tuple(cited)))
    for duty in duties:
        m = _DUTY_PREFIX.match(duty)
        if m:
            cited = [e for e in quoting(evidence, m["v"]) if quoting([e], "name", "prefix", "begin")] \
                or quoting(evidence, "name")
            out.append(Obligation(key_of(Kind.NAME_PREFIX, key, m["v"]), Kind.NAME_PREFIX, key,
                                  f'Begin the name of any model derived from this one that the company '
                                  f'distributes or makes available with "{m["v"]}".'
                                  + reference_note(key, cited or evidence), tuple(cited)))
    modified = [e for e in evidence if reading.MODIFIED.search(str(e.get("quote") or ""))]
    if modified:
        out.append(_modified(key, modified))
    return out


def _notice(key: str | None, duty: re.Match[str], evidence: list[dict[str, Any]],
            files: Sequence[Mapping[str, Any]], texts: dict[str, str],
            notice_texts: list[str]) -> Obligation | None:
    name = duty["v"]
    delivered = [f for f in files if f.get("role") == "notice"
                 and str(f.get("path", "")).rsplit("/", 1)[-1].split(".")[0].lower() == name.lower()]
    conditional = duty["how"] == "pass on the"
    if conditional and not delivered:
        return None                    # the terms ask to pass on a NOTICE only when the work has one
    cited = sorted((e for e in quoting(evidence, "notice") if not reading.MODIFIED.search(str(e.get("quote") or ""))),
                   key=lambda e: (str(e.get("path")), list(e.get("lines") or e.get("pages") or [0])))
    cited += [_notice_text(f, texts) for f in delivered]
    paths = ", ".join(str(f["path"]) for f in delivered)
    if conditional:
        text = (f"Include a readable copy of the attribution notices of the delivered {paths} with every "
                "distribution of the model or of works derived from it, in its exact text.")
    elif delivered:
        text = (f'Keep a "{name}" text file with every distribution of the model or of works derived from it, '
                f"with the exact text of the delivered {paths}.")
    elif notice_texts or (notice_texts := _notice_in_clause(cited, texts)):
        text = (f'Keep a "{name}" text file with every distribution of the model or of works derived from it, '
                f'containing the attribution notice "{notice_texts[0]}".')
    else:
        text = (f'Keep a "{name}" text file with every distribution of the model or of works derived from it. '
                f"The delivery has no {name} file: its text is unknown; ask the vendor.")
    return Obligation(key_of(Kind.NOTICE_FILE, key, name), Kind.NOTICE_FILE, key,
                      text + reference_note(key, cited), tuple(cited))


def _notice_in_clause(cited: list[dict[str, Any]], texts: dict[str, str]) -> list[str]:
    """The notice a clause asks the Notice file to contain (``the following notice: "..."``), if it says."""
    for e in cited:
        text = texts.get(str(e.get("path")))
        found = reading.read_around(str(e["path"]), text, e, reading.NOTICE_WORDS) if text else []
        if found:
            cited.append(found[0])
            match = reading.NOTICE_WORDS.search(found[0]["quote"])
            return [match["t"].strip()] if match else []
    return []


def _notice_text(file: Mapping[str, Any], texts: dict[str, str]) -> dict[str, Any]:
    """The delivered NOTICE file's exact text as evidence (its first lines when long), with its SHA-256."""
    path, digest = str(file["path"]), file.get("sha256")
    text = texts.get(path)
    body = text.strip() if text else ""
    if not body:
        return {**Evidence.observed(path, f"the delivered {path} (SHA-256 {digest}); its text was not kept")
                .to_json(), "sha256": digest}
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")   # type: ignore[union-attr]
    first = next(n for n, line in enumerate(lines, 1) if line.strip())
    last = max(n for n, line in enumerate(lines, 1) if line.strip())
    if len(body) > NOTICE_QUOTE_LIMIT:
        last = first
        while last < len(lines) and len("\n".join(lines[first - 1:last + 1])) <= NOTICE_QUOTE_LIMIT:
            last += 1
    quote = "\n".join(lines[first - 1:last]).strip()
    item = Evidence.found(path, text, (first, last), quote).to_json()   # type: ignore[arg-type]
    item["sha256"] = digest
    if len(body) > NOTICE_QUOTE_LIMIT:
        item["note"] = f"the first {last - first + 1} lines; the whole text is the delivered file"
    return item


def _modified(key: str | None, cited: list[dict[str, Any]]) -> Obligation:
    return Obligation(key_of(Kind.MODIFIED_FILES, key), Kind.MODIFIED_FILES, key,
                      "Mark every delivered file the company modifies and then distributes with a prominent "
                      "notice that it was changed." + reference_note(key, cited), tuple(cited[:2]))


def _commercial(f: Mapping[str, Any], texts: dict[str, str]) -> list[Obligation]:
    facts = f.get("facts") or {}
    key = facts.get("license")
    evidence = evidence_of(f)
    out: list[Obligation] = []
    if facts.get("allowed") == "no":
        out.append(Obligation(key_of(Kind.USE_LIMIT, key), Kind.USE_LIMIT, key,
                              "Use the model only for the non-commercial or research purposes the quoted terms "
                              "allow." + reference_note(key, evidence), tuple(evidence[:3])))
    mau, revenue = facts.get("mau_threshold"), facts.get("revenue_threshold")
    if isinstance(mau, int) and not isinstance(mau, bool):
        cited = quoting(evidence, "monthly", "active user", "MAU") or evidence[:1]
        out.append(_threshold(key, f"monthly active users of the products or services using the model against "
                                   f"the threshold of {mau:,}", f"mau-{mau}", cited, texts))
    if isinstance(revenue, dict) and revenue.get("amount") is not None:
        amount = f"{revenue['amount']:,} {revenue.get('currency') or ''}".strip()
        cited = quoting(evidence, "revenue", "turnover", "receipts", "income", "sales") or evidence[:1]
        out.append(_threshold(key, f"the company's revenue against the threshold of {amount}",
                              f"revenue-{revenue['amount']}", cited, texts))
    return out


def _threshold(key: str | None, what: str, detail: str, cited: list[dict[str, Any]],
               texts: dict[str, str]) -> Obligation:
    """Monitor a threshold; when it is measured and what follows when crossed, as far as the sentence says."""
    measured: list[dict[str, Any]] = []
    crossed: list[dict[str, Any]] = []
    for e in list(cited):
        text = texts.get(str(e.get("path")))
        if text:
            whole = reading.whole_sentence(str(e["path"]), text, e)
            if whole is not None and whole not in cited:
                cited.insert(0, whole)
            measured = measured or reading.read_around(str(e["path"]), text, e, reading.MEASURED, 2)
            crossed = crossed or reading.read_around(str(e["path"]), text, e, reading.CROSSED)
    parts = [f"Monitor {what}."]
    parts.append("Measured: " + "; ".join(f'"{m["quote"]}"' for m in measured) + "." if measured else
                 "When it is measured: not stated in the quoted clause.")
    parts.append(f'When crossed: "{crossed[0]["quote"]}".' if crossed else
                 "What follows when it is crossed: not stated in the quoted clause.")
    extra = [e for e in measured + crossed if e not in cited]
    return Obligation(key_of(Kind.THRESHOLD, key, detail), Kind.THRESHOLD, key,
                      " ".join(parts) + reference_note(key, cited), tuple(cited[:2] + extra))


def _from_texts(findings: Sequence[Mapping[str, Any]], texts: dict[str, str], have: set[str]) -> list[Obligation]:
    """Registration and modified-file notices read from the model's own delivered license texts."""
    governing: dict[str, str | None] = {}
    for f in findings:
        if f.get("check") in ("commercial_use", "use_restrictions", "attribution", "weights_coverage"):
            for e in evidence_of(f):
                if e.get("origin", "delivered") == "delivered" and e.get("path") in texts:
                    governing.setdefault(str(e["path"]), (f.get("facts") or {}).get("license"))
    out: list[Obligation] = []
    for path, key in governing.items():
        found = reading.find_clause(path, texts[path], reading.REGISTRATION)
        if found is not None and key_of(Kind.REGISTRATION, key) not in have:
            out.append(Obligation(key_of(Kind.REGISTRATION, key), Kind.REGISTRATION, key,
                                  "Register with the licensor before any commercial use, as the quoted clause "
                                  "requires.", (found,)))
        found = reading.find_clause(path, texts[path], reading.MODIFIED)
        if found is not None and key_of(Kind.MODIFIED_FILES, key) not in have:
            out.append(_modified(key, [found]))
    return out
