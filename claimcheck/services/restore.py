"""Restore a JSON export into an empty database: the backup path of ``claimcheck export -f json``.

``restore_file(session, FILE, actor)`` — the one entry point, used by ``claimcheck restore`` and by
``claimcheck import`` given an export document — reads and validates the file and
``restore_report(session, doc, actor)`` writes back everything the full JSON export carries:
sources (with their archived text, checked against its sha256, and their URL aliases: the URLs
a fetch was redirected from, so ``--source OLD-URL`` finds the restored source) and their
captures (each body and text checked against its hashes, with the claims and evidence taken
from it), claimants with their aliases, tags, claims with every workflow field and their version counter, evidence, citations, internal
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
  a file whose events do not hash to what it says (:func:`~claimcheck.services.backup_checks.check_chain`); ``--anchor`` also
  requires a head kept elsewhere to be in it, so a backup rewritten whole is refused too.
- **A backup is untrusted input.** Before anything is written, every field is validated as if
  it were typed at the desk (:func:`~claimcheck.services.backup_checks.check_fields`): the input schemas' text limits, URL schemes
  and dates, statuses from the workflow, verdicts from this database's rating scale, the
  two-person rule and cited evidence for a verified or proposed verdict; no string anywhere in
  the file may hold a NUL or a lone surrogate. And the events must account for the records
  (:func:`~claimcheck.services.backup_checks.check_events`): replaying them (:mod:`claimcheck.core.replay`, the same fold as
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

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Table, bindparam, func, insert, select, text, update
from sqlalchemy.orm import Session

from claimcheck.core import events
from claimcheck.core.ratings import SCALES, RatingScale
from claimcheck.core.text import alias_key, dedupe_key, normalize_text
from claimcheck.errors import ConflictError, InputError
from claimcheck.export.model import ReportDocument
from claimcheck.models import (
    Capture,
    Citation,
    Claim,
    Claimant,
    ClaimantAlias,
    ClaimCapture,
    ClaimClaimant,
    ClaimTag,
    ClaimUpdate,
    Correction,
    Evidence,
    EvidenceCapture,
    Note,
    Source,
    SourceAlias,
    Tag,
    User,
)
from claimcheck.services import audit
from claimcheck.services.backup_checks import (
    NOT_RECHAINED,
    check_aliases,
    check_captures,
    check_chain,
    check_events,
    check_fields,
    check_references,
    read_document,
)
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
    "captures",
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
    backup's chain must contain (:func:`~claimcheck.services.backup_checks.check_chain`).

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
    check_references(doc)
    if scale is None:
        scale = SCALES.get(doc.scale.name)
        if scale is None:
            raise InputError(f"scale: {doc.scale.name!r} is not a rating scale claimcheck knows")
    check_chain(doc, anchor)
    check_fields(doc, scale)
    check_events(doc)
    check_captures(doc)
    check_aliases(doc)

    if doc.sources:
        session.execute(
            insert(_table(Source)),
            # archived_copy is derived from the captures (their Wayback snapshots)
            [s.model_dump(exclude={"archived_copy", "aliases"}) for s in doc.sources],
        )
        # Each alias as find_by_url looks it up (a backup's are so already; checked beforehand
        # by check_fields and check_references).
        source_aliases = [
            {"source_id": s.id, "url": normalize_url(url)} for s in doc.sources for url in s.aliases
        ]
        if source_aliases:
            session.execute(insert(_table(SourceAlias)), source_aliases)
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
    _restore_captures(session, doc)
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


def _restore_captures(session: Session, doc: ReportDocument) -> None:
    """The sources' captures, their bodies zlib-compressed as exported (checked beforehand by
    :func:`~claimcheck.services.backup_checks.check_captures`), and what was taken from each."""
    if not doc.captures:
        return
    import base64

    session.execute(
        insert(_table(Capture)),
        [
            {
                **cap.model_dump(exclude={"payload", "claim_ids", "evidence_ids"}),
                "payload": base64.b64decode(cap.payload),
            }
            for cap in doc.captures
        ],
    )
    claims = [{"claim_id": i, "capture_id": cap.id} for cap in doc.captures for i in cap.claim_ids]
    if claims:
        session.execute(insert(_table(ClaimCapture)), claims)
    evidence = [
        {"evidence_id": i, "capture_id": cap.id} for cap in doc.captures for i in cap.evidence_ids
    ]
    if evidence:
        session.execute(insert(_table(EvidenceCapture)), evidence)


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
    "restore_file",
    "restore_report",
]
