"""schema.org ClaimReview JSON-LD: the markup fact-check aggregators read.

One ``ClaimReview`` per claim, built by :func:`claim_review` and used three ways: the
``claimreview`` export (a JSON array of reviews), the HTML export (each claim's review embedded in
``<script type="application/ld+json">``) and the lint (:mod:`claimcheck.export.lint`).

Mapping from a claim:

- ``url``: the organisation's base URL + ``/claims/<id>/``: the permanent address of the claim's
  page on the published site (``claimcheck publish``), which no edit of the statement changes;
- ``claimReviewed``: the short statement, falling back to the verbatim text (the lint asks for
  ≤ 75 characters, so a long claim needs a statement before it is published);
- ``reviewRating``: ``Rating`` with ``alternateName`` (the verdict's label), ``bestRating`` and
  ``worstRating`` from the scale, ``ratingValue`` when the verdict has a number (misleading and
  unsupported have none), ``ratingExplanation`` = the rationale;
- ``itemReviewed``: a ``Claim`` with ``author`` (the claimant as ``Person`` or ``Organization``,
  with ``jobTitle`` and ``sameAs`` when known; a list when the claim has several claimants),
  ``datePublished`` (when it was said),
  ``appearance`` (the claim's source and the sources of claims linked to it as the same claim
  said elsewhere) and ``firstAppearance`` (the earliest of those);
- ``author``: the organisation (name, url, ``logo`` and ``sameAs`` when configured);
  ``datePublished``: the *first* publication (it stays through corrections); ``dateModified`` and a
  ``correction`` list (``CorrectionComment``: the public note, never the internal reason) once the
  claim was corrected or updated; ``inLanguage``: the claim's language, else the configured one;
  the rating's ``alternateName`` is the label in that language when the scale has one.

Only http(s) URLs appear in the markup. Key order is fixed by construction, so output is
byte-stable. :func:`script_json` serialises for embedding in HTML: ``<``, ``>`` and ``&`` become
``\\u003c``/``\\u003e``/``\\u0026`` escapes, so a claim containing ``</script>`` cannot end the script
element, while the JSON value is unchanged for any JSON-LD reader.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from pydantic_core import to_json

from claimcheck.export.common import claim_url, http_url, rating_for
from claimcheck.export.model import ClaimantInfo, ClaimEntry, Report, ReportHeader, SourceInfo

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


def published_date(header: ReportHeader, claim: ClaimEntry) -> dt.date:
    """``datePublished``: the first publication; it never moves with a correction."""
    published = claim.published_at or claim.approved_at or header.generated_at
    return published.astimezone(dt.UTC).date()


def modified_date(claim: ClaimEntry) -> dt.date | None:
    """``dateModified``: the last public correction or update, if any."""
    if claim.modified_at is None:
        return None
    return claim.modified_at.astimezone(dt.UTC).date()


def claim_language(header: ReportHeader, claim: ClaimEntry) -> str:
    return claim.language or header.organisation.language


def _organisation(header: ReportHeader) -> dict[str, Any]:
    org = header.organisation
    data: dict[str, Any] = {"@type": "Organization", "name": org.name, "url": org.url}
    logo = http_url(org.logo)
    if logo:
        data["logo"] = {"@type": "ImageObject", "url": logo}
    same_as = [u for u in (http_url(v) for v in org.same_as) if u]
    if same_as:
        data["sameAs"] = same_as if len(same_as) > 1 else same_as[0]
    return data


def _claimant(person: ClaimantInfo) -> dict[str, Any]:
    author: dict[str, Any] = {
        "@type": "Organization" if person.kind == "organization" else "Person",
        "name": person.name,
    }
    if person.job_title and person.kind != "organization":
        author["jobTitle"] = person.job_title
    same_as = http_url(person.same_as)
    if same_as:
        author["sameAs"] = same_as
    return author


def _corrections(claim: ClaimEntry) -> list[dict[str, Any]]:
    """The public notes of completed corrections and of updates, oldest first."""
    notes: list[tuple[dt.datetime, int, dict[str, Any]]] = []
    for corr in claim.corrections:
        if corr.completed_at is not None and corr.note:
            notes.append(
                (
                    corr.completed_at,
                    corr.id,
                    {
                        "@type": "CorrectionComment",
                        "text": corr.note,
                        "datePublished": corr.completed_at.astimezone(dt.UTC).date().isoformat(),
                    },
                )
            )
    return [n for _, _, n in sorted(notes, key=lambda t: (t[0], t[1]))]


def claim_review(
    header: ReportHeader,
    claim: ClaimEntry,
    *,
    headline: str | None = None,
    verdict: str | None = None,
    rationale: str | None = None,
) -> dict[str, Any]:
    """The ClaimReview of one claim, as a JSON-LD dict.

    ``headline`` is added when given (the site's page title); ``verdict``/``rationale`` replace the
    claim's own while it is under review (the site publishes the last approved rating).
    """
    org = header.organisation
    language = claim_language(header, claim)
    source = header.source_by_id.get(claim.source_id) if claim.source_id else None
    claimants = [header.claimant_by_id[i] for i in claim.claimant_ids if i in header.claimant_by_id]
    review: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "ClaimReview",
        "url": claim_url(org.url, claim.id),
        "claimReviewed": claim_reviewed(claim),
    }
    if headline:
        review["headline"] = headline
    review["datePublished"] = published_date(header, claim).isoformat()
    modified = modified_date(claim)
    if modified is not None:
        review["dateModified"] = modified.isoformat()
    review["inLanguage"] = language
    review["author"] = _organisation(header)
    if headline and "logo" in review["author"]:
        review["image"] = review["author"]["logo"]["url"]
    rating_info = rating_for(header, verdict if verdict is not None else claim.verdict)
    explanation = rationale if verdict is not None else claim.rationale
    if rating_info is not None:
        rating: dict[str, Any] = {"@type": "Rating"}
        if rating_info.value is not None:
            rating["ratingValue"] = rating_info.value
        rating["bestRating"] = header.scale.best
        rating["worstRating"] = header.scale.worst
        rating["alternateName"] = rating_info.label_in(language)
        if explanation:
            rating["ratingExplanation"] = explanation
        review["reviewRating"] = rating
    item: dict[str, Any] = {"@type": "Claim"}
    if claimants:
        authors = [_claimant(person) for person in claimants]
        item["author"] = authors[0] if len(authors) == 1 else authors
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
    if modified is not None:
        corrections = _corrections(claim)
        if corrections:
            review["correction"] = corrections
    return review


def dumps(data: Any, indent: int | None = 2) -> str:
    """``json.dumps(data, ensure_ascii=False, indent=indent)``, serialised by pydantic-core's
    Rust encoder: the same bytes for the values a review holds (strings, ints, lists, dicts;
    ``tests/test_claimreview.py`` compares the two), several times faster than the standard
    library's indenting encoder, which is pure Python."""
    return to_json(data, indent=indent).decode("utf-8")


def script_json(data: Any) -> str:
    """Compact JSON safe inside an HTML ``<script>`` element (no ``<``, ``>`` or ``&``)."""
    return (
        to_json(data)
        .decode("utf-8")
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
    "claim_language",
    "claim_review",
    "claim_reviewed",
    "modified_date",
    "published_date",
    "render",
    "script_json",
]
