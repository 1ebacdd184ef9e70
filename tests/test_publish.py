"""``claimcheck publish DIR``: the static site, its markup, feeds, corrections, updates, languages.

Runs on SQLite and PostgreSQL. The desk is built through the CLI (the workflow writes the
publication dates), so the tests see what a newsroom would.
"""

from __future__ import annotations

import json
import os
import re
import stat
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import feedparser
import pytest

from claimcheck.export.lint import lint_review
from tests.conftest import CLI
from tests.test_claimreview import vocabulary_errors
from tests.test_restore import owner
from tests.workflow_helpers import add_claim, add_evidence, propose, register_desk, verified_claim

ORG_URL = "https://facts.northwind.test"
LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.fixture
def identity(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMCHECK_ORG_NAME", "Northwind Fact Desk")
    monkeypatch.setenv("CLAIMCHECK_ORG_URL", ORG_URL)
    monkeypatch.setenv("CLAIMCHECK_ORG_LOGO", "https://facts.northwind.test/logo.png")
    monkeypatch.setenv(
        "CLAIMCHECK_ORG_SAME_AS", "https://social.example/@northwind https://www.wikidata.org/Q1"
    )


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return tmp_path / "site"


def publish(cli: CLI, folder: Path, *args: str) -> dict[str, Any]:
    return dict(cli.json("publish", str(folder), *args))


def ld(page: Path) -> dict[str, Any]:
    found = LD_JSON.findall(page.read_text(encoding="utf-8"))
    assert len(found) == 1
    return dict(json.loads(found[0]))


def tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$")


def check_json_feed(feed: dict[str, Any], entries: int) -> None:
    """The rules of https://jsonfeed.org/version/1.1 that a reader relies on."""
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert isinstance(feed["title"], str) and feed["title"]
    for key in ("home_page_url", "feed_url"):
        assert feed[key].startswith("https://")
    assert all(isinstance(a, dict) and a.get("name") for a in feed["authors"])
    assert "author" not in feed  # deprecated in 1.1
    assert len(feed["items"]) == entries
    ids = [item["id"] for item in feed["items"]]
    assert len(set(ids)) == len(ids)
    for item in feed["items"]:
        assert isinstance(item["id"], str)
        assert "content_text" in item or "content_html" in item
        assert item["url"].startswith("https://")
        for key in ("date_published", "date_modified"):
            assert RFC3339.match(item[key]), item[key]
        assert all(isinstance(t, str) for t in item.get("tags", []))
        assert isinstance(item.get("language", ""), str)


def desk(cli: CLI) -> dict[str, int]:
    """Three verified claims (one with two claimants) and one claim still in review."""
    register_desk(cli)
    first = verified_claim(cli)
    second = add_claim(cli, "Unemployment fell to 4.1 percent in May, the ministry said")
    ev = add_evidence(cli, second, excerpt="The jobless rate was 4.1 percent in May.")
    propose(cli, second, ev["id"], verdict="mostly-true")
    cli.ok("review", second, "--approve", as_="bob")
    third = int(
        cli.json(
            "add",
            "Exports rose 12 percent last year",
            "--source",
            "https://wire.example/exports",
            "--speaker",
            "Ana Ruiz",
            "--speaker",
            "Luis Gil",
            "--statement",
            "Exports rose 12% in 2024",
            "--tag",
            "trade",
            as_="dave",
        )["id"]
    )
    cli.ok("claimant", "job-title", "Ana Ruiz", "Minister of Trade")
    ev = add_evidence(cli, third, excerpt="Exports grew by 11.8 percent.", figure="11.8")
    propose(cli, third, ev["id"], verdict="true")
    cli.ok("review", third, "--approve", as_="bob")
    pending = add_claim(cli, "Inflation will be zero next year")
    return {"first": first, "second": second, "third": third, "pending": pending}


def test_publish_writes_the_whole_site(cli: CLI, identity: None, site: Path) -> None:
    ids = desk(cli)
    result = publish(cli, site)
    assert result["claims"] == 3 and result["up_to_date"] is False
    files = set(tree(site))
    for name in (
        "index.html",
        "style.css",
        "feed.xml",
        "feed.json",
        "sitemap.xml",
        "claimreview.json",
        "corrections/index.html",
        "methodology/index.html",
        "claimants/index.html",
        "tags/index.html",
        "tags/trade/index.html",
        "verdicts/true/index.html",
        "verdicts/mostly-true/index.html",
    ):
        assert name in files, name
    claim_pages = sorted(f for f in files if f.startswith("claims/"))
    assert claim_pages == sorted(
        f"claims/{ids[k]}/index.html" for k in ("first", "second", "third")
    )
    assert f"claims/{ids['pending']}/index.html" not in files
    # 0644 under the usual umask (the test process keeps the default 022)
    mask = os.umask(0o022)
    os.umask(mask)
    for name in ("index.html", claim_pages[0], "feed.xml"):
        assert stat.S_IMODE((site / name).stat().st_mode) == 0o666 & ~mask

    page = site / f"claims/{ids['third']}/index.html"
    html = page.read_text(encoding="utf-8")
    url = f"{ORG_URL}/claims/{ids['third']}/"
    assert f'<link rel="canonical" href="{url}">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    assert '<meta property="og:title" content="Exports rose 12% in 2024">' in html
    assert '<meta name="twitter:card" content="summary">' in html
    assert "<script src" not in html and 'http-equiv="Content-Security-Policy"' in html
    review = ld(page)
    assert review["url"] == url
    assert review["headline"] == "Exports rose 12% in 2024"
    assert review["author"]["logo"]["url"] == "https://facts.northwind.test/logo.png"
    assert review["author"]["sameAs"] == [
        "https://social.example/@northwind",
        "https://www.wikidata.org/Q1",
    ]
    authors = review["itemReviewed"]["author"]
    assert [a["name"] for a in authors] == ["Ana Ruiz", "Luis Gil"]
    assert authors[0]["jobTitle"] == "Minister of Trade"
    assert "Minister of Trade" in html and "Luis Gil" in html
    assert "Exports grew by 11.8 percent." in html  # the evidence
    # Every page's own markup passes the lint, and the listings link the permanent URLs.
    for name in claim_pages:
        markup = ld(site / name)
        assert lint_review(0, markup, org_url=ORG_URL, status="verified") == []
        assert vocabulary_errors(markup) == [], name
    index = (site / "index.html").read_text(encoding="utf-8")
    assert f'href="./claims/{ids["third"]}/"' in index
    assert "<svg" in index and "verdicts/true/" in index


def test_same_data_gives_byte_identical_files_and_republishing_writes_nothing(
    cli: CLI, identity: None, tmp_path: Path
) -> None:
    desk(cli)
    a, b = tmp_path / "a", tmp_path / "b"
    publish(cli, a)
    publish(cli, b)
    assert tree(a) == tree(b)
    before = {p: (a / p).stat().st_mtime_ns for p in tree(a)}
    again = publish(cli, a)
    assert again["up_to_date"] is True and again["written"] == []
    forced = publish(cli, a, "--force")
    assert forced["written"] == [] and forced["unchanged"] == len(before) - 1
    assert {p: (a / p).stat().st_mtime_ns for p in tree(a) if p != ".claimcheck-site.json"} == {
        p: t for p, t in before.items() if p != ".claimcheck-site.json"
    }


def test_republishing_rewrites_only_what_changed(cli: CLI, identity: None, site: Path) -> None:
    ids = desk(cli)
    publish(cli, site)
    cli.ok("review", ids["second"], "--update", "Added the ministry's release.")
    result = publish(cli, site)
    written = set(result["written"])
    assert f"claims/{ids['second']}/index.html" in written
    assert f"claims/{ids['first']}/index.html" not in written
    assert f"claims/{ids['third']}/index.html" not in written
    assert {"feed.xml", "feed.json", "claimreview.json"} <= written  # sitemap: same day


def test_correction_keeps_date_published_and_adds_the_notice(
    cli: CLI, identity: None, site: Path
) -> None:
    ids = desk(cli)
    claim = ids["first"]
    publish(cli, site)
    page = site / f"claims/{claim}/index.html"
    first = ld(page)
    assert "dateModified" not in first
    cli.ok("review", claim, "--reopen", "--reason", "INTERNAL: reader email from Bob Jones")
    publish(cli, site)
    reviewing = page.read_text(encoding="utf-8")
    assert "Under review" in reviewing
    assert ld(page)["reviewRating"]["alternateName"] == "True"  # the published rating stays
    ev = add_evidence(cli, claim, excerpt="The index was revised to 2.4 percent.")
    propose(cli, claim, ev["id"], verdict="mostly-true")
    cli.ok(
        "review",
        claim,
        "--approve",
        "--correction-note",
        "The agency revised April's figure to 2.4 percent; we changed the rating.",
        as_="ed",
    )
    publish(cli, site)
    corrected = ld(page)
    assert corrected["datePublished"] == first["datePublished"]
    assert "dateModified" in corrected
    assert corrected["reviewRating"]["alternateName"] == "Mostly true"
    assert corrected["correction"][0]["text"].startswith("The agency revised")
    assert vocabulary_errors(corrected) == []
    html = page.read_text(encoding="utf-8")
    assert "The agency revised April" in html and "Under review" not in html
    corrections = (site / "corrections/index.html").read_text(encoding="utf-8")
    assert "The agency revised April" in corrections
    atom = feedparser.parse((site / "feed.xml").read_bytes())
    entry = next(e for e in atom.entries if e.id.endswith(f"/claims/{claim}/"))
    assert "The agency revised April" in entry.summary
    # the entry keeps its first publication and is updated by the correction (both to the
    # minute: within one minute of the first approval they may read the same)
    assert entry.updated_parsed >= entry.published_parsed
    for name, data in tree(site).items():
        assert b"INTERNAL" not in data and b"Bob Jones" not in data, name


def test_a_reopened_claim_leaves_the_site_when_configured(
    cli: CLI, identity: None, site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = desk(cli)
    publish(cli, site)
    cli.ok("review", ids["first"], "--reopen", "--reason", "check again")
    monkeypatch.setenv("CLAIMCHECK_PUBLISH_REOPENED", "false")
    result = publish(cli, site)
    assert f"claims/{ids['first']}/index.html" in result["removed"]
    assert not (site / f"claims/{ids['first']}").exists()
    assert result["claims"] == 2


def test_update_is_an_editors_public_note(cli: CLI, identity: None, site: Path) -> None:
    ids = desk(cli)
    claim = ids["second"]
    refused = cli.fail("review", claim, "--update", "typo", as_="alice")
    assert "editor" in refused.stderr
    not_published = cli.fail("review", ids["pending"], "--update", "x", code=1)
    assert "not a published check" in not_published.stderr
    edited = cli.fail("edit", claim, "--statement", "Jobless rate 4.1% in May")
    assert "--update-note" in edited.stderr
    cli.ok(
        "edit",
        claim,
        "--statement",
        "Jobless rate was 4.1% in May",
        "--update-note",
        "Corrected a typo in the headline.",
    )
    history = cli.json("history", claim)
    assert [e["action"] for e in history][-2:] == ["edit", "update"]
    publish(cli, site)
    page = site / f"claims/{claim}/index.html"
    html = page.read_text(encoding="utf-8")
    assert "Corrected a typo in the headline." in html and "Updated" in html
    review = ld(page)
    assert review["claimReviewed"] == "Jobless rate was 4.1% in May"
    assert review["dateModified"] >= review["datePublished"]
    feed = json.loads((site / "feed.json").read_text(encoding="utf-8"))
    item = next(i for i in feed["items"] if i["id"].endswith(f"/claims/{claim}/"))
    assert "Corrected a typo" in item["content_text"]


def test_feeds_parse_as_atom_and_json_feed_and_the_sitemap_lists_every_page(
    cli: CLI, identity: None, site: Path
) -> None:
    ids = desk(cli)
    publish(cli, site)
    atom = feedparser.parse((site / "feed.xml").read_bytes())
    assert atom.bozo == 0 and atom.version == "atom10"
    assert len(atom.entries) == 3
    assert {e.link for e in atom.entries} == {
        f"{ORG_URL}/claims/{ids[k]}/" for k in ("first", "second", "third")
    }
    # feedparser 6.0 (the newest release) reads no JSON Feed, so the feed is checked against
    # the JSON Feed 1.1 rules themselves.
    check_json_feed(json.loads((site / "feed.json").read_text(encoding="utf-8")), entries=3)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = [u.text for u in ET.parse(site / "sitemap.xml").getroot().findall("s:url/s:loc", ns)]
    assert f"{ORG_URL}/claims/{ids['first']}/" in urls and f"{ORG_URL}/" in urls
    data = json.loads((site / "claimreview.json").read_text(encoding="utf-8"))
    assert data["@type"] == "DataFeed"
    assert [e["item"]["url"] for e in data["dataFeedElement"]] == [
        f"{ORG_URL}/claims/{ids[k]}/" for k in ("first", "second", "third")
    ]
    assert data["dataFeedElement"][0]["item"] == ld(site / f"claims/{ids['first']}/index.html")
    assert vocabulary_errors(data) == []


def test_publish_refuses_the_example_identity_unless_draft(cli: CLI, site: Path) -> None:
    desk(cli)
    refused = cli.fail("publish", str(site), code=2)
    assert "example identity" in refused.stderr and "--draft" in refused.stderr
    assert not site.exists()
    publish(cli, site, "--draft")
    assert 'content="noindex, nofollow"' in (site / "index.html").read_text(encoding="utf-8")


def test_publish_never_writes_into_a_folder_it_did_not_make(
    cli: CLI, identity: None, site: Path
) -> None:
    desk(cli)
    site.mkdir()
    (site / "notes.txt").write_text("mine", encoding="utf-8")
    refused = cli.fail("publish", str(site))
    assert "not empty and was not made by claimcheck publish" in refused.stderr
    assert [p.name for p in site.iterdir()] == ["notes.txt"]


def test_languages_are_validated_and_published(cli: CLI, identity: None, site: Path) -> None:
    register_desk(cli)
    bad = cli.fail("add", "x", "--language", "english", code=1)
    assert "not a BCP 47 language tag" in bad.stderr
    cli.fail("add", "x", "--language", "ar;x", code=1)
    arabic = int(
        cli.json(
            "add",
            "قال الوزير إن البطالة انخفضت إلى 7 في المئة",
            "--source",
            "https://wire.example/ar",
            "--speaker",
            "Samir Haddad",
            "--language",
            "AR",
            as_="dave",
        )["id"]
    )
    assert cli.json("show", arabic)["language"] == "ar"
    ev = add_evidence(cli, arabic, excerpt="بلغ معدل البطالة 7.4 في المئة")
    propose(cli, arabic, ev["id"], verdict="mostly-true")
    cli.ok("review", arabic, "--approve", as_="bob")
    english = verified_claim(cli)
    cli.ok("edit", english, "--language", "en-gb", "--update-note", "Language recorded.")
    publish(cli, site)
    page = site / f"claims/{arabic}/index.html"
    html = page.read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in html
    assert "حكمنا" in html  # "Our verdict" from the Arabic catalogue
    review = ld(page)
    assert review["inLanguage"] == "ar"
    assert review["reviewRating"]["alternateName"] == "صحيح في معظمه"
    assert ld(site / f"claims/{english}/index.html")["inLanguage"] == "en-GB"
    index = (site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en" dir="ltr">' in index
    assert 'lang="ar" dir="rtl">' in index  # the Arabic headline isolated on the English page


def test_a_scale_from_the_config_publishes_the_label_in_the_claims_language(
    cli: CLI, identity: None, site: Path, tmp_path: Path
) -> None:
    from claimcheck.paths import config_path

    config = config_path()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(
        """rating_scale = "desk"

[scales.desk]
title = "Our three-point scale"
worst = 1
best = 3

[[scales.desk.ratings]]
key = "true"
label = "Correct"
labels = { es = "Correcto", fr = "Exact" }
value = 3
colour = "#1a7f37"

[[scales.desk.ratings]]
key = "mixed"
label = "Partly correct"
value = 2

[[scales.desk.ratings]]
key = "false"
label = "Wrong"
labels = { es = "Falso" }
value = 1
colour = "#cf222e"
""",
        encoding="utf-8",
    )
    register_desk(cli)
    claim = int(
        cli.json(
            "add",
            "Las exportaciones subieron un 12 por ciento",
            "--source",
            "https://wire.example/es",
            "--language",
            "es-419",
            as_="dave",
        )["id"]
    )
    cli.ok("claimant", "list")
    ev = add_evidence(cli, claim, excerpt="Subieron un 3 por ciento.")
    propose(cli, claim, ev["id"], verdict="false")
    cli.ok("review", claim, "--approve", as_="bob")
    publish(cli, site)
    review = ld(site / f"claims/{claim}/index.html")
    assert review["reviewRating"]["alternateName"] == "Falso"
    assert review["reviewRating"]["bestRating"] == 3
    assert review["inLanguage"] == "es-419"
    assert "Nuestra calificación" in (site / f"claims/{claim}/index.html").read_text("utf-8")


def test_backup_and_restore_keep_languages_claimants_dates_and_updates(
    cli: CLI, target: CLI, identity: None, tmp_path: Path
) -> None:
    ids = desk(cli)
    cli.ok("edit", ids["first"], "--language", "es", "--update-note", "Idioma registrado.")
    backup = tmp_path / "backup.json"
    cli.ok("export", "-f", "json", "--status", "all", "--out", str(backup))
    doc = json.loads(backup.read_text(encoding="utf-8"))
    first = next(c for c in doc["claims"] if c["id"] == ids["first"])
    third = next(c for c in doc["claims"] if c["id"] == ids["third"])
    assert first["language"] == "es" and first["updates"][0]["note"] == "Idioma registrado."
    assert first["published_at"] and first["modified_at"]
    assert len(third["co_claimant_ids"]) == 1
    assert any(c.get("job_title") == "Minister of Trade" for c in doc["claimants"])
    # Into a fresh database of the same backend: the same JSON comes back out.
    target.ok("restore", str(backup), as_=owner(target))  # on PostgreSQL: the schema owner
    again = tmp_path / "again.json"
    target.ok("export", "-f", "json", "--status", "all", "--out", str(again))
    redo = json.loads(again.read_text(encoding="utf-8"))
    assert redo["claims"] == doc["claims"] and redo["claimants"] == doc["claimants"]


def test_pages_rendered_by_worker_processes_are_the_same_bytes(
    cli: CLI, identity: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A big site renders its claim pages in forked workers, a batch each: same files."""
    from claimcheck.export.model import Report
    from claimcheck.export.site import parallel
    from claimcheck.export.site.render import SiteRenderer

    desk(cli)
    alone, pooled = tmp_path / "alone", tmp_path / "pooled"
    publish(cli, alone)  # three claims: rendered in this process
    renderers = tmp_path / "renderers"
    claim_file = SiteRenderer.claim_file

    def recorded(self: SiteRenderer, claim: Any) -> Any:
        with renderers.open("a") as fh:  # the workers are other processes: they write it down
            fh.write(f"{os.getpid()}\n")
        return claim_file(self, claim)

    by_batch = Report.iter_claim_rows

    def one_per_batch(self: Report) -> Any:
        batches = by_batch(self)
        return None if batches is None else iter([[row] for rows in batches for row in rows])

    monkeypatch.setattr(SiteRenderer, "claim_file", recorded)
    monkeypatch.setattr(Report, "iter_claim_rows", one_per_batch)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_CLAIMS", 1)
    monkeypatch.setattr(parallel, "available_workers", lambda: 2)
    result = publish(cli, pooled)
    assert result["claims"] == 3
    pids = renderers.read_text().split()
    assert len(pids) == 3 and str(os.getpid()) not in pids
    assert tree(pooled) == tree(alone)


@pytest.mark.slow
def test_an_unchanged_republish_loads_neither_the_orm_nor_the_renderer(
    cli: CLI, identity: None, site: Path
) -> None:
    """The up-to-date check runs on a Core connection: a new process that finds nothing to do
    imports no ORM, no models, no report builder and no templates (start-up is its cost)."""
    import subprocess
    import sys

    desk(cli)
    publish(cli, site)
    heavy = ("sqlalchemy.orm", "claimcheck.models", "claimcheck.reports", "jinja2")
    code = (
        "import sys\n"
        "from claimcheck.cli.main import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        f"print('HEAVY=' + ','.join(m for m in {heavy!r} if m in sys.modules), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "--db", cli.db.url, "publish", str(site), "-f", "json"],
        capture_output=True,
        text=True,
        env={**os.environ, "CLAIMCHECK_USER": "ed"},
        check=True,
    )
    assert json.loads(done.stdout)["up_to_date"] is True
    assert done.stderr.strip().splitlines()[-1] == "HEAVY="
