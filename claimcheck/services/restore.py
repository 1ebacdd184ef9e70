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
  before/after, comment) but not its id or hashes; each event is appended to this database's
  chain with :func:`claimcheck.services.audit.record`, keeping its original actor and time, so
  ``audit verify`` passes afterwards. A final ``restore`` event records who restored what (it
  belongs to no claim, source or claimant, so exports do not include it).
- Everything is validated before the first write: schema version, id uniqueness, every
  reference (claim → source, claimant, linked claim; evidence → source), archive hashes. One bad
  record is one ``InputError`` naming it, and nothing is written (the command's unit of work).
- Desk members are not part of a report: restore needs none (actors are stored by name) and
  creates none; the acting user must be an editor of the target database.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Table, bindparam, func, insert, select, text, update
from sqlalchemy.orm import Session

from claimcheck.core import events
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
)
from claimcheck.schemas import error_line
from claimcheck.services import audit
from claimcheck.services.users import require_role


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

    def as_dict(self) -> dict[str, Any]:
        return {
            "claims": self.claims,
            "sources": self.sources,
            "claimants": self.claimants,
            "evidence": self.evidence,
            "notes": self.notes,
            "corrections": self.corrections,
            "events": self.events,
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
) -> RestoreSummary:
    """Read a JSON export from ``file`` (``-``: standard input) and restore it; the one entry
    point of ``claimcheck restore`` and of ``claimcheck import`` given an export document.

    Every problem is one InputError: a file that cannot be read, a path that is not one, a
    document that is not a valid export (named by ``origin``, default ``file``). With
    ``dry_run`` the restore runs inside a savepoint that is rolled back (the figures are exact,
    nothing stays).
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
        return restore_report(session, doc, actor)
    nested = session.begin_nested()
    try:
        return restore_report(session, doc, actor)
    finally:
        nested.rollback()


def restore_report(session: Session, doc: ReportDocument, actor: str) -> RestoreSummary:
    """Write the document into this (empty) database; flushes, the caller's unit of work commits.

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

    for ev in doc.events:  # re-chained as they were said: same payload, actor and time
        payload = events.Payload(
            ev.action, ev.claim_id, ev.entity, ev.entity_id, ev.before, ev.after, ev.comment
        )
        audit.append(session, payload, actor=ev.actor, at=ev.at)
    summary = RestoreSummary(
        claims=len(doc.claims),
        sources=len(doc.sources),
        claimants=len(doc.claimants),
        evidence=len(evidence),
        notes=len(notes),
        corrections=len(corrections),
        events=len(doc.events),
        complete=doc.complete,
    )
    audit.append(session, events.restored(summary.as_dict(), doc.generated_at), actor=actor)
    return summary


__all__ = ["RestoreSummary", "read_document", "restore_file", "restore_report"]
