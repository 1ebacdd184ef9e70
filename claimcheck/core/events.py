"""The audit events' payloads: one builder per action, and the replay that reads them.

Every change claimcheck makes appends one audit event (``services/audit.py`` hash-chains and
stores it). What an event *says* — its action, the entity it is about, its ``before``/``after``
values and its comment — is built here and only here, by one function per action:

=====================  ===========================  ==========================================
action                 builder                      written by
=====================  ===========================  ==========================================
``create``             :func:`claim_created`        ``add``, ``import``, the benchmark data
``edit``               :func:`claim_edited`         ``edit``, ``import --on-duplicate update``
``tag``                :func:`tags_changed`         ``tag add/remove``
``assign``             :func:`assigned`             ``review --assign``
a workflow move        :func:`transition`           ``services.workflow.transition`` only
``undo``               :func:`undone`               ``review --undo`` (one's own last move)
``evidence.add``       :func:`evidence_added`       ``evidence add``
``note``               :func:`note_added`           ``review --note``
``correction``         :func:`correction_completed` approving a reopened claim
``link`` / ``unlink``  :func:`linked`               ``link`` / ``unlink`` (appearances)
``source.add``         :func:`source_added`         ``source add``, ``import``
``source.edit``        :func:`source_edited`        ``source edit``, a fetch filling details
``source.fetch``       :func:`source_fetched`       ``source add --fetch``, ``source refetch``,
                                                    ``evidence add --fetch``, ``extract URL``
``claimant.alias``     :func:`claimant_aliases`     ``claimant alias``
``claimant.edit``      :func:`claimant_edited`      ``claimant same-as``
``claimant.rename``    :func:`claimant_renamed`     ``claimant rename``
``claimant.merge``     :func:`claimant_merged`      ``claimant merge`` (with an ``edit`` of
                                                    each claim it moves)
``claim.delete``       :func:`claim_deleted`        ``delete claim``
``source.delete``      :func:`source_deleted`       ``delete source``
``user.add``           :func:`user_added`           ``init``, ``user add``
``user.role``          :func:`role_changed`         ``user role``
``user.deactivate``    :func:`user_deactivated`     ``user deactivate``
``user.remove``        :func:`user_removed`         ``user remove``
``restore``            :func:`restored`             ``restore`` (after the re-chained events)
=====================  ===========================  ==========================================

(The workflow moves are ``start``, ``propose``, ``approve``, ``send_back``, ``dismiss``,
``restore`` and ``reopen``; a move's event is about the claim, the ``restore`` *action* of a
backup is about the database — the entity tells them apart.)

The shape is what :func:`replay` folds: every event about a claim (entity ``claim``) carries in
``after`` the claim fields it set, and applying them in order gives the claim's state. A
creation carries the whole :func:`claim_state`; an edit, a tag change, an assignment or a link
carry the fields they changed; a workflow move carries ``status`` first, then the fields the
move sets (a proposal's verdict and rationale, an approval's approver ...) and the cited
evidence ids as ``citations``. Events about other entities (evidence, notes, corrections,
sources, claimants, users) do not change the replayed state.

Values are JSON-ready (dates and times as ISO text, see :func:`jsonable`), so a payload can be
hashed and stored as it is. Pure: standard library only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

JSON = dict[str, Any]

# The fields of a claim's snapshot, in the order a ``create`` event records them.
CLAIM_FIELDS = (
    "text",
    "statement",
    "context",
    "said_on",
    "claimant",
    "source",
    "start",
    "end",
    "quantities",
    "tolerance",
    "checkworthiness",
    "tags",
    "status",
    "verdict",
    "assignee",
)
# The review fields the workflow moves carry besides the status (with the claim snapshot, the
# fields replay accounts for).
REVIEW_FIELDS = ("rationale", "proposed_by", "approved_by", "citations")
# A source's snapshot, in the order a ``source.add`` event records it.
SOURCE_FIELDS = (
    "url",
    "title",
    "publisher",
    "author",
    "published_on",
    "kind",
    "language",
    "text_sha256",
)
# An evidence record's snapshot, in the order an ``evidence.add`` event records it.
EVIDENCE_FIELDS = ("source", "excerpt", "stance", "figure", "unit", "as_of", "note")


def jsonable(value: Any) -> Any:
    """Values as they are stored in an event's JSON (dates and times as ISO text, UTC)."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def _day(value: dt.date | str | None) -> str | None:
    if isinstance(value, dt.date):
        return jsonable(value)  # type: ignore[no-any-return]
    return value


@dataclass(frozen=True)
class Payload:
    """What one audit event says; the chain adds the actor, the time and the hashes.

    ``entity_id`` may be left out for an event about a claim (it is then the claim's id).
    """

    action: str
    claim_id: int | None = None
    entity: str = "claim"
    entity_id: int | None = None
    before: JSON | None = None
    after: JSON | None = None
    comment: str | None = None


class Recorded(Protocol):
    """A stored event as replay and :func:`summarize` read it (a Payload or a database row)."""

    @property
    def action(self) -> str: ...
    @property
    def entity(self) -> str: ...
    @property
    def entity_id(self) -> int | None: ...
    @property
    def before(self) -> JSON | None: ...
    @property
    def after(self) -> JSON | None: ...


# ---------------------------------------------------------------------------------------------
# Snapshots


def claim_state(
    *,
    text: str,
    statement: str | None = None,
    context: str | None = None,
    said_on: dt.date | str | None = None,
    claimant: str | None = None,
    source: str | None = None,
    start: int | None = None,
    end: int | None = None,
    quantities: list[dict[str, Any]] | None = None,
    tolerance: float | None = None,
    checkworthiness: float | None = None,
    tags: Sequence[str] = (),
    status: str = "new",
    verdict: str | None = None,
    assignee: str | None = None,
    language: str | None = None,
) -> JSON:
    """A claim's snapshot (:data:`CLAIM_FIELDS`): what a creation records and edits compare.

    ``claimant`` is the claimant's name and ``source`` the source's URL, so a history reads
    without joins and survives a restore. ``language`` (the claim's BCP 47 tag) is recorded
    only when the claim has one: a claim in the desk's default language records what it always
    did.
    """
    state: JSON = {
        "text": text,
        "statement": statement,
        "context": context,
        "said_on": _day(said_on),
        "claimant": claimant,
        "source": source,
        "start": start,
        "end": end,
        "quantities": quantities,
        "tolerance": tolerance,
        "checkworthiness": checkworthiness,
        "tags": list(tags),
        "status": status,
        "verdict": verdict,
        "assignee": assignee,
    }
    if language is not None:
        state["language"] = language
    return state


def source_state(
    *,
    url: str,
    title: str | None = None,
    publisher: str | None = None,
    author: str | None = None,
    published_on: dt.date | str | None = None,
    kind: str = "article",
    language: str | None = None,
    text_sha256: str | None = None,
) -> JSON:
    """A source's snapshot (:data:`SOURCE_FIELDS`; the archived text by its hash only)."""
    return {
        "url": url,
        "title": title,
        "publisher": publisher,
        "author": author,
        "published_on": _day(published_on),
        "kind": kind,
        "language": language,
        "text_sha256": text_sha256,
    }


def evidence_state(
    *,
    source: str,
    excerpt: str | None,
    stance: str,
    figure: float | None = None,
    unit: str | None = None,
    as_of: dt.date | str | None = None,
    note: str | None = None,
) -> JSON:
    """An evidence record's snapshot (:data:`EVIDENCE_FIELDS`; ``source`` is its URL)."""
    return {
        "source": source,
        "excerpt": excerpt,
        "stance": stance,
        "figure": figure,
        "unit": unit,
        "as_of": _day(as_of),
        "note": note,
    }


def changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    """{field: (old, new)} for the fields of ``after`` whose value differs from ``before``."""
    return {k: (before.get(k), v) for k, v in after.items() if before.get(k) != v}


def _split(changed: Mapping[str, tuple[Any, Any]]) -> tuple[JSON, JSON]:
    return (
        jsonable({k: v[0] for k, v in changed.items()}),
        jsonable({k: v[1] for k, v in changed.items()}),
    )


# ---------------------------------------------------------------------------------------------
# Claims


def claim_created(claim_id: int | None, state: JSON, *, comment: str | None = None) -> Payload:
    """``create``: the whole :func:`claim_state` (an import's comment names the file and line)."""
    return Payload("create", claim_id=claim_id, after=state, comment=comment)


def claim_edited(
    claim_id: int, changed: Mapping[str, tuple[Any, Any]], *, comment: str | None = None
) -> Payload:
    """``edit``: the snapshot fields that changed, old values before, new ones after."""
    before, after = _split(changed)
    return Payload("edit", claim_id=claim_id, before=before, after=after, comment=comment)


def tags_changed(claim_id: int, before: Sequence[str], after: Sequence[str]) -> Payload:
    """``tag``: the claim's whole tag list before and after."""
    return Payload(
        "tag", claim_id=claim_id, before={"tags": list(before)}, after={"tags": list(after)}
    )


def assigned(claim_id: int, before: str | None, after: str | None) -> Payload:
    """``assign``: who the claim was assigned to, and who now."""
    return Payload(
        "assign", claim_id=claim_id, before={"assignee": before}, after={"assignee": after}
    )


def transition(
    claim_id: int,
    move: str,
    *,
    status: tuple[str, str],
    fields: Mapping[str, tuple[Any, Any]] | None = None,
    reason: str | None = None,
) -> Payload:
    """A workflow move (the action is the move's name): ``status`` (from, to) first, then the
    fields the move carries as (old, new) in the order given, the reason as the comment."""
    before: JSON = {"status": status[0]}
    after: JSON = {"status": status[1]}
    for key, (old, new) in (fields or {}).items():
        before[key] = jsonable(old)
        after[key] = jsonable(new)
    return Payload(move, claim_id=claim_id, before=before, after=after, comment=reason)


def undone(
    claim_id: int,
    event_id: int,
    move: str,
    *,
    status: tuple[str, str],
    fields: Mapping[str, tuple[Any, Any]] | None = None,
    reason: str | None = None,
) -> Payload:
    """``undo``: a move taken back by the person who made it. ``before`` holds the claim's
    status (and the fields restored) as the move left them, ``after`` as they were before the
    move; ``before`` also names the event undone (``undoes``), and the comment says which move
    it was, with the reason if one was given."""
    before: JSON = {"status": status[0]}
    after: JSON = {"status": status[1]}
    for key, (old, new) in (fields or {}).items():
        before[key] = jsonable(old)
        after[key] = jsonable(new)
    before["undoes"] = event_id
    words = f"undo of {move} (event {event_id})"
    comment = f"{words}: {reason.strip()}" if reason and reason.strip() else words
    return Payload("undo", claim_id=claim_id, before=before, after=after, comment=comment)


def linked(
    claim_id: int, before: int | None, after: int | None, *, comment: str | None = None
) -> Payload:
    """``link`` (the claim becomes an appearance of claim ``after``) or ``unlink`` (None)."""
    return Payload(
        "link" if after is not None else "unlink",
        claim_id=claim_id,
        before={"same_as_id": before},
        after={"same_as_id": after},
        comment=comment,
    )


# ---------------------------------------------------------------------------------------------
# What belongs to a claim without changing it


def evidence_added(claim_id: int, evidence_id: int, state: JSON) -> Payload:
    """``evidence.add``: the record's :func:`evidence_state`."""
    return Payload(
        "evidence.add", claim_id=claim_id, entity="evidence", entity_id=evidence_id, after=state
    )


def note_added(claim_id: int, note_id: int, body: str) -> Payload:
    """``note``: an internal note's text."""
    return Payload(
        "note", claim_id=claim_id, entity="note", entity_id=note_id, after={"body": body}
    )


def correction_completed(
    claim_id: int, correction_id: int, old_verdict: str | None, new_verdict: str | None, note: str
) -> Payload:
    """``correction``: a reopened claim approved again — the verdict before and after."""
    return Payload(
        "correction",
        claim_id=claim_id,
        entity="correction",
        entity_id=correction_id,
        before={"verdict": old_verdict},
        after={"verdict": new_verdict, "note": note},
    )


# ---------------------------------------------------------------------------------------------
# Sources, claimants, users, the database


def source_added(source_id: int, state: JSON, *, comment: str | None = None) -> Payload:
    """``source.add``: the source's :func:`source_state`."""
    return Payload("source.add", entity="source", entity_id=source_id, after=state, comment=comment)


def source_edited(source_id: int, changed: Mapping[str, tuple[Any, Any]]) -> Payload:
    """``source.edit``: the snapshot fields that changed."""
    before, after = _split(changed)
    return Payload("source.edit", entity="source", entity_id=source_id, before=before, after=after)


def source_fetched(source_id: int, capture: JSON) -> Payload:
    """``source.fetch``: a new capture of the source (its id, URLs, status and hashes)."""
    return Payload("source.fetch", entity="source", entity_id=source_id, after=jsonable(capture))


def published_update(payload: Payload, claim_ids: Sequence[int]) -> Payload:
    """The event of a change to what verified claims publish, made without reopening them (an
    editor's *published update*): its comment names the claims it updates. No claims: as it is."""
    if not claim_ids:
        return payload
    plural = "s" if len(claim_ids) > 1 else ""
    note = f"published update of verified claim{plural} " + ", ".join(f"#{i}" for i in claim_ids)
    comment = f"{payload.comment}; {note}" if payload.comment else note
    return Payload(
        payload.action,
        payload.claim_id,
        payload.entity,
        payload.entity_id,
        payload.before,
        payload.after,
        comment,
    )


def claimant_aliases(claimant_id: int, aliases: Sequence[str]) -> Payload:
    """``claimant.alias``: the spellings added."""
    return Payload(
        "claimant.alias", entity="claimant", entity_id=claimant_id, after={"aliases": list(aliases)}
    )


def update_published(
    claim_id: int, update_id: int, note: str, before: str | None, after: str
) -> Payload:
    """``update``: a published update that is not a correction — its public note, and the
    claim's ``modified_at`` (ISO) before and after."""
    return Payload(
        "update",
        claim_id=claim_id,
        entity="update",
        entity_id=update_id,
        before={"modified_at": before},
        after={"note": note, "modified_at": after},
    )


def claimant_job_title(claimant_id: int, before: str | None, after: str | None) -> Payload:
    """``claimant.edit``: the claimant's job title before and after."""
    return Payload(
        "claimant.edit",
        entity="claimant",
        entity_id=claimant_id,
        before={"job_title": before},
        after={"job_title": after},
    )


def claimant_edited(
    claimant_id: int, before: tuple[str | None, str | None], after: tuple[str | None, str | None]
) -> Payload:
    """``claimant.edit``: the claimant's (same_as URL, kind) before and after."""
    return Payload(
        "claimant.edit",
        entity="claimant",
        entity_id=claimant_id,
        before={"same_as": before[0], "kind": before[1]},
        after={"same_as": after[0], "kind": after[1]},
    )


def user_added(user_id: int, name: str, role: str) -> Payload:
    """``user.add``: a desk member's name and role."""
    return Payload("user.add", entity="user", entity_id=user_id, after={"name": name, "role": role})


def role_changed(
    user_id: int, before: tuple[str, bool], role: str, *, active: bool = True
) -> Payload:
    """``user.role``: (role, active) before; the new role, active again (or, restoring a
    backup's inactive member, not), after."""
    return Payload(
        "user.role",
        entity="user",
        entity_id=user_id,
        before={"role": before[0], "active": before[1]},
        after={"role": role, "active": active},
    )


def user_deactivated(user_id: int, role: str) -> Payload:
    """``user.deactivate``: a member who may no longer act (their history stays theirs)."""
    return Payload(
        "user.deactivate",
        entity="user",
        entity_id=user_id,
        before={"role": role, "active": True},
        after={"role": role, "active": False},
    )


def user_removed(user_id: int, name: str, role: str) -> Payload:
    """``user.remove``: a member removed who never did anything (the record is gone)."""
    return Payload(
        "user.remove", entity="user", entity_id=user_id, before={"name": name, "role": role}
    )


def claimant_renamed(claimant_id: int, before: str, after: str) -> Payload:
    """``claimant.rename``: the claimant's name before and after (the old name stays an alias);
    every claim naming the claimant now names it by the new name."""
    return Payload(
        "claimant.rename",
        entity="claimant",
        entity_id=claimant_id,
        before={"name": before},
        after={"name": after},
    )


def claimant_merged(
    claimant_id: int,
    name: str,
    into_id: int,
    into: str,
    claims: Sequence[int],
    aliases: Sequence[str],
    details: Mapping[str, Any] | None = None,
) -> Payload:
    """``claimant.merge``: the claimant ``name`` (with its ``details``: kind, same-as, job
    title, kept for the record) folded into ``into`` and removed; its claims (each also has an
    ``edit`` of its claimant) and its spellings now belong to ``into``."""
    return Payload(
        "claimant.merge",
        entity="claimant",
        entity_id=claimant_id,
        before={"name": name, **jsonable(dict(details or {}))},
        after={"into": into, "into_id": into_id, "claims": list(claims), "aliases": list(aliases)},
        comment=f"merged {name} into {into}",
    )


def claim_deleted(claim_id: int, state: JSON, reason: str) -> Payload:
    """``claim.delete``: a claim added by mistake, removed before any review; its snapshot
    before, the reason as the comment."""
    return Payload("claim.delete", claim_id=claim_id, before=state, comment=reason)


def source_deleted(source_id: int, state: JSON, reason: str) -> Payload:
    """``source.delete``: a source added by mistake, which no claim or evidence uses."""
    return Payload(
        "source.delete", entity="source", entity_id=source_id, before=state, comment=reason
    )


def restored(counts: JSON, generated_at: dt.datetime) -> Payload:
    """``restore``: what a backup restore wrote; about the database (only a complete backup,
    which holds the whole chain, carries it)."""
    return Payload(
        "restore",
        entity="database",
        after=counts,
        comment=f"restored a report generated {generated_at.isoformat()}",
    )


# ---------------------------------------------------------------------------------------------
# Reading the events back


def empty_state() -> JSON:
    """The replayed state before a claim's first event."""
    return {"tags": [], "citations": []}


def replay(events: Iterable[Recorded]) -> JSON:
    """The claim state its events imply: each claim event's ``after`` applied in order."""
    state = empty_state()
    for ev in events:
        if ev.entity == "claim" and ev.after:
            state.update(ev.after)
    return state


_MOVE_WORDS = {
    "start": "started the review",
    "approve": "approved the verdict",
    "send_back": "sent it back",
    "dismiss": "dismissed it",
    "restore": "restored it",
    "reopen": "reopened it for a correction",
}


def _quantity(value: dict[str, Any]) -> str | None:
    """A stored quantity as people write it (``~2 hours``), or None when it is not one."""
    from pydantic import ValidationError

    from claimcheck.core.quantities.format import describe_quantity
    from claimcheck.core.quantities.model import Quantity

    if "value" not in value:
        return None
    try:
        return describe_quantity(Quantity.model_validate(value))
    except ValidationError:
        return None


def _item(value: Any) -> str:
    if isinstance(value, dict):
        shown = _quantity(value)
        if shown is not None:
            return shown
        return ", ".join(f"{k} {_item(v)}" for k, v in value.items() if v not in (None, "", []))
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def describe_value(value: Any) -> str:
    """A recorded value as people write it: a quantity ``~2 hours``, a list joined by commas,
    ``—`` for nothing; long text cut to 60 characters."""
    return _value(value)


def _value(value: Any) -> str:
    if value is None or value == [] or value == "":
        return "—"
    text = ", ".join(_item(v) for v in value) if isinstance(value, list) else _item(value)
    text = text.replace("\n", " ")
    return text if len(text) <= 60 else text[:59] + "…"


def summarize(ev: Recorded) -> str:
    """One plain-language line for an event, e.g. 'status in_review → awaiting_approval; ...'."""
    before = ev.before or {}
    after = ev.after or {}
    if ev.action == "claim.delete":
        return "deleted the claim"
    if ev.action == "create":
        return "created the claim" + (f" from {after['source']}" if after.get("source") else "")
    if ev.action == "evidence.add":
        figure = ""
        if after.get("figure") is not None:
            figure = f", figure {after['figure']:g}" + (
                f" {after['unit']}" if after.get("unit") else ""
            )
        return f"added evidence #{ev.entity_id} ({after.get('stance')}{figure}) from {after.get('source')}"
    if ev.action == "note":
        return f"noted: {_value(after.get('body'))}"
    if ev.action == "source.fetch":
        return f"fetched capture #{after.get('capture_id')} of {after.get('url')} (HTTP {after.get('status')})"
    if ev.action == "correction":
        return (
            f"completed correction #{ev.entity_id}: "
            f"{_value(before.get('verdict'))} → {_value(after.get('verdict'))}"
        )
    parts = []
    skip = {"proposed_at", "approved_at"}
    if ev.action == "propose":
        cited = ", ".join(f"#{i}" for i in after.get("citations") or [])
        parts.append(f"proposed {after.get('verdict')} citing {cited or 'no evidence'}")
        skip |= {"verdict", "rationale", "proposed_by", "approved_by", "citations"}
    elif ev.action in _MOVE_WORDS:
        parts.append(_MOVE_WORDS[ev.action])
        skip.add("approved_by")  # the approver is the event's actor; reopening clears it
    elif ev.action == "undo":
        parts.append(f"undid event #{before.get('undoes')}")
        skip |= {"rationale", "approved_by"}
    for key in after:
        if key in skip:
            continue
        old, new = before.get(key), after.get(key)
        if old != new:
            parts.append(f"{key} {_value(old)} → {_value(new)}")
    return "; ".join(parts) if parts else ev.action
