"""ClaimReview blocks in the shapes real fact-checkers publish, written by us for the lint tests.

Every block is our own invention (made-up outlets on .example/.test domains, made-up claims);
only the *shapes* follow what publishers' pages carry: full modern markup, ratings in the
publisher's language without a numeric scale, ``@graph`` with ``@id`` references, the legacy
``itemReviewed`` CreativeWork, unattributed viral claims, ``claimReviewed`` as a list, a Person
as the review's author, a DataFeed, a review nested in an Article's ``mainEntity``, and dates
written the way CMSs write them. ``SAMPLES`` maps a name to (markup, the error rules the lint must
report, the warning rules it must report).
"""

from __future__ import annotations

import copy
from typing import Any

CTX = "https://schema.org"


def base(**over: Any) -> dict[str, Any]:
    review: dict[str, Any] = {
        "@context": CTX,
        "@type": "ClaimReview",
        "url": "https://checkdesk.example/fact-checks/bridge-toll",
        "claimReviewed": "The new bridge toll doubled overnight",
        "datePublished": "2025-03-14",
        "author": {
            "@type": "Organization",
            "name": "Check Desk",
            "url": "https://checkdesk.example",
        },
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": 2,
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": "Mostly false",
        },
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Person", "name": "Sam Porter", "jobTitle": "City councillor"},
            "datePublished": "2025-03-10",
            "appearance": [
                {"@type": "CreativeWork", "url": "https://social.example/sam/posts/881"}
            ],
            "firstAppearance": {
                "@type": "CreativeWork",
                "url": "https://social.example/sam/posts/881",
            },
        },
    }
    review.update(copy.deepcopy(over))
    return review


def _spanish() -> dict[str, Any]:
    review = base(
        url="https://verifica.example/es/bulos/vacuna-chip",
        claimReviewed="La vacuna contiene un microchip de rastreo",
        inLanguage="es",
    )
    review["reviewRating"] = {"@type": "Rating", "ratingValue": 1, "alternateName": "Falso"}
    return review


def _graph() -> dict[str, Any]:
    return {
        "@context": CTX,
        "@graph": [
            {
                "@type": "Organization",
                "@id": "https://decodeur.test/#org",
                "name": "Le Décodeur",
                "url": "https://decodeur.test/",
            },
            {
                "@type": "WebPage",
                "@id": "https://decodeur.test/verif/loyers/#page",
                "url": "https://decodeur.test/verif/loyers/",
                "inLanguage": "fr-FR",
            },
            {
                "@type": "Claim",
                "@id": "https://decodeur.test/verif/loyers/#claim",
                "author": {"@type": "Organization", "name": "Collectif Loyers Justes"},
                "appearance": {"@type": "CreativeWork", "url": "https://tract.test/loyers.pdf"},
            },
            {
                "@type": "ClaimReview",
                "url": "https://decodeur.test/verif/loyers/",
                "claimReviewed": "Les loyers ont baissé de 20 % à Lyon en un an",
                "datePublished": "2025-02-02T08:15:00+01:00",
                "author": {"@id": "https://decodeur.test/#org"},
                "itemReviewed": {"@id": "https://decodeur.test/verif/loyers/#claim"},
                "reviewRating": {
                    "@type": "Rating",
                    "ratingValue": 1,
                    "bestRating": 5,
                    "worstRating": 1,
                    "alternateName": "Faux",
                },
            },
        ],
    }


def _legacy() -> dict[str, Any]:
    # The shape Google documented first: itemReviewed a CreativeWork carrying the claim's
    # author, date and url.
    review = base(
        url="https://faktenlage.test/check/strompreis",
        claimReviewed="Der Strompreis hat sich 2024 verdreifacht",
        inLanguage="de",
    )
    review["reviewRating"]["alternateName"] = "Falsch"
    review["itemReviewed"] = {
        "@type": "CreativeWork",
        "author": {"@type": "Organization", "name": "Energieforum Nord"},
        "datePublished": "2025-01-20",
        "url": "https://energieforum.test/pressemitteilung-12",
    }
    return review


def _unattributed() -> dict[str, Any]:
    review = base(
        url="https://tahaqqaq.test/ar/claims/flood-photo",
        claimReviewed="صورة تظهر فيضان الشارع الرئيسي أمس",
        inLanguage="ar",
    )
    review["reviewRating"]["alternateName"] = "زائف"
    del review["itemReviewed"]["author"]  # a viral image: nobody to attribute it to
    return review


def _slash_date() -> dict[str, Any]:
    review = base(
        url="https://zhenxiang.test/zh-tw/check/2025/0412",
        claimReviewed="喝熱水可以預防流感",
        inLanguage="zh-Hant",
        datePublished="2025/04/12",
    )
    review["reviewRating"]["alternateName"] = "錯誤"
    return review


def _list_reviewed() -> dict[str, Any]:
    return base(
        claimReviewed=[
            "The new bridge toll doubled overnight",
            "Commuters now pay twice what they did",
        ]
    )


def _long() -> dict[str, Any]:
    return base(
        claimReviewed=(
            "A post shared thousands of times says the council secretly doubled the bridge "
            "toll overnight without any public consultation or notice"
        )
    )


def _person_author() -> dict[str, Any]:
    review = base(
        url="https://satyata.test/hi/fact-check/rail-fare",
        claimReviewed="रेल किराया एक साल में तीन गुना हो गया",
        inLanguage="hi",
    )
    review["author"] = {"@type": "Person", "name": "Meera Iyer", "url": "https://satyata.test/m"}
    review["reviewRating"]["alternateName"] = "भ्रामक"
    return review


def _datafeed() -> dict[str, Any]:
    first = base(
        url="https://verificado.test/pt/checagem/gasolina",
        claimReviewed="O preço da gasolina caiu pela metade",
        inLanguage="pt-BR",
    )
    first["reviewRating"]["alternateName"] = "Falso"
    second = base(
        url="https://verificado.test/pt/checagem/salario",
        claimReviewed="O salário mínimo subiu 8% em 2025",
        inLanguage="pt-BR",
    )
    second["reviewRating"].update(ratingValue=5, alternateName="Verdadeiro")
    for review in (first, second):
        del review["@context"]  # inherited from the feed
    return {
        "@context": CTX,
        "@type": "DataFeed",
        "name": "Checagens",
        "dataFeedElement": [
            {"@type": "DataFeedItem", "dateCreated": "2025-04-01", "item": first},
            {"@type": "DataFeedItem", "dateCreated": "2025-04-02", "item": [second]},
        ],
    }


def _main_entity() -> dict[str, Any]:
    review = base()
    del review["@context"]
    return {
        "@context": "http://schema.org/",
        "@type": "NewsArticle",
        "headline": "Did the bridge toll double?",
        "datePublished": "2025-03-14T07:00:00Z",
        "mainEntity": review,
    }


def _no_alternate_name() -> dict[str, Any]:
    review = base()
    del review["reviewRating"]["alternateName"]
    return review


def _relative_url() -> dict[str, Any]:
    return base(url="/fact-checks/bridge-toll")


def _worst_zero() -> dict[str, Any]:
    review = base()
    review["reviewRating"].update(ratingValue=0, worstRating=0, bestRating=10)
    return review


def _no_claim_reviewed() -> dict[str, Any]:
    review = base()
    del review["claimReviewed"]
    return review


def _wordpress_offset() -> dict[str, Any]:
    review = base(
        url="https://fakuto.test/ja/check/rice-price",
        claimReviewed="米の価格が一年で五倍になった",
        inLanguage="ja",
        datePublished="2025-05-22T18:00:00+0900",
    )
    review["reviewRating"].update(
        ratingValue="1", bestRating="5", worstRating="1", alternateName="誤り"
    )
    return review


def _several_claimants() -> dict[str, Any]:
    review = base()
    review["itemReviewed"]["author"] = [
        {"@type": "Person", "name": "Sam Porter"},
        {"@type": "Person", "name": "Ada Quinn", "sameAs": "https://wiki.test/Ada_Quinn"},
    ]
    return review


def _unreadable_date_and_wrong_rating_type() -> dict[str, Any]:
    review = base(datePublished="sometime last spring")
    review["reviewRating"]["@type"] = "Review"
    return review


SAMPLES: dict[str, tuple[Any, set[str], set[str]]] = {
    "en-complete": (base(), set(), set()),
    "es-label-without-scale": (_spanish(), set(), {"rating-scale-missing"}),
    "fr-graph-with-ids": (_graph(), set(), set()),
    "de-legacy-item-reviewed": (_legacy(), set(), {"legacy-item-reviewed"}),
    "ar-unattributed-viral": (_unattributed(), set(), {"claimant-missing"}),
    "zh-slash-date": (_slash_date(), set(), {"date-format"}),
    "en-claim-reviewed-list": (_list_reviewed(), set(), set()),
    "en-long-claim-reviewed": (_long(), set(), {"claim-reviewed-too-long"}),
    "hi-person-author": (_person_author(), set(), set()),
    "pt-datafeed": (_datafeed(), set(), set()),
    "en-article-main-entity": (_main_entity(), set(), set()),
    "ja-wordpress-offset": (_wordpress_offset(), set(), set()),
    "en-several-claimants": (_several_claimants(), set(), set()),
    "bad-no-alternate-name": (_no_alternate_name(), {"rating-missing"}, set()),
    "bad-relative-url": (_relative_url(), {"url"}, set()),
    "bad-worst-rating-zero": (_worst_zero(), {"rating-scale"}, set()),
    "bad-no-claim-reviewed": (_no_claim_reviewed(), {"claim-reviewed-missing"}, set()),
    "bad-date-and-rating-type": (_unreadable_date_and_wrong_rating_type(), {"date", "type"}, set()),
}
