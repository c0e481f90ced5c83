"""The patterns behind the clause extractor: one rule per clause kind, applied to one sentence.

Each rule has cheap trigger words (checked on the lower-cased sentence before any regex runs)
and a function returning ``(value, start, end)`` hits, offsets relative to the sentence.
All regexes use bounded quantifiers so a sentence is matched in linear time.  The costliest
rules first look for words their patterns cannot match without (:func:`_may_hold`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from desktop.core.case_fold import lowered_in_place
from desktop.core.checks.clause_numbers import MONEY, NUMBER, currency_code, normalise_number

Hit = tuple[Any, int, int]
_I = re.IGNORECASE

_QUOTED = r"[“\"\u2018'](?P<q>[^“”\"\u2018\u2019'\n]{1,80})[”\"\u2019']"
_URL = re.compile(
    r"(?:https?://[^\s<>\"'“”)\]]{3,200}"
    r"|\b(?:www\.)?[a-z0-9][a-z0-9-]{0,40}(?:\.[a-z0-9-]{1,40}){0,4}\.(?:com|dev|ai|org|io|net|cn|co|tech)"
    r"/[^\s<>\"'“”)\]]{1,200})",
    _I,
)
_POLICY = r"(?:acceptable\s+use\s+polic(?:y|ies)|prohibited\s+uses?\s+polic(?:y|ies)|use\s+polic(?:y|ies)|usage\s+polic(?:y|ies)|\bAUP\b)"  # noqa: E501


@dataclass(frozen=True)
class Rule:
    """One clause kind: trigger words and the function finding hits in a sentence."""

    kind: str
    triggers: tuple[str, ...]
    find: Callable[[str], list[Hit]]


def _clean_place(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" ,;:")
    text = re.sub(r"^(?:the|a)\s+", "", text, flags=_I)
    return text


def _cut(text: str, stop: re.Pattern[str]) -> str:
    """The part of ``text`` before the first ``stop`` match (all of it when there is none)."""
    match = stop.search(text)
    return text[:match.start()] if match else text


def _may_hold(lowered: str | None, *words: str) -> bool:
    """False only when the sentence surely holds none of ``words`` (lower-case, no spaces), even
    ignoring case: a pattern needing one of them cannot match, so it need not run.  ``lowered`` is
    :func:`lowered_in_place` of the sentence (None, for odd letters, means it may)."""
    return lowered is None or any(word in lowered for word in words)


def _url_in(text: str) -> str | None:
    if "/" not in text:
        return None  # both forms of _URL hold a slash
    match = _URL.search(text)
    return match.group(0).rstrip(".,;:)") if match else None


_GOVERNING_LAW = re.compile(r"\bgoverned\b[^.;]{0,120}?\blaws?\s+of\s+(?P<place>[^,.;()]{2,120})", _I)
_LAW_STOP = re.compile(
    r"\s(?:without|excluding|with\s+regard|regardless|and\s+the\s+(?:UN|United\s+Nations)|except|notwithstanding)\b",
    _I,
)
_GOVERNING_ADJ = re.compile(
    r"\bgoverned\b[^.;]{0,80}?\b(?:under|by)\s+(?:the\s+)?"
    r"(?P<place>[A-Z][\w\u2019'.-]{1,30}(?:\s+[A-Z][\w\u2019'.-]{1,30}){0,3})"
    r"\s+laws?\b"
)


_LAW_ZH = re.compile(r"适用(?P<place>[\u4e00-\u9fff]{2,20}?)(?:[（(][^）)]{0,80}[）)])?的?法律")


def _governing_law(sentence: str) -> list[Hit]:
    hits: list[Hit] = []
    if "适用" in sentence and re.search("争议|本协议|本许可", sentence):
        for match in _LAW_ZH.finditer(sentence):
            if match["place"].startswith(("中华人民共和国", "中国", "香港", "新加坡", "美国")):
                hits.append((match["place"], match.start(), match.end()))
    lowered = lowered_in_place(sentence)
    if not _may_hold(lowered, "governed") or not _may_hold(lowered, "law"):
        return hits  # both English patterns need "governed" and "law"
    for match in _GOVERNING_LAW.finditer(sentence):
        raw = _cut(match["place"], _LAW_STOP)
        place = _clean_place(raw)
        if re.search(r"[A-Z]", place) and not re.match(r"(?i)(?:this|that|such|any)\b", place):
            hits.append((place, match.start(), match.start("place") + len(raw)))
    if not hits:
        for match in _GOVERNING_ADJ.finditer(sentence):
            hits.append((_clean_place(match["place"]), match.start(), match.end()))
    return hits


_COURT = re.compile(
    r"(?P<court>(?:(?:[A-Z][\w\u2019'-]{0,30}|(?i:state|federal|and|or|local|competent|provincial|district))\s+){0,6}"
    r"(?i:courts?)\b(?:\s*,\s*(?i:as\s+applicable)\s*,)?\s+(?i:of|in|located\s+in|residing\s+in|sitting\s+in|at"
    r"|situated\s+in|for)\s+[^.;]{2,160})",
)
_COURT_STOP = re.compile(
    r"\s(?:shall|will|has|have|is|are)\b|,?\s+and\s+(?:each|the|both|you|we|licensee)\b|,\s*(?:with|to)\b", _I
)
_VENUE_CUES = re.compile(r"exclusive|venue|submit|brought|irrevocabl|consent\s+to", _I)


_COURT_ZH = re.compile(r"(?P<court>[\u4e00-\u9fff]{0,12}?人民法院)")


def _venue(sentence: str) -> list[Hit]:
    if "法院" in sentence and re.search("诉讼|管辖|争议", sentence):
        return [(re.sub(r"^.*(?:向|提交|交由|至|由|归)", "", m["court"]), m.start(), m.end())
                for m in _COURT_ZH.finditer(sentence)][:1]
    if not _may_hold(lowered_in_place(sentence), "exclusive", "venue", "submit", "brought", "irrevocabl", "consent"):
        return []  # no word _VENUE_CUES looks for
    if not _VENUE_CUES.search(sentence):
        return []
    hits: list[Hit] = []
    for match in _COURT.finditer(sentence):
        raw = _cut(match["court"], _COURT_STOP)
        court = _clean_place(raw)
        court = re.sub(r"^(?:and|or)\s+", "", court, flags=_I)
        if re.fullmatch(r"(?i)courts?\s+of\s+competent\s+jurisdiction", court):
            continue
        hits.append((court, match.start(), match.start() + len(raw)))
    return hits


_ARB_SEAT = re.compile(
    r"\b(?:seat|place|venue|location)\s+of\s+(?:the\s+)?arbitration\s+(?:shall|will)\s+be\s+(?:in\s+)?"
    r"(?P<seat>[^.;]{2,80})",
    _I,
)
_SEAT_STOP = re.compile(r",\s*and\b|\s+and\s+the\b", _I)
_ARB_BODY = re.compile(
    r"\b(?:administered\s+by|submitted\s+to|Rules\s+of\s+Arbitration\s+of|arbitration\s+(?:before|with|by))\s+"
    r"(?:the\s+)?(?P<body>[A-Z][^.;,(]{2,100})",
)
_BODY_STOP = re.compile(r"\s(?:in\s+accordance|for\s+arbitration|under)\b", _I)
_ARB_CUES = re.compile(
    r"\barbitra\w{0,6}\b[^.]{0,200}?\b(?:finally|settled|resolved|submitted|referred|binding|seat)\b"
                       r"|\b(?:finally|settled|resolved|submitted|referred|seat)\b[^.]{0,200}?\barbitra", _I)


def _arbitration(sentence: str) -> list[Hit]:
    seat = _ARB_SEAT.search(sentence)
    if seat:
        raw = _cut(seat["seat"], _SEAT_STOP)
        return [(_clean_place(raw), seat.start(), seat.start("seat") + len(raw))]
    cue = _ARB_CUES.search(sentence)
    if not cue:
        return []
    body = _ARB_BODY.search(sentence)
    if body:
        raw = _cut(body["body"], _BODY_STOP)
        return [(_clean_place(raw), body.start(), body.start("body") + len(raw))]
    return [(True, cue.start(), cue.end())]


_MAU_AFTER = re.compile(
    r"(?P<n>" + NUMBER + r")(?:\s{0,2}\(\s{0,2}[\d,.]{1,20}\s{0,2}\))?\s{1,3}"
    r"(?:monthly\s+active\s+users|MAUs?\b|monthly\s+users|active\s+users\s+per\s+month)",
    _I,
)
_MAU_BEFORE = re.compile(
    r"(?:monthly\s+active\s+users|\bMAUs?\b)[^.;]{0,80}?"
    r"\b(?:(?:more|greater|higher)\s+than|exceed\w{0,3}|in\s+excess\s+of|over|above|at\s+least)\s+",
    _I,
)


def _mau_threshold(sentence: str) -> list[Hit]:
    hits: list[Hit] = []
    for match in _MAU_AFTER.finditer(sentence):
        value = normalise_number(match["n"])
        if value:
            hits.append((value, match.start(), match.end()))
    if not hits:
        for cue in _MAU_BEFORE.finditer(sentence):
            number = re.match(NUMBER, sentence[cue.end():cue.end() + 60], _I)
            value = normalise_number(number.group(0)) if number else None
            if number and value:
                hits.append((value, cue.start(), cue.end() + number.end()))
    return hits


_MONEY = re.compile(MONEY, _I)
_REVENUE = re.compile(r"\b(?:revenues?|turnover|gross\s+receipts|income|sales)\b", _I)
_ANNUAL = re.compile(r"\b(?:annual\w{0,2}|per\s+(?:year|annum)|yearly|a\s+year|each\s+year|fiscal\s+year"
                     r"|calendar\s+year"
                     r"|(?:12|twelve)[\s-]months?)\b", _I)


def _revenue_threshold(sentence: str) -> list[Hit]:
    hits: list[Hit] = []
    for match in _MONEY.finditer(sentence):
        near = sentence[max(0, match.start() - 150):match.end() + 150]
        if not _REVENUE.search(near):
            continue
        number = match["num_before"] or match["num_after"]
        amount = normalise_number(number)
        if not amount:
            continue
        currency = currency_code(match["cur_before"] or match["cur_after"])
        period = "annual" if _ANNUAL.search(near) else "not-stated"
        hits.append(({"amount": amount, "currency": currency, "period": period}, match.start(), match.end()))
    return hits


_MODAL_NOT = r"(?:(?:may|shall|must|will|can|should)\s*not|cannot|can't|won't|mustn't|shan't)"
_NON_COMMERCIAL = re.compile(
    r"\b(?:only|solely|exclusively|strictly)\b[^.;]{0,60}?\bnon[-\s]?commercial\b"
    r"|\bnon[-\s]?commercial\b[^.;]{0,40}?\b(?:use|uses|purposes?)\s+only\b"
    r"|\b" + _MODAL_NOT + r"\b[^.;]{0,80}?\b(?:for|in)\s+(?:any\s+)?commercial\s+(?:use|uses|purposes?)"
    r"|\bprohibited\s+from\b[^.;]{0,80}?\bcommercial\s+(?:use|uses|purposes?)"
    r"|\bnot\s+for\s+commercial\s+(?:use|uses|purposes?)|\bno\s+commercial\s+use\b"
    r"|\bcommercial\s+use\s+(?:is\s+)?(?:strictly\s+)?(?:not\s+permitted|prohibited|forbidden)",
    _I,
)


_NON_COMMERCIAL_ZH = re.compile(r"(?:仅|只|出于|用于)[\u4e00-\u9fff，、]{0,10}?非商业(?:用途|目的|使用)")


_NO_THEN_SPACE = re.compile(r"no\s")      # as in "no commercial use", looked for in the lower-cased sentence
_MARKS = re.compile(r"\b(?:trade)?marks?\b|\blogos?\b", _I)


def _non_commercial(sentence: str) -> list[Hit]:
    zh = _NON_COMMERCIAL_ZH.search(sentence) if "非商业" in sentence else None
    if zh:
        return [("non-commercial", zh.start(), zh.end())]
    lowered = lowered_in_place(sentence)
    if _may_hold(lowered, "mark", "logo") and _MARKS.search(sentence):
        return []  # a limit on using the licensor's marks, not on using the licensed material
    if not _may_hold(lowered, "only", "solely", "exclusively", "strictly", "not", "n't", "prohibited", "forbidden") \
            and not (lowered is None or _NO_THEN_SPACE.search(lowered)):
        return []  # no word one of the forms of _NON_COMMERCIAL needs
    match = _NON_COMMERCIAL.search(sentence)
    return [("non-commercial", match.start(), match.end())] if match else []


_RESEARCH_ONLY = re.compile(
    r"\b(?:only|solely|exclusively|strictly)\s+(?:for\s+)?(?:your\s+|the\s+)?(?:internal\s+)?(?:non[-\s]?commercial\s+)?"
    r"(?:academic\s+|scientific\s+|evaluation\s+and\s+)?research\b"
    r"|\bresearch(?:\s+(?:and|or|&)\s+[\w-]{1,20})?\s+(?:use|uses|purposes?)\s+only\b"
    r"|\bfor\s+research\s+only\b",
    _I,
)


def _research_only(sentence: str) -> list[Hit]:
    match = _RESEARCH_ONLY.search(sentence)
    return [("research-only", match.start(), match.end())] if match else []


_NON_PRODUCTION = re.compile(
    r"\bnon[-\s]?production\b"
    r"|\bnot\s+(?:be\s+)?(?:used\s+)?(?:for|in)\s+(?:a\s+|any\s+)?production\b"
    r"|\bnot\s+(?:intended|suitable|licensed)\s+for\s+(?:\w+\s+){0,2}production\b"
    r"|\b(?:commercial\s+or\s+production|production\s+or\s+commercial)\s+(?:use|uses|purposes?)\b"
    r"|\bfor\s+production\s+purposes\b",
    _I,
)


def _non_production(sentence: str) -> list[Hit]:
    match = _NON_PRODUCTION.search(sentence)
    return [("non-production", match.start(), match.end())] if match else []


_POLICY_RE = re.compile(_POLICY, re.IGNORECASE)
_POLICY_BINDING = re.compile(r"incorporat|adhere|comply|compliance|subject\s+to|available\s+at|\bmeans\b"
                             r"|set\s+forth"
                             r"|located\s+at|\bat\s+(?:https?://|www\.)", _I)
_UPDATABLE = re.compile(
    r"\b(?:updated?|amended?|modified|modify|revised?|changed?)\b[^.;]{0,40}?\bfrom\s+time\s+to\s+time\b"
    r"|\bas\s+(?:may\s+be\s+)?(?:updated|amended|modified|revised)\b"
    r"|\breserves?\s+the\s+right\s+to\s+(?:update|amend|modify|change|revise)\b"
    r"|\bmay\s+(?:update|amend|modify|change|revise)\b[^.;]{0,60}?\b(?:policy|AUP|at\s+any\s+time)\b",
    _I,
)


def _aup_reference(sentence: str) -> list[Hit]:
    policy = _POLICY_RE.search(sentence)
    if not policy:
        return []
    url = _url_in(sentence)
    if url is None and not _POLICY_BINDING.search(sentence):
        return []
    return [(url, policy.start(), policy.end())]


def _aup_updatable(sentence: str) -> list[Hit]:
    policy = _POLICY_RE.search(sentence)
    update = _UPDATABLE.search(sentence) if policy else None
    if not policy or not update:
        return []
    return [(True, min(policy.start(), update.start()), max(policy.end(), update.end()))]


_NOT_USE = re.compile(r"\b" + _MODAL_NOT + r"\s+(?:\w+\s+){0,3}?use\b", _I)
_OUTPUT_WORD = re.compile(r"\b(?:outputs?|results|generated\s+\w+)\b", _I)
_IMPROVE_MODEL = re.compile(r"\b(?:improve|train|develop|create|enhance|distill|build)\w{0,3}\b[^.;]{0,120}?"
                            r"\b(?:models?|LLMs?|AI)\b", _I)
_OUTPUT_USE = re.compile(
    r"\b" + _MODAL_NOT + r"\s+use\s+(?:the\s+|any\s+|such\s+)?"
    r"(?:outputs?|generated\s+(?:content|data|outputs?))\b",
    _I,
)


def _output_restriction(sentence: str) -> list[Hit]:
    lowered = lowered_in_place(sentence)
    if not _may_hold(lowered, "use") or not _may_hold(lowered, "not", "n't"):
        return []  # both patterns need a negated modal ("may not", "can't") and "use"
    for not_use in _NOT_USE.finditer(sentence):
        window_end = not_use.end() + 250
        output = _OUTPUT_WORD.search(sentence, not_use.end(), window_end)
        improve = _IMPROVE_MODEL.search(sentence, output.end(), output.end() + 250) if output else None
        if improve:
            return [("improve-other-models", not_use.start(), improve.end())]
    match = _OUTPUT_USE.search(sentence)
    return [("use-restricted", match.start(), match.end())] if match else []


_NAMING = re.compile(
    r"\binclude\s+" + _QUOTED + r"\s+at\s+the\s+(?:beginning|start)\s+of\s+(?:\w+\s+){0,5}?names?\b"
    r"|\b(?:prefix|begin|start)\w{0,3}\b[^.;]{0,60}?\bwith\s+" + _QUOTED.replace("?P<q>", "?P<q2>"),
    _I,
)


def _naming_duty(sentence: str) -> list[Hit]:
    if not any(mark in sentence for mark in ("\u201c", '"', "\u2018", "'")):
        return []  # both forms quote the name
    hits: list[Hit] = []
    for match in _NAMING.finditer(sentence):
        text = match["q"] or match["q2"]
        if match["q2"] and not re.search(r"\bname", match.group(0), _I):
            continue
        hits.append((text.strip(), match.start(), match.end()))
    return hits


_ATTRIBUTION_PHRASE = re.compile(
    r"[“\"\u2018](?P<phrase>(?:Built|Powered|Made|Developed|Created|Improved|Trained|Fine-tuned)\s+(?:with|by|on|using)"
    r"\s+[^”\"\u2019\n]{1,60})[”\"\u2019]"
)
# Chinese: "mark ... with content including (but not limited to) “X”" (标注/注明/标明 ... “X”).
_ATTRIBUTION_PHRASE_ZH = re.compile(
    r"(?:标注|注明|标明|显示|展示)[^。；“\"]{0,40}?[“\"](?P<phrase>[^”\"\n]{2,60})[”\"]"
)
_NOTICE_TEXT = re.compile(
    r"\battribution\s+notices?\b[^“\"]{0,160}?(?:[“\"]Notice[”\"][^“\"]{0,100}?)?"
    r"[“\"](?P<notice>[^”\"\n]{10,300})[”\"]",
    _I,
)
_CREDIT_DUTY = re.compile(
    r"\b(?:give|provide)\s+appropriate\s+credit\b"
    r"|\bretain\b[^.;]{0,80}?\b(?:identification\s+of\s+the\s+creator|attribution)",
    _I,
)


_OPENING_QUOTES = ("\u201c", '"', "\u2018")   # what a phrase or notice pattern starts its quote with
_ENCOURAGED = re.compile(r"\b(?:encourag\w*|recommend\w*|invited|optional(?:ly)?)\b|鼓励|建议", _I)
_ALTERNATIVE = re.compile(r"^[\s,]*or[\s,]*$", _I)


def _attribution_duty(sentence: str) -> list[Hit]:
    """Phrases the terms require to be shown (an encouraged phrase is no duty; "X" or "Y" is one duty)."""
    if not any(mark in sentence for mark in _OPENING_QUOTES):
        return _credit_duty(sentence)    # phrases and notices are all quoted
    phrases: list[Hit] = []
    found = sorted([*_ATTRIBUTION_PHRASE.finditer(sentence),
                    *(m for m in _ATTRIBUTION_PHRASE_ZH.finditer(sentence)
                      if re.search(r"[A-Za-z\u4e00-\u9fff]", m["phrase"]))], key=lambda m: m.start())
    if found and not _ENCOURAGED.search(sentence):
        for m in found:
            last = phrases[-1] if phrases else None
            if last is not None and _ALTERNATIVE.match(sentence[last[2]:m.start()]):
                phrases[-1] = (f'{last[0]}" or "{m["phrase"].strip()}', last[1], m.end())
            else:
                phrases.append((m["phrase"].strip(), m.start(), m.end()))
    hits: list[Hit] = phrases
    lowered = lowered_in_place(sentence)
    notice = None
    if _may_hold(lowered, "attribution") and _may_hold(lowered, "notice"):
        notice = _NOTICE_TEXT.search(sentence)
    if notice:
        hits.append((notice["notice"].strip(), notice.start(), notice.end()))
    elif not hits:
        hits = _credit_duty(sentence)
    return hits


def _credit_duty(sentence: str) -> list[Hit]:
    """A duty to give credit or keep the attribution, stated without a phrase to show."""
    if not _may_hold(lowered_in_place(sentence), "credit", "retain"):
        return []
    credit = _CREDIT_DUTY.search(sentence)
    return [(True, credit.start(), credit.end())] if credit else []


_LITIGATION = re.compile(
    r"\b(?:institut|commenc|bring|brought|fil|initiat)\w{0,4}\b[^.]{0,120}?"
    r"\b(?:litigation|lawsuit|suit|proceedings?|action|claim)s?\b",
    _I,
)
_TERMINATE = re.compile(r"\bterminat\w{0,4}", _I)


def _termination_on_litigation(sentence: str) -> list[Hit]:
    lowered = lowered_in_place(sentence)
    if not _may_hold(lowered, "institut", "commenc", "bring", "brought", "fil", "initiat") or \
            not _may_hold(lowered, "litigation", "suit", "proceeding", "action", "claim"):
        return []  # no word _LITIGATION needs
    match = _LITIGATION.search(sentence)
    end = _TERMINATE.search(sentence, match.end(), match.end() + 400) if match else None
    if not match or not end:
        return []
    span = sentence[match.start():end.end()]
    patent = re.search(r"\bpatent\s+licen[cs]es?\b", span, _I)
    value = "patent licenses terminate" if patent else "licenses terminate"
    return [(value, match.start(), end.end())]


_TERRITORY = re.compile(
    r"\b(?i:excluding)\s+(?:the\s+)?(?P<ter>(?i:territor(?:y|ies))\s+of\s+(?:the\s+)?)?(?P<t1>[A-Z][^.;()]{1,120})"
    r"|\b(?i:not\s+(?:being\s+)?(?:granted|licensed|available|permitted|authori[sz]ed))\b[^.;]{0,160}?"
    r"\b(?i:in|within)\s*,?\s+(?:the\s+)?(?P<t2>[A-Z][\w ,]{1,80})"
    r"|\b(?i:does\s+not\s+apply\s+in)\s+(?:the\s+)?(?P<t3>[A-Z][^.;()]{1,120})",
)
_TERRITORY_STOP = re.compile(r"\s(?:and\s+is|unless|if|who|which|that|to)\b|,\s*$", _I)
_REGION = re.compile(r"Union|Kingdom|Korea|China|States|Area|\bEEA\b|\bEU\b|Russia|Iran|Cuba|Syria|Crimea"
                     r"|Switzerland|countr|region|territor", _I)


def _territory_exclusion(sentence: str) -> list[Hit]:
    hits: list[Hit] = []
    for match in _TERRITORY.finditer(sentence):
        if match["t1"] and not (match["ter"] or _REGION.search(match["t1"])):
            continue
        group = "t1" if match["t1"] else "t2" if match["t2"] else "t3"
        raw = _cut(match[group], _TERRITORY_STOP)
        territory = _clean_place(raw)
        if territory:
            hits.append((territory, match.start(), match.start(group) + len(raw)))
    return hits


_EXPORT = re.compile(
    r"\bexport\s+(?:controls?|control\s+laws|laws|administration\s+regulations|regulations|restrictions)\b"
    r"|\btrade\s+(?:control|compliance)\s+laws\b|\b(?:trade\s+|economic\s+)?sanctions\b"
    r"|\bcomprehensively\s+sanctioned\b|\brestricted\s+part(?:y|ies)\s+list|\bembargo\w{0,3}\b",
    _I,
)


def _export_control(sentence: str) -> list[Hit]:
    match = _EXPORT.search(sentence)
    return [(True, match.start(), match.end())] if match else []


_PROHIBITED_USE = re.compile(
    r"\b" + _MODAL_NOT + r"\s+use\b[^.;]{0,250}?\b(?:military|illegal|unlawful|weapons?|surveillance"
    r"|national\s+security|discriminat\w{0,5}|harm\w{0,3}\s+(?:minors|others|individuals|people))\b"
    r"|\bnot\s+to\s+use\b[^.;]{0,250}?\b(?:military|illegal|unlawful|weapons?)\b"
    r"|不得[\u4e00-\u9fff、，]{0,20}?(?:军事|非法)",
    _I,
)


def _use_prohibition(sentence: str) -> list[Hit]:
    """A sentence of the terms forbidding uses (military, illegal, surveillance ...): an inline use policy."""
    lowered = lowered_in_place(sentence)
    if "不得" not in sentence and (not _may_hold(lowered, "use") or not _may_hold(lowered, "not", "n't")):
        return []  # neither 不得 nor a negated "use"
    match = _PROHIBITED_USE.search(sentence)
    return [("prohibited-uses", match.start(), match.end())] if match else []


_COMMERCIAL_OK = re.compile(
    r"\b(?:may|can|are\s+free\s+to)\s+use\b[^.;]{0,60}?\bfor\s+commercial\s+(?:use|uses|purposes?|activities)"
    r"|\b(?:non[-\s]?commercial\s+(?:and|or)\s+commercial|commercial\s+(?:and|or)\s+non[-\s]?commercial)"
    r"\s+(?:use|uses|purposes?)"
    r"|\bfree\s+(?:for\s+)?commercial\s+use\b",
    _I,
)


_NEGATED_MODAL = re.compile(r"\b" + _MODAL_NOT, _I)


def _commercial_allowed(sentence: str) -> list[Hit]:
    """A grant that names commercial use as allowed (possibly after registration)."""
    lowered = lowered_in_place(sentence)
    if not _may_hold(lowered, "non") and not (_may_hold(lowered, "use") and _may_hold(lowered, "may", "can", "free")):
        return []  # each form needs "non-commercial", or "use" after "may", "can" or "free"
    if _may_hold(lowered, "not", "n't") and _NEGATED_MODAL.search(sentence):
        return []
    match = _COMMERCIAL_OK.search(sentence)
    return [("commercial-allowed", match.start(), match.end())] if match else []


_GENERAL_GRANT = re.compile(
    r"\b(?:are|is|be|hereby)\s+grant(?:ed|s)?\b[^.;]{0,200}?\blicen[cs]e\b[^.;]{0,300}?"
    r"\bto\s+(?:use|reproduce|copy|distribute)\b",
    _I,
)
_GRANT_BREADTH = re.compile(r"\broyalty[-\s]?free\b|\bworld[-\s]?wide\b", _I)
_GRANT_LIMIT = re.compile(r"\b" + _MODAL_NOT + r"|\bnon[-\s]?commercial\b|\bresearch\b", _I)


def _general_grant(sentence: str) -> list[Hit]:
    """A broad grant (royalty-free or worldwide) of a license to use and distribute, with no limit in it."""
    lowered = lowered_in_place(sentence)
    if not _may_hold(lowered, "licen") or not _may_hold(lowered, "royalty", "world"):
        return []  # no license granted, or not a broad one
    match = _GENERAL_GRANT.search(sentence)
    if match is None or not _GRANT_BREADTH.search(sentence):
        return []
    if _may_hold(lowered, "not", "n't", "non", "research") and _GRANT_LIMIT.search(sentence):
        return []  # a negated modal, non-commercial or research: a limited grant
    return [("general-grant", match.start(), match.end())]


RULES: tuple[Rule, ...] = (
    Rule("governing_law", ("govern", "适用"), _governing_law),
    Rule("venue", ("court", "法院"), _venue),
    Rule("arbitration", ("arbitra",), _arbitration),
    Rule("mau_threshold", ("monthly", "mau"), _mau_threshold),
    Rule("revenue_threshold", ("revenue", "turnover", "receipts", "income", "sales"), _revenue_threshold),
    Rule("non_commercial", ("commercial", "非商业"), _non_commercial),
    Rule("commercial_allowed", ("commercial",), _commercial_allowed),
    Rule("general_grant", ("grant",), _general_grant),
    Rule("use_prohibition", ("not use", "not to use", "military", "illegal", "不得"), _use_prohibition),
    Rule("research_only", ("research",), _research_only),
    Rule("non_production", ("production",), _non_production),
    Rule("aup_reference", ("polic", "aup"), _aup_reference),
    Rule("aup_updatable", ("polic", "aup"), _aup_updatable),
    Rule("output_restriction", ("output", "result", "generated"), _output_restriction),
    Rule("naming_duty", ("name",), _naming_duty),
    Rule("attribution_duty", ("built", "powered", "made ", "developed", "created", "improved", "trained",
                              "fine-tuned", "attribution", "credit", "标注", "注明", "标明", "显示", "展示"),
         _attribution_duty),
    Rule("termination_on_litigation", ("terminat",), _termination_on_litigation),
    Rule("territory_exclusion", ("excluding", "not being granted", "not granted", "not licensed",
                                 "not available", "not apply", "not permitted", "not authori"),
         _territory_exclusion),
    Rule("export_control", ("export", "sanction", "trade control", "trade compliance", "embargo",
                            "restricted part"), _export_control),
)
