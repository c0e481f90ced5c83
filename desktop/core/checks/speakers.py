"""Which delivered texts speak for the model, and which only list third-party components.

Model terms are decided from what speaks about the weights, in this order: a model card's relative
``license_link``, a README sentence saying the weights (model, checkpoints) are licensed under a
delivered license, a license file named for the model or weights (MODEL_LICENSE, LICENSE-MODEL,
LICENSE_weights, ...), a license the model card declares whose text is delivered, then the top-level
LICENSE.  NOTICE / ATTRIBUTIONS / THIRD_PARTY files, a LICENSES/ folder, and license texts appended
after the first one in a license file are third-party components: they are reported as such and
never decide the model's terms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from desktop.core.checks.context import LicenseHit, ReviewContext, top_folder
from desktop.core.evidence import Evidence, lines_of

_COMPONENT_FILE = re.compile(r"(?i)(?:^|/)(?:notice|attributions?|third[_-]?party[\w.-]*|credits)(?:\.\w+)?$")
_COMPONENT_DIR = re.compile(r"(?i)(?:^|/)(?:licenses|third[_-]?party[\w-]*|3rdparty)/")
_WEIGHTS_FILE = re.compile(r"(?i)(?:model|weights?|checkpoints?)[_\-. ]?licen[cs]e|licen[cs]e[_\-. ]?(?:model|weights?)")
_POLICY_FILE = re.compile(r"(?i)(?:^|/)[^/]*(?:use[_-]?polic|usage[_-]?polic|acceptable[_-]?use|prohibited[_-]?use)[^/]*$")
_TOP_LICENSE = re.compile(r"(?i)^(?:licen[cs]e|copying)(?:\.\w+)?$")
_WEIGHTS_SENTENCE = re.compile(
    r"(?i)\b(?:model\s+)?(?:weights?|checkpoints?|models?|parameters)\b[^.\n]{0,80}?"
    r"\b(?:licensed|released|available|distributed|provided|made\s+available)\s+under\s+(?:the\s+)?"
    r"(?P<what>[^.\n]{2,120})")


@dataclass(frozen=True)
class Speaker:
    """A license text that speaks for the weights, and why it was chosen."""

    hit: LicenseHit
    reason: str            # "license_link" | "readme" | "file-name" | "declared" | "top-level"
    explicit: bool         # the delivery itself points at it for the weights
    said: tuple[Evidence, ...] = ()  # where the delivery says so (the link, the sentence, the declaration)


def bare(ctx: ReviewContext, path: str) -> str:
    """A delivered path without the archive's top folder."""
    top = ctx.memo.get("top_folder")
    if top is None:
        top = ctx.memo["top_folder"] = top_folder(ctx.scan.files)
    return path.removeprefix(top)


def is_component(ctx: ReviewContext, hit: LicenseHit) -> bool:
    """Is ``hit`` a third-party component license (notice files, LICENSES/, appended texts)?"""
    path = bare(ctx, hit.path)
    if hit.role == "notice" or _COMPONENT_FILE.search(path) or _COMPONENT_DIR.search(path):
        return True
    if hit.source == "text" and hit.role in ("license", "agreement"):
        first = min((h for h in ctx.hits if h.path == hit.path and h.source == "text"),
                    key=lambda h: (h.span.get("lines") or h.span.get("pages") or [0])[0])
        return first is not hit
    return False


def is_policy(ctx: ReviewContext, hit: LicenseHit) -> bool:
    """Is ``hit`` in a use-policy file (USE_POLICY, acceptable use ...) rather than a license?"""
    return bool(_POLICY_FILE.search(bare(ctx, hit.path)))


def license_texts(ctx: ReviewContext) -> list[LicenseHit]:
    """License texts that are not components: the first text of each license file (named or not).

    A use policy file (USE_POLICY, acceptable use ...) is not a license: the license that incorporates it
    speaks for it."""
    return [h for h in ctx.hits if h.source == "text" and h.role in ("license", "agreement")
            and not is_component(ctx, h) and not _POLICY_FILE.search(bare(ctx, h.path))]


def component_hits(ctx: ReviewContext) -> list[LicenseHit]:
    """Third-party component licenses, in file order."""
    return [h for h in ctx.hits if h.source in ("text", "notice") and is_component(ctx, h)]


def weights_speakers(ctx: ReviewContext) -> list[Speaker]:
    """The license texts that speak for the weights, best first (empty when none does)."""
    texts = license_texts(ctx)
    if not texts:
        return []
    by_name = {bare(ctx, h.path).lower(): h for h in texts}
    out: list[Speaker] = []

    def add(hit: LicenseHit | None, reason: str, explicit: bool, said: Evidence | None = None) -> None:
        if hit is not None and all(s.hit is not hit for s in out):
            out.append(Speaker(hit, reason, explicit, (said,) if said is not None else ()))

    for entry in ctx.files:
        if entry.role != "model_card":
            continue
        link = str(entry.metadata.get("license_link") or "").strip()
        if link and "://" not in link:
            add(by_name.get(link.lstrip("./").lower()), "license_link", True, _link_line(ctx, entry.path, link))
    for entry in ctx.files:
        if entry.role not in ("model_card", "docs") or not entry.text:
            continue
        for match in _WEIGHTS_SENTENCE.finditer(entry.text[:200_000]):
            for hit in texts:
                if names_license(match["what"], hit, bare(ctx, hit.path)):
                    add(hit, "readme", True, _sentence(ctx, entry.path, entry.text, _span(entry.text, match)))
    for hit in texts:
        if _WEIGHTS_FILE.search(bare(ctx, hit.path).rsplit("/", 1)[-1]):
            add(hit, "file-name", True)
    declared = {h.family: h for h in reversed(ctx.declared_hits()) if h.family and h.family != "unknown"}
    for hit in texts:
        if hit.family and hit.family in declared:
            add(hit, "declared", True, ctx.evidence_for(declared[hit.family]))
    for hit in texts:
        if "/" not in bare(ctx, hit.path) and _TOP_LICENSE.match(bare(ctx, hit.path)):
            add(hit, "top-level", False)
    return out


def stated_for_weights(ctx: ReviewContext) -> tuple[LicenseHit, Evidence] | None:
    """A license the documentation states for the weights in prose, by a name the library knows
    ("the model weights are licensed under the MIT License"), with the sentence as evidence."""
    for entry in ctx.files:
        if entry.role not in ("model_card", "docs") or not entry.text:
            continue
        notices = [h for h in ctx.hits if h.path == entry.path and h.source == "notice" and h.identified]
        if not notices:
            continue
        for match in _WEIGHTS_SENTENCE.finditer(entry.text[:200_000]):
            line, last = _span(entry.text, match)
            for hit in notices:
                span = hit.span.get("lines") or [0, 0]
                if line <= span[0] <= last and names_license(match["what"], hit, ""):
                    found = _sentence(ctx, entry.path, entry.text, (line, last))
                    if found is not None:
                        return hit, found
    return None


def _span(text: str, match: re.Match[str]) -> tuple[int, int]:
    """The first and last line (1-based) of ``match`` in ``text``."""
    return text.count("\n", 0, match.start()) + 1, text.count("\n", 0, match.end()) + 1


def _sentence(ctx: ReviewContext, path: str, text: str, span: tuple[int, int]) -> Evidence | None:
    """Lines ``span`` of ``text`` (a weights sentence), as evidence in ``path``."""
    quote = " ".join(lines_of(text, span).split())[:300]
    return ctx.locate(path, quote, span)


def _link_line(ctx: ReviewContext, path: str, link: str) -> Evidence | None:
    """The model card's ``license_link`` line, as evidence."""
    entry = ctx.entry(path)
    for n, line in enumerate((entry.text or "").split("\n")[:200] if entry is not None else [], 1):
        if line.strip().startswith("license_link") and link in line:
            return ctx.locate(path, line.strip(), (n, n))
    return None


def names_license(phrase: str, hit: LicenseHit, path: str) -> bool:
    """Does ``phrase`` (what a README says the weights are under) name the license of ``hit``?"""
    said = _words(phrase)
    if not said:
        return False
    if path and (path.lower() in phrase.lower() or path.rsplit("/", 1)[-1].lower() in _raw_tokens(phrase)):
        return True
    family = _words(hit.family or "")
    if family and hit.family != "unknown" and family <= said:
        return True
    name = _words(hit.name) - {"license", "licence", "agreement", "public", "international", "community"}
    return bool(name) and len(name & said) >= min(2, len(name))


def _raw_tokens(text: str) -> set[str]:
    return {t.lower().strip("`'\"()[]*,:") for t in text.split()}


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in {"the", "a", "of", "and", "under"}}


def component_table(ctx: ReviewContext) -> list[dict[str, object]]:
    """One row per third-party component license: component (as the file names it, when it does),
    license, and where it is stated.  These rows never decide the model's terms."""
    rows: list[dict[str, object]] = []
    for hit in component_hits(ctx):
        span = hit.span.get("lines") or hit.span.get("pages")
        where: dict[str, object] = {"path": hit.path}
        if hit.span.get("lines"):
            where["lines"] = list(hit.span["lines"])
        elif hit.span.get("pages"):
            where["pages"] = list(hit.span["pages"])
        row = {"component": _component_name(ctx, hit, span[0] if span else None),
               "license": hit.key or hit.raw.get("written") or hit.name, "name": hit.name,
               "where": where, "source": hit.source}
        if row not in rows:
            rows.append(row)
    return rows


def _component_name(ctx: ReviewContext, hit: LicenseHit, first: int | None) -> str | None:
    """The nearest short line above the license that is not itself about licensing (often the name)."""
    entry = ctx.entry(hit.path)
    if entry is None or not entry.text or not first or hit.span.get("pages"):
        return None
    lines = entry.text.split("\n")
    for n in range(first - 2, max(-1, first - 6), -1):
        line = lines[n].strip(" \t#*-=:") if 0 <= n < len(lines) else ""
        if line and len(line) <= 100 and not re.search(r"(?i)licen[cs]|copyright|^\W*$", line):
            return line
    return None
