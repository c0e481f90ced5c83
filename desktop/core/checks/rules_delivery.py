"""Rules about the delivery itself: lineage, attribution, declarations, data, unsafe files, integrity."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from desktop.core.case_fold import CaseBlind
from desktop.core.checks.context import ReviewContext
from desktop.core.checks.file_verdicts import UNSAFE_CODES, Verdict, delivery_verdicts
from desktop.core.checks.findings import finding, governing_hits
from desktop.core.checks.lineage import gguf_value
from desktop.core.evidence import Evidence

INTAKE_CODES = frozenset({
    "absolute-path", "path-traversal", "symlink-outside", "hardlink", "device-file", "duplicate-name",
    "encrypted", "corrupt-archive", "truncated-archive", "too-many-members", "ratio-limit", "size-limit",
    "nesting-too-deep", "unreadable", "undecodable-name", "reader-error", "backslash-path",
    "control-character-name", "empty-name", "unsupported-entry", "special-file", "time-limit",
    "name-collision", "nul-in-name", "unicode-path-name",
})
HEADER_CODES = frozenset({
    "safetensors-header", "safetensors-layout", "gguf-corrupt", "gguf-unsupported", "malformed-json",
    "malformed-yaml", "pdf-broken", "pdf-encrypted", "docx-broken", "onnx-corrupt", "coreml-corrupt",
    "tflite-corrupt", "hdf5-corrupt", "keras-broken", "pickle-broken", "pickle-scan-limit",
    "pytorch-zip-broken", "pytorch-layout", "numpy-corrupt", "size-mismatch", "changed-while-reading",
    "nested-too-large", "spool-failed", "unsupported-compression", "pickle-unverified", "json-too-large",
})


def derivative_status(ctx: ReviewContext) -> list[dict[str, Any]]:
    """Base models, relation, the base license and whether the delivered terms satisfy it
    (:mod:`desktop.core.checks.derivation`, decided by the rule table in resources/derivation)."""
    from desktop.core.checks.derivation import derivative_findings
    return derivative_findings(ctx)


# Within one line ([^\S\n] is white space other than a line end), so one search of a whole region
# finds what a search of each of its lines would find first
_NOTICE_FILE = CaseBlind(r"""\b(?:within|in|by|with)[^\S\n]+an?[^\S\n]+["\u201c']?(?P<name>notice)["\u201d']?"""
                         r"""[^\S\n]+(?:text[^\S\n]+)?file""")
_CONDITIONAL = re.compile(r"(?i)\bif\b[^.;]{0,100}?\b(?:includes?|contains?|comes\s+with)\b[^.;]{0,40}?\bnotice")


def attribution(ctx: ReviewContext) -> list[dict[str, Any]]:
    """Attribution phrases, model-name prefixes and notice files the terms require, read from the delivered
    texts (the knowledge base adds what its own quotes show in the delivered text)."""
    from desktop.core.checks.terms import Basis, clause_evidence, clauses_of, read_terms

    out = []
    has_notice = any(f.role == "notice" for f in ctx.files)
    readme_text = " ".join((f.text or "") for f in ctx.files if f.role in ("model_card", "docs")).lower()
    names = [n["name"] for n in ctx.lineage.names]
    seen: set[str] = set()
    for hit in governing_hits(ctx):
        ident = hit.key or hit.path
        if ident in seen:
            continue
        seen.add(ident)
        duties: list[str] = []
        problems: list[str] = []
        evidence: list[Any] = []
        why = "low: the terms set duties the delivery meets"
        for clause in clauses_of(ctx, hit):
            if clause.kind == "naming_duty" and isinstance(clause.value, str):
                duty = f'derivative model names begin with "{clause.value}"'
            elif clause.kind == "attribution_duty" and isinstance(clause.value, str) and \
                    clause.value.lower() != "notice":
                duty = f'display "{clause.value}"'
            elif clause.kind == "attribution_duty" and (notice := _NOTICE_FILE.search(clause.quote)):
                name = clause.quote[notice.start("name"):notice.end("name")]
                if _CONDITIONAL.search(_around(ctx, hit.path, clause.lines)):
                    duty = f'pass on the "{name}" file if the work includes one' + \
                        ("" if has_notice else " (none is delivered, so nothing to pass on)")
                else:
                    duty = f'keep a "{name}" file'
            else:
                continue
            if duty not in duties:
                duties.append(duty)
                evidence.append(clause_evidence(ctx, hit.path, clause))
        if not any('"notice" file' in d.lower() for d in duties):
            found = _notice_duty_in_text(ctx, hit)
            if found is not None:
                name, ev = found
                if _CONDITIONAL.search(_around(ctx, hit.path, ev.lines or (1, 1))):
                    duties.append(f'pass on the "{name}" file if the work includes one'
                                  + ("" if has_notice else " (none is delivered, so nothing to pass on)"))
                else:
                    duties.append(f'keep a "{name}" file')
                evidence.append(ev)
        kb = read_terms(ctx, hit).get("derivative_obligations")
        value = kb.value if isinstance(kb.value, dict) and kb.basis in (Basis.CONFIRMED, Basis.REFERENCE) else {}
        facts = ctx.facts(hit.key)
        phrase = value.get("attribution_phrase")
        if isinstance(phrase, str) and phrase not in ("not-stated", "") and \
                not any(phrase.split(" / ")[0].lower() in d.lower() for d in duties):
            duties.append(f'display "{phrase}"')
        for duty in duties:
            if duty.startswith("display"):
                shown = duty.split('"')[1].split(" / ")[0]
                if shown.lower() not in readme_text:
                    problems.append(f'"{shown}" does not appear in the model card or documentation')
        prefix = value.get("name_prefix")
        if isinstance(prefix, str) and prefix not in ("not-stated", "") and \
                not any("names begin" in d for d in duties):
            duties.append(f'derivative model names begin with "{prefix}"')
        for duty in duties:
            if "names begin" in duty:
                want = duty.split('"')[1]
                derived = any(b.license == hit.key for b in ctx.lineage.base_models)
                if derived and names and not any(n.split("/")[-1].lower().startswith(want.lower()) for n in names):
                    problems.append(f'no model name begins with "{want}" ({", ".join(names)})')
        notice = value.get("notice_file")
        if isinstance(notice, str) and notice not in ("not-stated", "") and \
                not any(f'"{notice.lower()}" file' in d.lower() for d in duties):
            quotes = [e.quote for e in (facts.facts["derivative_obligations"].evidence if facts else ())
                      if re.search("[\"\u201c']" + re.escape(notice) + "[\"\u201d']", e.quote, re.I)]
            conditional = bool(quotes) and all(_CONDITIONAL.search(q) for q in quotes)
            if conditional:
                duties.append(f'pass on the "{notice}" file if the work includes one'
                              + ("" if has_notice else " (none is delivered, so nothing to pass on)"))
            else:
                duties.append(f'keep a "{notice}" file')
        for duty in duties:
            if duty.startswith("keep a") and not has_notice:
                problems.append("the delivery has no NOTICE file")
                break
        if not duties:
            continue
        evidence += [e for e in kb.evidence[:3] if e not in evidence]
        level = "medium" if problems else "low"
        if problems:
            why = "medium: a duty the terms set is not met by the delivery"
        summary = f"{rules_label(ctx, hit)} requires: {'; '.join(duties)}."
        if problems:
            summary += " Missing: " + "; ".join(problems) + "."
        out.append(finding("attribution", level, summary,
                           {"license": hit.key, "duties": duties, "missing": problems, "names": names},
                           evidence or [ctx.evidence_for(hit)], why=why))
    for base in ctx.lineage.base_models:
        key = base.license
        if not key or key in seen or key not in ctx.knowledge:
            continue
        seen.add(key)
        obligations = ctx.knowledge[key].facts["derivative_obligations"]
        value = obligations.value if isinstance(obligations.value, dict) else {}
        duties = [f'derivative model names begin with "{value["name_prefix"]}"'] \
            if isinstance(value.get("name_prefix"), str) and value.get("name_prefix") not in ("not-stated", "") else []
        if isinstance(value.get("attribution_phrase"), str) and value["attribution_phrase"] not in ("not-stated", ""):
            duties.append(f'display "{value["attribution_phrase"]}"')
        if not duties:
            continue
        out.append(finding("attribution", "low",
                           f"The base model's license {base.license_name or key} requires: {'; '.join(duties)} "
                           f"(from the reference text of {key}; that text is not delivered).",
                           {"license": key, "duties": duties, "missing": [], "names": names},
                           [Evidence.reference(key, e.lines, e.quote) for e in obligations.evidence if e.lines][:3],
                           why="low: duties of the base model's license, from the reference"))
    return out


def _notice_duty_in_text(ctx: ReviewContext, hit: Any) -> tuple[str, Any] | None:
    """A duty to ship a notice file, found in the delivered text of ``hit`` (its own region)."""
    from desktop.core.checks.terms import text_region

    entry = ctx.entry(hit.path)
    if hit.source != "text" or entry is None or not entry.text:
        return None
    region = text_region(ctx, hit)
    lines = entry.text.split("\n")
    first, last = region if region else (1, len(lines))
    first = max(1, first)
    text = "\n".join(lines[first - 1:min(len(lines), last)])
    match = _NOTICE_FILE.search(text)
    if match is None:
        return None
    n = first + text.count("\n", 0, match.start())
    return text[match.start("name"):match.end("name")], ctx.locate(hit.path, text[match.start():match.end()], (n, n))


def _around(ctx: ReviewContext, path: str, lines: tuple[int, int]) -> str:
    """The cited lines of a delivered text with the eight lines before them (the sentence's start)."""
    entry = ctx.entry(path)
    if entry is None or not entry.text:
        return ""
    all_lines = entry.text.split("\n")
    return " ".join(all_lines[max(0, lines[0] - 9):lines[1]])


def rules_label(ctx: ReviewContext, hit: Any) -> str:
    from desktop.core.checks.rules_terms import label
    return label(ctx, hit)


def declared_vs_detected(ctx: ReviewContext) -> list[dict[str, Any]]:
    """Every license statement about the model, from every source, must agree; so must code packages."""
    return _model_statements(ctx) + _package_statements(ctx)


def _package_statements(ctx: ReviewContext) -> list[dict[str, Any]]:
    """A code package declaring a license whose text is not among the delivered license texts."""
    declared = [h for h in ctx.hits if h.role == "code" and h.source == "declared"]
    texts = [h for h in ctx.text_hits() if h.role in ("license", "notice") and h.family]
    if not declared or not texts:
        return []
    delivered = {h.family for h in texts}
    odd = [h for h in declared if h.family not in delivered]
    if not odd:
        return []
    evidence = [ctx.evidence_for(h, str(h.raw.get("written") or h.name)) for h in odd]
    evidence += [ctx.evidence_for(h) for h in texts[:3]]
    said = "; ".join(sorted({str(h.raw.get("written") or h.name) for h in odd}))
    return [finding("declared_vs_detected", "medium",
                    f"Code package metadata declares licenses whose texts are not delivered ({said}); the "
                    f"delivered texts are {', '.join(sorted({h.name for h in texts}))}.",
                    {"consistent": False, "packages": [{"path": h.path, "license": h.key or h.family,
                                                        "written": h.raw.get("written")} for h in odd]},
                    evidence)]


def _model_statements(ctx: ReviewContext) -> list[dict[str, Any]]:
    """Do the delivery's statements about the model's license agree?

    Third-party component licenses (notices, LICENSES/, appended texts) are not statements about the
    model.  A software license for the code beside a model license for the weights is the usual split,
    reported at info; a license the model card declares whose text is not delivered, or two model
    licenses that differ, are flagged.
    """
    from desktop.core.checks.speakers import is_component, is_policy

    statements = [h for h in ctx.model_hits()
                  if (h.key or h.family or h.source == "declared"
                      or (h.source == "text" and h.role in ("license", "agreement")))
                  and not is_component(ctx, h) and not is_policy(ctx, h)]
    statements = [h for h in statements
                  if not (h.key and ctx.knowledge.get(h.key) and ctx.knowledge[h.key].kind == "policy")]
    if not statements:
        return []
    evidence = [replace(ctx.evidence_for(h), about=(("source", h.source),
                                                    ("license", h.key or h.raw.get("declared"))))
                for h in statements]
    sources = [{"path": h.path, "source": h.source, "license": h.key, "family": h.family} for h in statements]

    def family(hit: Any) -> str:
        if hit.source == "text" and not hit.identified and hit.family in (None, "", "unknown", "json"):
            return f"unidentified:{hit.path}"
        return str(hit.family or hit.key or hit.raw.get("declared", "unknown"))

    def software(hit: Any) -> bool:
        facts = ctx.knowledge.get(hit.key) if hit.key else None
        return facts is not None and facts.kind == "software"

    texts = [h for h in statements if h.source == "text"]
    text_families = {family(h) for h in texts}
    declared = [h for h in statements if h.source == "declared"]
    from desktop.core.checks.rules_terms import declared_is_delivered
    undelivered = [h for h in declared if texts and family(h) not in text_families
                   and not declared_is_delivered(ctx, h, texts)]
    if undelivered:
        linked = _linked_texts(ctx, texts) or [h for h in texts if not software(h) and h.identified]
        if linked:
            said = "; ".join(f"{bare_path(ctx, h.path)} declares "
                             f"{h.name if h.identified else h.raw.get('written') or h.name}" for h in undelivered)
            return [finding("declared_vs_detected", "high",
                            f"The declared license differs from the delivered model terms: {said}, but "
                            f"{', '.join(sorted({bare_path(ctx, h.path) for h in linked}))} (linked from the card "
                            f"or a model license) holds {', '.join(sorted({h.name for h in linked}))}.",
                            {"consistent": False, "sources": sources}, evidence,
                            why="high: the model card's license and the text it links to disagree")]
        said = "; ".join(f"{bare_path(ctx, h.path)} declares "
                         f"{h.name if h.identified else h.raw.get('written') or h.name}" for h in undelivered)
        return [finding("declared_vs_detected", "medium",
                        f"{said} for the model, whose text is not delivered; the delivered texts "
                        f"({', '.join(sorted({h.name for h in texts}))}) do not contradict it.",
                        {"consistent": True, "undelivered": [h.key or h.raw.get("written") for h in undelivered],
                         "sources": sources}, evidence,
                        why="medium: the declared terms cannot be checked against a delivered text")]
    model = [h for h in statements if not software(h)]
    groups: dict[str, list[Any]] = {}
    for hit in model:
        groups.setdefault(family(hit), []).append(hit)
    versions = {fam: {h.key for h in hits if h.key} for fam, hits in groups.items()}
    if len(groups) > 1 and len({family(h) for h in model if h.source == "text"}) > 1:
        return [finding("declared_vs_detected", "high",
                        "The delivery states different model licenses: " + "; ".join(
                            f"{h.path} says {h.name}" for h in _one_per_path(model)) + ".",
                        {"consistent": False, "sources": sources}, evidence,
                        why="high: two different model licenses are delivered")]
    split = [fam for fam, keys in versions.items() if len(keys) > 1]
    if split:
        return [finding("declared_vs_detected", "high",
                        f"The delivery names different versions of the {split[0]} license: "
                        + ", ".join(sorted(versions[split[0]])) + ".",
                        {"consistent": False, "sources": sources}, evidence,
                        why="high: the versions set different terms")]
    code = sorted({h.name for h in statements if software(h)})
    kinds = sorted({rules_label(ctx, h) for h in model if h.source == "text"}
                   or {h.name if h.identified else str(h.raw.get("written") or h.name) for h in model})
    if code and kinds:
        summary = f"The code is under {', '.join(code)} and the model under {', '.join(kinds)}: the usual split."
    else:
        named = ", ".join(kinds or code)
        summary = (f"All {len(statements)} license statements agree ({named})." if len(statements) > 1
                   else f"One license statement, nothing to contradict it ({named}).")
    return [finding("declared_vs_detected", "info", summary, {"consistent": True, "sources": sources},
                    evidence[:4], why="info: the statements do not contradict each other")]


def bare_path(ctx: ReviewContext, path: str) -> str:
    from desktop.core.checks.speakers import bare
    return bare(ctx, path)


def _linked_texts(ctx: ReviewContext, texts: list[Any]) -> list[Any]:
    """Delivered license texts a model card's ``license_link`` names (by file name, even inside a URL)."""
    names = set()
    for entry in ctx.files:
        link = str(entry.metadata.get("license_link") or "").strip() if entry.role == "model_card" else ""
        if link:
            names.add(link.rstrip("/").rsplit("/", 1)[-1].lower())
    return [h for h in texts if bare_path(ctx, h.path).rsplit("/", 1)[-1].lower() in names]


def _one_per_path(hits: list[Any]) -> list[Any]:
    seen, out = set(), []
    for h in hits:
        if (h.path, h.key, h.family) not in seen:
            seen.add((h.path, h.key, h.family))
            out.append(h)
    return out


def data_provenance(ctx: ReviewContext) -> list[dict[str, Any]]:
    """Training datasets stated in the card or metadata, and data files shipped."""
    datasets, evidence = [], []
    for entry in ctx.files:
        found = []
        if entry.role == "model_card":
            found = list(entry.metadata.get("datasets") or [])
        elif entry.format == "gguf":
            general = entry.metadata.get("general") or {}
            found = list(gguf_value(entry, "datasets") or [])
            found += [v for k, v in general.items() if ".dataset." in f".{k}" and k.endswith(".name")]
        for name in found:
            if name not in datasets:
                datasets.append(str(name))
                evidence.append(ctx.locate(entry.path, str(name)) or
                                Evidence.observed(entry.path, f"datasets: {name}"))
    data_files = [f.path for f in ctx.files if f.role == "data"]
    facts = {"datasets": datasets, "data_files": len(data_files)}
    if datasets:
        return [finding("data_provenance", "info", f"The delivery names {len(datasets)} training dataset(s): "
                        + ", ".join(datasets[:5]) + ".", facts, evidence)]
    return [finding("data_provenance", "low", "The delivery does not say what data the model was trained on.",
                    facts, [])]


def file_safety(ctx: ReviewContext) -> list[dict[str, Any]]:
    """Files that could run code when loaded: unsafe or unverified pickles, Keras Lambda layers, custom code.

    Fails closed: "safe" needs every pickle stream fully parsed and every global allow-listed;
    a file the scanner could not verify is reported as unverified and blocks like an unsafe one.
    """
    verdicts = delivery_verdicts(ctx.files, ctx.scan.source_path, ctx.scan.problems)
    unsafe = [v for v in verdicts if v.verdict == Verdict.UNSAFE]
    unverified = [v for v in verdicts if v.verdict == Verdict.UNVERIFIED]
    suspicious = [f for f in ctx.files if any(p.code == "pickle-suspicious" for p in f.problems)]
    custom = [f for f in ctx.files if f.role == "config" and f.metadata.get("auto_map")]
    facts = {"unsafe_files": [v.path for v in unsafe], "suspicious_files": [f.path for f in suspicious],
             "custom_code": [f.path for f in custom], "unverified_files": [v.path for v in unverified],
             "verdicts": [v.to_json() for v in verdicts[:500]]}
    evidence = [{"path": f.path, "quote": p.message} for f in ctx.files for p in f.problems
                if p.code in UNSAFE_CODES]
    evidence += [{"path": v.path, "quote": reason} for v in unverified for reason in v.reasons[:2]]
    evidence += [{"path": f.path, "quote": p.message} for f in suspicious for p in f.problems
                 if p.code == "pickle-suspicious"]
    evidence += [{"path": f.path, "quote": f"auto_map: {f.metadata['auto_map']}"} for f in custom]
    tail = ""
    if unverified:
        tail = (f" {len(unverified)} more file(s) are unverified (the scanner could not read every pickle "
                "stream in them): " + ", ".join(facts["unverified_files"][:5]) + ".")
    if unsafe:
        level = "high" if ctx.policy.unsafe_formats_acceptable else "block"
        named = "; ".join(f"{v.path} ({', '.join(v.globals[:3])})" if v.globals else v.path for v in unsafe[:5])
        return [finding("file_safety", level, f"{len(unsafe)} file(s) would run code if loaded: {named}.{tail}",
                        facts, evidence)]
    if unverified:
        level = "high" if ctx.policy.unverified_files_acceptable else "block"
        first = unverified[0]
        return [finding("file_safety", level, f"{len(unverified)} file(s) are unverified: the scanner could "
                        "not confirm they cannot run code when loaded, so treat them as unsafe ("
                        f"{first.path}: {first.reasons[0] if first.reasons else 'not fully read'}). Files: "
                        + ", ".join(facts["unverified_files"][:5]) + ".", facts, evidence)]
    if suspicious or custom:
        return [finding("file_safety", "medium", "Some files import objects that need review or ship custom "
                        "model code that runs with trust_remote_code.", facts, evidence)]
    pickles = [v.path for v in verdicts if v.verdict == Verdict.SAFE]
    if pickles:
        return [finding("file_safety", "low", "Every pickle stream in the pickle-based weights was fully parsed "
                        "and imports only allow-listed rebuild functions; a safer format such as safetensors "
                        "is preferable.", facts | {"pickle_files": pickles}, [])]
    return [finding("file_safety", "info", "No file in the delivery can run code when loaded.", facts, [])]


def integrity(ctx: ReviewContext) -> list[dict[str, Any]]:
    """Skipped, corrupt or missing files; missing weight shards."""
    issues = [(f.path, p) for f in ctx.files for p in f.problems if p.code in INTAKE_CODES | HEADER_CODES]
    issues += [(ctx.scan.source_path, p) for p in ctx.scan.problems]
    present = {f.path.rsplit("/", 1)[-1] for f in ctx.files}
    missing = []
    for entry in ctx.files:
        for shard in entry.metadata.get("shards") or []:
            if shard not in present:
                missing.append((entry.path, shard))
    facts = {"problems": len(issues), "missing_shards": [s for _, s in missing],
             "fingerprint": ctx.scan.fingerprint, "files": len(ctx.files)}
    evidence = [{"path": path, "quote": p.message} for path, p in issues[:20]]
    evidence += [{"path": path, "quote": f"names shard {shard}, which is not in the delivery"}
                 for path, shard in missing]
    if issues or missing:
        return [finding("integrity", "high", f"{len(issues)} file problem(s) and {len(missing)} missing weight "
                        "shard(s): the delivery was not read completely.", facts, evidence)]
    return [finding("integrity", "info", f"All {len(ctx.files)} files were read and hashed.", facts, [])]
