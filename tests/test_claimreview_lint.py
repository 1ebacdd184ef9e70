"""Every ClaimReview lint rule, each shown to pass and to fail."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from claimcheck.export.lint import ERROR, RULES, WARNING, LintFailure, lint_review

ORG = "https://factcheck.example.org"


def valid() -> dict[str, Any]:
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"{ORG}/claims/7-inflation-fell-to-1-9",
        "claimReviewed": "U.S. inflation fell to 1.9% in April 2025",
        "datePublished": "2025-05-22",
        "inLanguage": "en",
        "author": {"@type": "Organization", "name": "Example Fact Desk", "url": ORG},
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": 1,
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": "False",
        },
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Person", "name": "Donald Trump"},
            "appearance": [{"@type": "CreativeWork", "url": "https://wire.example/a"}],
            "firstAppearance": {"@type": "CreativeWork", "url": "https://wire.example/a"},
        },
    }


def rules(review: dict[str, Any], **kw: Any) -> list[str]:
    return [f.rule for f in lint_review(7, review, org_url=kw.pop("org", ORG), **kw)]


def test_a_good_review_passes() -> None:
    assert rules(valid(), status="verified") == []


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    keys = path.split(".")

    def change(review: dict[str, Any]) -> None:
        node = review
        for key in keys[:-1]:
            node = node[key]
        if value is _DELETE:
            del node[keys[-1]]
        else:
            node[keys[-1]] = value

    return change


_DELETE = object()


def _both(
    first: Callable[[dict[str, Any]], None], second: Callable[[dict[str, Any]], None]
) -> Callable[[dict[str, Any]], None]:
    def change(review: dict[str, Any]) -> None:
        first(review)
        second(review)

    return change


FAILING = [
    ("claim-reviewed-missing", _set("claimReviewed", _DELETE)),
    ("claim-reviewed-missing", _set("claimReviewed", "   ")),
    ("claim-reviewed-missing", _set("claimReviewed", [])),
    ("claim-reviewed-too-long", _set("claimReviewed", "x" * 76)),
    ("claim-reviewed-has-rating", _set("claimReviewed", "False: inflation fell to 1.9%")),
    ("rating-missing", _set("reviewRating.alternateName", _DELETE)),
    ("rating-missing", _set("reviewRating", _DELETE)),
    ("rating-scale", _set("reviewRating.worstRating", 0)),
    (
        "rating-scale",
        _both(_set("reviewRating.worstRating", 5), _set("reviewRating.ratingValue", 5)),
    ),
    ("rating-scale", _set("reviewRating.bestRating", "top")),
    ("rating-scale-missing", _set("reviewRating.bestRating", _DELETE)),
    ("rating-value", _set("reviewRating.ratingValue", 6)),
    ("rating-value", _set("reviewRating.ratingValue", "high")),
    ("url-https", _set("url", "http://factcheck.example.org/claims/7")),
    ("url-domain", _set("url", "https://elsewhere.example.org/claims/7")),
    ("url", _set("url", "/claims/7")),
    ("url-missing", _set("url", _DELETE)),
    ("date", _set("datePublished", "last Tuesday-ish")),
    ("date-format", _set("datePublished", "22/05/2025")),
    ("type", _set("reviewRating.@type", "Review")),
    ("type", _set("itemReviewed.datePublished", 20250522)),
    ("type", _set("author", {"@type": "Rating", "name": "Desk"})),
    ("context", _set("@context", "https://example.org/vocab")),
    ("recommended", _set("author", _DELETE)),
    ("item-reviewed-missing", _set("itemReviewed", _DELETE)),
    ("vocabulary", _set("reviewRating.@type", "Ratingg")),
    ("vocabulary", _set("itemReviewed.claimReviewed", "a claim on a claim")),
    (
        "appearance",
        _both(
            _set("itemReviewed.appearance", _DELETE), _set("itemReviewed.firstAppearance", _DELETE)
        ),
    ),
    (
        "appearance",
        _both(
            _set("itemReviewed.appearance", [{"@type": "CreativeWork"}]),
            _set("itemReviewed.firstAppearance", _DELETE),
        ),
    ),
    ("claimant-missing", _set("itemReviewed.author", _DELETE)),
    ("claimant-name", _set("itemReviewed.author.name", "")),
]


@pytest.mark.parametrize(
    ("rule", "change"), FAILING, ids=[f"{r}-{i}" for i, (r, _) in enumerate(FAILING)]
)
def test_each_rule_fails_on_its_problem(
    rule: str, change: Callable[[dict[str, Any]], None]
) -> None:
    review = copy.deepcopy(valid())
    change(review)
    found = rules(review)
    assert rule in found
    # the other rules keep passing (a missing rating also means no rating word to look for)
    assert set(found) == {rule}


@pytest.mark.parametrize(
    "change",
    [
        _set("claimReviewed", "x" * 75),
        _set(
            "claimReviewed", "Falsehoods about inflation spread"
        ),  # 'False' only as part of a word
        _set("reviewRating.ratingValue", _DELETE),  # misleading/unsupported carry no number
        _set("reviewRating.ratingValue", "3"),
        _set("itemReviewed.appearance", []),
        _set("claimReviewed", ["U.S. inflation fell to 1.9%", "Prices fell in April"]),
        _set("reviewRating.ratingValue", {"@value": 2}),
        _set("datePublished", "2025-05-22T09:30:00+02:00"),
        _set("datePublished", "2025-05-22T09:30:00Z"),
        _set("datePublished", "2025-05"),
        _set("@context", ["https://schema.org", {"@language": "en"}]),
        _set("@context", {"@vocab": "http://schema.org/"}),
        _set("itemReviewed.author", "Viral social media post"),  # text for a thing
    ],
)
def test_edge_values_that_pass(change: Callable[[dict[str, Any]], None]) -> None:
    review = copy.deepcopy(valid())
    change(review)
    assert rules(review) == []  # firstAppearance alone is an appearance


def test_url_must_sit_under_the_org_path() -> None:
    review = valid()
    review["url"] = "https://factcheck.example.org/other/7"
    assert rules(review, org="https://factcheck.example.org/desk") == ["url-domain"]
    review["url"] = "https://factcheck.example.org/desk/claims/7"
    assert rules(review, org="https://factcheck.example.org/desk") == []
    review["url"] = "http://factcheck.example.org/claims/7"
    failure = lint_review(7, review, org_url="http://factcheck.example.org")[0]
    assert "set org_url to an https address" in failure.message
    assert not failure.is_error


def test_url_is_on_the_page_domain_or_a_subdomain() -> None:
    review = valid()
    assert rules(review, org=None, page_url="https://example.org/fc/7") == []
    assert rules(review, org=None, page_url="https://www.factcheck.example.org/x") == []
    assert rules(review, org=None, page_url="https://other.example.net/x") == ["url-domain"]


def test_not_verified_rule_and_failure_text() -> None:
    assert rules(valid(), status="in_review") == ["not-verified"]
    failure = lint_review(7, valid(), org_url=ORG, status="in_review")[0]
    assert failure == LintFailure(7, "not-verified", "the claim is in review, not verified")
    assert str(failure) == "claim 7: error: the claim is in review, not verified [not-verified]"


def test_every_rule_is_exercised() -> None:
    tested = {rule for rule, _ in FAILING} | {
        "not-verified",
        "no-review",
        "json",
        "legacy-item-reviewed",
    }
    assert tested == set(RULES)


def test_severities_follow_google_required_versus_advice() -> None:
    errors = {r for r, severity in RULES.items() if severity == ERROR}
    assert {"claim-reviewed-missing", "rating-missing", "url-missing", "url", "rating-scale"} <= (
        errors
    )
    for advice in ("claim-reviewed-too-long", "rating-scale-missing", "claimant-missing"):
        assert RULES[advice] == WARNING


def test_an_object_for_claim_reviewed_is_a_wrong_type_and_no_text() -> None:
    review = valid()
    review["claimReviewed"] = {"@type": "Claim", "text": "inflation fell"}
    assert set(rules(review)) == {"type", "claim-reviewed-missing"}


@pytest.mark.parametrize(
    ("org", "url", "expected"),
    [
        # claim pages of the organisation: judged once a report, the same way as any URL
        ("https://factcheck.example.org", "https://factcheck.example.org/claims/7/", []),
        ("https://factcheck.example.org/", "https://factcheck.example.org/claims/70/", []),
        ("http://factcheck.example.org", "http://factcheck.example.org/claims/7/", ["url-https"]),
        ("https://factcheck.example.org/desk", "https://factcheck.example.org/desk/claims/7/", []),
        ("https://factcheck.example.org:8443", "https://factcheck.example.org:8443/claims/7/", []),
        ("https://:8443", "https://:8443/claims/7/", ["url"]),
        # look-alikes of a claim page get the full check
        ("https://factcheck.example.org", "https://factcheck.example.org/claims/7x/", []),
        ("https://factcheck.example.org", "https://factcheck.example.org/claims/７/", []),
        ("https://factcheck.example.org", "http://factcheck.example.org/claims/7/", ["url-https"]),
        (
            "https://factcheck.example.org/desk",
            "https://factcheck.example.org/claims/7/",
            ["url-domain"],
        ),
    ],
)
def test_claim_page_urls_are_judged_like_any_url(org: str, url: str, expected: list[str]) -> None:
    review = valid()
    review["url"] = url
    assert rules(review, org=org) == expected
