"""Published fact-checks (schema.org ClaimReview): finding, reading and normalising them.

Pure (stdlib + pydantic): JSON-shaped values in, :class:`FactCheckIn` DTOs and per-record
problems out. The files, HTML pages, date library, language identification and database are the
business of :mod:`claimcheck.services.factchecks`, which passes the two optional helpers in.

Lenient in what it reads, strict in what it returns:

* **Where reviews are.** :func:`find_reviews` walks any JSON-LD document — a single object, an
  array, ``@graph``, a nested ``mainEntity``/``review``/``hasPart``, a schema.org ``DataFeed``
  (``dataFeedElement[].item``) — and yields every object whose ``@type`` includes
  ``ClaimReview``. The Fact Check Tools API's two shapes (claim search ``claims[].claimReview[]``
  and page markup ``claimReviewMarkupPages[].claimReviewMarkups[]`` or one markup page) are
  rewritten into ClaimReview objects first (:func:`api_reviews`). ``@id`` references inside a
  ``@graph`` are resolved (``"author": {"@id": "#org"}``).
* **Values.** A list where one value is expected gives its first usable item; strings lose HTML
  entities (``&amp;quot;``, twice-escaped too), stray tags, carriage returns and repeated white
  space; URLs are resolved against the page's own URL (relative, ``//host/path`` and
  ``www.host/path`` forms) and must end up absolute http(s); dates are ISO or, through the
  ``parse_date`` helper, whatever a date library reads (``2020-06-24 00:03``, ``24 June 2020``).
* **Who checked.** The review's ``author`` when it is an organisation; when it is a Person, the
  review's ``publisher``, the person's ``worksFor``/``affiliation``, else the page's publisher
  (a ``publisher`` anywhere on the page, an ``Organization`` node of its graph, or
  ``og:site_name``).
* **The claim.** ``claimReviewed`` (else the reviewed item's ``name``/``text``); claimants are
  ``itemReviewed.author`` (one or several, each with its ``sameAs`` links); appearances are
  ``itemReviewed.appearance`` and ``firstAppearance`` and the legacy ``itemReviewed.url``.
* **The rating.** The label as published (``alternateName``, else ``name``); the score
  normalised as Meedan's Fetch does: ``(v − worst) / (best − worst)``, else ``v / best``, else
  none (:func:`~claimcheck.core.factcheck_labels.normalise_score`); the label mapped to the desk's scale through a built-in
  multilingual table that the configuration extends (:func:`~claimcheck.core.factcheck_labels.map_label`). A label the table does
  not know is kept, with no verdict, and reported.

A record without an absolute review URL, a claim text or a publisher is refused with the reason
(:class:`RecordError`); anything else that cannot be read is dropped with a warning.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, Field

from claimcheck.core.factcheck_labels import LabelTable, normalise_score
from claimcheck.core.factcheck_values import (
    DateParser,
    as_list,
    clean_text,
    first,
    language_tag,
    parse_date,
    primary_language,
    resolve_url,
    types,
)

MAX_DEPTH = 64
MAX_CLAIM_CHARS = 5000
MAX_LABEL_CHARS = 300
MAX_NAME_CHARS = 200

LanguageDetector = Callable[[str], str | None]


# ---------------------------------------------------------------------------------------------
# DTOs


class Claimant(BaseModel):
    name: str
    same_as: list[str] = Field(default_factory=list)


class Appearance(BaseModel):
    url: str
    date: dt.date | None = None


class FactCheckIn(BaseModel):
    """One external fact-check, validated and normalised, ready to store."""

    publisher: str
    publisher_url: str | None = None
    review_url: str
    review_date: dt.date | None = None
    language: str | None = None
    language_from: str | None = None  # inLanguage, page, detected
    claim_text: str
    claim_date: dt.date | None = None
    claimants: list[Claimant] = Field(default_factory=list)
    appearances: list[Appearance] = Field(default_factory=list)
    rating_label: str | None = None
    rating_value: float | None = None
    rating_best: float | None = None
    rating_worst: float | None = None
    rating_score: float | None = None
    verdict: str | None = None
    warnings: list[str] = Field(default_factory=list)


class RecordError(ValueError):
    """A ClaimReview that cannot be stored; the message names the field and the problem."""


@dataclass
class Page:
    """What the surrounding page tells about its reviews (its URL, language and publisher)."""

    url: str | None = None
    lang: str | None = None
    publisher: dict[str, Any] | None = None
    site_name: str | None = None
    ids: dict[str, dict[str, Any]] = field(default_factory=dict)


def _number(value: Any) -> float | None:
    value = first(value)
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = clean_text(value)
    if not text:
        return None
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        return None
    return number if number == number and abs(number) != float("inf") else None


# ---------------------------------------------------------------------------------------------
# Finding reviews in a document


def _walk(node: Any, page: Page, depth: int, out: list[dict[str, Any]]) -> None:
    if depth > MAX_DEPTH:
        raise RecordError(f"JSON nested deeper than {MAX_DEPTH} levels")
    if isinstance(node, list):
        for item in node:
            _walk(item, page, depth + 1, out)
        return
    if not isinstance(node, dict):
        return
    node_id = node.get("@id")
    if isinstance(node_id, str) and len(node) > 1:
        page.ids.setdefault(node_id, node)
    kinds = types(node)
    if "ClaimReview" in kinds:
        out.append(node)
        return
    if kinds & {"Organization", "NewsMediaOrganization"} and page.publisher is None and depth <= 2:
        page.publisher = node
    for key, value in node.items():
        if key == "publisher" and isinstance(first(value), dict) and page.publisher is None:
            page.publisher = first(value)
        if key in ("@context",):
            continue
        if isinstance(value, (dict, list)):
            _walk(value, page, depth + 1, out)


def find_reviews(doc: Any, page: Page | None = None) -> tuple[list[dict[str, Any]], Page]:
    """Every ClaimReview object in a JSON(-LD) document (API shapes rewritten first)."""
    page = page or Page()
    out: list[dict[str, Any]] = []
    api = api_reviews(doc)
    if api is not None:
        return api, page
    _walk(doc, page, 0, out)
    return out, page


def _api_markup(markup: Mapping[str, Any], page: Mapping[str, Any]) -> dict[str, Any]:
    rating = markup.get("rating") or {}
    author = markup.get("claimAuthor") or {}
    review_author = page.get("claimReviewAuthor") or {}
    item: dict[str, Any] = {"@type": "Claim"}
    if author.get("name"):
        item["author"] = {"@type": "Person", "name": author["name"]}
        if author.get("sameAs"):
            item["author"]["sameAs"] = author["sameAs"]
    if markup.get("claimDate"):
        item["datePublished"] = markup["claimDate"]
    appearances = list(markup.get("claimAppearances") or [])
    if markup.get("claimFirstAppearance"):
        item["firstAppearance"] = markup["claimFirstAppearance"]
    if appearances:
        item["appearance"] = appearances
    return {
        "@type": "ClaimReview",
        "url": markup.get("url") or page.get("pageUrl"),
        "claimReviewed": markup.get("claimReviewed"),
        "datePublished": page.get("publishDate"),
        "author": {"@type": "Organization", "name": review_author.get("name")},
        "itemReviewed": item,
        "reviewRating": {
            "@type": "Rating",
            "alternateName": rating.get("textualRating"),
            "ratingValue": rating.get("ratingValue"),
            "bestRating": rating.get("bestRating"),
            "worstRating": rating.get("worstRating"),
        },
    }


def api_reviews(doc: Any) -> list[dict[str, Any]] | None:
    """The Fact Check Tools API's claim-search and page-markup JSON as ClaimReview objects
    (None when ``doc`` is neither)."""
    if not isinstance(doc, dict):
        return None
    if isinstance(doc.get("claims"), list) and "@type" not in doc:
        out = []
        for claim in doc["claims"]:
            if not isinstance(claim, dict):
                continue
            for review in as_list(claim.get("claimReview")):
                if not isinstance(review, dict):
                    continue
                publisher = review.get("publisher") or {}
                site = publisher.get("site") if isinstance(publisher, dict) else None
                item: dict[str, Any] = {"@type": "Claim"}
                if claim.get("claimant"):
                    item["author"] = {"@type": "Person", "name": claim["claimant"]}
                if claim.get("claimDate"):
                    item["datePublished"] = claim["claimDate"]
                out.append(
                    {
                        "@type": "ClaimReview",
                        "url": review.get("url"),
                        "claimReviewed": claim.get("text"),
                        "datePublished": review.get("reviewDate"),
                        "inLanguage": review.get("languageCode"),
                        "headline": review.get("title"),
                        "author": {
                            "@type": "Organization",
                            "name": publisher.get("name") if isinstance(publisher, dict) else None,
                            "url": site,
                        },
                        "itemReviewed": item,
                        "reviewRating": {
                            "@type": "Rating",
                            "alternateName": review.get("textualRating"),
                        },
                    }
                )
        return out
    pages: list[Any] | None = None
    if isinstance(doc.get("claimReviewMarkupPages"), list):
        pages = doc["claimReviewMarkupPages"]
    elif isinstance(doc.get("claimReviewMarkups"), list):
        pages = [doc]
    if pages is None:
        return None
    out = []
    for page in pages:
        if not isinstance(page, dict):
            continue
        for markup in as_list(page.get("claimReviewMarkups")):
            if isinstance(markup, dict):
                out.append(_api_markup(markup, page))
    return out


# ---------------------------------------------------------------------------------------------
# Reading one review


def _deref(value: Any, page: Page) -> Any:
    value = first(value)
    if isinstance(value, dict) and set(value) <= {"@id", "@type"} and "@id" in value:
        return page.ids.get(value["@id"], value)
    return value


def _organisation(value: Any, page: Page) -> tuple[str | None, str | None, bool]:
    """(name, url, is_person) of an author/publisher value."""
    value = _deref(value, page)
    if isinstance(value, str):
        return clean_text(value), None, False
    if not isinstance(value, dict):
        return None, None, False
    name = clean_text(value.get("name") or value.get("legalName") or value.get("alternateName"))
    url = resolve_url(value.get("url") or value.get("@id"), page.url)
    return name, url, "Person" in types(value)


def _publisher(review: Mapping[str, Any], page: Page) -> tuple[str, str | None]:
    name, url, person = _organisation(review.get("author"), page)
    if name and not person:
        return name, url
    candidates: list[Any] = [review.get("publisher")]
    author = _deref(review.get("author"), page)
    if isinstance(author, dict):
        candidates += [author.get("worksFor"), author.get("affiliation")]
    candidates += [page.publisher]
    for candidate in candidates:
        n, u, is_person = _organisation(candidate, page)
        if n and not is_person:
            return n, u
    if page.site_name:
        return page.site_name, None
    raise RecordError(
        "author: no fact-checking organisation given"
        + (" (the author is a person and the page names no publisher)" if person else "")
    )


def _claimants(item: Mapping[str, Any], page: Page) -> list[Claimant]:
    out: list[Claimant] = []
    for author in as_list(item.get("author")):
        author = _deref(author, page)
        if isinstance(author, str):
            name, same = clean_text(author), []
        elif isinstance(author, dict):
            name = clean_text(author.get("name"))
            same = [u for u in (resolve_url(s, None) for s in as_list(author.get("sameAs"))) if u]
        else:
            continue
        if name and all(c.name != name for c in out):
            out.append(Claimant(name=name[:MAX_NAME_CHARS], same_as=list(dict.fromkeys(same))))
    return out


def _appearances(item: Mapping[str, Any], page: Page, warnings: list[str]) -> list[Appearance]:
    found: list[Appearance] = []
    seen: set[str] = set()
    values = as_list(item.get("firstAppearance")) + as_list(item.get("appearance"))
    if "appearance" not in item and "firstAppearance" not in item and item.get("url"):
        values += as_list(item.get("url"))  # the legacy form: itemReviewed.url
    dropped = 0
    for value in values:
        value = _deref(value, page)
        url = resolve_url(value, page.url)
        if url is None:
            dropped += 1
            continue
        if url in seen:
            continue
        seen.add(url)
        date = parse_date(value.get("datePublished")) if isinstance(value, dict) else None
        found.append(Appearance(url=url, date=date))
    if dropped:
        warnings.append(
            f"itemReviewed.appearance: {dropped} value(s) without a usable URL left out"
        )
    return found


def read_review(
    review: Mapping[str, Any],
    page: Page,
    table: LabelTable,
    *,
    parse: DateParser | None = None,
    detect: LanguageDetector | None = None,
) -> FactCheckIn:
    """One ClaimReview object → :class:`FactCheckIn`, or :class:`RecordError` saying why not."""
    warnings: list[str] = []
    review_url = resolve_url(review.get("url"), page.url) or resolve_url(
        review.get("@id"), page.url
    )
    if review_url is None and page.url and not review.get("url"):
        review_url = resolve_url(page.url, None)
    if review_url is None:
        raw = clean_text(first(review.get("url")))
        raise RecordError(
            f"url: {raw!r} is not an absolute http(s) URL (and the page gives no URL to resolve it)"
            if raw
            else "url: the review has no URL"
        )
    item = _deref(review.get("itemReviewed"), page)
    item = item if isinstance(item, dict) else {}
    claim = clean_text(review.get("claimReviewed")) or clean_text(
        item.get("name") or item.get("text")
    )
    if not claim:
        raise RecordError("claimReviewed: the review names no claim")
    if len(claim) > MAX_CLAIM_CHARS:
        raise RecordError(f"claimReviewed: longer than {MAX_CLAIM_CHARS} characters")
    publisher, publisher_url = _publisher(review, page)

    language, language_from = language_tag(review.get("inLanguage")), "inLanguage"
    if language is None and review.get("inLanguage"):
        warnings.append(f"inLanguage: {clean_text(review.get('inLanguage'))!r} is not a language")
    if language is None and page.lang:
        language, language_from = language_tag(page.lang), "page"
    if language is None and detect is not None:
        language, language_from = detect(claim), "detected"
    if language is None:
        language_from = None  # type: ignore[assignment]

    dayfirst = primary_language(language) not in (None, "en")
    raw_date = review.get("datePublished") or review.get("dateCreated")
    review_date = parse_date(raw_date, parse, dayfirst=dayfirst)
    if raw_date and review_date is None:
        warnings.append(f"datePublished: {clean_text(raw_date)!r} is not a date; left empty")
    claim_date = parse_date(item.get("datePublished"), parse, dayfirst=dayfirst)

    rating = _deref(review.get("reviewRating"), page)
    rating = rating if isinstance(rating, dict) else {}
    label = clean_text(rating.get("alternateName")) or clean_text(rating.get("name"))
    if label and len(label) > MAX_LABEL_CHARS:
        label = label[: MAX_LABEL_CHARS - 1] + "…"
    value, best, worst = (
        _number(rating.get("ratingValue")),
        _number(rating.get("bestRating")),
        _number(rating.get("worstRating")),
    )
    score = normalise_score(value, best, worst)
    if value is not None and best is not None and score is None:
        warnings.append(f"reviewRating: {value:g} is outside its scale {worst}–{best}")
    verdict = table.lookup(label)
    if label and verdict is None:
        warnings.append(f"rating label {label!r} is not in the label table (kept, no verdict)")

    return FactCheckIn(
        publisher=publisher[:MAX_NAME_CHARS],
        publisher_url=publisher_url,
        review_url=review_url,
        review_date=review_date,
        language=language,
        language_from=language_from,
        claim_text=claim,
        claim_date=claim_date,
        claimants=_claimants(item, page),
        appearances=_appearances(item, page, warnings),
        rating_label=label,
        rating_value=value,
        rating_best=best,
        rating_worst=worst,
        rating_score=score,
        verdict=verdict,
        warnings=warnings,
    )


def iter_reviews(doc: Any, page: Page | None = None) -> Iterator[dict[str, Any]]:
    reviews, _ = find_reviews(doc, page)
    yield from reviews


__all__ = [
    "Appearance",
    "Claimant",
    "FactCheckIn",
    "Page",
    "RecordError",
    "api_reviews",
    "find_reviews",
    "read_review",
]
