"""ClaimReview JSON-LD: its content, the schema.org vocabulary (offline), and export --check."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimcheck.export.claimreview import claim_review, script_json
from claimcheck.export.model import Appearance, Report
from tests.conftest import CLI
from tests.reportdata import export, populate

VOCAB = json.loads((Path(__file__).parent / "data" / "schemaorg-claimreview.json").read_text())
URL = re.compile(r"^https?://[^\s/]+\.[^\s/]+(/\S*)?$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")


def _ancestors(name: str) -> set[str]:
    table = {**VOCAB["types"], **VOCAB["dataTypes"]}
    found, todo = set(), [name]
    while todo:
        current = todo.pop()
        if current in found:
            continue
        assert current in table, f"{current} is not in the bundled vocabulary"
        found.add(current)
        todo.extend(table[current])
    return found


def _literal_types(value: Any) -> set[str]:
    if isinstance(value, bool):
        return {"Boolean"}
    if isinstance(value, int):
        return _ancestors("Integer")
    if isinstance(value, float):
        return _ancestors("Float")
    assert isinstance(value, str)
    kinds = {"Text"}
    if URL.match(value):
        kinds.add("URL")
    if DATE.match(value):
        kinds.add("Date")
    if DATETIME.match(value):
        kinds.add("DateTime")
    return kinds


def vocabulary_errors(node: dict[str, Any], where: str = "$") -> list[str]:
    """Every type or property that does not exist, or sits where schema.org does not allow it."""
    errors: list[str] = []
    kind = node.get("@type")
    if not isinstance(kind, str) or kind not in VOCAB["types"]:
        return [f"{where}: unknown @type {kind!r}"]
    mine = _ancestors(kind)
    for key, value in node.items():
        if key == "@context":
            if value != "https://schema.org":
                errors.append(f"{where}: @context {value!r}")
            continue
        if key == "@type":
            continue
        prop = VOCAB["properties"].get(key)
        if prop is None:
            errors.append(f"{where}.{key}: not a schema.org property (in the bundled subset)")
            continue
        if not mine & set(prop["domainIncludes"]):
            errors.append(f"{where}.{key}: not a property of {kind}")
        for i, item in enumerate(value if isinstance(value, list) else [value]):
            at = f"{where}.{key}[{i}]"
            if isinstance(item, dict):
                sub = item.get("@type")
                if not isinstance(sub, str) or not _ancestors(sub) & set(prop["rangeIncludes"]):
                    errors.append(f"{at}: {sub!r} is not an allowed value type of {key}")
                errors.extend(vocabulary_errors(item, at))
            elif not _literal_types(item) & set(prop["rangeIncludes"]):
                errors.append(f"{at}: {item!r} does not fit {prop['rangeIncludes']}")
    return errors


def test_vocabulary_checker_rejects_what_schema_org_does() -> None:
    bad = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": "x",
        "rating": 3,
        "reviewRating": {"@type": "Claim"},
        "itemReviewed": {"@type": "Claim", "claimReviewed": "y", "appearance": "not a url"},
        "url": "nope",
    }
    errors = vocabulary_errors(bad)
    assert any(".rating: not a schema.org property" in e for e in errors)
    assert any("'Claim' is not an allowed value type of reviewRating" in e for e in errors)
    assert any("itemReviewed[0].claimReviewed: not a property of Claim" in e for e in errors)
    assert any("appearance[0]: 'not a url'" in e for e in errors)
    assert any("url[0]: 'nope'" in e for e in errors)
    assert vocabulary_errors({"@type": "Review2"}) == ["$: unknown @type 'Review2'"]


@pytest.fixture
def reviews(cli: CLI) -> list[dict[str, Any]]:
    populate(cli.db.url)
    data = json.loads(export(cli, "-f", "claimreview", "--status", "all").stdout)
    assert isinstance(data, list)
    return data


def test_every_review_fits_the_schema_org_vocabulary(reviews: list[dict[str, Any]]) -> None:
    assert len(reviews) == 12
    for review in reviews:
        assert vocabulary_errors(review) == [], review["url"]


def test_review_content(reviews: list[dict[str, Any]]) -> None:
    swap = reviews[0]
    assert swap == {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": "https://factcheck.example.org/claims/1/",
        "claimReviewed": "Russia and Ukraine agreed to swap 1,000 prisoners each",
        "datePublished": "2025-05-18",
        "inLanguage": "en",
        "author": {
            "@type": "Organization",
            "name": "Example Fact Desk",
            "url": "https://factcheck.example.org",
        },
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": 5,
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": "True",
            "ratingExplanation": "Both delegations confirmed the figure of 1,000 prisoners each.",
        },
        "itemReviewed": {
            "@type": "Claim",
            "author": {
                "@type": "Person",
                "name": "Rustem Umerov",
                "sameAs": "https://www.wikidata.example.org/wiki/Q100001",
            },
            "datePublished": "2025-05-16",
            "appearance": [
                {
                    "@type": "CreativeWork",
                    "url": "https://wire.claimcheck.example/2025/05/16/istanbul-talks",
                    "headline": "Russia and Ukraine hold first direct talks in three years",
                    "datePublished": "2025-05-16",
                    "publisher": {"@type": "Organization", "name": "Claimcheck Wire"},
                },
                {
                    "@type": "CreativeWork",
                    "url": "https://radio.example.net/2025/05/20/umerov-interview",
                    "headline": "Umerov: swap will start within days",
                    "datePublished": "2025-05-20",
                    "publisher": {"@type": "Organization", "name": "Example Radio"},
                },
            ],
            "firstAppearance": {
                "@type": "CreativeWork",
                "url": "https://wire.claimcheck.example/2025/05/16/istanbul-talks",
                "headline": "Russia and Ukraine hold first direct talks in three years",
                "datePublished": "2025-05-16",
                "publisher": {"@type": "Organization", "name": "Claimcheck Wire"},
            },
        },
    }
    by_id = {int(r["url"].rstrip("/").rsplit("/", 1)[1]): r for r in reviews}
    assert by_id[2]["itemReviewed"]["author"] == {"@type": "Organization", "name": "United Nations"}
    assert "ratingValue" not in by_id[4]["reviewRating"]  # unsupported has no number
    assert by_id[4]["reviewRating"]["alternateName"] == "Unsupported"
    assert "reviewRating" not in by_id[5]  # no verdict yet
    assert "author" not in by_id[7]["itemReviewed"]  # no claimant
    assert "appearance" not in by_id[10]["itemReviewed"]  # javascript: URL is never published
    assert "sameAs" not in by_id[10]["itemReviewed"]["author"]
    # The permanent page URL holds no slug, so no statement (or script) changes it.
    assert by_id[12]["url"] == "https://factcheck.example.org/claims/12/"


def test_first_appearance_is_the_earliest(cli: CLI) -> None:
    populate(cli.db.url)
    doc = json.loads(export(cli, "-f", "json").stdout)
    from claimcheck.export.model import ReportDocument

    report = Report.from_document(ReportDocument.model_validate(doc))
    claim = next(report.iter_claims())
    earlier = Appearance(
        claim_id=99,
        url="https://early.example.com/a",
        title=None,
        publisher=None,
        said_on=dt.date(2025, 5, 1),
    )
    moved = claim.model_copy(update={"appearances": [*claim.appearances, earlier]})
    item = claim_review(report.header, moved)["itemReviewed"]
    assert item["firstAppearance"] == {
        "@type": "CreativeWork",
        "url": "https://early.example.com/a",
        "datePublished": "2025-05-01",
    }
    assert len(item["appearance"]) == 3


def test_script_json_cannot_end_the_script_element() -> None:
    data = {"a": "</script><script>alert(1)</script>", "b": "x & y <!-- z -->", "c": "\u2028"}
    text = script_json(data)
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == data


def test_check_passes_on_clean_claims_and_writes_the_output(cli: CLI, tmp_path: Path) -> None:
    populate(cli.db.url, hostile=False)
    out = tmp_path / "cr.json"
    result = export(cli, "-f", "claimreview", "--check", "--out", out)
    assert "Warning" not in result.stderr
    reviews = json.loads(out.read_text(encoding="utf-8"))
    assert len(reviews) == 4 and all(vocabulary_errors(r) == [] for r in reviews)
    html = export(cli, "-f", "html", "--check")
    assert "Warning" not in html.stderr


def test_check_refuses_errors_and_strict_refuses_warnings(cli: CLI, tmp_path: Path) -> None:
    populate(cli.db.url)
    outdir = tmp_path / "out"
    outdir.mkdir()
    out = outdir / "cr.json"
    # Claim 10's only source is a javascript: link, so it has no appearance: advice, not a
    # hard rule. --check publishes it and shows the warning.
    passed = export(cli, "-f", "claimreview", "--check", "--out", out)
    assert out.exists()
    assert (
        "Warning: claim 10: warning: the claim has no appearance (no http(s) URL where it was "
        "made) [appearance]" in passed.stderr
    )
    assert "ClaimReview lint: 0 errors, 1 warning" in passed.stderr
    out.unlink()
    strict = export(cli, "-f", "claimreview", "--strict", "--out", out, code=3)
    assert not out.exists() and list(outdir.iterdir()) == []
    assert strict.stdout == ""
    lines = strict.stderr.splitlines()
    assert "Error: ClaimReview lint failed: 1 problem, nothing written" in lines
    assert "claim 10: warning: the claim has no appearance" in lines[0]
    assert "\\n" not in strict.stderr  # each problem is a line of its own, no literal backslash-n
    every = export(cli, "-f", "claimreview", "--check", "--status", "all", code=3).stderr
    lines = every.splitlines()
    for needle in (
        "claim 5: error: reviewRating is missing (no verdict) [rating-missing]",
        "claim 6: error: the claim is awaiting approval, not verified",
    ):
        assert any(line.startswith(needle) for line in lines), needle
    # advice does not block --check, so it is not in the refusal
    assert "claimReviewed has 80 characters" not in every
    assert "\\n" not in every
    strict_all = export(cli, "-f", "claimreview", "--strict", "--status", "all", code=3).stderr
    for needle in (
        "claim 5: warning: claimReviewed has 80 characters",
        "claim 7: warning: the claim has no author (right if it is unattributed",
    ):
        assert any(line.startswith(needle) for line in strict_all.splitlines()), needle


def test_publishing_formats_warn_without_check(cli: CLI) -> None:
    populate(cli.db.url)
    for fmt in ("claimreview", "html"):
        stderr = export(cli, "-f", fmt).stderr
        assert "Warning: claim 10: warning: the claim has no appearance" in stderr
        assert (
            "ClaimReview lint: 0 errors, 1 warning (--check refuses errors, --strict warnings too)"
            in stderr
        )
    assert "Warning" not in export(cli, "-f", "md").stderr


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@given(_JSON_VALUES)
def test_review_json_is_what_the_standard_library_writes(value: Any) -> None:
    # dumps and script_json serialise with pydantic-core's encoder: the bytes of json.dumps for
    # every value a review holds (text of any script, control characters, U+2028 included)
    from claimcheck.export.claimreview import dumps

    assert dumps(value) == json.dumps(value, ensure_ascii=False, indent=2)
    compact = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        compact = compact.replace(char, escaped)
    compact = compact.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    assert script_json(value) == compact
