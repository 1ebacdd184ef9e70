"""The HTML report in a real browser (headless Chromium): nothing runs, everything is visible.

Skipped with a clear reason when Chromium is not installed; ``.ci/run`` installs Debian's
``chromium`` and sets ``CLAIMCHECK_REQUIRE_BROWSER=1``, which turns the skip into a failure.
Besides the fixture dataset's hostile claims, this test adds payloads that would *change the
page* if they ever ran (set the title, mark the document, raise a dialog), so "nothing ran" is
observable; a control page with a real script shows the harness does notice a script that runs.
Screenshots (desktop and phone width) are saved under the test's tmp dir.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from claimcheck.core.text import dedupe_key, normalize_text
from claimcheck.models import Claim
from tests.browser import Browser, find_chromium
from tests.conftest import CLI
from tests.reportdata import at, export, populate, session_for

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # each test drives a Chromium process

TITLE = "Fact checks by Example Fact Desk"
MUTATING = [
    "<script>document.title='PWNED';window.__pwned='script'</script>",
    "<img src=x onerror=\"document.documentElement.dataset.pwned='img';alert('img')\">",
    '"><svg onload="document.documentElement.dataset.pwned=\'svg\'">',
    "</script><script>document.documentElement.dataset.pwned='ld'</script>",
]


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Browser]:
    chromium = find_chromium()
    instance = Browser(chromium, tmp_path / "profile")
    try:
        yield instance
    finally:
        instance.close()


def _add_mutating_claim(url: str) -> int:
    """A verified claim written directly, with fixed actors and times: on PostgreSQL only the
    database's owner may (a desk member's rows are stamped and checked by the database)."""
    with session_for(url) as session:
        text = " ".join(MUTATING)
        claim = Claim(
            text=text,
            text_norm=normalize_text(text),
            dedupe_key=dedupe_key(normalize_text(text), 1),
            statement=MUTATING[3],
            source_id=1,
            claimant_id=1,
            said_on=dt.date(2025, 5, 22),
            status="verified",
            verdict="misleading",
            rationale=MUTATING[1],
            proposed_by="alice",
            proposed_at=at(22, 9),
            approved_by="ed",
            approved_at=at(22, 10),
            created_at=at(22, 8),
            created_by="carol",
            updated_at=at(22, 10),
            updated_by="ed",
        )
        session.add(claim)
        session.flush()
        return claim.id


def test_report_is_inert_and_readable_in_chromium(
    cli: CLI, browser: Browser, tmp_path: Path
) -> None:
    populate(cli.db.url)
    extra = _add_mutating_claim(cli.db.admin_url)
    page = tmp_path / "report.html"
    export(cli, "-f", "html", "--out", page)
    browser.open(page.as_uri())

    # Nothing ran: title and document untouched, no dialog, no globals, no injected elements.
    assert browser.evaluate("document.title") == TITLE
    assert browser.evaluate("document.documentElement.dataset.pwned === undefined") is True
    assert browser.evaluate("typeof window.__pwned") == "undefined"
    assert browser.dialogs() == []
    assert (
        browser.evaluate("document.querySelectorAll('img, iframe, object, embed, b').length") == 0
    )
    assert browser.evaluate("document.querySelectorAll('svg').length") == 1  # our chart only
    handlers = browser.evaluate(
        "[...document.querySelectorAll('*')].flatMap(el => [...el.attributes]"
        ".filter(a => a.name.startsWith('on')).map(a => el.tagName + ' ' + a.name))"
    )
    assert handlers == []
    assert browser.evaluate("[...document.scripts].map(s => s.type)") == ["application/ld+json"] * 8
    # Each embedded ClaimReview parses, and the hostile claim's is intact.
    reviewed = browser.evaluate(
        "[...document.scripts].map(s => JSON.parse(s.textContent).claimReviewed)"
    )
    assert MUTATING[3] in reviewed

    # Everything is visible: each claim's heading and verdict, rendered and on the page.
    cards = browser.evaluate(
        """[...document.querySelectorAll('article.claim')].map(a => {
             const h = a.querySelector('h3'), v = a.querySelector('.verdict'),
                   b = a.querySelector('.badge');
             const shown = el => { const r = el.getBoundingClientRect(), s = getComputedStyle(el);
               return r.width > 0 && r.height > 0 && s.visibility === 'visible'
                      && s.display !== 'none' && parseFloat(s.opacity) > 0; };
             return {id: a.id, heading: h.innerText, verdict: v.innerText, badge: b.innerText,
                     badgeColour: getComputedStyle(b).backgroundColor,
                     shown: shown(a) && shown(h) && shown(v) && shown(b)};
           })"""
    )
    assert [c["id"] for c in cards] == [f"claim-{n}" for n in (1, 2, 3, 4, 10, 11, 12, extra)]
    assert all(c["shown"] for c in cards), cards
    verdicts = {c["id"]: c["verdict"] for c in cards}
    assert verdicts["claim-1"].startswith("Our verdict: True.")
    assert verdicts["claim-3"].startswith("Our verdict: False.")
    assert verdicts[f"claim-{extra}"].startswith("Our verdict: Misleading.")
    assert {c["badge"] for c in cards} >= {"TRUE", "FALSE", "MOSTLY TRUE", "HALF TRUE"}
    assert all(c["badgeColour"] not in ("rgba(0, 0, 0, 0)", "transparent") for c in cards)
    headings = {c["id"]: c["heading"] for c in cards}
    assert headings["claim-10"] == '"><img src=x onerror=alert(1)>'
    assert headings[f"claim-{extra}"] == MUTATING[3]
    body = browser.evaluate("document.body.innerText")
    for needle in ("<script>alert(1)</script>", MUTATING[0], "Corrections", "How we check"):
        assert needle in body
    # Table of contents links resolve to claims; the chart has a bar per verdict.
    assert browser.evaluate(
        "[...document.querySelectorAll('nav.toc a')].every(a => "
        "document.getElementById(a.getAttribute('href').slice(1)) !== null)"
    )
    assert browser.evaluate("document.querySelectorAll('.summary svg rect').length") == 6

    desktop = browser.screenshot(tmp_path / "report-desktop.png")
    assert desktop.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and desktop.stat().st_size > 50_000

    # Print: badges keep their colour and a border; link targets are printed after links.
    browser.media("print")
    assert (
        browser.evaluate(
            "getComputedStyle(document.querySelector('article .badge')).borderTopWidth"
        )
        == "1px"
    )
    after = browser.evaluate(
        "getComputedStyle(document.querySelector('.attribution a'), '::after').content"
    )
    assert "https://www.wikidata.example.org/wiki/Q100001" in after
    browser.media("screen")


def test_report_fits_a_phone(cli: CLI, browser: Browser, tmp_path: Path) -> None:
    populate(cli.db.url)
    page = tmp_path / "report.html"
    export(cli, "-f", "html", "--out", page)
    browser.open(page.as_uri(), width=390, height=844, mobile=True)
    assert browser.evaluate("document.documentElement.scrollWidth <= window.innerWidth") is True
    assert browser.evaluate("window.innerWidth") == 390
    shot = browser.screenshot(tmp_path / "report-phone.png")
    assert shot.stat().st_size > 30_000


def test_the_harness_notices_a_script_that_runs(browser: Browser, tmp_path: Path) -> None:
    control = tmp_path / "control.html"
    control.write_text(
        "<!DOCTYPE html><title>before</title><script>document.title='ran';"
        "document.documentElement.dataset.pwned='yes'</script>",
        encoding="utf-8",
    )
    browser.open(control.as_uri())
    assert browser.evaluate("document.title") == "ran"
    assert browser.evaluate("document.documentElement.dataset.pwned") == "yes"
