"""Captures: each fetch of a source's URL, kept as evidence, and what claims were taken from.

A capture holds what was received (the body exactly as it arrived, zlib-compressed; the HTTP
status, version and headers; the address connected to; the redirects) and what was made of it
(the extracted text, which every claim offset refers to, and the page's own metadata), with the
SHA-256 of the decoded body and of the text, and when and by whom it was fetched.

The source's ``archived_text`` is always its latest text, so the rest of claimcheck (search,
excerpt checks, reports) needs to know nothing about captures. A claim or evidence item added
while a capture is the source's current text is linked to that capture (``claim_captures``,
``evidence_captures``): when the source is fetched again and its text changes, the claim's
offsets still refer to the text it was taken from.

The network is never touched here: the CLI fetches first (:mod:`claimcheck.fetch`), outside any
transaction, and hands the result in, so a slow server never holds the database's write lock.
"""

from __future__ import annotations

import difflib
import hashlib
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claimcheck.core import events
from claimcheck.errors import DuplicateError, FetchError
from claimcheck.models import (
    Capture,
    Claim,
    ClaimCapture,
    Evidence,
    EvidenceCapture,
    Source,
    SourceAlias,
    utcnow,
)
from claimcheck.schemas import MAX_ARCHIVE_CHARS, CaptureOut, SourceIn
from claimcheck.services import audit, sources
from claimcheck.urls import normalize_url

if TYPE_CHECKING:
    from claimcheck.fetch.client import FetchedPage
    from claimcheck.fetch.content import Document

METADATA_FIELDS = ("title", "author", "publisher", "published_on", "language")


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def payload_of(capture: Capture) -> bytes:
    """The response body exactly as it arrived (Content-Encoding still applied)."""
    return zlib.decompress(capture.payload)


def content_of(capture: Capture) -> bytes:
    """The decoded response body: the document whose SHA-256 is ``content_sha256``."""
    from claimcheck.fetch.client import decode_content

    encoding = header(capture, "content-encoding") or ""
    return decode_content(payload_of(capture), encoding, capture.url, max(capture.content_bytes, 1))


def header(capture: Capture, name: str) -> str | None:
    values = [str(v) for k, v in capture.headers if str(k).lower() == name.lower()]
    return ", ".join(values) if values else None


def _check_size(page: FetchedPage, doc: Document) -> None:
    if len(doc.text) > MAX_ARCHIVE_CHARS:
        raise FetchError(
            f"{page.url}: the extracted text has {len(doc.text):,} characters, more than the "
            f"{MAX_ARCHIVE_CHARS:,} a source archives; nothing was stored"
        )


def new_capture(source: Source, page: FetchedPage, doc: Document, actor: str) -> Capture:
    return Capture(
        source_id=source.id,
        requested_url=page.requested_url,
        url=page.url,
        redirects=[
            {"status": hop.status, "url": hop.url, "location": hop.location}
            for hop in page.redirects
        ],
        status=page.status,
        reason=page.reason or None,
        http_version=page.http_version,
        headers=[[k, v] for k, v in page.headers],
        peer=page.peer,
        media_type=doc.media_type[:255],
        kind=doc.kind,
        charset=doc.charset,
        payload=zlib.compress(page.payload, 9),
        payload_bytes=len(page.payload),
        content_bytes=len(page.content),
        content_sha256=sha256_bytes(page.content),
        text=doc.text,
        text_sha256=sources.sha256_text(doc.text),
        meta={k: v for k, v in doc.metadata().items() if v is not None}
        | ({"charset_note": doc.charset_note} if doc.charset_note else {}),
        fetched_at=page.fetched_at,
        fetched_by=actor,
    )


def add_alias(session: Session, source: Source, url: str) -> bool:
    """Make ``url`` find ``source`` too; False when it already does or belongs to another source."""
    try:
        key = normalize_url(url)
    except ValueError:
        return False
    if key == source.url:
        return False
    if session.execute(select(Source.id).where(Source.url == key)).first() is not None:
        return False
    if session.execute(select(SourceAlias.id).where(SourceAlias.url == key)).first() is not None:
        return False
    session.add(SourceAlias(source_id=source.id, url=key))
    session.flush()
    return True


def aliases(session: Session, source_id: int) -> list[str]:
    return list(
        session.execute(
            select(SourceAlias.url)
            .where(SourceAlias.source_id == source_id)
            .order_by(SourceAlias.id)
        ).scalars()
    )


@dataclass
class Stored:
    source: Source
    capture: Capture
    created: bool
    previous: Capture | None
    previous_text: str | None
    aliased: bool


def store(
    session: Session,
    page: FetchedPage,
    doc: Document,
    actor: str,
    *,
    fields: dict[str, Any] | None = None,
    new_only: bool = False,
    source: Source | None = None,
) -> Stored:
    """Store a fetch as a capture of its source, creating the source when it is new.

    The source is ``source`` if given, else the one found by the final URL or the requested one
    (either may be an alias), else a new source at the final URL with the page's metadata
    (``fields``, what the user typed, wins over it). With ``new_only`` an existing source is a
    :class:`DuplicateError` (``source add``). The requested URL becomes an alias when it differs.
    """
    _check_size(page, doc)
    requested, final = normalize_url(page.requested_url), normalize_url(page.url)
    fields = {k: v for k, v in (fields or {}).items() if v is not None}
    if source is None:
        source = sources.find_by_url(session, final) or sources.find_by_url(session, requested)
        if source is not None and new_only:
            via = "" if source.url == requested else f" ({requested} leads to it)"
            raise DuplicateError(
                f"source {source.url} already exists as #{source.id}{via}; "
                f"fetch it again with `claimcheck source refetch {source.id}`",
                existing_id=source.id,
            )
    created = source is None
    previous = latest(session, source.id) if source is not None else None
    previous_text = source.archived_text if source is not None else None
    if source is None:
        source = _new_source(session, doc, final, fields, actor)
        source.retrieved_at = page.fetched_at
    else:
        _guard_unfetched_text(session, source, previous, doc)
        before = sources.snapshot(source)
        for key, value in _page_metadata(doc).items():
            if value is not None and getattr(source, key) is None:
                setattr(source, key, value)
        source.archived_text = doc.text
        source.text_sha256 = sources.sha256_text(doc.text)
        source.retrieved_at = page.fetched_at
        after = sources.snapshot(source)
        if after != before:
            session.flush()
            audit.append(
                session, events.source_edited(source.id, events.changes(before, after)), actor=actor
            )
    capture = new_capture(source, page, doc, actor)
    session.add(capture)
    session.flush()
    aliased = False
    for url in (requested, final):  # the URL asked for, and where a known page has moved to
        if url != source.url:
            aliased = add_alias(session, source, url) or aliased
    audit.append(
        session,
        events.source_fetched(
            source.id,
            {
                "capture_id": capture.id,
                "requested_url": capture.requested_url,
                "url": capture.url,
                "status": capture.status,
                "content_sha256": capture.content_sha256,
                "text_sha256": capture.text_sha256,
            },
        ),
        actor=actor,
    )
    return Stored(source, capture, created, previous, previous_text, aliased)


def capture_out(capture: Capture, claims: int = 0) -> CaptureOut:
    return CaptureOut(
        id=capture.id,
        source_id=capture.source_id,
        requested_url=capture.requested_url,
        url=capture.url,
        redirects=list(capture.redirects),
        status=capture.status,
        http_version=capture.http_version,
        media_type=capture.media_type,
        kind=capture.kind,
        charset=capture.charset,
        peer=capture.peer,
        payload_bytes=capture.payload_bytes,
        content_bytes=capture.content_bytes,
        content_sha256=capture.content_sha256,
        text_chars=len(capture.text),
        text_sha256=capture.text_sha256,
        metadata=dict(capture.meta),
        headers=[[str(k), str(v)] for k, v in capture.headers],
        fetched_at=capture.fetched_at,
        fetched_by=capture.fetched_by,
        wayback_url=capture.wayback_url,
        claims=claims,
    )


def _page_metadata(doc: Document) -> dict[str, Any]:
    return {
        "title": doc.title,
        "author": doc.author,
        "publisher": doc.publisher,
        "published_on": doc.published,
        "language": doc.language,
    }


def _new_source(
    session: Session, doc: Document, url: str, fields: dict[str, Any], actor: str
) -> Source:
    """A source at ``url`` with the page's metadata under what the user gave (``fields``).

    Metadata a page gets wrong (a title of only spaces, an odd language tag) is left out rather
    than refusing the capture; what the user typed was validated before anything was fetched.
    """
    from pydantic import ValidationError

    meta = {k: v for k, v in _page_metadata(doc).items() if v is not None and k not in fields}
    while True:
        data = meta | fields | {"url": url, "archived_text": doc.text}
        try:
            payload = SourceIn.model_validate(data)
            break
        except ValidationError as exc:
            bad = {str(err["loc"][0]) for err in exc.errors() if err["loc"]} & set(meta)
            if not bad:
                raise
            for key in bad:
                meta.pop(key)
    return sources.add_source(session, payload, actor)


def _guard_unfetched_text(
    session: Session, source: Source, previous: Capture | None, doc: Document
) -> None:
    """Refuse to replace an archived text that no capture holds while claims' offsets use it."""
    text = source.archived_text
    if text is None or text == doc.text:
        return
    if previous is not None and previous.text_sha256 == source.text_sha256:
        return  # the current text is a capture's: claims taken from it stay linked to it
    dependent = session.execute(
        select(func.count(Claim.id))
        .outerjoin(ClaimCapture, ClaimCapture.claim_id == Claim.id)
        .where(
            Claim.source_id == source.id,
            Claim.start.is_not(None),
            ClaimCapture.claim_id.is_(None),
        )
    ).scalar_one()
    if dependent:
        raise FetchError(
            f"source #{source.id} archives a text that was not fetched (from a file), and "
            f"{dependent} claim{' quotes' if dependent == 1 else 's quote'} it by offset; "
            "add the page as a new source instead; nothing was stored"
        )


def latest(session: Session, source_id: int) -> Capture | None:
    return session.execute(
        select(Capture).where(Capture.source_id == source_id).order_by(Capture.id.desc()).limit(1)
    ).scalar_one_or_none()


def list_captures(session: Session, source_id: int) -> list[Capture]:
    return list(
        session.execute(
            select(Capture).where(Capture.source_id == source_id).order_by(Capture.id)
        ).scalars()
    )


def get_capture(session: Session, source: Source, capture_id: int | None) -> Capture:
    """A capture of ``source`` by id, or its latest one."""
    from claimcheck.errors import NotFoundError

    if capture_id is None:
        found = latest(session, source.id)
        if found is None:
            raise NotFoundError(
                f"source #{source.id} has no capture; fetch it with "
                f"`claimcheck source refetch {source.id}`"
            )
        return found
    capture = session.get(Capture, capture_id)
    if capture is None or capture.source_id != source.id:
        raise NotFoundError(f"--capture: source #{source.id} has no capture {capture_id}")
    return capture


def current_capture(session: Session, source: Source | None) -> Capture | None:
    """The source's latest capture when its archived text is that capture's text."""
    if source is None or source.text_sha256 is None:
        return None
    found = latest(session, source.id)
    if found is None or found.text_sha256 != source.text_sha256:
        return None
    return found


def link_claim(session: Session, claim: Claim) -> None:
    """Record the capture a new claim was taken from (its source's current capture, if any)."""
    capture = current_capture(session, claim.source)
    if capture is not None:
        session.add(ClaimCapture(claim_id=claim.id, capture_id=capture.id))
        session.flush()


def link_evidence(session: Session, ev: Evidence) -> None:
    capture = current_capture(session, ev.source)
    if capture is not None:
        session.add(EvidenceCapture(evidence_id=ev.id, capture_id=capture.id))
        session.flush()


def claim_capture_id(session: Session, claim_id: int) -> int | None:
    return session.execute(
        select(ClaimCapture.capture_id).where(ClaimCapture.claim_id == claim_id)
    ).scalar_one_or_none()


def claim_text_base(session: Session | None, claim: Claim) -> str | None:
    """The text a claim's offsets refer to: its capture's, else its source's archived text."""
    if session is not None and claim.id is not None:
        text = session.execute(
            select(Capture.text)
            .join(ClaimCapture, ClaimCapture.capture_id == Capture.id)
            .where(ClaimCapture.claim_id == claim.id)
        ).scalar_one_or_none()
        if text is not None:
            return text
    return claim.source.archived_text if claim.source else None


def evidence_text_base(session: Session | None, ev: Evidence) -> str | None:
    """The text an evidence excerpt is checked against: its capture's, else the source's."""
    if session is not None and ev.id is not None:
        text = session.execute(
            select(Capture.text)
            .join(EvidenceCapture, EvidenceCapture.capture_id == Capture.id)
            .where(EvidenceCapture.evidence_id == ev.id)
        ).scalar_one_or_none()
        if text is not None:
            return text
    return ev.source.archived_text


def claims_per_capture(session: Session, capture_ids: list[int]) -> dict[int, int]:
    if not capture_ids:
        return {}
    rows = session.execute(
        select(ClaimCapture.capture_id, func.count())
        .where(ClaimCapture.capture_id.in_(capture_ids))
        .group_by(ClaimCapture.capture_id)
    ).all()
    return {int(cid): int(n) for cid, n in rows}


def text_diff(old: str, new: str, old_name: str, new_name: str, context: int = 1) -> list[str]:
    """A unified diff of two texts, line by line (paragraphs, for extracted pages)."""
    return list(
        difflib.unified_diff(
            old.splitlines(),
            new.splitlines(),
            fromfile=old_name,
            tofile=new_name,
            n=context,
            lineterm="",
        )
    )


def last_wayback_request(session: Session) -> Any:
    return session.execute(select(func.max(Capture.wayback_requested_at))).scalar_one_or_none()


def set_wayback(
    session: Session, capture_id: int, snapshot: str | None, requested_at: Any
) -> Capture | None:
    capture = session.get(Capture, capture_id)
    if capture is None:
        return None
    capture.wayback_requested_at = requested_at or utcnow()
    if snapshot:
        capture.wayback_url = snapshot[:2048]
    session.flush()
    return capture
