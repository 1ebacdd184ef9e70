"""schema.org ClaimReview JSON-LD: the markup fact-check aggregators read.

One ``ClaimReview`` per claim, built by :func:`claim_review` and used three ways: the
``claimreview`` export (a JSON array of reviews), the HTML export (each claim's review embedded in
``<script type="application/ld+json">``) and the lint (:mod:`claimcheck.export.lint`).

Mapping from a claim:

- ``url``: the organisation's base URL + ``/claims/<id>-<slug>`` (stable per claim);
- ``claimReviewed``: the short statement, falling back to the verbatim text (the lint asks for
  ≤ 75 characters, so a long claim needs a statement before it is published);
- ``reviewRating``: ``Rating`` with ``alternateName`` (the verdict's label), ``bestRating`` and
  ``worstRating`` from the scale, ``ratingValue`` when the verdict has a number (misleading and
  unsupported have none), ``ratingExplanation`` = the rationale;
- ``itemReviewed``: a ``Claim`` with ``author`` (the claimant as ``Person`` or ``Organization``,
  ``sameAs`` when an http(s) authority link is known), ``datePublished`` (when it was said),
  ``appearance`` (the claim's source and the sources of claims linked to it as the same claim
  said elsewhere) and ``firstAppearance`` (the earliest of those);
- ``author``: the organisation (name, url); ``datePublished``: the approval date;
  ``inLanguage``: the configured language.

Only http(s) URLs appear in the markup. Key order is fixed by construction, so output is
byte-stable. :func:`script_json` serialises for embedding in HTML: ``<``, ``>`` and ``&`` become
``\\u003c``/``\\u003e``/``\\u0026`` escapes, so a claim containing ``</script>`` cannot end the script
element, while the JSON value is unchanged for any JSON-LD reader.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from claimcheck.export.common import claim_url, http_url, rating_for
from claimcheck.export.model import ClaimEntry, Report, ReportHeader, SourceInfo

if TYPE_CHECKING:
    from claimcheck.export import RenderOptions

CONTEXT = "https://schema.org"
MAX_CLAIM_REVIEWED = 75


def claim_reviewed(claim: ClaimEntry) -> str:
    return " ".join((claim.statement or claim.text).split())


def _work(
    url: str, title: str | None, date: dt.date | None, publisher: str | None
) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "CreativeWork", "url": url}
    if title:
        work["headline"] = title
    if date:
        work["datePublished"] = date.isoformat()
    if publisher:
        work["publisher"] = {"@type": "Organization", "name": publisher}
    return work


def _appearances(
    claim: ClaimEntry, source: SourceInfo | None
) -> list[tuple[dt.date | None, dict[str, Any]]]:
    found: list[tuple[dt.date | None, dict[str, Any]]] = []
    seen: set[str] = set()
    if source is not None:
        url = http_url(source.url)
        if url:
            date = claim.said_on or source.published_on
            found.append((date, _work(url, source.title, date, source.publisher)))
            seen.add(url)
    for app in claim.appearances:
        url = http_url(app.url)
        if not url or url in seen:
            continue
        seen.add(url)
        found.append((app.said_on, _work(url, app.title, app.said_on, app.publisher)))
    return found


def claim_review(header: ReportHeader, claim: ClaimEntry) -> dict[str, Any]:
    """The ClaimReview of one claim, as a JSON-LD dict."""
    org = header.organisation
    source = header.source_by_id.get(claim.source_id) if claim.source_id else None
    claimant = header.claimant_by_id.get(claim.claimant_id) if claim.claimant_id else None
    review: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "ClaimReview",
        "url": claim_url(org.url, claim.slug),
        "claimReviewed": claim_reviewed(claim),
    }
    published = claim.approved_at or header.generated_at
    review["datePublished"] = published.astimezone(dt.UTC).date().isoformat()
    review["inLanguage"] = org.language
    review["author"] = {"@type": "Organization", "name": org.name, "url": org.url}
    rating_info = rating_for(header, claim.verdict)
    if rating_info is not None:
        rating: dict[str, Any] = {"@type": "Rating"}
        if rating_info.value is not None:
            rating["ratingValue"] = rating_info.value
        rating["bestRating"] = header.scale.best
        rating["worstRating"] = header.scale.worst
        rating["alternateName"] = rating_info.label
        if claim.rationale:
            rating["ratingExplanation"] = claim.rationale
        review["reviewRating"] = rating
    item: dict[str, Any] = {"@type": "Claim"}
    if claimant is not None:
        author: dict[str, Any] = {
            "@type": "Organization" if claimant.kind == "organization" else "Person",
            "name": claimant.name,
        }
        same_as = http_url(claimant.same_as)
        if same_as:
            author["sameAs"] = same_as
        item["author"] = author
    said_on = claim.said_on or (source.published_on if source else None)
    if said_on:
        item["datePublished"] = said_on.isoformat()
    appearances = _appearances(claim, source)
    if appearances:
        item["appearance"] = [work for _, work in appearances]
        dated = [(d, i) for i, (d, _) in enumerate(appearances) if d is not None]
        first = min(dated)[1] if dated else 0
        item["firstAppearance"] = appearances[first][1]
    review["itemReviewed"] = item
    return review


def dumps(data: Any, indent: int | None = 2) -> str:
    return json.dumps(data, ensure_ascii=False, indent=indent)


def script_json(data: Any) -> str:
    """Compact JSON safe inside an HTML ``<script>`` element (no ``<``, ``>`` or ``&``)."""
    return (
        json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def render(report: Report, options: RenderOptions) -> Iterator[str]:
    """A JSON array of ClaimReview objects, one per claim, streamed."""
    first = True
    observe = options.observe_review
    for claim in report.iter_claims():
        review = claim_review(report.header, claim)
        if observe is not None:
            observe(claim, review)
        body = dumps(review).replace("\n", "\n  ")
        yield ("[\n  " if first else ",\n  ") + body
        first = False
    yield "[]\n" if first else "\n]\n"


__all__ = [
    "CONTEXT",
    "MAX_CLAIM_REVIEWED",
    "claim_review",
    "claim_reviewed",
    "render",
    "script_json",
]
