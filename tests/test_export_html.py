"""The HTML export: self-contained, inert with hostile input, and complete (TOC, badges, chart)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import CLI
from tests.reportdata import (
    HOSTILE_END_SCRIPT,
    HOSTILE_IMG,
    HOSTILE_SCRIPT,
    export,
    populate,
)


class Page(HTMLParser):
    """Every element with its attributes, the text, and the contents of each script element."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.text: list[str] = []
        self._script: dict[str, str | None] | None = None
        self._buf: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        if tag == "script":
            self._script, self._buf = dict(attrs), []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._buf)))
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._buf.append(data)
        else:
            self.text.append(data)

    def tags(self, name: str) -> list[dict[str, str | None]]:
        return [attrs for tag, attrs in self.elements if tag == name]

    @property
    def all_text(self) -> str:
        return "".join(self.text)


@pytest.fixture
def html(cli: CLI) -> str:
    populate(cli.db.url)
    return str(export(cli, "-f", "html").stdout)


def test_hostile_text_creates_no_elements_handlers_or_script_links(html: str) -> None:
    page = Page(html)
    allowed = {
        "html", "head", "meta", "title", "style", "body", "div", "header", "p", "a", "h1",
        "h2", "h3", "h4", "span", "time", "main", "section", "svg", "desc", "g", "text",
        "rect", "nav", "ol", "ul", "li", "article", "blockquote", "strong", "aside",
        "script", "footer",
    }  # fmt: skip
    assert {tag for tag, _ in page.elements} <= allowed
    for tag, attrs in page.elements:
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name, value)
            assert "javascript:" not in (value or "").lower(), (tag, name, value)
    assert page.tags("img") == [] and page.tags("iframe") == [] and page.tags("b") == []


def test_only_json_ld_script_blocks_and_they_hold_the_exact_text(html: str) -> None:
    page = Page(html)
    assert page.scripts, "each claim embeds its ClaimReview"
    reviewed = []
    for attrs, body in page.scripts:
        assert attrs == {"type": "application/ld+json"}
        assert "<" not in body and ">" not in body and "&" not in body
        review = json.loads(body)
        assert review["@type"] == "ClaimReview"
        reviewed.append(review)
    hostile = next(r for r in reviewed if r["claimReviewed"] == HOSTILE_IMG)
    assert hostile["reviewRating"]["ratingExplanation"] == HOSTILE_END_SCRIPT
    assert len(reviewed) == 7
    # The hostile text is shown to readers, as text.
    assert HOSTILE_SCRIPT in page.all_text
    assert HOSTILE_IMG in page.all_text
    assert HOSTILE_END_SCRIPT in page.all_text


def test_page_is_self_contained_and_forbids_scripts(html: str) -> None:
    page = Page(html)
    csp = [m for m in page.tags("meta") if m.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in (csp[0]["content"] or "")
    assert "script-src" not in (csp[0]["content"] or "")
    for tag, attrs in page.elements:
        assert "src" not in attrs, tag  # nothing is fetched: no images, frames or scripts
        assert tag not in ("link", "iframe", "object", "embed", "img", "form")
    style = html[html.index("<style>") : html.index("</style>")]
    assert "url(" not in style and "@import" not in style
    for attrs in page.tags("a"):
        href = attrs["href"] or ""
        assert href.startswith(("#", "https://", "http://")), href


def test_links_only_for_http_urls(html: str) -> None:
    page = Page(html)
    hrefs = [a["href"] for a in page.tags("a")]
    assert "https://wire.claimcheck.example/2025/05/16/istanbul-talks" in hrefs
    assert not any("javascript" in (h or "").lower() for h in hrefs)
    # the hostile claim's permalink is its permanent page, without any of its words
    assert "https://factcheck.example.org/claims/10/" in hrefs
    # The javascript: source is named, not linked.
    assert re.search(
        r'<span class="unlinked">&#34;&gt;&lt;img src=x onerror=alert\(1\)&gt;</span>', html
    )


def test_toc_anchors_badges_and_chart(html: str) -> None:
    page = Page(html)
    ids = {attrs.get("id") for _, attrs in page.elements}
    toc = [a["href"] for a in page.tags("a") if (a["href"] or "").startswith("#claim-")]
    assert toc and all(href[1:] in ids for href in toc)
    articles = page.tags("article")
    assert [a["id"] for a in articles] == [f"claim-{n}" for n in (1, 2, 3, 4, 10, 11, 12)]
    badges = [a["class"] for a in page.tags("span") if (a.get("class") or "").startswith("badge ")]
    assert "badge v-false" in badges and "badge v-mostly-true" in badges
    # colour *and* text: every badge class has a background rule and the label is written out
    for cls in {b.split()[1] for b in badges}:
        assert re.search(rf"\.{cls} {{ background: #[0-9a-f]{{6}}; color: #[0-9a-f]{{6}}; }}", html)
    assert re.search(r'<span class="badge v-false">False</span>', html)
    rects = page.tags("rect")
    assert len(rects) == 5  # one bar per verdict present
    assert "False: 2" in html  # the chart's text alternative


def test_print_and_mobile_styles(html: str) -> None:
    assert "@media print" in html and "@page" in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert "@media (max-width: 40rem)" in html


def test_custom_template_extends_the_default_and_stays_escaped(cli: CLI, tmp_path: Path) -> None:
    populate(cli.db.url)
    template = tmp_path / "mine.html.j2"
    template.write_text(
        '{% extends "claimcheck/report.html.j2" %}\n'
        "{% block footer %}<footer>Our desk — {{ report.summary.total }} checks; "
        "first: {{ report.index[4].headline }}</footer>{% endblock %}\n",
        encoding="utf-8",
    )
    out = export(cli, "-f", "html", "--template", template).stdout
    assert "<footer>Our desk — 7 checks; first: &#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in out
    assert 'class="claim"' in out  # the rest of the page is the default one


def test_template_is_only_for_html(cli: CLI, tmp_path: Path) -> None:
    template = tmp_path / "t.html.j2"
    template.write_text("x", encoding="utf-8")
    result = cli.fail("export", "-f", "md", "--template", template, code=2)
    assert "--template: only the html format uses a template" in result.stderr
