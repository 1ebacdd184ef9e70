"""Storing extracted candidates: the bridge between pure extraction and the claim store.

Extraction itself (:mod:`claimcheck.extract`) is pure text → candidates. This module looks up
which candidates are already stored and adds the chosen ones as claims linked to their source,
with the extracted text archived so every claim's offsets point at its exact quote.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from claimcheck.core.text import dedupe_key, normalize_text
from claimcheck.errors import DuplicateError
from claimcheck.models import Claim, Source
from claimcheck.schemas import ClaimIn, SourceEdit, SourceIn
from claimcheck.services import claims, sources
from claimcheck.services.users import require_role


def existing_ids(session: Session, texts: Sequence[str], source_url: str | None) -> dict[str, int]:
    """For each text, the id of a stored claim with the same normalised text (and source)."""
    source_id = None
    if source_url:
        src = sources.find_by_url(session, source_url)
        if src is None:
            return {}
        source_id = src.id
    keys = {dedupe_key(normalize_text(t), source_id): t for t in texts}
    found: dict[str, int] = {}
    key_list = list(keys)
    for i in range(0, len(key_list), 500):
        chunk = key_list[i : i + 500]
        for cid, key in session.execute(
            select(Claim.id, Claim.dedupe_key).where(Claim.dedupe_key.in_(chunk))
        ).all():
            found[keys[key]] = cid
    return found


def match_existing(
    session: Session, texts: Sequence[str], source_url: str | None
) -> dict[str, tuple[int, bool]]:
    """For each text, a stored claim that says the same: ``(id, True)`` for the same sentence from
    the same source, else ``(id, False)`` for the best "same claim" match found by claim matching
    (another appearance of an already stored claim)."""
    from claimcheck.services.matching.similar import find_similar

    exact = existing_ids(session, texts, source_url)
    out: dict[str, tuple[int, bool]] = {t: (i, True) for t, i in exact.items()}
    for text in texts:
        if text in out:
            continue
        best = find_similar(session, text, limit=1)
        if best and best[0].label == "same":
            out[text] = (best[0].id, False)
    return out


@dataclass
class AddResult:
    source: Source
    added: list[int]
    skipped: list[int]
    archive_changed: bool


def _archive(
    session: Session, url: str, text: str, title: str | None, published: dt.date | None, actor: str
) -> tuple[Source, bool]:
    src = sources.find_by_url(session, url)
    if src is None:
        payload = SourceIn(
            url=url,
            title=(title or None) and title[:500],
            published_on=published,
            archived_text=text,
        )
        return sources.insert_source(session, payload, actor), False
    if src.archived_text is None:
        sources.edit_source(session, src, SourceEdit(), actor, archived_text=text)
        return src, False
    return src, src.archived_text != text


def add_candidates(
    session: Session,
    candidates: Iterable[Any],
    *,
    source_url: str,
    text: str,
    title: str | None,
    published: dt.date | None,
    actor: str,
    tags: Sequence[str] = (),
    exact_texts: frozenset[str] = frozenset(),
    confirmed: Sequence[bool] = (),
    statements: Sequence[str | None] = (),
) -> AddResult:
    """Store candidates (extract.Candidate) as claims of the source, archiving ``text``.

    Candidates in ``exact_texts`` with an ``existing_claim_id`` are already stored for this source
    and skipped; a candidate matching a claim of another source is added (a new appearance).
    When the source already archives a different text, each claim's offsets are looked up in the
    stored archive instead (a claim whose sentence is not found there gets no offsets).
    ``statements`` are the claims' short statements (``extract --pick``), in order.
    """
    require_role(session, actor, "contributor", "adding claims")
    src, changed = _archive(session, source_url, text, title, published, actor)
    archived = src.archived_text or ""
    added: list[int] = []
    skipped: list[int] = []
    from claimcheck.extract.speakers import storable_speaker
    from claimcheck.services.review import add_note

    for index, cand in enumerate(candidates):
        if cand.existing_claim_id is not None and cand.text in exact_texts:
            skipped.append(int(cand.existing_claim_id))
            continue
        start, end = cand.start, cand.end
        if changed:
            pos = archived.find(cand.text)
            start, end = (pos, pos + len(cand.text)) if pos >= 0 else (None, None)
        # a speaker is stored only when a person confirmed it (--pick) or the attribution that
        # found it is precise enough; otherwise it is left out with a note saying why
        note: str | None = None
        if index < len(confirmed) and confirmed[index]:
            speaker = cand.speaker
        else:
            speaker, note = storable_speaker(
                cand.speaker, cand.speaker_basis, cand.speaker_confidence
            )
        data = ClaimIn(
            text=cand.text,
            statement=statements[index] if index < len(statements) else None,
            speaker=speaker,
            source=src.url,
            start=start,
            end=end,
            said_on=published or src.published_on,
            checkworthiness=round(float(cand.score), 4),
            quantities=list(cand.quantities),
            tags=list(tags),
        )
        try:
            claim, _ = claims.add_claim(session, data, actor)
        except DuplicateError as exc:  # the same sentence twice in one article
            if exc.existing_id is not None:
                skipped.append(exc.existing_id)
            continue
        if note is not None:
            add_note(session, claim, note, actor)
        added.append(claim.id)
    return AddResult(src, added, skipped, changed)
