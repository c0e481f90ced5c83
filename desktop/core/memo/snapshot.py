"""The review snapshot: everything a memo, its manifest and the AI-BOM are built from.

A snapshot is plain data (JSON-compatible dicts); :func:`from_store` reads one from the review
store, tests and other callers may build one by hand.  :func:`check_snapshot` names the first
missing part so a bad snapshot fails with a clear sentence, never deep in a template.
"""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict

FINAL_STATUSES = ("approved", "approved-with-conditions", "rejected")


class Person(TypedDict):
    name: str
    email: str


class ReviewPart(TypedDict):
    id: int | str
    status: str
    purpose: str
    checklist: str
    preparer: Person
    approver: Person | None
    created: str
    decided: str | None


class FirmPart(TypedDict):
    name: str
    matter: str
    # Optional: a privilege legend printed at the top of every memo (e.g. "Privileged & Confidential").
    privilege: NotRequired[str]


class DeliveryPart(TypedDict):
    vendor: str
    product: str
    version: str
    received: str
    fingerprint: str
    source_path: str


class Evidence(TypedDict, total=False):
    path: str
    lines: list[int]
    pages: list[int]
    quote: str


class AnswerPart(TypedDict):
    item: str
    title: str
    question: str
    suggested: str
    decision: str | None
    rationale: str | None
    conditions: str | None
    evidence: list[Evidence]
    carried_over: bool
    # Optional: who decided the item and when (ISO time), and the review it was carried over from.
    decided_by: NotRequired[Person | None]
    decided_at: NotRequired[str | None]
    carried_from_review: NotRequired[int | None]


class Snapshot(TypedDict):
    review: ReviewPart
    firm: FirmPart
    delivery: DeliveryPart
    scan: dict[str, Any]                # the aireview.scan/1 document
    answers: list[AnswerPart]
    knowledge_version: str
    # Optional: knowledge-base facts per license key ({fact: {"value", "summary"}}).
    license_facts: NotRequired[dict[str, dict[str, Any]]]
    # Optional: open questions beyond the undecided / needs-info items.
    open_questions: NotRequired[list[str]]
    # Optional: the checklist file's version the review was created with.
    checklist_version: NotRequired[str | None]
    # Optional: today's knowledge base version when it differs from the review's (facts are today's).
    knowledge_version_at_export: NotRequired[str]
    # Optional: the audit chain head ({"seq", "hash"}) when the snapshot was read from the store.
    audit_head: NotRequired[dict[str, Any]]
    # Optional: the obligations register (``Store.obligations`` rows), the memo's schedule.
    obligations: NotRequired[list[dict[str, Any]]]


_REQUIRED = {
    "review": ("id", "status", "purpose", "checklist", "preparer", "approver", "created", "decided"),
    "firm": ("name", "matter"),
    "delivery": ("vendor", "product", "version", "received", "fingerprint", "source_path"),
    "scan": ("files", "fingerprint"),
}


def check_snapshot(snapshot: Any) -> None:
    """Raise ValueError naming the first missing or malformed part of a snapshot."""
    if not isinstance(snapshot, dict):
        raise ValueError("A review snapshot must be a mapping.")
    for part, keys in _REQUIRED.items():
        section = snapshot.get(part)
        if not isinstance(section, dict):
            raise ValueError(f"The review snapshot has no {part!r} section.")
        missing = [k for k in keys if k not in section]
        if missing:
            raise ValueError(f"The review snapshot's {part!r} section lacks {', '.join(missing)}.")
    if not isinstance(snapshot.get("answers"), list):
        raise ValueError("The review snapshot has no list of checklist answers.")
    if "knowledge_version" not in snapshot:
        raise ValueError("The review snapshot does not name its knowledge base version.")
    for number, answer in enumerate(snapshot["answers"], 1):
        if not isinstance(answer, dict) or "item" not in answer:
            raise ValueError(f"Checklist answer {number} of the review snapshot has no item.")
    preparer = snapshot["review"]["preparer"]
    if not isinstance(preparer, dict) or "name" not in preparer:
        raise ValueError("The review snapshot names no preparer.")
    if not isinstance(snapshot["scan"]["files"], list):
        raise ValueError("The review snapshot's scan has no file list.")


def is_final(snapshot: Snapshot) -> bool:
    """Whether the review is in a final status (a memo may be exported)."""
    return snapshot["review"]["status"] in FINAL_STATUSES


def item_title(item: str) -> str:
    """A readable title for a checklist item id without a catalogue entry."""
    return item.replace("_", " ").replace("-", " ").strip().capitalize() or item


def _person(label: str | None) -> Person | None:
    if not label:
        return None
    from desktop.core.store import parse_identity

    who = parse_identity(label)
    return {"name": who.name, "email": who.email}


def from_store(store: Any, review_id: int, *, firm_name: str | None = None,
               matter: str | None = None, privilege: str | None = None) -> Snapshot:
    """Read review ``review_id`` from an open :class:`desktop.core.store.Store` as a snapshot.

    The firm name defaults to the store setting ``firm_name``; the matter to the setting
    ``matter:<review id>``, else the review's purpose.  Checklist titles and knowledge-base
    facts are added (:class:`SnapshotProblem` when those catalogues cannot be read).  The
    knowledge and checklist versions are the review's own; ``audit_head`` is the chain head
    before the review was read, which the memo's manifest carries.
    """
    audit_head = store.audit_head()  # read first: the memo vouches for the history up to here
    current_knowledge = _knowledge_version()
    data = store.get_review(review_id, include_files=True)
    delivery = data["delivery"]
    decided = data["updated_at"] if data["status"] in FINAL_STATUSES else None
    # today's checklist speaks only for reviews made before their wording was kept with them
    titles = {} if all(a.get("title") for a in data["answers"]) else _checklist_titles()
    answers: list[AnswerPart] = []
    for a in data["answers"]:
        title, question = (a["title"], a.get("question") or "") if a.get("title") else \
            titles.get(a["item"], (item_title(a["item"]), ""))
        answers.append({"item": a["item"], "title": title, "question": question,
                        "suggested": a.get("suggested") or "", "decision": a.get("decision"),
                        "rationale": a.get("rationale"), "conditions": a.get("conditions"),
                        "evidence": list(a.get("evidence") or []),
                        "carried_over": bool(a.get("carried_over")),
                        "decided_by": _person(a.get("answered_by")), "decided_at": a.get("answered_at"),
                        "carried_from_review": (a.get("carried_from") or {}).get("review")})
    files = [{**f, "licenses": list(f.get("licenses") or [])} for f in data.get("files", [])]
    scan = {"schema": "aireview.scan/1", "fingerprint": delivery["fingerprint"],
            "source": {"path": delivery["source_path"], "kind": delivery.get("source_kind", "")},
            "files": files, "components": delivery.get("components") or [],
            "findings": data.get("findings") or [], "licenses": data.get("licenses") or []}
    snapshot: Snapshot = {
        "review": {"id": data["id"], "status": data["status"], "purpose": data["purpose"],
                   "checklist": data["checklist"],
                   "preparer": _person(data["preparer"]) or {"name": "", "email": ""},
                   "approver": _person(data["approver"]), "created": data["created_at"],
                   "decided": decided},
        "firm": {"name": firm_name or store.get_setting("firm_name") or "",
                 "matter": matter or store.get_setting(f"matter:{review_id}") or data["purpose"],
                 "privilege": privilege or store.get_setting("privilege_legend") or ""},
        "delivery": {"vendor": delivery["vendor"] or "", "product": delivery["product"] or "",
                     "version": delivery["version"] or "", "received": delivery["received_on"],
                     "fingerprint": delivery["fingerprint"],
                     "source_path": delivery["source_path"]},
        "scan": scan,
        "answers": answers,
        # the versions the review was created with; today's for reviews made before they were kept
        "knowledge_version": data.get("knowledge_version") or current_knowledge,
        "checklist_version": data.get("checklist_version"),
        "license_facts": _license_facts(data.get("licenses") or []),
        "audit_head": audit_head,
        "obligations": store.obligations(review_id),
    }
    if data.get("knowledge_version") and data["knowledge_version"] != current_knowledge:
        # license facts are today's: say so rather than pass them off as the review's
        snapshot["knowledge_version_at_export"] = current_knowledge
    return snapshot


class SnapshotProblem(ValueError):
    """A catalogue the memo needs cannot be read; the memo is not exported without it."""


def _checklist_titles() -> dict[str, tuple[str, str]]:
    from desktop.core.checks.checklist import ChecklistError, load_checklist

    try:
        return {i.id: (i.title, i.question) for i in load_checklist().items}
    except (ChecklistError, OSError) as exc:
        raise SnapshotProblem(f"The memo needs the checklist's item titles, which cannot be read: {exc}") from None


def _knowledge_version() -> str:
    from desktop.core.checks.knowledge import knowledge_version
    from desktop.core.checks.knowledge_schema import KnowledgeError

    try:
        return knowledge_version()
    except (KnowledgeError, OSError, ValueError) as exc:
        raise SnapshotProblem(f"The memo needs the knowledge base version, which cannot be read: {exc}") from None


def _license_facts(keys: list[str]) -> dict[str, dict[str, Any]]:
    from desktop.core.checks.knowledge import load_knowledge
    from desktop.core.checks.knowledge_schema import KnowledgeError

    try:
        known = load_knowledge()
    except (KnowledgeError, OSError, ValueError) as exc:
        raise SnapshotProblem(f"The memo needs the knowledge base, which cannot be read: {exc}") from None
    result: dict[str, dict[str, Any]] = {}
    for key in keys:
        facts = known.get(key)
        if facts is not None:
            result[key] = {"name": facts.name, **{
                name: {"value": fact.value, "summary": fact.summary}
                for name, fact in facts.facts.items()}}
    return result
