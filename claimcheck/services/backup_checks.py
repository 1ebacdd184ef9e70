"""Validation of a backup before :mod:`claimcheck.services.restore` writes any of it.

A backup is untrusted input: :func:`read_document` parses and validates the JSON export,
:func:`check_references` checks id uniqueness, every reference and the archive hashes,
:func:`check_chain` recomputes the audit chain (and checks an ``--anchor``),
:func:`check_fields` validates every field as if it were typed at the desk and
:func:`check_events` replays the events, which must give every record as the file stores it,
and :func:`check_captures` and :func:`check_aliases` hold the captures and the sources' URL
aliases to the ``source.fetch`` events that made them.
Each problem is one ``InputError`` naming the record; none of these functions writes anything.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from pydantic import ValidationError

from claimcheck.core import events
from claimcheck.core.limits import MAX_JSON_DEPTH, json_depth
from claimcheck.core.ratings import RatingScale
from claimcheck.core.replay import EventView, compare, replay
from claimcheck.core.text import alias_key, dedupe_key, normalize_text
from claimcheck.errors import InputError
from claimcheck.export.model import SCHEMA_VERSION, ReportDocument
from claimcheck.schemas import error_line
from claimcheck.services import audit
from claimcheck.urls import normalize_url


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


def _unique(ids: list[int], what: str) -> set[int]:
    seen: set[int] = set()
    for value in ids:
        if value in seen:
            raise InputError(f"{what}: id {value} appears twice")
        seen.add(value)
    return seen


def check_references(doc: ReportDocument) -> None:
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
    _check_source_aliases(doc)
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


def _url_key(url: str) -> str:
    """A URL as find_by_url looks it up (one that is not a URL is left for check_fields)."""
    try:
        return normalize_url(url)
    except ValueError:
        return url


def _check_source_aliases(doc: ReportDocument) -> None:
    """Each alias finds one source only: not another source's URL (nor its own), not an alias
    twice, of the same source or of two (the database would refuse the second, or find_by_url
    would find a different source than the backup meant)."""
    owners: dict[str, tuple[str, int]] = {_url_key(s.url): ("url", s.id) for s in doc.sources}
    for src in doc.sources:
        where = f"sources[{src.id}]: aliases"
        for alias in src.aliases:
            key = _url_key(alias)
            found = owners.get(key)
            if found is not None:
                what, other = found
                if what == "url":
                    whose = (
                        "the source's own URL" if other == src.id else f"the URL of source {other}"
                    )
                else:
                    whose = (
                        "listed twice" if other == src.id else f"also an alias of source {other}"
                    )
                raise InputError(f"{where}: {alias!r} is {whose}")
            owners[key] = ("alias", src.id)


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
        for alias in src.aliases:
            try:
                normalize_url(alias)
            except ValueError as exc:
                raise InputError(f"sources[{src.id}]: aliases: {exc}") from None
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


def _body_of(where: str, payload: str, payload_bytes: int) -> bytes:
    """The body as it arrived, from its base64 zlib form; never inflating past its length."""
    import base64
    import binascii
    import zlib

    try:
        packed = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise InputError(f"{where}: payload is not base64") from None
    inflate = zlib.decompressobj()
    try:
        body = inflate.decompress(packed, payload_bytes + 1)
    except zlib.error:
        raise InputError(f"{where}: payload is not zlib-compressed data") from None
    if len(body) != payload_bytes or inflate.unconsumed_tail or not inflate.eof:
        raise InputError(f"{where}: the payload is not the {payload_bytes:,} bytes it says")
    return body


def check_captures(doc: ReportDocument) -> None:
    """Every capture refers to records of the file and matches its hashes: the decoded body its
    ``content_sha256``, the text its ``text_sha256``, and the ``source.fetch`` event that
    recorded it, when the file holds that event."""
    from claimcheck.errors import FetchError
    from claimcheck.fetch.client import decode_content
    from claimcheck.schemas import MAX_ARCHIVE_CHARS

    if not doc.captures:
        return
    _unique([c.id for c in doc.captures], "captures")
    sources = {s.id for s in doc.sources}
    claims = {c.id: c.source_id for c in doc.claims}
    evidence = {e.id: e.source_id for c in doc.claims for e in c.evidence}
    fetched = {
        ev.after.get("capture_id"): {**ev.after, "source_id": ev.entity_id}
        for ev in doc.events
        if ev.action == "source.fetch" and ev.after is not None
    }
    linked: dict[tuple[str, int], int] = {}
    for cap in doc.captures:
        where = f"captures[{cap.id}]"
        if cap.source_id not in sources:
            raise InputError(f"{where}: source {cap.source_id} is not in the file")
        for kind, ids, known in (
            ("claim", cap.claim_ids, claims),
            ("evidence", cap.evidence_ids, evidence),
        ):
            for record_id in ids:
                if record_id not in known:
                    raise InputError(f"{where}: {kind} {record_id} is not in the file")
                if known[record_id] != cap.source_id:
                    raise InputError(
                        f"{where}: {kind} {record_id} is not of source {cap.source_id}"
                    )
                other = linked.setdefault((kind, record_id), cap.id)
                if other != cap.id:
                    raise InputError(
                        f"{where}: {kind} {record_id} is also linked to capture {other}"
                    )
        for field in ("requested_url", "url", "wayback_url"):
            value = getattr(cap, field)
            try:
                if value is not None:
                    normalize_url(value)
            except ValueError as exc:
                raise InputError(f"{where}: {field}: {exc}") from None
        _name(cap.fetched_by, where, "fetched_by")
        if cap.payload_bytes < 0 or cap.content_bytes < 0:
            raise InputError(f"{where}: payload_bytes and content_bytes cannot be negative")
        _limit(where, "text", cap.text, MAX_ARCHIVE_CHARS)
        if hashlib.sha256(cap.text.encode("utf-8")).hexdigest() != cap.text_sha256:
            raise InputError(f"{where}: the text does not match its sha256 (the file was altered)")
        body = _body_of(where, cap.payload, cap.payload_bytes)
        if not all(
            isinstance(pair, list) and len(pair) == 2 and all(isinstance(v, str) for v in pair)
            for pair in cap.headers
        ):
            raise InputError(f"{where}: headers: each must be a [name, value] pair of strings")
        encoding = ", ".join(
            value for name, value in cap.headers if name.lower() == "content-encoding"
        )
        try:
            content = decode_content(body, encoding, cap.url, max(cap.content_bytes, 1))
        except FetchError:
            raise InputError(
                f"{where}: the payload cannot be decoded (the file was altered)"
            ) from None
        if len(content) != cap.content_bytes or (
            hashlib.sha256(content).hexdigest() != cap.content_sha256
        ):
            raise InputError(
                f"{where}: the payload does not match its content_sha256 (the file was altered)"
            )
        recorded = fetched.get(cap.id)
        if recorded is not None and any(
            recorded.get(key) != getattr(cap, key)
            for key in ("source_id", "url", "status", "content_sha256", "text_sha256")
            if key in recorded
        ):
            raise InputError(f"{where}: not the capture its source.fetch event recorded")


def check_aliases(doc: ReportDocument) -> None:
    """Every source alias was made by a fetch of its source, when the file carries its events:
    an alias is the URL a fetch was asked for or the one it ended at (a redirect), and the
    source's ``source.fetch`` events record both. Older files carry no aliases."""
    if not doc.events or not any(s.aliases for s in doc.sources):
        return
    fetched: dict[int, set[str]] = {}
    for ev in doc.events:
        if ev.action != "source.fetch" or ev.entity_id is None or ev.after is None:
            continue
        urls = fetched.setdefault(ev.entity_id, set())
        for key in ("requested_url", "url"):
            value = ev.after.get(key)
            if isinstance(value, str):
                urls.add(_url_key(value))
    for src in doc.sources:
        for alias in src.aliases:
            if _url_key(alias) not in fetched.get(src.id, set()):
                raise InputError(
                    f"sources[{src.id}]: aliases: {alias!r} is no URL a fetch of the source "
                    "was asked for or redirected to (its events do not account for it)"
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


__all__ = [
    "NOT_RECHAINED",
    "check_aliases",
    "check_captures",
    "check_chain",
    "check_events",
    "check_fields",
    "check_references",
    "check_strings",
    "read_document",
]
