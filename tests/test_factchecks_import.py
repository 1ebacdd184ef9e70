"""``claimcheck factchecks import``: every form ClaimReview travels in, the per-record report,
re-imports, and hostile input (nothing of a bad record is stored). Both backends."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CLI, FIXTURES, db_fingerprint
from tests.workflow_helpers import register_desk, verified_claim

PAGES = FIXTURES / "factchecks"


def report(cli: CLI, *args: Any, **kw: Any) -> list[dict[str, Any]]:
    result = cli.ok("factchecks", "import", *args, "-f", "json", **kw)
    return list(json.loads(result.stdout))


def by_url(cli: CLI) -> dict[str, dict[str, Any]]:
    rows = cli.json("factchecks", "list", "--limit", "0")
    return {r["review_url"]: r for r in rows}


def review(
    url: str, claim: str = "The harbour bridge closed for ten years", **over: Any
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url,
        "datePublished": "2024-03-02",
        "author": {"@type": "Organization", "name": "Example Checks"},
        "claimReviewed": claim,
        "reviewRating": {"@type": "Rating", "alternateName": "False"},
    }
    data.update(over)
    return data


def test_a_folder_of_pages_and_files_imports_with_a_report(cli: CLI) -> None:
    rows = report(cli, PAGES)
    statuses = {(Path(r["origin"]).name.split(" ")[0], r["status"]) for r in rows}
    assert ("graph-person-author.html", "imported") in statuses
    assert ("no-markup.html", "skipped") in statuses
    assert sum(r["status"] == "imported" for r in rows) == 10
    skipped = {
        r["origin"].rsplit("/", 1)[-1]: r["reason"] for r in rows if r["status"] == "skipped"
    }
    assert skipped["no-markup.html"] == "no application/ld+json block on the page"
    assert skipped["two-blocks-one-broken.html (block 1)"].startswith("ld+json block 1: not JSON")
    assert skipped["reviews.jsonl:3"].startswith("not JSON")
    assert skipped["reviews.jsonl:5"] == "url: the review has no URL"
    assert set(rows[0]) == {"status", "origin", "id", "review_url", "reason", "warnings"}

    stored = by_url(cli)
    wind = stored["https://verify.northwind.example/2024/03/02/wind-turbines-birds/"]
    assert wind["publisher"] == "Northwind Verify"  # author is a Person: publisher from the graph
    assert wind["review_date"] == "2024-03-02"  # "2024-03-02 09:15"
    assert wind["language"] == "en-GB"  # the page's lang
    assert wind["rating_label"] == "Mostly_False"
    assert (wind["verdict"], wind["rating_score"]) == ("mostly-false", 0.25)
    assert wind["claimants"] == [
        {"name": "Harold Venn", "same_as": ["https://people.example.org/harold-venn"]},
        {"name": "Coal Forward Alliance", "same_as": []},
    ]
    assert [a["url"] for a in wind["appearances"]] == [
        "https://video.example.net/watch/abc123",
        "https://social.example.com/posts/98765",
    ]
    agua = stored["https://comprueba.example.es/bulos/agua-del-grifo"]
    assert agua["claim_text"] == (
        'El agua del grifo de Madrid contiene "litio" añadido por el ayuntamiento'
    )
    assert (agua["review_date"], agua["language"], agua["verdict"]) == (
        "2020-06-24",
        "es",
        "misleading",
    )
    assert agua["rating_label"] == "Engañoso"
    assert agua["rating_score"] == 0.2  # 1 / 5: no worstRating
    assert [a["url"] for a in agua["appearances"]] == ["https://www.example-social.net/post/1"]
    pont = stored["https://verif.example.fr/articles/2023/11/pont-effondre"]
    assert pont["verdict"] == "false"  # "Faux : la photo date de 2015."
    assert [a["url"] for a in pont["appearances"]] == ["https://verif.example.fr/liens/partage-1"]
    zh = stored["https://hezha.example.tw/report/7781"]
    assert (zh["language"], zh["verdict"]) == ("zh", "false")  # detected
    assert stored["https://tahaqaq.example.com/ar/2021/lemon-cure"]["language"] == "ar"
    assert stored["https://checkpoint.example.in/2024/06/rail-fares"]["verdict"] == "false"
    satire = stored["https://checkpoint.example.in/2024/06/satellite"]
    assert (satire["rating_label"], satire["verdict"], satire["review_date"]) == (
        "Satire",
        None,
        "2024-06-12",
    )
    api = stored["https://harborchecks.example.com/fact-check/bicycle-ban-old-town"]
    assert (api["publisher"], api["verdict"], api["claimants"][0]["name"]) == (
        "Harbor Checks",
        "false",
        "Viral post",
    )
    markup = stored["https://harborchecks.example.com/fact-check/river-level"]
    assert markup["verdict"] == "mostly-false"
    assert markup["appearances"] == [{"url": "https://forum.example.org/t/river/55", "date": None}]


def test_unmapped_labels_are_kept_and_reported(cli: CLI) -> None:
    result = cli.ok("factchecks", "import", PAGES / "files" / "reviews.jsonl")
    assert "'Satire' (1)" in result.stderr
    assert "not in the label table" in result.stdout
    labels = cli.json("factchecks", "labels", "--unmapped")
    assert labels == [{"rating_label": "Satire", "verdict": None, "count": 1}]
    assert [r["rating_label"] for r in cli.json("factchecks", "list", "--unmapped")] == ["Satire"]


def test_config_extends_the_label_table_and_remap_applies_it(cli: CLI, tmp_path: Path) -> None:
    cli.ok("factchecks", "import", PAGES / "files" / "reviews.jsonl")
    cli.ok("config", "set", "factcheck_labels", '{"Satire": "unsupported"}')
    result = cli.ok("factchecks", "remap")
    assert "1 verdict(s) changed" in result.stderr
    assert cli.json("factchecks", "labels", "--unmapped") == []
    bad = cli.run("config", "set", "factcheck_labels", '{"Satire": "nonsense"}')
    assert bad.exit_code == 0  # any string is a valid config value; the scale checks it on use
    fail = cli.fail("factchecks", "remap")
    assert "factcheck_labels: 'Satire' → 'nonsense' is not a verdict" in fail.output


def test_a_bad_label_table_in_the_config_is_one_line(cli: CLI) -> None:
    failed = cli.fail("config", "set", "factcheck_labels", "{not json", code=2)
    assert "factcheck_labels" in failed.output and "JSON object" in failed.output
    assert len(failed.output.strip().splitlines()) == 1


def test_reimport_updates_by_review_url(cli: CLI, tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    path.write_text(json.dumps(review("https://checks.example.org/a")), encoding="utf-8")
    first = report(cli, path)
    assert [r["status"] for r in first] == ["imported"]
    again = report(cli, path)
    assert [(r["status"], r["id"]) for r in again] == [("unchanged", first[0]["id"])]
    changed = review(
        "https://checks.example.org/a?utm_source=feed",  # the same review URL, normalised
        reviewRating={"alternateName": "Mostly false"},
    )
    path.write_text(json.dumps(changed), encoding="utf-8")
    updated = report(cli, path)
    assert [(r["status"], r["id"]) for r in updated] == [("updated", first[0]["id"])]
    assert updated[0]["reason"] == "changed: rating_label, verdict"
    rows = cli.json("factchecks", "list")
    assert [(r["id"], r["verdict"]) for r in rows] == [(first[0]["id"], "mostly-false")]


def test_the_same_review_twice_in_one_import_updates_the_first(cli: CLI, tmp_path: Path) -> None:
    path = tmp_path / "two.jsonl"
    lines = [
        review("https://checks.example.org/b"),
        review(
            "https://checks.example.org/b",
            claimReviewed="The harbour bridge closed for eleven years",
        ),
    ]
    path.write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    rows = report(cli, path)
    assert [r["status"] for r in rows] == ["imported", "updated"]
    assert rows[0]["id"] == rows[1]["id"]
    assert cli.json("factchecks", "show", rows[0]["id"])["claim_text"].endswith("eleven years")


def test_standard_input_and_a_data_feed(cli: CLI) -> None:
    feed = (PAGES / "files" / "feed.json").read_text(encoding="utf-8")
    rows = report(cli, "-", input=feed)
    assert [r["status"] for r in rows] == ["imported"] * 3
    assert rows[0]["origin"] == "- #1"


def test_claimchecks_own_claimreview_export_and_html_report_import(
    cli: CLI, tmp_path: Path
) -> None:
    register_desk(cli)
    verified_claim(cli)
    cli.ok("config", "set", "org_name", "Own Desk")
    out = tmp_path / "claimreview.json"
    cli.ok("export", "-f", "claimreview", "--out", out)
    rows = report(cli, out)
    assert [r["status"] for r in rows] == ["imported"]
    html = tmp_path / "site" / "report.html"
    html.parent.mkdir()
    cli.ok("export", "-f", "html", "--out", html)
    again = report(cli, tmp_path / "site")
    assert [r["status"] for r in again] == ["unchanged"]
    (fc,) = cli.json("factchecks", "list")
    assert (fc["publisher"], fc["verdict"], fc["rating_label"]) == ("Own Desk", "true", "True")
    assert fc["claim_text"].startswith("U.S. consumer prices rose 2.3 percent")


def test_strict_and_dry_run_store_nothing(cli: CLI, test_db: Any) -> None:
    before = db_fingerprint(test_db.admin_url)
    dry = cli.ok("factchecks", "import", PAGES, "--dry-run")
    assert "Dry run, nothing stored: 10 imported" in dry.stderr
    strict = cli.fail("factchecks", "import", PAGES, "--strict")
    assert "--strict: 4 record(s) skipped, nothing stored" in strict.stderr
    assert db_fingerprint(test_db.admin_url) == before
    cli.ok("factchecks", "import", PAGES / "files" / "feed.json", "--strict")
    assert len(cli.json("factchecks", "list")) == 3


def test_a_contributor_may_import_and_nobody_unknown(cli: CLI) -> None:
    register_desk(cli)
    cli.ok("factchecks", "import", PAGES / "files" / "feed.json", as_="dave")
    if cli.db.backend == "sqlite":
        failed = cli.fail("factchecks", "import", PAGES / "files" / "feed.json", as_="mallory")
        assert "mallory" in failed.output


# ---------------------------------------------------------------------------------------------
# Hostile input: a clean error for that record, nothing of it stored


def _hostile_pages(tmp: Path) -> dict[str, Path]:
    pages = {}
    good = json.dumps(review("https://checks.example.org/hostile"))
    pages["not-json"] = tmp / "not-json.html"
    pages["not-json"].write_text(
        '<html><script type="application/ld+json">{"@type": "ClaimReview", "url": </script>'
        '<script type="application/ld+json">alert("x")</script></html>',
        encoding="utf-8",
    )
    pages["huge"] = tmp / "huge.html"
    with pages["huge"].open("wb") as fh:  # 100 MB: the size is refused before anything is read
        fh.write(f'<html><script type="application/ld+json">{good}</script>'.encode())
        fh.truncate(100 * 1024 * 1024)
    pages["deep"] = tmp / "deep.html"
    pages["deep"].write_text(
        '<html><script type="application/ld+json">'
        + '{"@type": "ClaimReview", "url": "https://checks.example.org/deep", "x": '
        + "[" * 100_000
        + "]" * 100_000
        + "}</script></html>",
        encoding="utf-8",
    )
    pages["deep-json"] = tmp / "deep.json"
    pages["deep-json"].write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    pages["utf8"] = tmp / "bad-utf8.html"
    pages["utf8"].write_bytes(
        b'<html><script type="application/ld+json">'
        + good.replace("harbour", "harb\xffour").encode("latin-1")
        + b"</script></html>"
    )
    pages["utf8-json"] = tmp / "bad-utf8.jsonl"
    pages["utf8-json"].write_bytes(good.encode() + b"\n" + b'{"a": "\xc3\x28"}\n')
    return pages


EXPECTED = {
    "not-json": "not JSON",
    "huge": "file is 100.0 MB; pages over 20.0 MB are not read",
    "deep": "nested too deeply",
    "deep-json": "nested too deeply",
    "utf8": "not valid UTF-8 (byte",
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_hostile_page_gets_a_clean_error_and_nothing_is_stored(
    cli: CLI, test_db: Any, tmp_path: Path, name: str
) -> None:
    page = _hostile_pages(tmp_path)[name]
    before = db_fingerprint(test_db.admin_url)
    result = cli.fail("factchecks", "import", page, "-f", "json")
    assert "nothing imported" in result.stderr
    rows = json.loads(result.stdout)
    assert rows and all(r["status"] == "skipped" for r in rows)
    assert any(EXPECTED[name] in r["reason"] for r in rows), rows
    assert all("\n" not in r["reason"] for r in rows)
    assert db_fingerprint(test_db.admin_url) == before


def test_a_bad_line_of_a_jsonl_file_spoils_only_itself(cli: CLI, tmp_path: Path) -> None:
    page = _hostile_pages(tmp_path)["utf8-json"]
    rows = report(cli, page)
    assert [r["status"] for r in rows] == ["imported", "skipped"]
    assert rows[1]["reason"].startswith("not valid UTF-8")


def test_nothing_to_read_is_an_error(cli: CLI, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    failed = cli.fail("factchecks", "import", tmp_path)
    assert "no .html, .json or .jsonl file found" in failed.output
    missing = cli.fail("factchecks", "import", tmp_path / "nope.json", "-f", "json")
    assert json.loads(missing.stdout)[0]["reason"] == "no such file"
    assert "nothing imported: every record (1) was skipped" in missing.stderr


def test_claims_import_points_claimreview_files_to_factchecks_import(
    cli: CLI, test_db: Any, tmp_path: Path
) -> None:
    before = db_fingerprint(test_db.admin_url)
    single = tmp_path / "block.json"
    single.write_text(json.dumps(review("https://checks.example.org/x")), encoding="utf-8")
    array = tmp_path / "claimreview.json"
    array.write_text(json.dumps([review("https://checks.example.org/y")]), encoding="utf-8")
    for path in (single, array, PAGES / "files" / "reviews.jsonl"):
        failed = cli.fail("import", path)
        assert "holds ClaimReview markup (published fact-checks), not claims" in failed.output
        assert "claimcheck factchecks import" in failed.output
    assert db_fingerprint(test_db.admin_url) == before


def test_claimchecks_published_site_imports(cli: CLI, tmp_path: Path) -> None:
    register_desk(cli)
    verified_claim(cli)
    site = tmp_path / "site"
    cli.ok("publish", "--draft", site)
    rows = report(cli, site)
    by_status: dict[str, list[str]] = {}
    for r in rows:
        by_status.setdefault(r["status"], []).append(Path(r["origin"]).relative_to(site).as_posix())
    # the DataFeed and the claim's own page carry the same review: stored once
    assert sorted(by_status["imported"] + by_status["unchanged"]) == [
        "claimreview.json",
        "claims/1/index.html",
    ]
    assert "feed.json" in by_status["skipped"] and "index.html" in by_status["skipped"]
    (fc,) = cli.json("factchecks", "list")
    assert fc["verdict"] == "true" and fc["claim_text"].startswith("U.S. consumer prices")
