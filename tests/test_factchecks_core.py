"""The pure rules of reading ClaimReview (claimcheck.core.factchecks): no database, no files."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimcheck.core.factchecks import (
    LabelTable,
    Page,
    RecordError,
    api_reviews,
    clean_text,
    find_reviews,
    label_key,
    language_tag,
    normalise_score,
    parse_date,
    read_review,
    resolve_url,
)
from claimcheck.core.ratings import DEFAULT, GOOGLE, POLITIFACT

TABLE = LabelTable.build(DEFAULT.keys)


def review(**over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "@type": "ClaimReview",
        "url": "https://checks.example.org/a",
        "author": {"@type": "Organization", "name": "Example Checks"},
        "claimReviewed": "The bridge was closed for ten years",
        "datePublished": "2024-03-02",
        "reviewRating": {"@type": "Rating", "alternateName": "False"},
    }
    base.update(over)
    return base


# ---------------------------------------------------------------------------------------------
# Labels


@pytest.mark.parametrize(
    ("label", "verdict"),
    [
        ("False", "false"),
        ("FALSE", "false"),
        ("Falso", "false"),
        ("Faux", "false"),
        ("Falsch", "false"),
        ("really_false", "false"),
        ("Mostly false", "mostly-false"),
        ("mostly-false", "mostly-false"),
        ("Mostly_False", "mostly-false"),
        ("Misleading", "misleading"),
        ("Engañoso", "misleading"),
        ("Enganoso", "misleading"),
        ("زائف", "false"),
        ("错误", "false"),
        ("錯誤", "false"),
        ("部分錯誤", "mostly-false"),
        ("True", "true"),
        ("Verdadero", "true"),
        ("Half true", "half-true"),
        ("Mixture", "half-true"),
        ("Missing context", "misleading"),
        ("Unproven", "unsupported"),
        ("Pants on Fire!", "false"),
        ("¡Falso!", "false"),
        ("This claim is false.", "false"),
        ("Faux : la photo date de 2015.", "false"),
        ("Not true", "false"),
        ("The claim is mostly false because the figure is from 2019", "mostly-false"),
        ("Misleading — the video is old", "misleading"),
        ("true but misleading", "misleading"),
        ("The exact figure is false", "false"),
        ("Cek fakta: salah", "false"),
        ("Fact check: mostly false", "mostly-false"),
    ],
)
def test_builtin_label_table_maps_common_labels(label: str, verdict: str) -> None:
    assert TABLE.lookup(label) == verdict


@pytest.mark.parametrize("label", ["Satire", "Explainer", "", "  ", "42"])
def test_unknown_labels_have_no_verdict(label: str) -> None:
    assert TABLE.lookup(label) is None


def test_label_key_folds_case_punctuation_and_separators() -> None:
    assert label_key("Really_False") == "really false"
    assert label_key("¡FALSO!") == "falso"
    assert label_key("C’est faux") == "c'est faux"


def test_classes_land_on_the_scale_in_use() -> None:
    politifact = LabelTable.build(POLITIFACT.keys)
    google = LabelTable.build(GOOGLE.keys)
    assert politifact.lookup("Pants on fire") == "pants-on-fire"
    assert TABLE.lookup("Pants on fire") == "false"
    assert google.lookup("Half true") == "mixture"
    assert google.lookup("Misleading") == "mostly-false"
    assert TABLE.lookup("Mixture") == "half-true"


def test_config_extends_and_overrides_the_table() -> None:
    table = LabelTable.build(DEFAULT.keys, {"Sátira": "unsupported", "Misleading": "false"})
    assert table.lookup("sátira") == "unsupported"
    assert table.lookup("Misleading") == "false"
    assert TABLE.lookup("Misleading") == "misleading"  # the built-in table is not changed


# ---------------------------------------------------------------------------------------------
# Scores, URLs, dates, languages, text


@pytest.mark.parametrize(
    ("value", "best", "worst", "score"),
    [
        (1, 5, 1, 0.0),
        (5, 5, 1, 1.0),
        (2, 5, 1, 0.25),
        (3, 6, 1, 0.4),
        (2, 4, None, 0.5),  # no worst: v / best
        (None, 5, 1, None),
        (3, None, 1, None),
        (7, 5, 1, None),  # outside its own scale
        (2, 2, 2, 1.0),  # best == worst: v / best
        (0, 0, None, None),
    ],
)
def test_score_is_normalised_as_meedan_does(
    value: float | None, best: float | None, worst: float | None, score: float | None
) -> None:
    assert normalise_score(value, best, worst) == score


@pytest.mark.parametrize(
    ("value", "base", "url"),
    [
        ("/2024/a", "https://x.example.org/page", "https://x.example.org/2024/a"),
        ("b.html", "https://x.example.org/dir/page", "https://x.example.org/dir/b.html"),
        ("//cdn.example.net/p", None, "https://cdn.example.net/p"),
        ("www.example-social.net/post/1", None, "https://www.example-social.net/post/1"),
        ("https://ok.example.com/x", None, "https://ok.example.com/x"),
        (
            {"@type": "CreativeWork", "url": "/y"},
            "https://x.example.org/",
            "https://x.example.org/y",
        ),
        (["", "https://first.example.com/"], None, "https://first.example.com/"),
        ("/relative", None, None),
        ("javascript:alert(1)", "https://x.example.org/", None),
        ("mailto:a@example.org", None, None),
        ("not a url", "https://x.example.org/", None),
        ("http://localhost/x", None, "http://localhost/x"),
    ],
)
def test_urls_are_resolved_against_the_page(value: Any, base: str | None, url: str | None) -> None:
    assert resolve_url(value, base) == url


def _dateutil(text: str, dayfirst: bool) -> dt.date | None:
    from claimcheck.services.factchecks.reading import parse_date as lib

    return lib(text, dayfirst)


@pytest.mark.parametrize(
    ("value", "dayfirst", "date"),
    [
        ("2024-03-02", False, dt.date(2024, 3, 2)),
        ("2024-03-02T23:30:00-05:00", False, dt.date(2024, 3, 2)),
        ("2020-06-24 00:03", False, dt.date(2020, 6, 24)),
        ("June 24, 2020", False, dt.date(2020, 6, 24)),
        ("24/06/2020", True, dt.date(2020, 6, 24)),
        ("06/07/2020", False, dt.date(2020, 6, 7)),
        ("06/07/2020", True, dt.date(2020, 7, 6)),
        (["2021-01-05", "2021-02-01"], False, dt.date(2021, 1, 5)),
        ("yesterday-ish", False, None),
        ("2024-13-45", False, None),
        ("", False, None),
    ],
)
def test_dates_iso_or_by_the_date_library(value: Any, dayfirst: bool, date: dt.date | None) -> None:
    assert parse_date(value, _dateutil, dayfirst=dayfirst) == date


def test_without_a_date_library_only_iso_dates_are_read() -> None:
    assert parse_date("June 24, 2020") is None
    assert parse_date("2020-06-24T00:03") == dt.date(2020, 6, 24)


@pytest.mark.parametrize(
    ("value", "tag"),
    [
        ("en", "en"),
        ("pt-br", "pt-BR"),
        ("zh_hant_tw", "zh-Hant-TW"),
        ({"@type": "Language", "name": "Spanish", "alternateName": "es"}, "es"),
        ("Français", "fr"),
        (["", "de"], "de"),
        ("not a language at all", None),
        (None, None),
    ],
)
def test_language_tags(value: Any, tag: str | None) -> None:
    assert language_tag(value) == tag


def test_text_is_cleaned_of_entities_tags_and_carriage_returns() -> None:
    assert clean_text("A &quot;cure&quot;\r\n for &amp;amp; all\r") == 'A "cure" for & all'
    assert clean_text("<p>Wind <b>farms</b></p>") == "Wind farms"
    assert clean_text(["", "second"]) == "second"
    assert clean_text({"a": 1}) is None
    assert clean_text("x < y and y > z") == "x < y and y > z"


# ---------------------------------------------------------------------------------------------
# Finding and reading reviews


def test_reviews_are_found_in_graphs_arrays_main_entity_and_feeds() -> None:
    doc = [
        {"@type": "WebSite", "name": "x"},
        {"@graph": [{"@type": "WebPage", "mainEntity": review(url="https://e.org/1")}]},
        {
            "@type": "DataFeed",
            "dataFeedElement": [
                {"@type": "DataFeedItem", "item": [review(url="https://e.org/2")]},
                {"@type": "DataFeedItem", "item": review(url="https://e.org/3")},
            ],
        },
        {"@type": ["Article", "Thing"], "review": review(url="https://e.org/4")},
        review(**{"@type": "http://schema.org/ClaimReview", "url": "https://e.org/5"}),
    ]
    found, _ = find_reviews(doc)
    assert [r["url"] for r in found] == [f"https://e.org/{i}" for i in range(1, 6)]


def test_deeply_nested_json_is_refused() -> None:
    doc: Any = review()
    for _ in range(200):
        doc = {"@type": "WebPage", "hasPart": doc}
    with pytest.raises(RecordError, match="nested"):
        find_reviews(doc)


def test_person_author_takes_the_publisher_from_the_page_graph() -> None:
    doc = {
        "@graph": [
            {
                "@type": "Organization",
                "@id": "#org",
                "name": "Graph Checks",
                "url": "https://g.example",
            },
            {"@type": "WebPage", "publisher": {"@id": "#org"}},
            review(author={"@type": "Person", "name": "A. Writer"}),
        ]
    }
    found, page = find_reviews(doc)
    fc = read_review(found[0], page, TABLE)
    assert (fc.publisher, fc.publisher_url) == ("Graph Checks", "https://g.example")


def test_person_author_with_works_for() -> None:
    r = review(author={"@type": "Person", "name": "A", "worksFor": {"name": "Desk Two"}})
    assert read_review(r, Page(), TABLE).publisher == "Desk Two"


def test_person_author_and_no_publisher_anywhere_is_refused() -> None:
    r = review(author={"@type": "Person", "name": "A. Writer"})
    with pytest.raises(RecordError, match=r"author: .*person"):
        read_review(r, Page(), TABLE)
    assert read_review(r, Page(site_name="Site Name"), TABLE).publisher == "Site Name"


def test_claimants_appearances_and_the_legacy_item_url() -> None:
    r = review(
        itemReviewed={
            "@type": "Claim",
            "author": [
                {
                    "@type": "Person",
                    "name": "First Speaker",
                    "sameAs": ["https://w.example/p1", "nope"],
                },
                {"@type": "Organization", "name": "Second Body", "sameAs": "https://w.example/o2"},
                "Third &amp; Co",
            ],
            "appearance": [{"url": "/post/1", "datePublished": "2024-01-02"}, "/post/1", "ftp://x"],
            "firstAppearance": {"url": "https://first.example/a"},
        }
    )
    fc = read_review(r, Page(url="https://site.example/check"), TABLE)
    assert [(c.name, c.same_as) for c in fc.claimants] == [
        ("First Speaker", ["https://w.example/p1"]),
        ("Second Body", ["https://w.example/o2"]),
        ("Third & Co", []),
    ]
    assert [(a.url, a.date) for a in fc.appearances] == [
        ("https://first.example/a", None),
        ("https://site.example/post/1", dt.date(2024, 1, 2)),
    ]
    assert any("appearance" in w for w in fc.warnings)
    legacy = review(itemReviewed={"@type": "CreativeWork", "url": "www.social.example/p/9"})
    assert [a.url for a in read_review(legacy, Page(), TABLE).appearances] == [
        "https://www.social.example/p/9"
    ]


def test_strict_fields_are_refused_with_the_reason() -> None:
    with pytest.raises(RecordError, match="url"):
        read_review(review(url="/only/relative"), Page(), TABLE)
    with pytest.raises(RecordError, match="claimReviewed"):
        read_review(review(claimReviewed="  "), Page(), TABLE)
    with pytest.raises(RecordError, match="author"):
        read_review(review(author=None), Page(), TABLE)
    # the page's own URL serves a review without one
    fc = read_review(review(url=None), Page(url="https://p.example/x"), TABLE)
    assert fc.review_url == "https://p.example/x"


def test_rating_and_language_sources() -> None:
    r = review(
        inLanguage=None,
        reviewRating={
            "ratingValue": "2",
            "bestRating": "5",
            "worstRating": "1",
            "alternateName": ["Satire", "x"],
        },
    )
    fc = read_review(r, Page(lang="pt-br"), TABLE, detect=lambda text: "xx")
    assert (fc.language, fc.language_from) == ("pt-BR", "page")
    assert (fc.rating_label, fc.rating_score, fc.verdict) == ("Satire", 0.25, None)
    assert any("not in the label table" in w for w in fc.warnings)
    detected = read_review(review(), Page(), TABLE, detect=lambda text: "en")
    assert (detected.language, detected.language_from) == ("en", "detected")
    given = read_review(review(inLanguage="es"), Page(lang="en"), TABLE)
    assert (given.language, given.language_from) == ("es", "inLanguage")


def test_fact_check_tools_api_shapes() -> None:
    search = {
        "claims": [
            {
                "text": "Claim one",
                "claimant": "Someone",
                "claimReview": [
                    {
                        "publisher": {"name": "P1", "site": "p1.example"},
                        "url": "https://p1.example/r",
                        "reviewDate": "2024-01-01T00:00:00Z",
                        "textualRating": "False",
                        "languageCode": "en",
                    }
                ],
            }
        ]
    }
    pages = {
        "name": "pages/1",
        "pageUrl": "https://p2.example/page",
        "publishDate": "2024-02-02",
        "claimReviewAuthor": {"name": "P2"},
        "claimReviewMarkups": [
            {"claimReviewed": "Claim two", "rating": {"textualRating": "Misleading"}},
        ],
    }
    a = [read_review(r, Page(), TABLE) for r in api_reviews(search) or []]
    b = [read_review(r, Page(), TABLE) for r in api_reviews(pages) or []]
    assert [(f.publisher, f.review_url, f.verdict, f.claimants[0].name) for f in a] == [
        ("P1", "https://p1.example/r", "false", "Someone")
    ]
    assert [(f.publisher, f.review_url, f.review_date, f.verdict) for f in b] == [
        ("P2", "https://p2.example/page", dt.date(2024, 2, 2), "misleading")
    ]
    assert api_reviews({"@type": "ClaimReview"}) is None


# ---------------------------------------------------------------------------------------------
# Property: reading never raises anything but its own one-line error

_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True)
    | st.text(max_size=30)
    | st.sampled_from(["ClaimReview", "https://x.example/a", "/rel", "2024-01-02", "Person"]),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(
        st.sampled_from(
            ["@type", "@id", "@graph", "url", "author", "publisher", "claimReviewed", "itemReviewed",
             "reviewRating", "alternateName", "ratingValue", "bestRating", "worstRating", "name",
             "appearance", "sameAs", "datePublished", "inLanguage", "mainEntity", "claims",
             "claimReview", "claimReviewMarkups", "rating", "x"]
        ),
        inner,
        max_size=6,
    ),
    max_leaves=25,
)  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_JSON)
def test_any_json_gives_reviews_or_a_record_error(doc: Any) -> None:
    try:
        found, page = find_reviews(doc)
    except RecordError:
        return
    for r in found:
        try:
            fc = read_review(r, page, TABLE, parse=_dateutil)
        except RecordError as exc:
            assert "\n" not in str(exc)
            continue
        assert fc.review_url.startswith(("http://", "https://")) and fc.claim_text and fc.publisher


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=300).map(lambda t: t.encode("utf-8")))
def test_any_bytes_give_records(data: bytes) -> None:
    from claimcheck.services.factchecks.reading import data_records

    for prefix in (b"", b"<html><script type='application/ld+json'>", b"{", b"["):
        for record in data_records(prefix + data, "x", TABLE, detect=False):
            assert (record.review is None) != (record.error is None)
            if record.error:
                assert "\n" not in record.error
