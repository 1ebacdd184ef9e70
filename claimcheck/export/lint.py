"""The ClaimReview lint: what Google and aggregators reject (errors) or advise against (warnings).

Each rule is checked on the JSON-LD a review actually publishes (for our own exports the dict built
by :func:`claimcheck.export.claimreview.claim_review`, for ``claimcheck lint FILE`` whatever a file
holds), so the lint judges exactly what leaves the building. :func:`lint_review` returns every
problem of one review; the :class:`Linter` accumulates them from the reviews an export publishes as
it streams, so linting costs no second pass. ``export --check`` and ``publish --check`` refuse to
write on an *error*, and on a warning too with ``--strict``.

Sources: Google's "Fact check (ClaimReview) structured data" guide
(developers.google.com/search/docs/appearance/structured-data/factcheck) lists as **required**
``claimReviewed``, ``reviewRating`` (a Rating whose ``alternateName`` is the textual verdict shown
in results) and ``url`` (the page of the fact check, on the same domain as, or a subdomain of, the
page hosting the markup); as **recommended** ``author``, ``datePublished``, ``itemReviewed``, the
claim's ``author``, ``appearance``, ``firstAppearance`` and ``datePublished``, and the rating's
``bestRating``, ``worstRating``, ``ratingValue`` and ``name``. For a numeric rating ``worstRating``
is at least 1, ``bestRating`` is greater than ``worstRating``, and ``ratingValue`` lies between
them. ``claimReviewed`` should stay under 75 characters (so it does not wrap on a phone) and not
contain the rating. Dates are ISO 8601. schema.org (https://schema.org/ClaimReview, /Claim,
/Rating) gives each property's expected types; the subset lint needs ships in
``claimcheck/export/data/schemaorg-claimreview.json``. Full Fact's summary of Google's table
(fullfact.github.io/markup-investigation) agrees.

Errors (Google's hard rules; ids in brackets): no ``claimReviewed`` [claim-reviewed-missing]; no
``reviewRating.alternateName`` [rating-missing]; no ``url`` [url-missing]; a ``url`` that is not an
absolute http(s) URL [url], or not on the page's (or the organisation's) domain [url-domain];
``worstRating`` < 1, ``bestRating`` ≤ ``worstRating`` or a non-numeric bound [rating-scale]; a
``ratingValue`` outside its bounds or not a number [rating-value]; a date that cannot be read as a
date [date]; a value of the wrong type for its property, by schema.org's ranges [type]; markup not
under the schema.org ``@context`` [context]; for our own exports, a claim that is not verified
[not-verified]; for ``claimcheck lint``, a file with no ClaimReview at all [no-review], a page's ld+json block
(or a JSON Lines line) that is not JSON [json].

Warnings (advice): ``claimReviewed`` over 75 characters [claim-reviewed-too-long] or containing the
rating word [claim-reviewed-has-rating]; a missing ``bestRating``/``worstRating``, which schema.org
defaults to 5 and 1 [rating-scale-missing]; a missing ``author`` or ``datePublished`` of the review
[recommended]; no ``itemReviewed`` [item-reviewed-missing]; the legacy ``itemReviewed`` that is a
CreativeWork with its own ``url`` instead of a Claim [legacy-item-reviewed]; a claim without
``author`` (right for an unattributed claim: Google says to omit it) [claimant-missing] or whose
author has no name [claimant-name]; no http(s) appearance [appearance]; a date that is readable but
not ISO 8601 [date-format]; an https-less ``url`` of our own [url-https]; a schema.org property on
a type it does not belong to, or a type outside the shipped subset [vocabulary].
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from claimcheck.export.claimreview import MAX_CLAIM_REVIEWED, claim_review
from claimcheck.export.common import claim_url
from claimcheck.export.jsonld import types_of
from claimcheck.export.lint_vocabulary import (
    Property,
    Vocabulary,
    VocabularyCheck,
    _absolute,
    _host,
    _literal,
    _number,
    _schema_context,
    _split,
    _texts,
    _values,
    vocabulary,
)
from claimcheck.export.model import ClaimEntry, Report, ReportHeader

ERROR = "error"
WARNING = "warning"

# rule id: severity. Order is the order of the module docstring.
RULES: dict[str, str] = {
    "claim-reviewed-missing": ERROR,
    "rating-missing": ERROR,
    "url-missing": ERROR,
    "url": ERROR,
    "url-domain": ERROR,
    "rating-scale": ERROR,
    "rating-value": ERROR,
    "date": ERROR,
    "type": ERROR,
    "context": ERROR,
    "not-verified": ERROR,
    "no-review": ERROR,
    "json": ERROR,
    "claim-reviewed-too-long": WARNING,
    "claim-reviewed-has-rating": WARNING,
    "rating-scale-missing": WARNING,
    "recommended": WARNING,
    "item-reviewed-missing": WARNING,
    "legacy-item-reviewed": WARNING,
    "claimant-missing": WARNING,
    "claimant-name": WARNING,
    "appearance": WARNING,
    "date-format": WARNING,
    "url-https": WARNING,
    "vocabulary": WARNING,
}


@dataclass(frozen=True, order=True)
class LintFailure:
    claim_id: int
    rule: str
    message: str

    @property
    def severity(self) -> str:
        return RULES[self.rule]

    @property
    def is_error(self) -> bool:
        return RULES[self.rule] == ERROR

    def __str__(self) -> str:
        return f"claim {self.claim_id}: {self.severity}: {self.message} [{self.rule}]"


def errors(failures: list[LintFailure]) -> list[LintFailure]:
    return [f for f in failures if f.is_error]


def blocking(failures: list[LintFailure], *, strict: bool = False) -> list[LintFailure]:
    """The problems that stop a ``--check``: errors, and warnings too when ``strict``."""
    return list(failures) if strict else errors(failures)


# ---------------------------------------------------------------------------------------------
# The rules


@dataclass
class _Check(VocabularyCheck):
    claim_id: int
    ids: Mapping[str, dict[str, Any]]
    failures: list[LintFailure] = field(default_factory=list)

    def fail(self, rule: str, message: str) -> None:
        failure = LintFailure(self.claim_id, rule, message)
        if failure not in self.failures:
            self.failures.append(failure)

    def node(self, value: Any) -> dict[str, Any] | None:
        """A value as a node, following an ``{"@id": ...}`` reference into the document."""
        if isinstance(value, list):
            value = next((v for v in value if isinstance(v, dict)), None)
        if not isinstance(value, dict):
            return None
        if len(value) == 1 and isinstance(value.get("@id"), str):
            return self.ids.get(value["@id"], value)
        return value

    def nodes(self, value: Any) -> list[dict[str, Any]]:
        items = value if isinstance(value, list) else [value]
        return [n for n in (self.node(v) for v in items) if n is not None]


def lint_review(
    claim_id: int,
    review: dict[str, Any],
    *,
    org_url: str | None = None,
    status: str | None = None,
    page_url: str | None = None,
    context: Any = "https://schema.org",
    ids: Mapping[str, dict[str, Any]] | None = None,
    schema: bool = True,
) -> list[LintFailure]:
    """Every rule ``review`` breaks, errors and warnings (empty when it is clean).

    ``org_url`` (our own exports) and ``page_url`` (a saved page's canonical URL) are the site
    the review's ``url`` must be on. ``context`` is the ``@context`` the review inherits when it
    has none of its own (a DataFeed's, a ``@graph``'s); ``ids`` the document's ``@id`` nodes.
    ``schema=False`` skips the walk of every value against schema.org's domains and ranges
    [type, vocabulary, date]: the streaming export lint does, because claimcheck's own markup
    has its types fixed by code (tests/test_claimreview.py checks them against the vocabulary,
    and ``claimcheck lint`` runs the full check on the published pages).
    """
    check = _Check(claim_id, ids or {})
    fail = check.fail

    if not _schema_context(review.get("@context", context)):
        fail("context", "the markup is not under the schema.org @context (https://schema.org)")
    _claim_reviewed(check, review)
    ratings = check.nodes(review.get("reviewRating"))
    if not ratings:
        fail("rating-missing", "reviewRating is missing (no verdict)")
    for rating in ratings:
        _rating(check, rating, _texts(review.get("claimReviewed")))
    _url(check, review, org_url=org_url, page_url=page_url)
    if not check.nodes(review.get("author")) and not _texts(review.get("author")):
        fail("recommended", "author (the fact-checking organisation) is missing")
    if review.get("datePublished") in (None, "", []):
        fail("recommended", "datePublished is missing")
    _item_reviewed(check, review)
    if schema:
        check.typed(review, "ClaimReview")
    if status is not None and status != "verified":
        fail("not-verified", f"the claim is {status.replace('_', ' ')}, not verified")
    return check.failures


def _claim_reviewed(check: _Check, review: Mapping[str, Any]) -> None:
    texts = _texts(review.get("claimReviewed"))
    if not texts:
        check.fail("claim-reviewed-missing", "claimReviewed is missing")
    for text in texts:
        if len(text) > MAX_CLAIM_REVIEWED:
            check.fail(
                "claim-reviewed-too-long",
                f"claimReviewed has {len(text)} characters; Google suggests under "
                f"{MAX_CLAIM_REVIEWED} so it does not wrap on a phone",
            )


@functools.lru_cache(maxsize=256)
def _word(alternate: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(alternate.strip()) + r"(?!\w)", re.I)


def _rating(check: _Check, rating: Mapping[str, Any], reviewed: list[str]) -> None:
    fail = check.fail
    names = _texts(rating.get("alternateName"))
    if not names:
        fail("rating-missing", "reviewRating.alternateName (the verdict shown) is missing")
    for name in names:
        if any(_word(name).search(text) for text in reviewed):
            fail(
                "claim-reviewed-has-rating",
                f"claimReviewed contains the rating {name!r}: state the claim, not the verdict",
            )
    bounds: dict[str, float | None] = {}
    for key in ("worstRating", "bestRating"):
        raw = _literal(rating.get(key))
        if raw in (None, ""):
            bounds[key] = None
            continue
        number = _number(raw)
        if number is None:
            fail("rating-scale", f"reviewRating.{key} {raw!r} is not a number")
        bounds[key] = number
    worst, best = bounds["worstRating"], bounds["bestRating"]
    value_raw = _literal(rating.get("ratingValue"))
    has_value = value_raw not in (None, "")
    if worst is not None and worst < 1:
        fail("rating-scale", f"reviewRating.worstRating is {raw_text(worst)}; it must be 1 or more")
    if worst is not None and best is not None and best <= worst:
        fail(
            "rating-scale",
            f"reviewRating.bestRating {raw_text(best)} must be greater than "
            f"worstRating {raw_text(worst)}",
        )
    absent = [k for k in ("bestRating", "worstRating") if _literal(rating.get(k)) in (None, "")]
    if has_value and absent:
        fail(
            "rating-scale-missing",
            f"reviewRating has a ratingValue but no {' or '.join(absent)} (schema.org assumes "
            + " and ".join(f"{k} {_DEFAULT_BOUND[k]}" for k in absent)
            + ")",
        )
    if has_value:
        value = _number(value_raw)
        if value is None:
            fail("rating-value", f"reviewRating.ratingValue {value_raw!r} is not a number")
        elif (worst is not None and value < worst) or (best is not None and value > best):
            fail(
                "rating-value",
                f"reviewRating.ratingValue {raw_text(value)} is outside "
                f"{raw_text(worst) if worst is not None else '…'}.."
                f"{raw_text(best) if best is not None else '…'}",
            )


_DEFAULT_BOUND = {"bestRating": 5, "worstRating": 1}  # schema.org's Rating defaults


def raw_text(number: float) -> str:
    return str(int(number)) if number == int(number) else str(number)


def _same_site(host: str, site: str) -> bool:
    """Google: the url's domain is the hosting page's domain or a subdomain of it."""
    host, site = host.lower().rstrip("."), site.lower().rstrip(".")
    site = site.removeprefix("www.")
    return host == site or host.endswith("." + site)


@functools.lru_cache(maxsize=64)
def _claim_pages_pass(org_url: str) -> bool:
    """Whether the organisation's claim pages, ``<org_url>/claims/<id>/``, break no url rule.

    Digits are no URL delimiter, so every such URL splits alike: claim 0's check stands for all
    (one ``urlsplit`` a report instead of one a review, whose URL is new to every cache).
    """
    probe = _Check(0, {})
    _url(probe, {"url": claim_url(org_url, 0)}, org_url=org_url, page_url=None, probe=True)
    return not probe.failures


def _claim_page_passes(url: str, org_url: str) -> bool:
    """``url`` is one of the organisation's claim pages, and those break no url rule."""
    prefix = claim_url(org_url, 0)[:-2]  # ".../claims/"
    if not (url.startswith(prefix) and url.endswith("/")):
        return False
    number = url[len(prefix) : -1]
    return number.isascii() and number.isdigit() and _claim_pages_pass(org_url)


def _url(
    check: _Check,
    review: Mapping[str, Any],
    *,
    org_url: str | None,
    page_url: str | None,
    probe: bool = False,
) -> None:
    fail = check.fail
    urls = _texts(review.get("url"))
    if not urls:
        fail("url-missing", "url (the page of the fact check) is missing")
        return
    url = urls[0]
    if org_url and not probe and _claim_page_passes(url, org_url):
        return
    if not _absolute(url):
        fail("url", f"url {url!r} is not an absolute http(s) URL")
        return
    parts = _split(url)
    host = _host(url)
    assert host is not None
    if org_url:
        org = _split(org_url)
        if host != _host(org_url) or parts.port != org.port:
            fail("url-domain", f"url {url!r} is not on the organisation's domain {org.hostname}")
            return
        base = org.path.rstrip("/")
        if base and not (parts.path == base or parts.path.startswith(base + "/")):
            fail("url-domain", f"url {url!r} is not under {org_url}")
            return
        if parts.scheme != "https":
            hint = "" if org.scheme == "https" else " (set org_url to an https address)"
            fail("url-https", f"url {url!r} is not https{hint}")
    elif page_url and _absolute(page_url):
        site = _host(page_url) or ""
        if not _same_site(host, site):
            fail("url-domain", f"url {url!r} is not on the page's domain {site}")


def _item_reviewed(check: _Check, review: Mapping[str, Any]) -> None:
    fail = check.fail
    items = check.nodes(review.get("itemReviewed"))
    if not items:
        fail("item-reviewed-missing", "itemReviewed (the claim: who made it, where) is missing")
        return
    vocab = vocabulary()
    for item in items:
        kinds = types_of(item)
        ancestry = vocab.ancestors(tuple(kinds))
        appearances = _appearance_urls(check, item.get("appearance")) + _appearance_urls(
            check, item.get("firstAppearance")
        )
        if "Claim" not in kinds and "CreativeWork" in ancestry:
            legacy = [u for u in _texts(item.get("url")) if _absolute(u)]
            fail(
                "legacy-item-reviewed",
                f"itemReviewed is a {'/'.join(kinds)}: the legacy form; Google now asks for a "
                "Claim with appearance",
            )
            appearances += legacy
        if not appearances:
            fail("appearance", "the claim has no appearance (no http(s) URL where it was made)")
        authors = check.nodes(item.get("author"))
        named = _texts(item.get("author"))
        if not authors and not named:
            fail(
                "claimant-missing",
                "the claim has no author (right if it is unattributed: Google says to omit it)",
            )
        for author in authors:
            if not _texts(author.get("name")):
                fail("claimant-name", "the claim's author has no name")


def _appearance_urls(check: _Check, value: Any) -> list[str]:
    found: list[str] = []
    for item in _values(value):
        if isinstance(item, str):
            urls = [item]
        else:
            node = check.node(item)
            urls = _texts(node.get("url")) if node else []
        found.extend(u for u in urls if _absolute(u))
    return found


# ---------------------------------------------------------------------------------------------
# Our own exports


def lint_claim(header: ReportHeader, claim: ClaimEntry) -> list[LintFailure]:
    return lint_review(
        claim.id,
        claim_review(header, claim),
        org_url=header.organisation.url,
        status=claim.status,
        schema=False,
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
            lint_review(
                claim.id,
                review,
                org_url=self.header.organisation.url,
                status=claim.status,
                schema=False,
            )
        )


def lint_report(report: Report) -> list[LintFailure]:
    linter = Linter(report.header)
    for claim in report.iter_claims():
        linter.check(claim)
    return linter.failures


__all__ = [
    "ERROR",
    "RULES",
    "WARNING",
    "LintFailure",
    "Linter",
    "Property",
    "Vocabulary",
    "blocking",
    "errors",
    "lint_claim",
    "lint_report",
    "lint_review",
    "vocabulary",
]
