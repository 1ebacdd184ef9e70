"""The calibrated lint on ClaimReview blocks shaped like real publishers' (tests/lint_samples.py).

Each sample must give exactly the errors and warnings listed for it, read as a JSON file and read
from a saved HTML page that carries it in an ``application/ld+json`` block.
"""

from __future__ import annotations

import html
import json
from typing import Any

import pytest

from claimcheck.export.jsonld import find_reviews, ld_json_blocks, page_url, read_page
from claimcheck.export.lintfile import ReviewResult, lint_bytes
from tests.lint_samples import SAMPLES


def rules(results: list[ReviewResult]) -> tuple[set[str], set[str]]:
    errors = {f.rule for r in results for f in r.failures if f.is_error}
    warnings = {f.rule for r in results for f in r.failures if not f.is_error}
    return errors, warnings


def page(markup: Any, canonical: str | None = None) -> bytes:
    link = f'<link rel="canonical" href="{html.escape(canonical)}">' if canonical else ""
    block = json.dumps(markup, ensure_ascii=False, indent=1).replace("</", "<\\/")
    return (
        '<!doctype html><html lang="x"><head><meta charset="utf-8"><title>t</title>'
        f"{link}"
        '<script type="application/ld+json">{"@context": "https://schema.org", '
        '"@type": "WebSite", "name": "Site"}</script>'
        f'<script type="application/ld+json">\n<!--\n{block}\n-->\n</script>'
        "</head><body><p>Fact check</p></body></html>"
    ).encode()


@pytest.mark.parametrize("name", list(SAMPLES))
def test_each_sample_gives_its_errors_and_warnings(name: str) -> None:
    markup, errors, warnings = SAMPLES[name]
    results = lint_bytes(json.dumps(markup, ensure_ascii=False).encode(), f"{name}.json")
    assert all(r.review is not None for r in results)
    assert rules(results) == (errors, warnings)


@pytest.mark.parametrize("name", list(SAMPLES))
def test_a_saved_page_carrying_the_sample_reads_the_same(name: str) -> None:
    markup, errors, warnings = SAMPLES[name]
    first = next(find_reviews(markup)).review.get("url")
    canonical = first if isinstance(first, str) and first.startswith("http") else None
    results = lint_bytes(page(markup, canonical), f"{name}.html")
    assert rules(results) == (errors, warnings)


def test_a_json_array_of_every_sample_lints_each_review() -> None:
    everything = [markup for markup, _, _ in SAMPLES.values()]
    results = lint_bytes(json.dumps(everything).encode(), "all.json")
    assert len(results) == len(SAMPLES) + 1  # the DataFeed holds two reviews
    assert [r.review for r in results][:2] == [
        "https://checkdesk.example/fact-checks/bridge-toll",
        "https://verifica.example/es/bulos/vacuna-chip",
    ]
    relative = [
        r
        for r in results
        if r.errors == ["url '/fact-checks/bridge-toll' is not an absolute http(s) URL [url]"]
    ]
    assert [r.review for r in relative] == ["/fact-checks/bridge-toll"]


def test_url_must_be_on_the_page_domain() -> None:
    markup = SAMPLES["en-complete"][0]
    results = lint_bytes(page(markup, "https://elsewhere.test/copied/"), "copy.html")
    assert rules(results) == ({"url-domain"}, set())
    sub = lint_bytes(page(markup, "https://www.checkdesk.example/fact-checks/bridge-toll"), "a.htm")
    assert rules(sub) == (set(), set())


def test_blocks_and_canonical_come_from_the_page() -> None:
    data = page({"@type": "ClaimReview"}, "https://a.test/x")
    assert len(ld_json_blocks(data)) == 2 and page_url(data) == "https://a.test/x"
    assert json.loads(ld_json_blocks(data)[1]) == {"@type": "ClaimReview"}  # <!-- --> removed
    og = b'<html><head><meta property="og:url" content="https://b.test/y"></head></html>'
    assert page_url(og) == "https://b.test/y" and ld_json_blocks(og) == []


def test_markup_without_the_schema_org_context_is_an_error() -> None:
    markup = dict(SAMPLES["en-complete"][0])
    del markup["@context"]
    assert rules(lint_bytes(json.dumps(markup).encode(), "x.json")) == ({"context"}, set())


def test_a_file_without_any_claim_review_is_one_error() -> None:
    results = lint_bytes(b'{"@context": "https://schema.org", "@type": "WebPage"}', "p.json")
    assert [(r.review, r.errors) for r in results] == [(None, ["no ClaimReview found [no-review]"])]


def test_read_page_gives_what_an_importer_needs_too() -> None:
    data = (
        b'<html lang="pt-BR"><head><base href="https://v.test/pt/">'
        b'<meta property="og:site_name" content="Verificado">'
        b'<meta property="og:url" content="https://v.test/pt/c/1">'
        b'<script type="application/ld+json; charset=utf-8">/*<![CDATA[*/{"a": 1}/*]]>*/</script>'
        b"</head></html>"
    )
    markup = read_page(data)
    assert (markup.url, markup.canonical, markup.lang, markup.base, markup.site_name) == (
        "https://v.test/pt/c/1",
        None,
        "pt-BR",
        "https://v.test/pt/",
        "Verificado",
    )
    assert [json.loads(b) for b in markup.blocks] == [{"a": 1}]


def test_a_broken_block_is_an_error_and_the_other_blocks_are_still_linted() -> None:
    good = json.dumps(SAMPLES["en-complete"][0])
    data = (
        '<html><head><script type="application/ld+json">{"@type": "WebSite",}</script>'
        f'<script type="application/ld+json">{good}</script></head></html>'
    ).encode()
    results = lint_bytes(data, "two.html")
    assert [(r.review, r.errors) for r in results] == [
        (
            "block 1",
            [
                "ld+json block 1: not JSON (Expecting property name enclosed in double "
                "quotes at line 1, column 21) [json]"
            ],
        ),
        ("https://checkdesk.example/fact-checks/bridge-toll", []),
    ]


def test_the_shipped_vocabulary_holds_the_tests_copy() -> None:
    # tests/data/schemaorg-claimreview.json is what the export's own markup is checked against;
    # the lint ships a superset of it, with the same definitions where they overlap.
    from pathlib import Path

    from claimcheck.export.lint import vocabulary

    copy = json.loads((Path(__file__).parent / "data" / "schemaorg-claimreview.json").read_text())
    shipped = vocabulary()
    for name, parents in copy["types"].items():
        assert shipped.types[name] == parents, name
    assert shipped.data_types == copy["dataTypes"]
    for name, spec in copy["properties"].items():
        prop = shipped.properties[name]
        assert prop.domain == frozenset(spec["domainIncludes"]), name
        assert prop.ranges == " or ".join(spec["rangeIncludes"]), name


def test_a_relative_canonical_is_resolved_against_base() -> None:
    data = b'<html><head><base href="https://v.test/pt/"><link rel="canonical" href="c/2"></head>'
    assert read_page(data).url == "https://v.test/pt/c/2"
    assert read_page(b'<html><link rel="canonical" href="/c/3"></html>').url is None
