"""Replay: the state of every record that its audit events imply, and where the stored rows differ.

The hash chain proves that the events were not altered; it says nothing about the rows. A claim
whose verdict is edited with plain SQL keeps an intact chain. So ``audit verify`` (and restore,
on a backup) also folds every event into the state it implies — for each claim, source,
evidence item, note, correction, user and claimant — and compares that with what is stored, naming each
difference: ``claim 3: verdict is 'true', its events say none``.

This module is pure (standard library and :mod:`claimcheck.core.events`, whose builders make
every payload it reads): events come in as :class:`EventView` (from the database or from a
backup), stored records as plain JSON-shaped dicts (dates as ISO strings, tags sorted, cited
evidence ids ascending). :mod:`claimcheck.services.integrity` reads both from the database;
restore builds them from the backup document. One fold, so the two cannot disagree.

What each kind of record is held to (the fields its events carry):

- claim: the fields of its ``create`` event, then every later claim event's ``after`` values
  (edits, tags, assignment, links, each workflow move with the fields it carried, an ``undo``
  with the status and fields it restored — it must take back its actor's own last move still in
  effect, back to where that move came from, or it is reported); its
  ``created_by`` is the actor of the ``create`` event; an ``approve`` by the claim's own
  proposer breaks the two-person rule and is reported as such.
- source: ``source.add`` then ``source.edit`` (URL, title, publisher, author, date, kind,
  language, archived text's SHA-256); a ``source.fetch`` is about the capture it made (its
  ``url``, where the fetch ended, may be an alias of the source) and sets none of them.
- evidence: ``evidence.add`` (its claim, source URL, excerpt, stance, figure, unit, date, note).
- note: ``note`` (its claim and body).
- correction: the claim's k-th ``reopen`` event opened its k-th correction (who reopened it and
  why, the event's comment); its ``correction`` event closed it (the verdict before and after,
  the published note). A pending correction has no closing event.
- user: ``user.add`` then ``user.role`` / ``user.deactivate`` (name, role, active); after
  ``user.remove`` there is no user.
- claimant: its authority link (``same_as``) once a ``claimant.edit`` event set it (claimants are
  created with the claims that name them, without an event of their own). A
  ``claimant.rename`` renames the claimant on every replayed claim that named it; after a
  ``claimant.merge`` the merged claimant is gone (its claims' own ``edit`` events move them).
- deletions: after ``claim.delete`` / ``source.delete`` the record is gone; its events stay.

A record stored without any event, and events of a record that is not stored, are differences
too (a row inserted or deleted behind claimcheck's back).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from claimcheck.core import events, workflow

# The claim fields an event accounts for: the snapshot a creation records, the review fields the
# workflow moves carry, the link, and who created the claim (the actor of its ``create``).
# ``language`` is in a snapshot only when the claim has one (none: the desk's default).
CLAIM_FIELDS = (
    *events.CLAIM_FIELDS,
    "language",
    *events.REVIEW_FIELDS,
    "same_as_id",
    "created_by",
)
SOURCE_FIELDS = events.SOURCE_FIELDS
EVIDENCE_FIELDS = ("claim_id", *events.EVIDENCE_FIELDS)
NOTE_FIELDS = ("claim_id", "body")
USER_FIELDS = ("name", "role", "active")
CORRECTION_FIELDS = (
    "claim_id",
    "reopened_by",
    "reason",
    "old_verdict",
    "new_verdict",
    "note",
    "completed",
)
CLAIMANT_FIELDS = ("same_as",)

FIELDS: dict[str, tuple[str, ...]] = {
    "claim": CLAIM_FIELDS,
    "source": SOURCE_FIELDS,
    "evidence": EVIDENCE_FIELDS,
    "note": NOTE_FIELDS,
    "correction": CORRECTION_FIELDS,
    "user": USER_FIELDS,
    "claimant": CLAIMANT_FIELDS,
}
# Kinds whose every stored record must have events (claimants are created without one).
NEEDS_EVENTS = ("claim", "source", "evidence", "note", "correction", "user")
# The events after which their record is gone (deleted by claimcheck, recorded).
REMOVALS = ("source.delete", "user.remove", "claimant.merge")
# The order differences are reported in.
KIND_ORDER = ("user", "source", "claimant", "claim", "evidence", "note", "correction")


@dataclass(frozen=True)
class EventView:
    """The parts of an event that replay reads."""

    id: int | None
    claim_id: int | None
    entity: str
    entity_id: int | None
    actor: str
    action: str
    after: dict[str, Any] | None
    before: dict[str, Any] | None = None
    comment: str | None = None


@dataclass
class Replayed:
    """What the events say: a state per record, plus rule violations found on the way."""

    states: dict[str, dict[int, dict[str, Any]]] = field(
        default_factory=lambda: {kind: {} for kind in FIELDS}
    )
    problems: list[tuple[str, int, str]] = field(default_factory=list)
    # Corrections: opened by a claim's reopen events (in order), closed by correction events.
    reopens: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    closed: dict[int, dict[str, Any]] = field(default_factory=dict)
    _proposer: dict[int, str] = field(default_factory=dict)
    # Each claim's moves still in effect (an undo takes back the last one).
    _moves: dict[int, list[EventView]] = field(default_factory=dict)

    def apply(self, ev: EventView) -> None:
        after = ev.after or {}
        if ev.entity == "claim" and ev.claim_id is not None:
            self._claim(ev, after)
        elif ev.entity == "correction" and ev.entity_id is not None:
            self.closed[ev.entity_id] = {
                "claim_id": ev.claim_id,
                "old_verdict": (ev.before or {}).get("verdict"),
                "new_verdict": after.get("verdict"),
                "note": after.get("note"),
            }
        elif ev.entity in ("source", "user", "claimant", "evidence", "note") and (
            ev.entity_id is not None
        ):
            states = self.states[ev.entity]
            if ev.action in REMOVALS:
                states.pop(ev.entity_id, None)
                return
            if ev.action == "source.fetch":
                # It describes the capture: its ``url`` is where the fetch ended (a page moved
                # elsewhere, or a spelling of the URL the source does not store), not the
                # source's URL; the source's fields changed by a fetch have their source.edit.
                return
            if ev.action == "claimant.rename":
                self._renamed((ev.before or {}).get("name"), after.get("name"))
            state = states.get(ev.entity_id)
            if state is None:
                state = states[ev.entity_id] = {}
                if ev.entity == "user":
                    state["active"] = True
                if ev.entity in ("evidence", "note"):
                    state["claim_id"] = ev.claim_id
            if ev.entity == "claimant":
                if ev.action == "claimant.edit" and "same_as" in after:
                    state["same_as"] = after["same_as"]
                return
            state.update({k: v for k, v in after.items() if k in FIELDS[ev.entity]})

    def _renamed(self, old: Any, new: Any) -> None:
        """A claimant renamed: every claim naming it by the old name names it by the new one
        (names are unique among claimants, so the old name meant this claimant)."""
        if old is None or new is None:
            return
        for state in self.states["claim"].values():
            if state.get("claimant") == old:
                state["claimant"] = new

    def _claim(self, ev: EventView, after: dict[str, Any]) -> None:
        assert ev.claim_id is not None
        states = self.states["claim"]
        if ev.action == "claim.delete":
            states.pop(ev.claim_id, None)
            self._proposer.pop(ev.claim_id, None)
            return
        state = states.get(ev.claim_id)
        if state is None:
            state = states[ev.claim_id] = {"tags": [], "citations": []}
        if ev.action == "create":
            state["created_by"] = ev.actor
        if ev.action == "reopen":
            self.reopens.setdefault(ev.claim_id, []).append(
                {
                    "claim_id": ev.claim_id,
                    "reopened_by": ev.actor,
                    "reason": ev.comment,
                    "verdict_then": state.get("verdict"),
                }
            )
        where = f" (event {ev.id})" if ev.id is not None else ""
        move = workflow.MOVE_BY_NAME.get(ev.action)
        if move is not None and "status" in after:
            # A move's event must be a row of core's workflow table.
            came = (ev.before or {}).get("status")
            if came not in move.sources or after["status"] != move.target:
                self.problems.append(
                    (
                        "claim",
                        ev.claim_id,
                        f"claim {ev.claim_id}: a {ev.action} from {came} to {after['status']}"
                        f"{where} is not a move of the workflow",
                    )
                )
        if move is not None:
            self._moves.setdefault(ev.claim_id, []).append(ev)
        elif ev.action == workflow.UNDO:
            self._undo(ev, after, where)
        if ev.action == "propose":
            self._proposer[ev.claim_id] = ev.actor
        elif (
            move is not None
            and move.not_by_proposer
            and self._proposer.get(ev.claim_id) == ev.actor
        ):
            self.problems.append(
                (
                    "claim",
                    ev.claim_id,
                    f"claim {ev.claim_id}: approved by {ev.actor}, who proposed the verdict"
                    f"{where}: the two-person rule was broken",
                )
            )
        for key, value in after.items():
            if key in ("tags", "citations") and isinstance(value, list):
                value = sorted(value, key=_sort_key)
            state[key] = value

    def _undo(self, ev: EventView, after: dict[str, Any], where: str) -> None:
        """An undo must take back its actor's own last move in effect, to where it came from."""
        assert ev.claim_id is not None
        stack = self._moves.get(ev.claim_id) or []
        undone = stack.pop() if stack else None
        before = ev.before or {}
        why = None
        if undone is None:
            why = "there is no move to undo"
        else:
            was, now = undone.before or {}, undone.after or {}
            if undone.actor != ev.actor:
                why = f"the last move (a {undone.action}) was {undone.actor}'s"
            elif undone.action not in workflow.UNDOABLE:
                why = f"a {undone.action} is not undone"
            elif before.get("status") != now.get("status") or after.get("status") != was.get(
                "status"
            ):
                why = (
                    f"it goes from {before.get('status')} to {after.get('status')}, not back "
                    f"along the {undone.action} from {was.get('status')} to {now.get('status')}"
                )
            elif any(
                k not in workflow.UNDOABLE[undone.action] or was.get(k) != v
                for k, v in after.items()
                if k != "status"
            ):
                why = (
                    f"it sets fields the {undone.action} did not carry, or not to their old values"
                )
        if why is not None:
            self.problems.append(
                ("claim", ev.claim_id, f"claim {ev.claim_id}: an undo{where} is not valid: {why}")
            )
        if "proposed_by" in after:
            if after["proposed_by"] is None:
                self._proposer.pop(ev.claim_id, None)
            else:
                self._proposer[ev.claim_id] = after["proposed_by"]


def replay(events: Iterable[EventView]) -> Replayed:
    result = Replayed()
    for ev in events:
        result.apply(ev)
    return result


def _sort_key(value: Any) -> tuple[str, Any]:
    return (type(value).__name__, value)


def _shown(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, str):
        text = value if len(value) <= 60 else value[:59] + "…"
        return repr(text)
    text = repr(value)
    return text if len(text) <= 80 else text[:79] + "…"


def _same(stored: Any, replayed: Any) -> bool:
    if stored == replayed:
        return True
    # JSON keeps 2.0 as 2 on some paths; the number is the same.
    if isinstance(stored, int | float) and isinstance(replayed, int | float):
        return float(stored) == float(replayed)
    return False


def compare_record(
    kind: str, record_id: int, stored: dict[str, Any], replayed: dict[str, Any] | None
) -> Iterator[str]:
    """The differences between one stored record and its replayed state, one line each."""
    label = f"{kind} {record_id}"
    if replayed is None:
        if kind in NEEDS_EVENTS:
            yield f"{label}: stored, but it has no events (added behind claimcheck's back)"
        elif any(stored.get(f) is not None for f in FIELDS[kind]):
            for name in FIELDS[kind]:
                if stored.get(name) is not None:
                    yield f"{label}: {name} is {_shown(stored[name])}, its events say none"
        return
    for name in FIELDS[kind]:
        empty: Any = [] if name in ("tags", "citations") else None
        have = stored.get(name, empty)
        want = replayed.get(name, empty)
        if not _same(have, want):
            yield f"{label}: {name} is {_shown(have)}, its events say {_shown(want)}"


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def _corrections_stored(n: int) -> str:
    if n == 0:
        return "no correction is stored"
    return f"only {n} correction{'s are' if n > 1 else ' is'} stored"


def _corrections(
    replayed: Replayed, stored: dict[int, dict[str, Any]], lines: list[tuple[int, int, int, str]]
) -> None:
    """Give each stored correction its replayed state (the claim's k-th reopen opened its k-th
    correction) in ``replayed.states``; reopens without a stored correction are differences."""
    order = KIND_ORDER.index("correction")
    by_claim: dict[int, list[int]] = {}
    for cid, row in sorted(stored.items()):
        by_claim.setdefault(int(row.get("claim_id") or 0), []).append(cid)
    states = replayed.states["correction"]
    for claim_id, opens in replayed.reopens.items():
        ids = by_claim.get(claim_id, [])
        for n, opened in enumerate(opens):
            if n >= len(ids):
                lines.append(
                    (
                        order,
                        claim_id,
                        0,
                        f"claim {claim_id}: its events reopen it {_times(len(opens))}, but "
                        f"{_corrections_stored(len(ids))} (deleted behind claimcheck's back)",
                    )
                )
                break
            state = states[ids[n]] = {
                "claim_id": opened["claim_id"],
                "reopened_by": opened["reopened_by"],
                "reason": opened["reason"],
                "old_verdict": opened["verdict_then"],
                "new_verdict": None,
                "note": None,
                "completed": False,
            }
            closing = replayed.closed.get(ids[n])
            if closing is not None:
                state.update(closing, completed=True)
    for cid, closing in replayed.closed.items():
        if cid not in states:
            states[cid] = {**closing, "completed": True}


def compare(
    replayed: Replayed, stored: dict[str, dict[int, dict[str, Any]]], limit: int | None = None
) -> list[str]:
    """Every difference between the stored records and what their events say, in a stable order.

    ``stored`` maps a kind (``claim``, ``source`` ...) to {id: JSON-shaped fields}. A kind absent
    from ``stored`` is not compared.
    """
    lines: list[tuple[int, int, int, str]] = []
    order = {kind: n for n, kind in enumerate(KIND_ORDER)}
    if "correction" in stored:
        _corrections(replayed, stored["correction"], lines)
    for kind, rows in stored.items():
        states = replayed.states.get(kind, {})
        for record_id, fields in rows.items():
            for n, line in enumerate(
                compare_record(kind, record_id, fields, states.get(record_id))
            ):
                lines.append((order[kind], record_id, n, line))
        if kind == "claimant":
            continue
        for record_id in states.keys() - rows.keys():
            lines.append(
                (
                    order[kind],
                    record_id,
                    0,
                    f"{kind} {record_id}: its events say it exists, but it is not stored "
                    "(deleted behind claimcheck's back)",
                )
            )
    for kind, record_id, line in replayed.problems:
        lines.append((order[kind], record_id, -1, line))
    lines.sort()
    out = [line for *_, line in lines]
    return out if limit is None else out[:limit]


__all__ = [
    "CLAIM_FIELDS",
    "FIELDS",
    "EventView",
    "Replayed",
    "compare",
    "compare_record",
    "replay",
]
