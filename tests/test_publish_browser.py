"""The published site as a reader sees it, in headless Chromium: the demo desk plus an Arabic claim,
on an English site and on an Arabic one.

Skipped with a reason when Chromium is missing (mandatory under CLAIMCHECK_REQUIRE_BROWSER=1).
The site is served by a local HTTP server, as `python -m http.server -d site` would; every request
the pages make is recorded and must go to that server. Screenshots (1280 px and 390 px) are saved
in the test's folder, printed at the end (pytest -s) for a person to look at.
"""

from __future__ import annotations

import functools
import http.server
import json
import socketserver
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from claimcheck.cli.main import cli
from tests.browser import Browser, find_chromium

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FIXTURES = Path(__file__).parent.parent / "fixtures"
ARABIC = "قال الوزير إن معدل البطالة انخفض إلى 7 في المئة في عام 2024، وفق بيانات رسمية من Reuters."
ARABIC_STATEMENT = "البطالة انخفضت إلى 7% في 2024"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Browser]:
    chromium = find_chromium()
    instance = Browser(chromium, tmp_path / "profile")
    try:
        yield instance
    finally:
        instance.close()


def run(*args: str, env: dict[str, str] | None = None) -> str:
    result = CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The demo desk with an Arabic claim (two claimants, a job title), published twice."""
    root = tmp_path_factory.mktemp("published")
    run("demo", "--fixtures", str(FIXTURES), "--out", str(root / "demo"))
    db = ["--db", str(root / "demo" / "claimcheck.db")]
    claim = json.loads(
        run(
            *db,
            "--as",
            "maria",
            "add",
            ARABIC,
            "--source",
            "https://news.example.org/ar/jobs",
            "--speaker",
            "Samir Haddad",
            "--speaker",
            "Layla Nasser",
            "--language",
            "ar",
            "--said-on",
            "2025-05-14",
            "--statement",
            ARABIC_STATEMENT,
            "-f",
            "json",
        )
    )["id"]
    run(
        *db,
        "--as",
        "tomas",
        "evidence",
        "add",
        str(claim),
        "--source",
        "https://stats.example.org/labour-2024",
        "--excerpt",
        "بلغ معدل البطالة 7.4 في المئة في الربع الأخير من 2024 (ILO).",
        "--stance",
        "supports",
        "--figure",
        "7.4",
        "--unit",
        "percent",
        "--as-of",
        "2024-12-31",
    )
    evidence = json.loads(run(*db, "--as", "tomas", "evidence", "list", str(claim), "-f", "json"))
    run(
        *db,
        "--as",
        "tomas",
        "review",
        str(claim),
        "--propose",
        "mostly-true",
        "--evidence",
        str(evidence[0]["id"]),
        "--rationale",
        "تشير البيانات الرسمية إلى 7.4 في المئة، وهو رقم قريب من 7 في المئة الذي ذكره الوزير.",
    )
    run(*db, "--as", "maria", "review", str(claim), "--approve")
    run(*db, "--as", "maria", "claimant", "job-title", "Samir Haddad", "وزير العمل")
    run(*db, "publish", "--draft", str(root / "en"))
    run(*db, "publish", "--draft", str(root / "ar"), env={"CLAIMCHECK_SITE_LANGUAGE": "ar"})
    return {"en": root / "en", "ar": root / "ar", "claim": Path(str(claim)), "root": root}


@pytest.fixture(scope="module")
def server(sites: dict[str, Path]) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(sites["root"]))
    httpd = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def visit(browser: Browser, url: str, origin: str, width: int) -> None:
    browser.open(
        url, width=width, height=900 if width > 500 else 844, mobile=width < 500, record=True
    )
    assert browser.console_errors() == [], url
    outside = [u for u in browser.requests() if not u.startswith(origin + "/")]
    assert outside == [], f"{url} fetched {outside}"
    assert browser.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        f"{url} is wider than {width} px"
    )
    assert browser.evaluate("[...document.scripts].every(s => s.type === 'application/ld+json')")
    # The stylesheet applied (the page is styled, not raw HTML).
    assert (
        browser.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(252, 251, 248)"
    )


SHOTS: list[Path] = []


def shoot(browser: Browser, folder: Path, name: str) -> None:
    path = browser.screenshot(folder / f"{name}.png")
    assert path.stat().st_size > 20_000
    SHOTS.append(path)


@pytest.mark.parametrize("width", [1280, 390])
def test_english_site_with_an_arabic_claim(
    browser: Browser, sites: dict[str, Path], server: str, tmp_path: Path, width: int
) -> None:
    claim = sites["claim"]
    visit(browser, f"{server}/en/", server, width)
    assert browser.evaluate("document.documentElement.lang") == "en"
    assert browser.evaluate("document.documentElement.dir") == "ltr"
    arabic = browser.evaluate(
        f"""(() => {{ const a = document.querySelector('a[href="./claims/{claim}/"]');
              return {{text: a.innerText, dir: getComputedStyle(a).direction, lang: a.lang}}; }})()"""
    )
    assert arabic == {"text": ARABIC_STATEMENT, "dir": "rtl", "lang": "ar"}
    # Names in a list are joined by the language's words, with no separator dot inside the list.
    assert browser.evaluate(
        "[...document.querySelectorAll('.who')].every(w => "
        "['none', 'normal'].includes(getComputedStyle(w, '::before').content))"
    )
    assert "Samir Haddad and Layla Nasser" in browser.evaluate("document.body.innerText")
    assert browser.evaluate("document.querySelectorAll('.view svg rect').length") == 2
    shoot(browser, tmp_path, f"en-index-{width}")

    visit(browser, f"{server}/en/claims/{claim}/", server, width)
    page = browser.evaluate(
        """(() => { const h = document.querySelector('h1'), q = document.querySelector('blockquote'),
                 main = document.querySelector('main').getBoundingClientRect(),
                 hr = h.getBoundingClientRect();
           return {lang: document.documentElement.lang, dir: document.documentElement.dir,
                   h1: h.innerText, h1dir: getComputedStyle(h).direction,
                   quoteDir: getComputedStyle(q).direction,
                   rightAligned: Math.abs(main.right - hr.right) < 40,
                   names: [...document.querySelectorAll('figcaption bdi')].map(b => b.innerText),
                   verdict: document.querySelector('.verdict .badge').innerText,
                   heading: document.querySelector('#verdict-h').innerText}; })()"""
    )
    assert page["lang"] == "ar" and page["dir"] == "rtl"
    assert page["h1"] == ARABIC_STATEMENT and page["h1dir"] == "rtl" and page["quoteDir"] == "rtl"
    assert page["rightAligned"], "the Arabic heading starts at the right edge"
    assert page["names"][:3] == ["Samir Haddad", "وزير العمل", "Layla Nasser"]
    assert page["verdict"] == "صحيح في معظمه" and page["heading"] == "حكمنا"
    # The JSON-LD of the page parses and says the same as the page.
    review = browser.evaluate("JSON.parse(document.querySelector('script').textContent)")
    assert review["inLanguage"] == "ar" and review["claimReviewed"] == ARABIC_STATEMENT
    shoot(browser, tmp_path, f"en-arabic-claim-{width}")

    for path in ("corrections/", "methodology/", "claimants/", "tags/", "verdicts/true/"):
        visit(browser, f"{server}/en/{path}", server, width)


@pytest.mark.parametrize("width", [1280, 390])
def test_arabic_site_with_english_claims(
    browser: Browser, sites: dict[str, Path], server: str, tmp_path: Path, width: int
) -> None:
    visit(browser, f"{server}/ar/", server, width)
    assert browser.evaluate("document.documentElement.dir") == "rtl"
    assert browser.evaluate("document.querySelector('h1').innerText").startswith("تدقيقات")
    english = browser.evaluate(
        """[...document.querySelectorAll('.listing h3 a')].filter(a => a.lang === 'en')
             .map(a => getComputedStyle(a).direction)"""
    )
    assert english and set(english) == {"ltr"}
    # The chart is mirrored: bars grow from the right, labels stay readable (no overlap).
    bars = browser.evaluate(
        """[...document.querySelectorAll('.view svg a')].map(g => {
             const t = g.querySelector('text').getBBox(), r = g.querySelector('rect').getBBox();
             return {labelLeft: t.x, barRight: r.x + r.width}; })"""
    )
    assert bars and all(b["labelLeft"] >= b["barRight"] for b in bars), bars
    shoot(browser, tmp_path, f"ar-index-{width}")
    href = browser.evaluate(
        "[...document.querySelectorAll('.listing h3 a')].find(a => a.lang === 'en')"
        ".getAttribute('href')"
    )
    visit(browser, f"{server}/ar/{href.removeprefix('./')}", server, width)
    assert browser.evaluate("document.documentElement.dir") == "ltr"
    assert browser.evaluate("document.querySelector('#verdict-h').innerText") == "OUR VERDICT"
    shoot(browser, tmp_path, f"ar-english-claim-{width}")
    print("\nscreenshots:", *SHOTS, sep="\n  ")
