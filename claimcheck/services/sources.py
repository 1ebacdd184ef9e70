"""Sources: where claims were said and where evidence was found."""

from __future__ import annotations

import hashlib

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claimcheck.core import events
from claimcheck.errors import DuplicateError, NotFoundError
from claimcheck.models import Claim, Source, SourceAlias, utcnow
from claimcheck.schemas import SourceEdit, SourceIn
from claimcheck.services import audit
from claimcheck.urls import normalize_url

SOURCE_FIELDS = ("url", "title", "publisher", "author", "published_on", "kind", "language")


# What a publication shows of a source (the database freezes the same on PostgreSQL).
PUBLISHED_FIELDS = ("url", "title", "publisher", "author", "published_on", "kind")


def published_claims(session: Session, source: Source) -> list[int]:
    """The verified claims that show this source: said there, or citing it as evidence."""
    from claimcheck.models import Evidence

    said = select(Claim.id).where(Claim.source_id == source.id, Claim.status == "verified")
    cited = (
        select(Claim.id)
        .join(Evidence, Evidence.claim_id == Claim.id)
        .where(Evidence.source_id == source.id, Claim.status == "verified")
    )
    return sorted(set(session.execute(said.union(cited)).scalars()))


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def snapshot(source: Source) -> dict[str, object]:
    """The source's :func:`claimcheck.core.events.source_state`."""
    return events.source_state(
        url=source.url,
        title=source.title,
        publisher=source.publisher,
        author=source.author,
        published_on=source.published_on,
        kind=source.kind,
        language=source.language,
        text_sha256=source.text_sha256,
    )


def find_by_url(session: Session, url: str) -> Source | None:
    """The source at this URL, or the one it is an alias of (the URL a fetch redirected from)."""
    key = normalize_url(url)
    found = session.execute(select(Source).where(Source.url == key)).scalar_one_or_none()
    if found is not None:
        return found
    return session.execute(
        select(Source)
        .join(SourceAlias, SourceAlias.source_id == Source.id)
        .where(SourceAlias.url == key)
    ).scalar_one_or_none()


def get_source(session: Session, ref: str | int) -> Source:
    """A source by id or by URL."""
    if isinstance(ref, int) or str(ref).isdigit():
        source = session.get(Source, int(ref))
    else:
        try:
            source = find_by_url(session, str(ref))
        except ValueError:
            source = None
    if source is None:
        raise NotFoundError(f"no source {ref}")
    return source


def add_source(session: Session, data: SourceIn, actor: str) -> Source:
    """A new source (``source add``): refused when its URL is already a source's."""
    existing = find_by_url(session, data.url)
    if existing is not None:
        raise DuplicateError(
            f"source {data.url} already exists as #{existing.id}", existing_id=existing.id
        )
    return insert_source(session, data, actor)


def insert_source(session: Session, data: SourceIn, actor: str) -> Source:
    """Store a source whose URL the caller has just looked up and not found.

    No second lookup: on PostgreSQL each statement sees what other commands committed since the
    last, so a second ``find_by_url`` could find a source another command stored a moment ago
    and refuse with a :class:`DuplicateError` that no retry cures. Without it, that race ends in
    the unique index, which the CLI turns into a conflict and runs the whole command again; the
    retry finds the other command's source and uses it.
    """
    source = Source(
        url=data.url,
        title=data.title,
        publisher=data.publisher,
        author=data.author,
        published_on=data.published_on,
        kind=data.kind,
        language=data.language,
        retrieved_at=utcnow() if data.archived_text is not None else None,
        archived_text=data.archived_text,
        text_sha256=sha256_text(data.archived_text) if data.archived_text is not None else None,
        created_by=actor,
    )
    session.add(source)
    session.flush()
    audit.append(session, events.source_added(source.id, snapshot(source)), actor=actor)
    return source


def ensure_source(session: Session, url: str, actor: str) -> tuple[Source, bool]:
    """The source with this URL, created with the URL alone when missing."""
    existing = find_by_url(session, url)
    if existing is not None:
        return existing, False
    return insert_source(session, SourceIn(url=url), actor), True


def edit_source(
    session: Session,
    source: Source,
    changes: SourceEdit,
    actor: str,
    archived_text: str | None = None,
) -> Source:
    before = snapshot(source)
    given = {k: v for k, v in changes.model_dump(exclude_unset=True).items() if v is not None}
    published = (
        published_claims(session, source)
        if any(getattr(source, k) != v for k, v in given.items() if k in PUBLISHED_FIELDS)
        else []
    )
    if published:
        from claimcheck.core.workflow import PUBLISHED_UPDATE_ROLE
        from claimcheck.services.users import require_role

        shown = ", ".join(f"#{i}" for i in published[:5]) + (" ..." if len(published) > 5 else "")
        require_role(
            session,
            actor,
            PUBLISHED_UPDATE_ROLE,
            f"changing source #{source.id}, which verified claims {shown} publish, "
            "(a published update)",
        )
    for field, value in given.items():
        setattr(source, field, value)
    if archived_text is not None:
        source.archived_text = archived_text
        source.text_sha256 = sha256_text(archived_text)
        source.retrieved_at = utcnow()
    after = snapshot(source)
    if after != before:
        session.flush()
        payload = events.source_edited(source.id, events.changes(before, after))
        audit.append(session, events.published_update(payload, published), actor=actor)
    return source


def claim_counts(session: Session, source_ids: list[int]) -> dict[int, int]:
    if not source_ids:
        return {}
    rows = session.execute(
        select(Claim.source_id, func.count(Claim.id))
        .where(Claim.source_id.in_(source_ids))
        .group_by(Claim.source_id)
    ).all()
    return {int(sid): int(n) for sid, n in rows if sid is not None}


def list_sources(session: Session, limit: int | None = None) -> list[Source]:
    stmt = select(Source).order_by(Source.id)
    if limit:
        stmt = stmt.limit(limit)
    return list(session.execute(stmt).scalars())
