"""Restore a JSON export into an empty database: the backup path of ``claimcheck export -f json``.

``restore_file(session, FILE, actor)`` — the one entry point, used by ``claimcheck restore`` and by
``claimcheck import`` given an export document — reads and validates the file and
``restore_report(session, doc, actor)`` writes back everything the full JSON export carries:
sources (with their archived text, checked against its sha256), claimants with their aliases,
tags, claims with every workflow field and their version counter, evidence, citations, internal
notes, corrections, the links between claims said in several places (``same_as_id``), and the
audit history. Exporting the restored database again gives the same JSON, byte for byte.

Design:

- **Ids are kept.** Claim ids appear in published URLs and in the audit events, so rows are
  inserted with their original ids. That is why the target must be *empty* (no claims, sources
  or claimants; desk members and their own events may exist, e.g. the editor who ran ``init``).
  On PostgreSQL the id sequences are then moved past the restored ids.
- **Plain Core inserts**, in bulk: no ORM unit of work, so the stored ``version`` of each claim is
  written as it was (the ORM would start it again at 1) and 10,000 claims restore quickly.
- **Events are re-chained.** The export carries each event's content (actor, time, action,
  before/after, comment) and its hash, not its id; each event of a claim, source or claimant is
  appended to this database's chain with :func:`claimcheck.services.audit.record`, keeping its
  original actor and time, so ``audit verify`` passes afterwards (the backup's own desk and
  restore events are checked as part of its chain, not re-chained: the desk is restored in
  this database's terms). A final ``restore`` event records who restored what.
- Everything is validated before the first write: schema version, id uniqueness, every
  reference (claim → source, claimant, linked claim; evidence → source), archive hashes. One bad
  record is one ``InputError`` naming it, and nothing is written (the command's unit of work).
- **A complete backup carries its chain.** Its events are every event of the trail with their
  hashes, and its ``audit_head``: restore recomputes the chain from the first event and refuses
  a file whose events do not hash to what it says (:func:`check_chain`); ``--anchor`` also
  requires a head kept elsewhere to be in it, so a backup rewritten whole is refused too.
- **A backup is untrusted input.** Before anything is written, every field is validated as if
  it were typed at the desk (:func:`check_fields`): the input schemas' text limits, URL schemes
  and dates, statuses from the workflow, verdicts from this database's rating scale, the
  two-person rule and cited evidence for a verified or proposed verdict; no string anywhere in
  the file may hold a NUL or a lone surrogate. And the events must account for the records
  (:func:`check_events`): replaying them (:mod:`claimcheck.core.replay`, the same fold as
  ``audit verify``) must give every claim, source, evidence item, note, correction and claimant
  as the file
  stores it, each record's first event must be the one that created it, and no approval may
  come from the claim's own proposer. A forged backup is refused with one line naming the
  record; nothing is written.
- **The desk comes back.** A complete backup lists the desk members (name, role, active);
  members missing from the target are added and roles brought to the backup's, each recorded
  as a ``user.add`` / ``user.role`` event by the restoring editor, so ``audit verify`` passes.
  The acting user must be an editor of the target database.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Table, bindparam, func, insert, select, text, update
from sqlalchemy.orm import Session

from claimcheck.core import events
from claimcheck.core.limits import MAX_JSON_DEPTH, json_depth
from claimcheck.core.ratings import SCALES, RatingScale
from claimcheck.core.replay import EventView, compare, replay
from claimcheck.core.text import alias_key, dedupe_key, normalize_text
from claimcheck.errors import ConflictError, InputError
from claimcheck.export.model import SCHEMA_VERSION, ReportDocument
from claimcheck.models import (
    Citation,
    Claim,
    Claimant,
    ClaimantAlias,
    ClaimClaimant,
    ClaimTag,
    ClaimUpdate,
    Correction,
    Evidence,
    Note,
    Source,
    Tag,
    User,
)
from claimcheck.schemas import error_line
from claimcheck.services import audit
from claimcheck.services.users import require_role
from claimcheck.urls import normalize_url


def _table(model: Any) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


# Tables whose ids are restored as exported (PostgreSQL sequences are advanced past them).
_KEPT_ID_TABLES = (
    "sources",
    "claimants",
    "claims",
    "evidence",
    "notes",
    "corrections",
    "claim_updates",
)


@dataclass(frozen=True)
class RestoreSummary:
    claims: int
    sources: int
    claimants: int
    evidence: int
    notes: int
    corrections: int
    events: int
    complete: bool
    users: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "claims": self.claims,
            "sources": self.sources,
            "claimants": self.claimants,
            "evidence": self.evidence,
            "notes": self.notes,
            "corrections": self.corrections,
            "events": self.events,
            "users": self.users,
            "complete": self.complete,
        }


def read_document(raw: str | bytes, origin: str = "FILE") -> ReportDocument:
    """Parse and validate a JSON export; any problem is one InputError naming where it is."""
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InputError(f"{origin}: not JSON (line {exc.lineno}: {exc.msg})") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{origin}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except RecursionError:
        raise InputError(f"{origin}: not a claimcheck JSON export (nested too deeply)") from None
    if json_depth(data) > MAX_JSON_DEPTH:
        raise InputError(
            f"{origin}: not a claimcheck JSON export (nested more than {MAX_JSON_DEPTH} levels deep)"
        )
    if not isinstance(data, dict) or "schema_version" not in data:
        raise InputError(f"{origin}: not a claimcheck JSON export (no schema_version)")
    version = data["schema_version"]
    if version != SCHEMA_VERSION:
        raise InputError(
            f"{origin}: schema_version {version!r} is not supported "
            f"(this claimcheck reads version {SCHEMA_VERSION})"
        )
    data = {k: v for k, v in data.items() if k not in ("index", "corrections")}
    try:
        check_strings(data)
    except InputError as exc:
        raise InputError(f"{origin}: {exc}") from None
    try:
        return ReportDocument.model_validate(data)
    except ValidationError as exc:
        raise InputError(f"{origin}: {error_line(exc, label=str)}") from None


def _count(session: Session, model: Any) -> int:
    return int(session.execute(select(func.count()).select_from(model)).scalar_one())


def _check_empty(session: Session) -> None:
    held = {
        "claims": _count(session, Claim),
        "sources": _count(session, Source),
        "claimants": _count(session, Claimant),
    }
    if any(held.values()):
        what = ", ".join(f"{n} {name}" for name, n in held.items() if n)
        raise ConflictError(
            f"restore needs an empty database, this one holds {what}; "
            "create a new one with `claimcheck --db NEW.db init` and restore into it"
        )


def _unique(ids: list[int], what: str) -> set[int]:
    seen: set[int] = set()
    for value in ids:
        if value in seen:
            raise InputError(f"{what}: id {value} appears twice")
        seen.add(value)
    return seen


def _validate(doc: ReportDocument) -> None:
    source_ids = _unique([s.id for s in doc.sources], "sources")
    claimant_ids = _unique([c.id for c in doc.claimants], "claimants")
    _unique([c.id for c in doc.claims], "claims")
    _unique([e.id for c in doc.claims for e in c.evidence], "evidence")
    _unique([n.id for c in doc.claims for n in c.notes], "notes")
    _unique([k.id for c in doc.claims for k in c.corrections], "corrections")
    for src in doc.sources:
        if src.archived_text is not None and src.text_sha256 is not None:
            digest = hashlib.sha256(src.archived_text.encode("utf-8")).hexdigest()
            if digest != src.text_sha256:
                raise InputError(
                    f"sources[{src.id}]: the archived text does not match its sha256 "
                    "(the file was altered)"
                )
    keys: dict[str, int] = {}
    for person in doc.claimants:
        for alias in person.aliases:
            key = alias_key(alias)
            if key in keys:
                raise InputError(
                    f"claimants[{person.id}]: alias {alias!r} is also an alias of claimant "
                    f"{keys[key]}"
                )
            keys[key] = person.id
    dedupe: dict[str, int] = {}
    for claim in doc.claims:
        where = f"claims[{claim.id}]"
        if claim.source_id is not None and claim.source_id not in source_ids:
            raise InputError(f"{where}: source {claim.source_id} is not in the file")
        for claimant_id in claim.claimant_ids:
            if claimant_id not in claimant_ids:
                raise InputError(f"{where}: claimant {claimant_id} is not in the file")
        for ev in claim.evidence:
            if ev.source_id not in source_ids:
                raise InputError(
                    f"{where}: evidence {ev.id} cites source {ev.source_id}, not in the file"
                )
        key = dedupe_key(normalize_text(claim.text), claim.source_id)
        if dedupe.setdefault(key, claim.id) != claim.id:
            raise InputError(f"{where}: the same claim and source as claim {dedupe[key]}")


_BAD_CHARS = re.compile("[\x00\ud800-\udfff]")


def check_strings(data: Any, where: str = "") -> None:
    """No string in the parsed file holds a NUL or a lone surrogate (neither can be stored)."""
    stack: list[tuple[str, Any]] = [(where, data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            bad = _BAD_CHARS.search(value)
            if bad is not None:
                what = "a NUL character" if bad.group() == "\x00" else "a lone surrogate"
                raise InputError(f"{path or 'the file'}: holds {what} (\\u{ord(bad.group()):04x})")
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, str) and _BAD_CHARS.search(key):
                    raise InputError(f"{path or 'the file'}: a key holds a NUL or lone surrogate")
                stack.append((f"{path}.{key}" if path else str(key), item))
        elif isinstance(value, list):
            stack.extend((f"{path}[{n}]", item) for n, item in enumerate(value))


def _as_input(model: type[Any], where: str, data: dict[str, Any]) -> None:
    try:
        model.model_validate(data)
    except ValidationError as exc:
        raise InputError(f"{where}: {error_line(exc, label=str)}") from None


def _limit(where: str, field: str, value: str | None, limit: int) -> None:
    """A plain message for text over its limit (before the schema's, which counts "items")."""
    if value is not None and len(value) > limit:
        raise InputError(
            f"{where}: {field}: {len(value):,} characters, more than the {limit:,} allowed"
        )


def _name(value: str | None, where: str, field: str, limit: int = 100) -> None:
    if value is None:
        return
    if not value.strip() or len(value) > limit:
        raise InputError(f"{where}: {field}: must be a name of 1 to {limit} characters")


def check_fields(doc: ReportDocument, scale: RatingScale) -> None:
    """Every record of the file as valid as the same input typed at the desk."""
    from claimcheck.core import workflow
    from claimcheck.core.workflow import ROLES, STATUSES
    from claimcheck.schemas import (
        MAX_ARCHIVE_CHARS,
        MAX_CLAIM_CHARS,
        MAX_TEXT_CHARS,
        ClaimIn,
        EvidenceIn,
        SourceIn,
    )
    from claimcheck.services.review import MAX_RATIONALE_CHARS

    sources = {s.id: s for s in doc.sources}
    for src in doc.sources:
        _limit(f"sources[{src.id}]", "archived_text", src.archived_text, MAX_ARCHIVE_CHARS)
        _as_input(
            SourceIn,
            f"sources[{src.id}]",
            {
                "url": src.url,
                "title": src.title,
                "publisher": src.publisher,
                "author": src.author,
                "published_on": src.published_on,
                "kind": src.kind,
                "language": src.language,
                "archived_text": src.archived_text,
            },
        )
        _name(src.created_by, f"sources[{src.id}]", "created_by")
    for person in doc.claimants:
        where = f"claimants[{person.id}]"
        _name(person.name, where, "name", 200)
        for alias in person.aliases:
            _name(alias, where, "aliases", 200)
        if person.kind not in ("person", "organization"):
            raise InputError(f"{where}: kind: {person.kind!r} is not person or organization")
        if person.same_as is not None:
            try:
                normalize_url(person.same_as)
            except ValueError as exc:
                raise InputError(f"{where}: same_as: {exc}") from None
    for user in doc.users:
        where = f"users[{user.name!r}]"
        _name(user.name, where, "name")
        if user.role not in ROLES:
            raise InputError(f"{where}: role: {user.role!r} is not one of {', '.join(ROLES)}")
    for claim in doc.claims:
        where = f"claims[{claim.id}]"
        _limit(where, "text", claim.text, MAX_CLAIM_CHARS)
        _limit(where, "statement", claim.statement, 300)
        _limit(where, "context", claim.context, MAX_TEXT_CHARS)
        _as_input(
            ClaimIn,
            where,
            {
                "text": claim.text,
                "statement": claim.statement,
                "context": claim.context,
                "said_on": claim.said_on,
                "tags": claim.tags,
                "start": claim.start,
                "end": claim.end,
                "checkworthiness": claim.checkworthiness,
                "quantities": claim.quantities,
                "tolerance": claim.tolerance,
            },
        )
        if claim.status not in STATUSES:
            raise InputError(
                f"{where}: status: {claim.status!r} is not a status (one of {', '.join(STATUSES)})"
            )
        if claim.verdict is not None and scale.get(claim.verdict) is None:
            raise InputError(
                f"{where}: verdict: {claim.verdict!r} is not on the {scale.name} rating scale "
                f"(choose from {', '.join(scale.keys)})"
            )
        if claim.rationale is not None and len(claim.rationale) > MAX_RATIONALE_CHARS:
            raise InputError(f"{where}: rationale: longer than {MAX_RATIONALE_CHARS} characters")
        for field in ("assignee", "proposed_by", "approved_by", "created_by", "updated_by"):
            _name(getattr(claim, field), where, field)
        if claim.approved_by is not None:
            # The approval as core's workflow judges it (the two-person rule lives there).
            decision = workflow.may(
                workflow.Actor(claim.approved_by, "editor"),
                workflow.ClaimView(claim.id, workflow.AWAITING_APPROVAL, claim.proposed_by),
                "approve",
            )
            if not decision and decision.kind == "two_person":
                raise InputError(f"{where}: approved by {claim.approved_by}: {decision.reason}")
        cited = [e for e in claim.evidence if e.cited]
        if claim.status in ("awaiting_approval", "verified"):
            missing = [
                f for f in ("verdict", "rationale", "proposed_by") if getattr(claim, f) is None
            ]
            if claim.status == "verified" and claim.approved_by is None:
                missing.append("approved_by")
            if missing:
                raise InputError(f"{where}: a {claim.status} claim needs {', '.join(missing)}")
            if not cited:
                raise InputError(
                    f"{where}: a {claim.status} claim must cite at least one evidence item"
                )
        for ev in claim.evidence:
            cited_source = sources.get(ev.source_id)
            _as_input(
                EvidenceIn,
                f"{where}: evidence {ev.id}",
                {
                    "source": cited_source.url
                    if cited_source is not None
                    else "https://missing.invalid/",
                    "excerpt": ev.excerpt,
                    "stance": ev.stance,
                    "figure": ev.figure,
                    "unit": ev.unit,
                    "as_of": ev.as_of,
                    "note": ev.note,
                },
            )
        for note in claim.notes:
            if not note.body.strip() or len(note.body) > MAX_TEXT_CHARS:
                raise InputError(
                    f"{where}: note {note.id}: must be 1 to {MAX_TEXT_CHARS} characters"
                )
        for corr in claim.corrections:
            if not corr.reason.strip() or len(corr.reason) > MAX_TEXT_CHARS:
                raise InputError(
                    f"{where}: correction {corr.id}: reason must be 1 to {MAX_TEXT_CHARS} "
                    "characters"
                )
            for value in (corr.old_verdict, corr.new_verdict):
                if value is not None and scale.get(value) is None:
                    raise InputError(
                        f"{where}: correction {corr.id}: verdict {value!r} is not on the "
                        f"{scale.name} rating scale"
                    )


NOT_RECHAINED = ("user", "database")


def check_chain(doc: ReportDocument, anchor: tuple[int, str] | None = None) -> bool:
    """A complete backup's events must chain: recomputed from the first, each event's hash must
    be the one the file gives, up to the file's ``audit_head``. With ``anchor`` (count, hash: a
    head kept elsewhere), the file's chain must also contain it. Returns whether the chain was
    checked (older files and filtered exports carry no whole chain)."""
    whole = (
        doc.complete
        and doc.audit_head is not None
        and bool(doc.events)
        and all(ev.hash is not None for ev in doc.events)
    )
    if not whole:
        if anchor is not None:
            raise InputError(
                "--anchor: the file does not carry its whole audit chain (a complete backup "
                "made with `export -f json --status all` does)"
            )
        return False
    assert doc.audit_head is not None
    head = (doc.audit_head.events, doc.audit_head.hash)
    prev = audit.GENESIS
    for n, ev in enumerate(doc.events, start=1):
        digest = audit.event_hash(
            prev_hash=prev,
            claim_id=ev.claim_id,
            entity=ev.entity,
            entity_id=ev.entity_id,
            actor=ev.actor,
            at=ev.at,
            action=ev.action,
            before=ev.before,
            after=ev.after,
            comment=ev.comment,
        )
        if digest != ev.hash:
            raise InputError(
                f"events[{n - 1}]: its hash does not follow from its content and the events "
                "before it (the file was altered)"
            )
        for name, (count, expected) in (("audit_head", head), ("--anchor", anchor or head)):
            if n == count and digest != expected:
                raise InputError(
                    f"{name}: event {n} of the file is not the head {count}:{expected[:12]}… "
                    "(the file's history was rewritten)"
                )
        prev = digest
    for name, (count, _expected) in (("audit_head", head), ("--anchor", anchor or head)):
        if count > len(doc.events):
            raise InputError(
                f"{name}: the head names event {count}, but the file holds "
                f"{len(doc.events)} events (events were removed)"
            )
    return True


_FIRST_ACTION = {
    "claim": "create",
    "source": "source.add",
    "evidence": "evidence.add",
    "note": "note",
}


def check_events(doc: ReportDocument) -> None:
    """The file's events account for its records: replayed, they give what the file stores."""
    views = []
    first: dict[tuple[str, int], str] = {}
    for n, ev in enumerate(doc.events):
        key_id = ev.claim_id if ev.entity == "claim" else ev.entity_id
        if key_id is not None:
            first.setdefault((ev.entity, key_id), ev.action)
        views.append(
            EventView(
                n + 1,
                ev.claim_id,
                ev.entity,
                ev.entity_id,
                ev.actor,
                ev.action,
                ev.after,
                ev.before,
                ev.comment,
            )
        )
    for (kind, record_id), action in first.items():
        expected = _FIRST_ACTION.get(kind)
        if expected is not None and action != expected:
            raise InputError(
                f"events: the first event of {kind} {record_id} is {action!r}, not "
                f"{expected!r}: the history does not start where the record was created"
            )
    replayed = replay(views)
    sources = {s.id: s for s in doc.sources}
    claimants = {c.id: c for c in doc.claimants}

    def url(source_id: int | None) -> str | None:
        src = sources.get(source_id) if source_id is not None else None
        return src.url if src is not None else None

    stored: dict[str, dict[int, dict[str, Any]]] = {
        "source": {
            s.id: {
                "url": s.url,
                "title": s.title,
                "publisher": s.publisher,
                "author": s.author,
                "published_on": events.jsonable(s.published_on),
                "kind": s.kind,
                "language": s.language,
                "text_sha256": s.text_sha256,
            }
            for s in doc.sources
        },
        "claimant": {c.id: {"same_as": c.same_as} for c in doc.claimants},
        "claim": {},
        "evidence": {},
        "note": {},
        "correction": {},
    }
    for c in doc.claims:
        claimant = claimants.get(c.claimant_id) if c.claimant_id is not None else None
        stored["claim"][c.id] = {
            "text": c.text,
            "statement": c.statement,
            "context": c.context,
            "said_on": events.jsonable(c.said_on),
            "claimant": claimant.name if claimant is not None else None,
            "source": url(c.source_id),
            "start": c.start,
            "end": c.end,
            "quantities": c.quantities,
            "tolerance": c.tolerance,
            "checkworthiness": c.checkworthiness,
            "tags": sorted(c.tags),
            "status": c.status,
            "verdict": c.verdict,
            "assignee": c.assignee,
            "rationale": c.rationale,
            "proposed_by": c.proposed_by,
            "approved_by": c.approved_by,
            "citations": sorted(e.id for e in c.evidence if e.cited),
            "same_as_id": c.same_as_id,
            "created_by": c.created_by,
            "language": c.language,
        }
        for e in c.evidence:
            stored["evidence"][e.id] = {
                "claim_id": c.id,
                "source": url(e.source_id),
                "excerpt": e.excerpt,
                "stance": e.stance,
                "figure": e.figure,
                "unit": e.unit,
                "as_of": events.jsonable(e.as_of),
                "note": e.note,
            }
        for note in c.notes:
            stored["note"][note.id] = {"claim_id": c.id, "body": note.body}
        for corr in c.corrections:
            stored["correction"][corr.id] = {
                "claim_id": c.id,
                "reopened_by": corr.reopened_by,
                "reason": corr.reason,
                "old_verdict": corr.old_verdict,
                "new_verdict": corr.new_verdict,
                "note": corr.note,
                "completed": corr.completed_at is not None,
            }
    differences = compare(replayed, stored)
    if differences:
        more = f" (and {len(differences) - 1} more)" if len(differences) > 1 else ""
        raise InputError(
            f"events: the file's history does not account for its records: {differences[0]}{more}"
        )


def _advance_sequences(session: Session) -> None:
    if session.get_bind().dialect.name != "postgresql":
        return  # SQLite's rowids continue after the largest id by themselves
    for table in _KEPT_ID_TABLES:
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table})) WHERE EXISTS (SELECT 1 FROM {table})"
            )
        )


def restore_file(
    session: Session,
    file: str | Path,
    actor: str,
    *,
    origin: str | None = None,
    dry_run: bool = False,
    scale: RatingScale | None = None,
    anchor: tuple[int, str] | None = None,
) -> RestoreSummary:
    """Read a JSON export from ``file`` (``-``: standard input) and restore it; the one entry
    point of ``claimcheck restore`` and of ``claimcheck import`` given an export document.

    Every problem is one InputError: a file that cannot be read, a path that is not one, a
    document that is not a valid export (named by ``origin``, default ``file``), a backup that
    does not pass :func:`restore_report`'s checks. With ``dry_run`` the restore runs inside a
    savepoint that is rolled back (the figures are exact, nothing stays). ``scale`` and
    ``anchor`` are passed on to :func:`restore_report`.
    """
    if str(file) == "-":
        raw = sys.stdin.buffer.read()
    else:
        try:
            raw = Path(file).read_bytes()
        except OSError as exc:
            raise InputError(f"FILE: cannot read {file}: {exc.strerror or exc}") from None
        except ValueError:  # e.g. a NUL byte in the path
            raise InputError(f"FILE: {str(file)!r} is not a valid path") from None
    doc = read_document(raw, origin=origin or str(file))
    if not dry_run:
        return restore_report(session, doc, actor, scale, anchor=anchor)
    nested = session.begin_nested()
    try:
        return restore_report(session, doc, actor, scale, anchor=anchor)
    finally:
        nested.rollback()


def restore_report(
    session: Session,
    doc: ReportDocument,
    actor: str,
    scale: RatingScale | None = None,
    *,
    anchor: tuple[int, str] | None = None,
) -> RestoreSummary:
    """Write the document into this (empty) database; flushes, the caller's unit of work commits.

    ``scale`` is this database's rating scale (the CLI passes the configured one); without it,
    the scale the backup names. ``anchor`` (count, hash): a head kept elsewhere that the
    backup's chain must contain (:func:`check_chain`).

    On PostgreSQL a restore writes other people's history (their names, times and approvals),
    which the database lets only the schema owner do (docs/team.md, "Threat model").
    """
    if session.get_bind().dialect.name == "postgresql":
        from claimcheck.errors import PermissionDenied
        from claimcheck.services.team import is_privileged

        if not is_privileged(session):
            raise PermissionDenied(
                "on PostgreSQL a backup is restored by the schema owner (the role that ran "
                "`claimcheck init`): it writes other people's history, which no desk member may"
            )
    else:
        require_role(session, actor, "editor", "restoring a backup")
    _check_empty(session)
    _validate(doc)
    if scale is None:
        scale = SCALES.get(doc.scale.name)
        if scale is None:
            raise InputError(f"scale: {doc.scale.name!r} is not a rating scale claimcheck knows")
    check_chain(doc, anchor)
    check_fields(doc, scale)
    check_events(doc)

    if doc.sources:
        session.execute(
            insert(_table(Source)),
            # archived_copy is derived from captures, which a backup does not carry
            [s.model_dump(exclude={"archived_copy"}) for s in doc.sources],
        )
    if doc.claimants:
        session.execute(
            insert(_table(Claimant)),
            [
                {
                    "id": c.id,
                    "name": c.name,
                    "kind": c.kind,
                    "same_as": c.same_as,
                    "job_title": c.job_title,
                    "created_at": c.created_at,
                }
                for c in doc.claimants
            ],
        )
        aliases = [
            {"claimant_id": c.id, "alias": alias, "alias_key": alias_key(alias)}
            for c in doc.claimants
            for alias in c.aliases
        ]
        if aliases:
            session.execute(insert(_table(ClaimantAlias)), aliases)

    tag_names = sorted({t for c in doc.claims for t in c.tags})
    existing = set(session.execute(select(Tag.name).where(Tag.name.in_(tag_names))).scalars())
    missing = [name for name in tag_names if name not in existing]
    if missing:
        session.execute(insert(_table(Tag)), [{"name": name} for name in missing])
    tag_ids = {
        name: int(tid)
        for tid, name in session.execute(select(Tag.id, Tag.name).where(Tag.name.in_(tag_names)))
    }

    claim_rows = []
    for c in doc.claims:
        row = c.model_dump(
            exclude={
                "slug",
                "tags",
                "evidence",
                "notes",
                "corrections",
                "appearances",
                "co_claimant_ids",
                "updates",
            }
        )
        for key in ("language", "published_at", "modified_at"):  # left out of the JSON when unset
            row.setdefault(key, None)
        row["same_as_id"] = None  # linked after every claim exists
        row["text_norm"] = normalize_text(c.text)
        row["dedupe_key"] = dedupe_key(row["text_norm"], c.source_id)
        claim_rows.append(row)
    if claim_rows:
        session.execute(insert(_table(Claim)), claim_rows)
    # A link to a claim outside the file (a filtered export) is dropped.
    restored = {c.id for c in doc.claims}
    links = [
        {"cid": c.id, "target": c.same_as_id}
        for c in doc.claims
        if c.same_as_id is not None and c.same_as_id in restored
    ]
    if links:
        session.execute(
            update(_table(Claim))
            .where(_table(Claim).c.id == bindparam("cid"))
            .values(same_as_id=bindparam("target")),
            links,
        )
    co_claimants = [
        {"claim_id": c.id, "claimant_id": other, "position": n}
        for c in doc.claims
        for n, other in enumerate(c.co_claimant_ids, start=1)
    ]
    if co_claimants:
        session.execute(insert(_table(ClaimClaimant)), co_claimants)
    updates = [{**u.model_dump(), "claim_id": c.id} for c in doc.claims for u in c.updates]
    if updates:
        session.execute(insert(_table(ClaimUpdate)), updates)
    claim_tags = [{"claim_id": c.id, "tag_id": tag_ids[t]} for c in doc.claims for t in c.tags]
    if claim_tags:
        session.execute(insert(_table(ClaimTag)), claim_tags)

    evidence = [
        {**e.model_dump(exclude={"cited"}), "claim_id": c.id}
        for c in doc.claims
        for e in c.evidence
    ]
    if evidence:
        session.execute(insert(_table(Evidence)), evidence)
    citations = [
        {"claim_id": c.id, "evidence_id": e.id} for c in doc.claims for e in c.evidence if e.cited
    ]
    if citations:
        session.execute(insert(_table(Citation)), citations)
    notes = [{**n.model_dump(), "claim_id": c.id} for c in doc.claims for n in c.notes]
    if notes:
        session.execute(insert(_table(Note)), notes)
    corrections = [
        {"old_rationale": None, **k.model_dump(), "claim_id": c.id}
        for c in doc.claims
        for k in c.corrections
    ]
    if corrections:
        session.execute(insert(_table(Correction)), corrections)
    _advance_sequences(session)
    session.flush()

    # The backup's own desk and restore events (a complete backup carries them for its chain)
    # are not replayed here: the desk is restored below, recorded in this database's terms.
    kept = [ev for ev in doc.events if ev.entity not in NOT_RECHAINED]
    for ev in kept:  # re-chained as they were said: same payload, actor and time
        payload = events.Payload(
            ev.action, ev.claim_id, ev.entity, ev.entity_id, ev.before, ev.after, ev.comment
        )
        audit.append(session, payload, actor=ev.actor, at=ev.at)
    users = _restore_users(session, doc, actor)
    summary = RestoreSummary(
        claims=len(doc.claims),
        sources=len(doc.sources),
        claimants=len(doc.claimants),
        evidence=len(evidence),
        notes=len(notes),
        corrections=len(corrections),
        events=len(kept),
        complete=doc.complete,
        users=users,
    )
    audit.append(session, events.restored(summary.as_dict(), doc.generated_at), actor=actor)
    return summary


def _restore_users(session: Session, doc: ReportDocument, actor: str) -> int:
    """Bring the backup's desk back; returns how many members were added or changed."""
    changed = 0
    for person in doc.users:
        user = session.execute(select(User).where(User.name == person.name)).scalar_one_or_none()
        if user is None:
            user = User(
                name=person.name,
                role=person.role,
                active=True,
                created_at=person.created_at,
                created_by=person.created_by,
            )
            session.add(user)
            session.flush()
            audit.append(session, events.user_added(user.id, person.name, person.role), actor=actor)
        else:
            # The member as the backup knew them (when and by whom they were registered).
            user.created_at, user.created_by = person.created_at, person.created_by
            if user.role == person.role and user.active == person.active:
                continue
        if user.role != person.role or user.active != person.active:
            before = (user.role, user.active)
            user.role, user.active = person.role, person.active
            session.flush()
            audit.append(
                session,
                events.role_changed(user.id, before, person.role, active=person.active),
                actor=actor,
            )
        changed += 1
    return changed


__all__ = [
    "RestoreSummary",
    "check_chain",
    "check_events",
    "check_fields",
    "check_strings",
    "read_document",
    "restore_file",
    "restore_report",
]
