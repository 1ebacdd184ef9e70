"""What each page of the site shows, resolved from the report: pure data for the templates.

:func:`claim_page` turns one :class:`~claimcheck.export.model.ClaimEntry` into a
:class:`ClaimPage` (its language and direction, the rating readers are shown, the notices, the
ClaimReview JSON-LD of exactly that page) and a :class:`Listing` — the small summary the index,
the views by verdict, tag and claimant, the feeds and the sitemap are built from, so the claims
themselves stream through once.

Publication rules (IFCN): ``datePublished`` is the first publication and never moves; a completed
correction or a published update sets ``dateModified`` and shows its public note (never the
reopen's internal reason). A claim reopened for a correction stays published, marked *under
review*, with the rating and explanation readers were last given (the correction keeps them),
until an editor approves it again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from typing import Any

from claimcheck.export.claimreview import claim_language, claim_review
from claimcheck.export.common import (
    claim_path,
    claim_url,
    css_key,
    fmt_figure,
    http_url,
    numeric_lines,
    rating_for,
    slugify,
)
from claimcheck.export.model import (
    Appearance,
    ClaimantInfo,
    ClaimEntry,
    CorrectionEntry,
    RatingInfo,
    ReportHeader,
    SourceInfo,
)
from claimcheck.i18n import catalogue_for
from claimcheck.languages import direction


@dataclass(frozen=True, slots=True)
class Notice:
    """One line of a claim's public history: published, corrected, updated, under review."""

    kind: str  # "published" | "corrected" | "reviewed" | "withdrawn" | "updated" | "under-review"
    at: dt.datetime
    note: str | None
    old_verdict: str | None = None
    new_verdict: str | None = None


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    stance: str
    excerpt: str
    source: SourceInfo | None
    link: str | None
    figure: str
    note: str | None


@dataclass(frozen=True, slots=True)
class Listing:
    """What the listings, feeds and sitemap need of one published claim."""

    id: int
    path: str  # claims/<id>/
    url: str
    headline: str
    language: str
    dir: str
    verdict: str | None
    verdict_class: str
    published: dt.datetime
    modified: dt.datetime | None
    state: str  # "published" | "corrected" | "updated" | "under-review"
    tags: tuple[str, ...]
    claimant_ids: tuple[int, ...]
    rationale: str | None
    latest_note: str | None

    @property
    def updated(self) -> dt.datetime:
        return self.modified or self.published


@dataclass(frozen=True, slots=True)
class ClaimPage:
    claim: ClaimEntry
    listing: Listing
    page_language: str  # the language of the page's own words
    claimants: tuple[ClaimantInfo, ...]
    source: SourceInfo | None
    source_link: str | None
    said_on: dt.date | None
    rating: RatingInfo | None
    rationale: str | None
    under_review: Notice | None
    notices: tuple[Notice, ...]  # oldest first
    evidence: tuple[EvidenceItem, ...]
    numbers: tuple[str, ...]
    appearances: tuple[Appearance, ...]
    review: dict[str, Any]
    description: str


def page_language(claim_language: str, site_language: str) -> str:
    """The page's own words are in the claim's language when we have a catalogue for it."""
    return catalogue_for(claim_language) or catalogue_for(site_language) or "en"


_TAG_SAFE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def tag_path(tag: str) -> str:
    """``tags/<slug>/``; a tag that is not already a plain slug gets a short hash, so two tags
    never share a folder (``a.b`` and ``a-b``)."""
    if _TAG_SAFE.match(tag):
        return f"tags/{tag}/"
    slug = slugify(tag, 40) or "tag"
    digest = hashlib.sha1(tag.encode("utf-8")).hexdigest()[:6]
    return f"tags/{slug}-{digest}/"


def claimant_path(claimant_id: int) -> str:
    return f"claimants/{claimant_id}/"


def verdict_path(verdict: str | None) -> str:
    return f"verdicts/{css_key(verdict)}/"


def _open_correction(claim: ClaimEntry) -> CorrectionEntry | None:
    open_ = [c for c in claim.corrections if c.completed_at is None]
    return open_[-1] if open_ else None


def _notices(claim: ClaimEntry, published: dt.datetime) -> list[Notice]:
    notices = [Notice("published", published, None)]
    for corr in claim.corrections:
        if corr.completed_at is None:
            continue
        if corr.new_verdict is None:
            kind = "withdrawn"
        elif corr.new_verdict == corr.old_verdict:
            kind = "reviewed"
        else:
            kind = "corrected"
        notices.append(
            Notice(kind, corr.completed_at, corr.note, corr.old_verdict, corr.new_verdict)
        )
    for upd in claim.updates:
        notices.append(Notice("updated", upd.at, upd.note))
    notices.sort(key=lambda n: (n.at, n.kind))
    return notices


def _description(text: str, limit: int = 200) -> str:
    value = " ".join(text.split())
    if len(value) <= limit:
        return value
    return value[: limit - 1].rstrip() + "…"


def claim_page(
    header: ReportHeader, claim: ClaimEntry, *, site_language: str, tolerance: float
) -> ClaimPage:
    """Everything the claim's page shows, and its listing."""
    language = claim_language(header, claim)
    published = claim.published_at or claim.approved_at or header.generated_at
    pending = _open_correction(claim) if claim.status != "verified" else None
    verdict = pending.old_verdict if pending is not None else claim.verdict
    rationale = pending.old_rationale if pending is not None else claim.rationale
    notices = _notices(claim, published)
    under_review = (
        Notice("under-review", pending.reopened_at, None, pending.old_verdict)
        if pending is not None
        else None
    )
    public = [n for n in notices if n.kind != "published"]
    if under_review is not None:
        state = "under-review"
    elif any(n.kind in ("corrected", "reviewed", "withdrawn") for n in public):
        state = "corrected"
    elif public:
        state = "updated"
    else:
        state = "published"
    latest_note = public[-1].note if public else None
    headline = claim.headline
    review = claim_review(
        header,
        claim,
        headline=headline,
        **({"verdict": verdict, "rationale": rationale} if pending is not None else {}),
    )
    rating = rating_for(header, verdict)
    sources = header.source_by_id
    source = sources.get(claim.source_id) if claim.source_id else None
    claimants = tuple(
        header.claimant_by_id[i] for i in claim.claimant_ids if i in header.claimant_by_id
    )
    evidence = []
    for ev in claim.evidence:
        src = sources.get(ev.source_id)
        evidence.append(
            EvidenceItem(
                ev.stance,
                ev.excerpt,
                src,
                http_url(src.url) if src else None,
                fmt_figure(ev),
                None,
            )
        )
    label = rating.label_in(language) if rating else None
    description = _description((f"{label}: " if label else "") + (rationale or claim.text))
    listing = Listing(
        id=claim.id,
        path=claim_path(claim.id),
        url=claim_url(header.organisation.url, claim.id),
        headline=headline,
        language=language,
        dir=direction(language),
        verdict=verdict,
        verdict_class=css_key(verdict),
        published=published,
        modified=claim.modified_at,
        state=state,
        tags=tuple(claim.tags),
        claimant_ids=tuple(c.id for c in claimants),
        rationale=rationale,
        latest_note=latest_note,
    )
    return ClaimPage(
        claim=claim,
        listing=listing,
        page_language=page_language(language, site_language),
        claimants=claimants,
        source=source,
        source_link=http_url(source.url) if source else None,
        said_on=claim.said_on or (source.published_on if source else None),
        rating=rating,
        rationale=rationale,
        under_review=under_review,
        notices=tuple(notices),
        evidence=tuple(evidence),
        numbers=numeric_lines(header, claim, tolerance),
        appearances=tuple(claim.appearances),
        review=review,
        description=description,
    )


__all__ = [
    "ClaimPage",
    "EvidenceItem",
    "Listing",
    "Notice",
    "claim_page",
    "claimant_path",
    "page_language",
    "tag_path",
    "verdict_path",
]
