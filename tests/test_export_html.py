"""The HTML export: self-contained, inert with hostile input, and complete (TOC, badges, chart)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CLI
from tests.reportdata import (
    HOSTILE_END_SCRIPT,
    HOSTILE_IMG,
    HOSTILE_SCRIPT,
    export,
    populate,
)

GOLDEN = Path(__file__).parent / "golden"


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


# The `claim` block as it was written in the template before it was built in Python
# (render_html.claim_html). A template that overrides the block with this markup must give the
# very page the default one does, on claims shaped every way the block branches.
TEMPLATE_CLAIM_BLOCK = """{% extends "claimcheck/report.html.j2" %}
{% block claim scoped %}
{% set c = v.claim %}
<article class="claim" id="{{ v.anchor }}" aria-labelledby="{{ v.anchor }}-h">
  <p class="claim-kicker">{{ badge(c.verdict, v.rating.label if v.rating else "Not rated") }}<span>Claim {{ c.id }}</span>{% if c.status != "verified" %}<span>Status: {{ c.status | status }}</span>{% endif %}{% for tag in c.tags %}<span>#{{ tag }}</span>{% endfor %}</p>
  {% if c.statement %}
  <h3 id="{{ v.anchor }}-h"><a href="#{{ v.anchor }}">{{ v.headline }}</a></h3>
  <blockquote class="quote"><p>“{{ c.text }}”</p></blockquote>
  {% else %}
  {# No short statement: the verbatim claim is the heading, not repeated below. #}
  <h3 id="{{ v.anchor }}-h" class="quoted"><a href="#{{ v.anchor }}">“{{ c.text }}”</a></h3>
  {% endif %}
  <p class="attribution">— <span class="who">{% if v.claimant %}{% if v.claimant_link %}<a href="{{ v.claimant_link }}" rel="nofollow noopener noreferrer">{{ v.claimant.name }}</a>{% else %}{{ v.claimant.name }}{% endif %}{% else %}Unattributed{% endif %}</span>{% if v.source %}, {{ cite(v.source, v.said_on) }}{% elif v.said_on %}, <time datetime="{{ v.said_on.isoformat() }}">{{ v.said_on | date }}</time>{% endif %}</p>
  <div class="verdict-box v-{{ c.verdict | css_key }}">
    {% if v.rating %}
    <p class="verdict"><strong>{% if c.status == "verified" %}Our verdict{% else %}Proposed verdict (not final){% endif %}: {{ v.rating.label }}.</strong>{% if v.rating.meaning %} <span class="meaning">{{ v.rating.meaning }}</span>{% endif %}</p>
    {% else %}
    <p class="verdict"><strong>Not rated yet.</strong> <span class="meaning">This claim is {{ c.status | status }}.</span></p>
    {% endif %}
    {% if c.rationale %}<p class="rationale">{{ c.rationale }}</p>{% endif %}
  </div>
  {% if v.evidence %}
  <section class="evidence" aria-label="Evidence">
    <h4>Evidence</h4>
    <ol>
    {% for ev in v.evidence %}
      {{ evidence_item(ev) }}
    {% endfor %}
    </ol>
  </section>
  {% endif %}
  {% if v.numbers %}
  <section class="numbers" aria-label="Numeric check">
    <h4>Numeric check</h4>
    <ul>
    {% for line in v.numbers %}
      <li>{{ line }}</li>
    {% endfor %}
    </ul>
  </section>
  {% endif %}
  {% if v.appearances %}
  <p class="also"><strong>Also said:</strong> {% for app in v.appearances %}{% if not loop.first %}; {% endif %}{% if app.url | link %}<a href="{{ app.url | link }}" rel="nofollow noopener noreferrer">{{ app.title or app.url }}</a>{% else %}{{ app.title or app.url or ("claim " ~ app.claim_id) }}{% endif %}{% if app.publisher %}, {{ app.publisher }}{% endif %}{% if app.said_on %}, {{ app.said_on | date }}{% endif %}{% endfor %}</p>
  {% endif %}
  {% for corr in v.corrections %}
  <aside class="correction" aria-label="Correction"><strong>{% if corr.pending %}Under review since{% else %}Corrected{% endif %} {{ corr.date.date() | date }}:</strong> verdict {{ corr.old_label }} → {{ corr.new_label }}.{% if corr.entry.note %} {{ corr.entry.note }}{% endif %}</aside>
  {% endfor %}
  {{ credits(v) }}
  <script type="application/ld+json">{{ jsonld | safe }}</script>
</article>
{% endblock %}
"""


def _varied_claims() -> Any:
    """The golden backup's claims (every status, hostile text, a ``javascript:`` URL, figures,
    corrections, an appearance), plus copies reshaped into each branch the claim block has."""
    from claimcheck.export.model import Appearance, Report, ReportDocument

    doc = ReportDocument.model_validate_json((GOLDEN / "backup.json").read_bytes())
    claims = list(doc.claims)
    base = claims[0]
    extra = []
    shapes: list[dict[str, Any]] = [
        {"source_id": None, "claimant_id": None},  # said_on only
        {"source_id": None, "said_on": None, "statement": None, "tags": []},
        {"verdict": None, "status": "in_review", "rationale": None, "evidence": []},
        {"verdict": "not-on-the-scale", "rationale": "A & B <i>", "quantities": None},
        {
            "appearances": [
                Appearance(claim_id=91, url=None, title=None, publisher=None, said_on=None),
                Appearance(
                    claim_id=92, url="ftp://x.example/", title="", publisher="P&P", said_on=None
                ),
                Appearance(
                    claim_id=93,
                    url="https://x.example/a?b=1&c=<2>",
                    title=None,
                    publisher=None,
                    said_on=base.said_on,
                ),
                Appearance(
                    claim_id=94,
                    url="https://x.example/b",
                    title='"Q" & <A>',
                    publisher="",
                    said_on=None,
                ),
            ]
        },
        {"corrections": [c for claim in claims for c in claim.corrections]},
        {"proposed_by": None, "approved_by": None, "proposed_at": None, "approved_at": None},
    ]
    for n, shape in enumerate(shapes, start=1):
        extra.append(base.model_copy(update={"id": 900 + n, "slug": f"{900 + n}", **shape}))
    doc = doc.model_copy(update={"claims": claims + extra})
    return Report.from_document(doc)


def test_claim_block_built_in_python_matches_the_template_block(tmp_path: Path) -> None:
    from claimcheck.export import RenderOptions, render_text

    report = _varied_claims()
    template = tmp_path / "old.html.j2"
    template.write_text(TEMPLATE_CLAIM_BLOCK, encoding="utf-8")
    default = render_text("html", report)
    assert default.count('<article class="claim"') == 19
    for marker in (
        "Unattributed",
        "Not rated yet.",
        "Proposed verdict",
        "Also said:",
        "Under review since",
        'class="quoted"',
        "claim 91",
        "<span>Status: in review",
    ):
        assert marker in default, marker
    assert render_text("html", report, RenderOptions(template=template)) == default


def test_a_template_may_override_one_claim_and_call_the_default(tmp_path: Path) -> None:
    from claimcheck.export import RenderOptions, render_text

    report = _varied_claims()
    template = tmp_path / "mine.html.j2"
    template.write_text(
        '{% extends "claimcheck/report.html.j2" %}\n'
        "{% block claim scoped %}<div class=mine>{{ v.claim.id }}</div>{{ super() }}"
        "{% endblock %}\n",
        encoding="utf-8",
    )
    page = render_text("html", report, RenderOptions(template=template))
    default = render_text("html", report)
    assert page.count("<div class=mine>") == 19
    assert re.sub(r"<div class=mine>\d+</div>", "", page) == default
