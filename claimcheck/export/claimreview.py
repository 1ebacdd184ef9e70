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

from claimcheck.export.common import ClaimView, http_url, view
from claimcheck.export.model import ClaimEntry, Report, ReportHeader

if TYPE_CHECKING:
    from claimcheck.export import RenderOptions

CONTEXT = "https://schema.org"
MAX_CLAIM_REVIEWED = 75


def claim_reviewed(claim: ClaimEntry) -> str:
    return " ".join((claim.statement or claim.text).split())


def _appearances(v: ClaimView) -> list[tuple[dt.date | None, dict[str, Any]]]:
    found: list[tuple[dt.date | None, dict[str, Any]]] = []
    seen: set[str] = set()
    if v.source is not None:
        url = http_url(v.source.url)
        if url:
            work: dict[str, Any] = {"@type": "CreativeWork", "url": url}
            if v.source.title:
                work["headline"] = v.source.title
            date = v.claim.said_on or v.source.published_on
            if date:
                work["datePublished"] = date.isoformat()
            if v.source.publisher:
                work["publisher"] = {"@type": "Organization", "name": v.source.publisher}
            found.append((date, work))
            seen.add(url)
    for app in v.appearances:
        url = http_url(app.url)
        if not url or url in seen:
            continue
        seen.add(url)
        work = {"@type": "CreativeWork", "url": url}
        if app.title:
            work["headline"] = app.title
        if app.said_on:
            work["datePublished"] = app.said_on.isoformat()
        if app.publisher:
            work["publisher"] = {"@type": "Organization", "name": app.publisher}
        found.append((app.said_on, work))
    return found


def claim_review(header: ReportHeader, claim: ClaimEntry) -> dict[str, Any]:
    """The ClaimReview of one claim, as a JSON-LD dict."""
    v = view(header, claim)
    org = header.organisation
    review: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "ClaimReview",
        "url": v.url,
        "claimReviewed": claim_reviewed(claim),
    }
    published = claim.approved_at or header.generated_at
    review["datePublished"] = published.astimezone(dt.UTC).date().isoformat()
    review["inLanguage"] = org.language
    review["author"] = {"@type": "Organization", "name": org.name, "url": org.url}
    if v.rating is not None:
        rating: dict[str, Any] = {"@type": "Rating"}
        if v.rating.value is not None:
            rating["ratingValue"] = v.rating.value
        rating["bestRating"] = header.scale.best
        rating["worstRating"] = header.scale.worst
        rating["alternateName"] = v.rating.label
        if claim.rationale:
            rating["ratingExplanation"] = claim.rationale
        review["reviewRating"] = rating
    item: dict[str, Any] = {"@type": "Claim"}
    if v.claimant is not None:
        author: dict[str, Any] = {
            "@type": "Organization" if v.claimant.kind == "organization" else "Person",
            "name": v.claimant.name,
        }
        same_as = http_url(v.claimant.same_as)
        if same_as:
            author["sameAs"] = same_as
        item["author"] = author
    if v.said_on:
        item["datePublished"] = v.said_on.isoformat()
    appearances = _appearances(v)
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
    for claim in report.iter_claims():
        body = dumps(claim_review(report.header, claim)).replace("\n", "\n  ")
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
