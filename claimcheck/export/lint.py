"""The ClaimReview publishing lint: what aggregators reject or misread, found before publishing.

Each rule is checked on the JSON-LD a review actually publishes (the dict built by
:func:`claimcheck.export.claimreview.claim_review`), not on the database, so the lint judges exactly
what leaves the building. :func:`lint_review` returns every failure of one review; the
:class:`Linter` accumulates failures from the reviews an export publishes as it streams, so
linting costs no second pass. ``claimcheck export`` prints failures as warnings on every export
that publishes ClaimReview, and ``--check`` turns any failure into exit code 3.

Rules (ids in brackets):

- ``claimReviewed`` present [claim-reviewed-missing], at most 75 characters
  [claim-reviewed-too-long], and not containing the rating word, e.g. "False: ..."
  [claim-reviewed-has-rating];
- the review has a rating with an ``alternateName`` [rating-missing];
- ``1 ≤ worstRating < bestRating`` [rating-scale]; ``ratingValue``, when given, lies within them
  [rating-value];
- ``url`` is an absolute https URL on the organisation's configured domain and path [url];
- the claim has at least one http(s) appearance [appearance];
- the claimant (``itemReviewed.author``) has a name [claimant-name];
- the claim is verified: a rating still in review is not final [not-verified].
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import SplitResult, urlsplit

from claimcheck.export.claimreview import MAX_CLAIM_REVIEWED, claim_review
from claimcheck.export.model import ClaimEntry, Report, ReportHeader

RULES = (
    "claim-reviewed-missing",
    "claim-reviewed-too-long",
    "claim-reviewed-has-rating",
    "rating-missing",
    "rating-scale",
    "rating-value",
    "url",
    "appearance",
    "claimant-name",
    "not-verified",
)


@dataclass(frozen=True, order=True)
class LintFailure:
    claim_id: int
    rule: str
    message: str

    def __str__(self) -> str:
        return f"claim {self.claim_id}: {self.message} [{self.rule}]"


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _has_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _urls(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    found = []
    for item in items:
        url = item.get("url") if isinstance(item, dict) else item
        if isinstance(url, str):
            found.append(url)
    return found


@functools.lru_cache(maxsize=64)
def _split(url: str) -> SplitResult:
    return urlsplit(url)


@functools.lru_cache(maxsize=256)
def _word(alternate: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(alternate.strip()) + r"(?!\w)", re.I)


def _https_on(url: Any, org_url: str) -> str | None:
    """None when ``url`` is https on the organisation's domain and path, else the problem."""
    if not isinstance(url, str) or not url:
        return "the review has no url"
    parts = urlsplit(url)
    org = _split(org_url)
    if parts.scheme != "https" or not parts.netloc:
        hint = "" if org.scheme == "https" else " (set org_url to an https address)"
        return f"url {url!r} is not an absolute https URL{hint}"
    if parts.hostname != org.hostname or parts.port != org.port:
        return f"url {url!r} is not on the organisation's domain {org.hostname}"
    base = org.path.rstrip("/")
    if base and not (parts.path == base or parts.path.startswith(base + "/")):
        return f"url {url!r} is not under {org_url}"
    return None


def lint_review(
    claim_id: int, review: dict[str, Any], *, org_url: str, status: str | None = None
) -> list[LintFailure]:
    """Every rule ``review`` breaks (empty when it is fit to publish)."""
    failures: list[LintFailure] = []

    def fail(rule: str, message: str) -> None:
        failures.append(LintFailure(claim_id, rule, message))

    reviewed = review.get("claimReviewed")
    rating = review.get("reviewRating")
    rating = rating if isinstance(rating, dict) else None
    alternate = rating.get("alternateName") if rating else None
    if not _has_text(reviewed):
        fail("claim-reviewed-missing", "claimReviewed is missing")
    else:
        assert isinstance(reviewed, str)
        if len(reviewed) > MAX_CLAIM_REVIEWED:
            fail(
                "claim-reviewed-too-long",
                f"claimReviewed has {len(reviewed)} characters (at most {MAX_CLAIM_REVIEWED}): "
                "give the claim a short statement",
            )
        if _has_text(alternate):
            assert isinstance(alternate, str)
            if _word(alternate).search(reviewed):
                fail(
                    "claim-reviewed-has-rating",
                    f"claimReviewed contains the rating word {alternate!r}: state the claim, "
                    "not the verdict",
                )
    if not _has_text(alternate):
        fail("rating-missing", "reviewRating.alternateName is missing (the claim has no verdict)")
    if rating is not None:
        worst = _number(rating.get("worstRating"))
        best = _number(rating.get("bestRating"))
        if worst is None or best is None or not (1 <= worst < best):
            fail(
                "rating-scale",
                f"worstRating {rating.get('worstRating')!r} and bestRating "
                f"{rating.get('bestRating')!r} must satisfy 1 ≤ worstRating < bestRating",
            )
        if "ratingValue" in rating:
            value = _number(rating.get("ratingValue"))
            if value is None or (
                worst is not None and best is not None and not (worst <= value <= best)
            ):
                fail(
                    "rating-value",
                    f"ratingValue {rating.get('ratingValue')!r} is outside "
                    f"{rating.get('worstRating')!r}..{rating.get('bestRating')!r}",
                )
    problem = _https_on(review.get("url"), org_url)
    if problem:
        fail("url", problem)
    item = review.get("itemReviewed")
    item = item if isinstance(item, dict) else {}
    if not (_urls(item.get("appearance")) or _urls(item.get("firstAppearance"))):
        fail("appearance", "the claim has no appearance (no http(s) source URL)")
    author = item.get("author")
    authors = author if isinstance(author, list) and author else [author]  # several claimants
    if not all(isinstance(a, dict) and _has_text(a.get("name")) for a in authors):
        fail("claimant-name", "the claim has no claimant with a name")
    if status is not None and status != "verified":
        fail("not-verified", f"the claim is {status.replace('_', ' ')}, not verified")
    return failures


def lint_claim(header: ReportHeader, claim: ClaimEntry) -> list[LintFailure]:
    return lint_review(
        claim.id,
        claim_review(header, claim),
        org_url=header.organisation.url,
        status=claim.status,
    )


@dataclass
class Linter:
    """Collects failures claim by claim.

    :meth:`observe` is a :data:`~claimcheck.export.ReviewObserver`: pass it in ``RenderOptions``
    and the html/claimreview renderers hand over each review as they publish it.
    """

    header: ReportHeader
    failures: list[LintFailure] = field(default_factory=list)
    checked: int = 0

    def check(self, claim: ClaimEntry) -> None:
        self.observe(claim, claim_review(self.header, claim))

    def observe(self, claim: ClaimEntry, review: dict[str, Any]) -> None:
        self.checked += 1
        self.failures.extend(
            lint_review(claim.id, review, org_url=self.header.organisation.url, status=claim.status)
        )


def lint_report(report: Report) -> list[LintFailure]:
    linter = Linter(report.header)
    for claim in report.iter_claims():
        linter.check(claim)
    return linter.failures


__all__ = ["RULES", "LintFailure", "Linter", "lint_claim", "lint_report", "lint_review"]
