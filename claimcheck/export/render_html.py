"""The HTML export: one self-contained page that reads like a publication and stays inert.

Design:

- Jinja2 with autoescaping on for every template (not chosen by file extension), and
  ``StrictUndefined`` so a typo in a template fails instead of printing nothing. All claim text,
  names, titles and URLs are untrusted and reach the page only through autoescaping.
- Links only for http(s) URLs (:func:`~claimcheck.export.common.http_url` is the template's
  ``link`` filter); anything else (``javascript:alert(1)``) is shown as text.
- No JavaScript and no external requests: CSS is inline, the verdict chart is inline SVG computed
  here, and a Content-Security-Policy ``<meta>`` (``default-src 'none'``) makes the browser refuse
  any script or fetch even if an escaping bug ever let markup through.
- Each claim's ClaimReview JSON-LD sits in its own ``<script type="application/ld+json">``
  (a data block, not run by browsers), serialised by
  :func:`~claimcheck.export.claimreview.script_json` so ``</script>`` in a claim cannot close it.
- Streams: ``Template.generate`` yields the page piece by piece while claims are pulled from the
  report's stream, so the page is never held in memory whole.
- ``--template my.html.j2`` renders a user template instead; it can ``{% extends
  "claimcheck/report.html.j2" %}`` and override blocks (``styles``, ``masthead``, ``claim``,
  ``footer`` ...). A template is code: it is trusted like a plugin.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup

from claimcheck.export.claimreview import claim_review, script_json
from claimcheck.export.common import (
    ClaimView,
    EvidenceView,
    anchor,
    css_key,
    fmt_date,
    fmt_time,
    http_url,
    iso_time,
    safe_colour,
    stance_label,
    status_label,
    text_colour,
    verdict_label,
    view,
)
from claimcheck.export.model import IndexEntry, Report, ReportHeader, SourceInfo, Summary

if TYPE_CHECKING:
    from claimcheck.export import RenderOptions

TEMPLATES = Path(__file__).parent / "templates"
DEFAULT_TEMPLATE = "claimcheck/report.html.j2"
BUFFER_CHARS = 1 << 16  # characters of output handed on at a time


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    key: str
    colour: str
    y: int
    width: float


@dataclass(frozen=True)
class Chart:
    """Geometry of the horizontal bar chart of verdict counts (inline SVG)."""

    bars: tuple[Bar, ...]
    width: int
    height: int
    label_width: int
    bar_height: int
    row_height: int

    @property
    def description(self) -> str:
        return ", ".join(f"{b.label}: {b.count}" for b in self.bars)


def chart(summary: Summary, *, width: int = 480, label_width: int = 124) -> Chart:
    row, bar_h = 34, 22
    track = width - label_width - 48
    most = max((v.count for v in summary.by_verdict), default=0) or 1
    bars = tuple(
        Bar(
            label=v.label,
            count=v.count,
            key=css_key(v.verdict),
            colour=safe_colour(v.colour),
            y=i * row + 6,
            width=round(max(2.0, track * v.count / most), 1),
        )
        for i, v in enumerate(summary.by_verdict)
    )
    return Chart(bars, width, max(row, len(bars) * row + 6), label_width, bar_h, row)


# The snippets every claim repeats are Python functions rather than template macros or inline
# markup: a Jinja expression or macro call costs several times more, and a 10,000-claim page
# repeats them tens of thousands of times. Each escapes every value it inserts. The public
# helpers (for templates) return Markup; the ``_``-named ones build plain strings for
# :func:`claim_html`, which wraps the whole article once.


def _esc(value: str) -> str:
    """``markupsafe.escape`` of a plain string, as a plain string: the same five replacements
    (markupsafe's own pure-Python fallback), without a Markup object for every value."""
    return (
        value.replace("&", "&amp;")
        .replace(">", "&gt;")
        .replace("<", "&lt;")
        .replace("'", "&#39;")
        .replace('"', "&#34;")
    )


def _badge(key: str | None, label: str) -> str:
    return f'<span class="badge v-{css_key(key)}">{_esc(label)}</span>'


def badge(key: str | None, label: str) -> Markup:
    """A verdict badge: colour (by CSS class) *and* the label as text."""
    return Markup(_badge(key, label))


# A report cites the same few sources on thousands of claims: each citation is built once. Keyed
# by the source object's id and checked by identity (the entry holds the object, so its id
# cannot be reused while it is cached); cleared when it grows, so it holds no report for long.
_CITED: dict[tuple[int, dt.date | None], tuple[SourceInfo, str]] = {}


def _cite(source: SourceInfo, date: dt.date | None = None) -> str:
    key = (id(source), date)
    hit = _CITED.get(key)
    if hit is not None and hit[0] is source:
        return hit[1]
    name = _esc(source.title or source.url)
    link = http_url(source.url)
    if link:
        html = f'<a href="{_esc(link)}" rel="nofollow noopener noreferrer">{name}</a>'
    else:
        html = f'<span class="unlinked">{name}</span>'
    if source.publisher:
        html += f', <span class="publisher">{_esc(source.publisher)}</span>'
    if date:
        html += f', <time datetime="{date.isoformat()}">{_esc(fmt_date(date))}</time>'
    copy = http_url(source.archived_copy) if source.archived_copy else None
    if copy:
        html += f' (<a class="archived" href="{_esc(copy)}" rel="nofollow noopener noreferrer">archived copy</a>)'
    if len(_CITED) >= 4096:
        _CITED.clear()
    _CITED[key] = (source, html)
    return html


def cite(source: SourceInfo, date: dt.date | None = None) -> Markup:
    """Source title (linked only when its URL is http(s)), publisher and date."""
    return Markup(_cite(source, date))


def toc_item(entry: IndexEntry, label: str) -> Markup:
    """One line of the table of contents: number, linked headline, verdict badge."""
    return Markup(
        f'<li><span class="num">{entry.id}</span><a href="#{anchor(entry.id)}">'
        f"{_esc(entry.headline)}</a>{_badge(entry.verdict, label)}</li>"
    )


def toc_items(header: ReportHeader, entries: Iterable[IndexEntry]) -> Markup:
    """Every line of the table of contents, each indented and on its own line, as the loop
    ``{% for entry in ... %}    {{ toc_item(entry) }}\n{% endfor %}`` wrote them."""
    labels: dict[str | None, str] = {}
    lines = []
    for entry in entries:
        key = entry.verdict
        label = labels.get(key)
        if label is None:
            label = labels[key] = verdict_label(header, key)
        lines.append(f"    {toc_item(entry, label)}\n")
    return Markup("".join(lines))


def _time(value: dt.datetime) -> str:
    return f'<time datetime="{iso_time(value)}">{fmt_time(value)}</time>'


def _evidence_item(ev: EvidenceView) -> str:
    stance = ev.entry.stance
    html = (
        f'<li><span class="stance stance-{css_key(stance)}">{_esc(stance_label(stance))}</span>'
        f'<span class="excerpt">“{_esc(ev.entry.excerpt)}”</span>'
    )
    if ev.source is not None:
        html += f' <span class="cite">— {_cite(ev.source)}</span>'
    if ev.figure:
        html += f'<span class="figure">Figure: {_esc(ev.figure)}</span>'
    return html + "</li>"


def evidence_item(ev: EvidenceView) -> Markup:
    """One evidence list item: stance, excerpt, cited source, figure."""
    return Markup(_evidence_item(ev))


def _credits(v: ClaimView) -> str:
    c = v.claim
    parts = []
    if c.proposed_by:
        when = f", {_time(c.proposed_at)}" if c.proposed_at else ""
        parts.append(f"<span>Checked by {_esc(c.proposed_by)}{when}</span>")
    if c.approved_by:
        when = f", {_time(c.approved_at)}" if c.approved_at else ""
        parts.append(f"<span>Approved by {_esc(c.approved_by)}{when}</span>")
    href = v.link or f"#{v.anchor}"
    parts.append(f'<span><a href="{_esc(href)}">Permalink</a></span>')
    return f'<p class="credits">{"".join(parts)}</p>'


def credits(v: ClaimView) -> Markup:
    """Who checked the claim and who approved it, and when; the permalink."""
    return Markup(_credits(v))


_NOFOLLOW = 'rel="nofollow noopener noreferrer"'


def claim_html(v: ClaimView, jsonld: str) -> Markup:
    """One claim's ``<article>``: the default ``claim`` block of ``report.html.j2``.

    Built in Python, as the site's claim page is (:mod:`claimcheck.export.site.claim_html`): the
    block was most of the page's cost, each of its ≈ 60 pieces of output a claim going through
    Jinja's generators, context lookups and calls. The markup is the former template block's,
    byte for byte (its ``trim_blocks``/``lstrip_blocks`` whitespace included, such as the
    rationale paragraph that follows the verdict line without a line break);
    ``tests/golden/report.html`` and ``tests/test_export_html.py`` hold it. Every value is
    escaped as autoescape did; ``jsonld`` is :func:`~claimcheck.export.claimreview.script_json`
    output, whose ``<``, ``>`` and ``&`` are already escaped. A user template that overrides the
    block gets ``v`` and ``jsonld`` as before, and ``super()`` is this.
    """
    c = v.claim
    a = v.anchor
    rating = v.rating
    out = [
        f'<article class="claim" id="{a}" aria-labelledby="{a}-h">\n'
        f'  <p class="claim-kicker">{_badge(c.verdict, rating.label if rating else "Not rated")}'
        f"<span>Claim {c.id}</span>"
    ]
    if c.status != "verified":
        out.append(f"<span>Status: {_esc(status_label(c.status))}</span>")
    for tag in c.tags:
        out.append(f"<span>#{_esc(tag)}</span>")
    out.append("</p>\n")
    if c.statement:
        out.append(
            f'  <h3 id="{a}-h"><a href="#{a}">{_esc(v.headline)}</a></h3>\n'
            f'  <blockquote class="quote"><p>“{_esc(c.text)}”</p></blockquote>\n'
        )
    else:  # no short statement: the verbatim claim is the heading, not repeated below
        out.append(f'  <h3 id="{a}-h" class="quoted"><a href="#{a}">“{_esc(c.text)}”</a></h3>\n')
    out.append('  <p class="attribution">— <span class="who">')
    if v.claimant is not None:
        name = _esc(v.claimant.name)
        if v.claimant_link:
            out.append(f'<a href="{_esc(v.claimant_link)}" {_NOFOLLOW}>{name}</a>')
        else:
            out.append(name)
    else:
        out.append("Unattributed")
    out.append("</span>")
    if v.source is not None:
        out.append(f", {_cite(v.source, v.said_on)}")
    elif v.said_on:
        out.append(
            f', <time datetime="{_esc(v.said_on.isoformat())}">{_esc(fmt_date(v.said_on))}</time>'
        )
    out.append(f'</p>\n  <div class="verdict-box v-{_esc(css_key(c.verdict))}">\n')
    if rating is not None:
        which = "Our verdict" if c.status == "verified" else "Proposed verdict (not final)"
        meaning = f' <span class="meaning">{_esc(rating.meaning)}</span>' if rating.meaning else ""
        out.append(
            f'    <p class="verdict"><strong>{which}: {_esc(rating.label)}.</strong>{meaning}</p>\n'
        )
    else:
        out.append(
            '    <p class="verdict"><strong>Not rated yet.</strong> <span class="meaning">'
            f"This claim is {_esc(status_label(c.status))}.</span></p>\n"
        )
    if c.rationale:
        out.append(f'<p class="rationale">{_esc(c.rationale)}</p>')
    out.append("  </div>\n")
    if v.evidence:
        out.append(
            '  <section class="evidence" aria-label="Evidence">\n    <h4>Evidence</h4>\n    <ol>\n'
        )
        for ev in v.evidence:
            out.append(f"      {_evidence_item(ev)}\n")
        out.append("    </ol>\n  </section>\n")
    if v.numbers:
        out.append(
            '  <section class="numbers" aria-label="Numeric check">\n'
            "    <h4>Numeric check</h4>\n    <ul>\n"
        )
        for line in v.numbers:
            out.append(f"      <li>{_esc(line)}</li>\n")
        out.append("    </ul>\n  </section>\n")
    if v.appearances:
        out.append('  <p class="also"><strong>Also said:</strong> ')
        for i, app in enumerate(v.appearances):
            if i:
                out.append("; ")
            link = http_url(app.url)
            if link:
                out.append(f'<a href="{_esc(link)}" {_NOFOLLOW}>{_esc(app.title or link)}</a>')
            else:
                out.append(_esc(app.title or app.url or f"claim {app.claim_id}"))
            if app.publisher:
                out.append(f", {_esc(app.publisher)}")
            if app.said_on:
                out.append(f", {_esc(fmt_date(app.said_on))}")
        out.append("</p>\n")
    for corr in v.corrections:
        when = "Under review since" if corr.pending else "Corrected"
        note = f" {_esc(corr.entry.note)}" if corr.entry.note else ""
        out.append(
            f'  <aside class="correction" aria-label="Correction"><strong>{when} '
            f"{_esc(fmt_date(corr.date.date()))}:</strong> verdict {_esc(corr.old_label)} → "
            f"{_esc(corr.new_label)}.{note}</aside>\n"
        )
    out.append(
        f'  {_credits(v)}\n  <script type="application/ld+json">{jsonld}</script>\n</article>\n'
    )
    return Markup("".join(out))


def badge_styles(header: ReportHeader) -> list[tuple[str, str, str]]:
    """(css key, background, text colour) for every verdict on the scale and in the report."""
    seen: dict[str, tuple[str, str, str]] = {}
    for rating in header.scale.ratings:
        bg = safe_colour(rating.colour)
        seen[css_key(rating.key)] = (css_key(rating.key), bg, text_colour(bg))
    for row in header.summary.by_verdict:
        key = css_key(row.verdict)
        if key not in seen:
            bg = safe_colour(row.colour)
            seen[key] = (key, bg, text_colour(bg))
    return sorted(seen.values())


@functools.lru_cache(maxsize=8)
def environment(user_dir: str | None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = [
        jinja2.PrefixLoader({"claimcheck": jinja2.FileSystemLoader(str(TEMPLATES))})
    ]
    if user_dir is not None:
        loaders.append(jinja2.FileSystemLoader(user_dir))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        link=http_url,
        date=fmt_date,
        time=fmt_time,
        iso=iso_time,
        css_key=css_key,
        stance=stance_label,
        status=status_label,
    )
    env.globals.update(
        anchor=anchor,
        badge=badge,
        cite=cite,
        evidence_item=evidence_item,
        credits=credits,
        claim_html=claim_html,
    )
    return env


def load_template(path: Path | None) -> jinja2.Template:
    """The package's report template, or the user's (which may extend it)."""
    if path is None:
        return environment(None).get_template(DEFAULT_TEMPLATE)
    path = path.expanduser().resolve()
    return environment(str(path.parent)).get_template(path.name)


def _claims(report: Report, options: RenderOptions) -> Iterator[tuple[ClaimView, str]]:
    header = report.header
    observe = options.observe_review
    for claim in report.iter_claims():
        review = claim_review(header, claim)
        if observe is not None:
            observe(claim, review)
        yield view(header, claim, options.tolerance), script_json(review)


def render(report: Report, options: RenderOptions) -> Iterator[str]:
    header = report.header
    template = load_template(options.template)
    context: dict[str, Any] = {
        "report": header,
        "org": header.organisation,
        "claims": _claims(report, options),
        "chart": chart(header.summary),
        "badges": badge_styles(header),
        "filters": header.filters.describe(),
        "verdict_label": lambda key: verdict_label(header, key),
        "toc_item": lambda entry: toc_item(entry, verdict_label(header, entry.verdict)),
        "toc_items": lambda entries: toc_items(header, entries),
        "generated": header.generated_at,
    }
    # Jinja yields pieces from a few bytes (the page's frame) to a whole claim's article: hand
    # them on joined by size, not by count, so memory stays flat whatever the pieces hold.
    pieces: list[str] = []
    size = 0
    for piece in template.generate(**context):
        pieces.append(piece)
        size += len(piece)
        if size >= BUFFER_CHARS:
            yield "".join(pieces)
            pieces.clear()
            size = 0
    if pieces:
        yield "".join(pieces)


__all__ = ["Chart", "badge_styles", "chart", "environment", "load_template", "render"]
