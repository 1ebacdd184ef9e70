"""Renders the whole site from a report: every page and file, as (path, bytes), in a fixed order.

Pure: no database, no clock, no file system (the writer, :mod:`claimcheck.export.site.output`,
decides what to write). The claims stream through once; each claim page is rendered as its claim
arrives and only its :class:`~claimcheck.export.site.pages.Listing` and its ClaimReview JSON are
kept for the listings, feeds, sitemap and DataFeed built at the end.

Layout (every claim's permanent URL is ``claims/<id>/``, used everywhere):

- ``index.html`` and ``page/<n>/``: the fact-checks newest first (first publication), with the
  verdict chart and the views by verdict, tag and claimant;
- ``claims/<id>/``, ``claimants/`` and ``claimants/<id>/``, ``tags/`` and ``tags/<tag>/``,
  ``verdicts/<verdict>/``, ``corrections/``, ``methodology/``;
- ``feed.xml`` (Atom), ``feed.json`` (JSON Feed 1.1), ``sitemap.xml``, ``claimreview.json``
  (schema.org DataFeed), ``style.css``.

Links between pages are relative (``../../claims/5/``), so the folder works from any web server
path and from a local ``python -m http.server``; canonical links, Open Graph, feeds, sitemap and
markup use the absolute URL under ``org_url``. Pages carry a Content-Security-Policy that allows
only the site's own stylesheet: no script runs and nothing is fetched from anywhere else.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from claimcheck.export.claimreview import script_json
from claimcheck.export.common import css_key, http_url, safe_colour, text_colour
from claimcheck.export.model import ClaimantInfo, ClaimEntry, RatingInfo, Report, ReportHeader
from claimcheck.export.site import feeds
from claimcheck.export.site.claim_html import ClaimHTML
from claimcheck.export.site.options import SiteOptions
from claimcheck.export.site.output import Stored
from claimcheck.export.site.pages import (
    Listing,
    Notice,
    claim_page,
    claimant_path,
    page_language,
    tag_path,
    verdict_path,
)
from claimcheck.i18n import format_date, translations
from claimcheck.languages import direction

TEMPLATES = Path(__file__).parent / "templates"
# A plain mark, so browsers find an icon on the site and ask nothing else for one.
FAVICON = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
    b'<rect width="32" height="32" rx="6" fill="#0b4f71"/>'
    b'<path d="M9 17l5 5 10-12" fill="none" stroke="#fff" stroke-width="4" '
    b'stroke-linecap="round" stroke-linejoin="round"/></svg>\n'
)
PER_PAGE = 50
TOP_CLAIMANTS = 12


@dataclass(frozen=True, slots=True)
class ClaimFile:
    """A rendered claim page and what the listings, feeds and DataFeed keep of it."""

    path: str
    data: bytes | Stored  # Stored: a worker has written it (SiteOptions.store)
    listing: Listing
    review: dict[str, Any]
    review_json: str
    corrections: tuple[Notice, ...]  # its public notices other than "published"
    findings: tuple[Any, ...] = ()  # what SiteOptions.check_review found in its ClaimReview


@dataclass
class _Collected:
    listings: list[Listing] = field(default_factory=list)
    reviews: list[tuple[Listing, str]] = field(default_factory=list)
    corrections: list[tuple[Listing, Notice]] = field(default_factory=list)


# The helpers below build their HTML from plain strings and markupsafe's escape (what
# Markup.format does for each value, without string.Formatter's Python-level machinery): they
# run tens of thousands of times a publish.


def _bdi(value: object) -> Markup:
    """Text isolated from its surroundings' direction (names, titles in mixed scripts)."""
    return Markup(f'<bdi dir="auto">{escape(value)}</bdi>')


def _people(people: Sequence[ClaimantInfo], language: str, titles: bool = True) -> Markup:
    """Claimants as the language lists them ("A, B and C", "A وB"), each name isolated, with
    its job title."""
    if not people:
        return Markup("")
    comma = str(escape("، " if direction(language) == "rtl" else ", "))
    pieces = []
    for person in people:
        piece = f'<span class="who"><bdi dir="auto">{escape(person.name)}</bdi></span>'
        if titles and person.job_title:
            job = escape(person.job_title)
            piece += f'{comma}<span class="job"><bdi dir="auto">{job}</bdi></span>'
        pieces.append(piece)
    joined = _list_pattern(len(pieces), language)
    for n, piece in enumerate(pieces):
        joined = joined.replace(f"\x00{n}\x00", piece)
    return Markup(joined)


@functools.lru_cache(maxsize=64)
def _list_pattern(count: int, language: str) -> str:
    """The language's list of ``count`` items, with numbered placeholders (escaped HTML)."""
    from babel.lists import format_list

    tokens = [f"\x00{n}\x00" for n in range(count)]
    return str(Markup.escape(format_list(tokens, locale=language.replace("-", "_"))))


def _callables(language: str) -> tuple[Callable[..., Markup], Callable[..., Markup]]:
    """gettext/ngettext for the templates: the translation as Markup, with the keyword
    arguments formatted in (escaped unless Markup), as jinja2's "newstyle" gettext does; the
    translations themselves are cached, since every page asks for the same few dozen."""
    catalogue = translations(language)

    @functools.lru_cache(maxsize=512)
    def translated(message: str) -> Markup:
        return Markup(catalogue.gettext(message))

    @functools.lru_cache(maxsize=64)
    def translated_plural(singular: str, plural: str, n: int) -> Markup:
        return Markup(catalogue.ngettext(singular, plural, n))

    def gettext(message: str, **variables: Any) -> Markup:
        text = translated(message)
        return text % variables if variables else text

    def ngettext(singular: str, plural: str, n: int, **variables: Any) -> Markup:
        return translated_plural(singular, plural, n) % {"num": n, **variables}

    return gettext, ngettext


@functools.lru_cache(maxsize=8)
def _environment(language: str) -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        auto_reload=False,  # the shipped templates do not change during a publish: no stat a page
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    gettext, ngettext = _callables(language)
    env.install_gettext_callables(gettext, ngettext, newstyle=False)  # type: ignore[attr-defined]
    env.globals["_"] = gettext  # skip the extension's alias: one call less per message
    env.filters["bdi"] = _bdi
    env.filters["link"] = http_url
    env.filters["iso"] = feeds.rfc3339
    env.filters["date"] = lambda value: _date(value, language)
    env.filters["css"] = css_key
    env.filters["people"] = lambda people, titles=True: _people(people, language, titles)
    env.globals["site_tag_path"] = tag_path
    env.globals["badge"] = _badge
    flags = {
        "under-review": Markup('<span class="flag flag-review">{}</span>').format(
            gettext("Under review")
        ),
        "corrected": Markup('<span class="flag flag-corrected">{}</span>').format(
            gettext("Corrected")
        ),
        "updated": Markup('<span class="flag flag-updated">{}</span>').format(gettext("Updated")),
    }
    env.globals["state_flag"] = lambda state: flags.get(state, Markup(""))
    return env


def _badge(verdict_class: str, text: object) -> Markup:
    return Markup(f'<span class="badge v-{escape(verdict_class)}">{escape(text)}</span>')


def _date(value: dt.date | dt.datetime | None, language: str) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.astimezone(dt.UTC).date()
    return _day(value, language)


@functools.lru_cache(maxsize=4096)
def _day(value: dt.date, language: str) -> str:
    return format_date(value, language)


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    colour: str
    href: str
    x: int
    y: int
    width: int
    text_x: int
    count_x: int


def chart(
    counts: Counter[str | None],
    ratings: Sequence[RatingInfo],
    label: Callable[[str | None], str],
    *,
    root: str,
    rtl: bool,
    width: int = 520,
    label_width: int = 150,
) -> dict[str, Any]:
    """The verdict chart as SVG geometry (mirrored for a right-to-left page)."""
    keys: list[str | None] = [r.key for r in ratings if counts.get(r.key)]
    keys += sorted(k for k in counts if k is not None and k not in keys)
    if counts.get(None):
        keys.append(None)
    colours = {r.key: safe_colour(r.colour) for r in ratings}
    top = max((counts[k] for k in keys), default=0) or 1
    track = width - label_width - 56
    row, bar_h = 30, 20
    bars = []
    for n, key in enumerate(keys):
        size = max(2, round(track * counts[key] / top))
        y = n * row + 4
        if rtl:
            x = width - label_width - size
            text_x, count_x = width - label_width + 10, x - 8
        else:
            x = label_width
            text_x, count_x = label_width - 10, label_width + size + 8
        bars.append(
            Bar(
                label(key),
                counts[key],
                colours.get(key or "", "#8c959f"),
                root + verdict_path(key),
                x,
                y,
                size,
                text_x,
                count_x,
            )
        )
    return {
        "bars": bars,
        "width": width,
        "height": max(row, len(bars) * row + 6),
        "bar_height": bar_h,
        "anchor": "start" if rtl else "end",
        "count_anchor": "end" if rtl else "start",
    }


class SiteRenderer:
    def __init__(self, report: Report, options: SiteOptions) -> None:
        self.report = report
        self.header: ReportHeader = report.header
        self.options = options
        self.base = self.header.organisation.url.rstrip("/") + "/"
        self.site_language = page_language(options.language, options.language)
        self.collected = _Collected()
        self._listed: dict[int, tuple[str, str]] = {}

    # -- helpers -----------------------------------------------------------------------------

    def label(self, verdict: str | None, language: str) -> str:
        rating = self.header.scale.get(verdict) if verdict else None
        if verdict is None:
            return str(translations(language).gettext("Not rated"))
        if rating is None:
            return verdict
        return rating.label_in(language)

    @functools.cache  # noqa: B019 (one renderer per publish)
    def labeller(self, language: str) -> Callable[[str | None], str]:
        """:meth:`label` in ``language``."""
        return functools.partial(self.label, language=language)

    def _common(self, language: str, depth: int) -> dict[str, Any]:
        return {
            "site": self,
            "org": self.header.organisation,
            "lang": language,
            "dir": direction(language),
            "root": "../" * depth or "./",
        }

    @functools.cache  # noqa: B019 (one renderer per publish)
    def chrome(self, language: str, depth: int) -> dict[str, Markup]:
        """The page parts that depend only on the language and the depth, rendered once."""
        module = (
            _environment(language)
            .get_template("_chrome.html.j2")
            .make_module(vars=self._common(language, depth))
        )
        return {
            part: Markup(getattr(module, part)()) for part in ("head", "links", "top", "bottom")
        }

    def _render(self, template: str, language: str, depth: int, **context: Any) -> bytes:
        env = _environment(language)
        page = env.get_template(template).render(
            **self._common(language, depth),
            chrome=self.chrome(language, depth),
            label=lambda verdict: self.label(verdict, language),
            **context,
        )
        return str(page).encode("utf-8")

    def claimants_of(self, item: Listing) -> list[ClaimantInfo]:
        people = self.header.claimant_by_id
        return [people[i] for i in item.claimant_ids if i in people]

    def listing_items(self, items: Sequence[Listing], root: str) -> Markup:
        """The ``<li>`` of each item in a listing (``_macros.html.j2``), in the site's
        language. A claim is listed on several pages (newest, its verdict, tags, claimants), so
        each item is built once, around the one part that differs: the link's ``root``."""
        parts = self._listed
        out = []
        for item in items:
            cached = parts.get(item.id)
            if cached is None:
                cached = parts[item.id] = self._listing_item(item)
            out.append(cached[0])
            out.append(str(escape(root)))
            out.append(cached[1])
        return Markup("".join(out))

    def _listing_item(self, item: Listing) -> tuple[str, str]:
        lang = self.site_language
        flag = _environment(lang).globals["state_flag"](item.state)
        people = self.claimants_of(item)
        who = f"<span>{_people(people, lang, False)}</span>" if people else ""
        badge = _badge(item.verdict_class, self.label(item.verdict, lang))
        head = f'  <li>\n    <p class="item-head">{badge} {flag}</p>\n    <h3><a href="'
        tail = (
            f'{escape(item.path)}" lang="{escape(item.language)}" dir="{escape(item.dir)}">'
            f'{escape(item.headline)}</a></h3>\n    <p class="meta">{who}<span><time datetime="'
            f'{escape(feeds.rfc3339(item.published))}">{escape(_date(item.published, lang))}'
            "</time></span></p>\n  </li>\n"
        )
        return head, tail

    # -- the claims ----------------------------------------------------------------------------

    def prepare(self) -> None:
        """Load what every claim page of the site's language uses (before the workers fork,
        so that they share it instead of each compiling it again)."""
        self.claim_html(self.site_language)
        self.chrome(self.site_language, 2)

    @functools.cache  # noqa: B019 (one renderer per publish)
    def claim_html(self, language: str) -> ClaimHTML:
        """The claim pages' builder in ``language`` (:mod:`.claim_html`), with the words,
        filters and badges the templates of that language use."""
        env = _environment(language)
        return ClaimHTML(
            language,
            gettext=env.globals["_"],
            date=env.filters["date"],
            people=env.filters["people"],
            badge=_badge,
            flag=env.globals["state_flag"],
            tag_path=tag_path,
        )

    def claim_file(self, claim: ClaimEntry) -> ClaimFile:
        """One claim's page, and what the rest of the site needs of it. Pure: the worker
        processes of :mod:`.parallel` run it too."""
        page = claim_page(
            self.header,
            claim,
            site_language=self.options.language,
            tolerance=self.options.tolerance,
        )
        item = page.listing
        review_json = script_json(page.review)
        language = page.page_language
        data = (
            self.claim_html(language)
            .page(
                page,
                review_json,
                org=self.header.organisation,
                chrome=self.chrome(language, 2),
                label=self.labeller(language),
            )
            .encode("utf-8")
        )
        notices = tuple(n for n in page.notices if n.kind != "published")
        check = self.options.check_review
        findings = tuple(check(item, page.review)) if check is not None else ()
        return ClaimFile(
            item.path + "index.html", data, item, page.review, review_json, notices, findings
        )

    def claim_pages(self) -> Iterator[tuple[str, bytes | Stored]]:
        from claimcheck.export.site.parallel import claim_files

        observe = self.options.observe_review
        collected = self.collected
        for done in claim_files(self, self.report, self.options.workers):
            item = done.listing
            if observe is not None:
                observe(item, done.review, list(done.findings))
            collected.listings.append(item)
            collected.reviews.append((item, done.review_json))
            for notice in done.corrections:
                collected.corrections.append((item, notice))
            yield done.path, done.data

    # -- listings ------------------------------------------------------------------------------

    def newest(self) -> list[Listing]:
        return sorted(self.collected.listings, key=lambda i: (i.published, i.id), reverse=True)

    def listing_pages(
        self,
        items: list[Listing],
        folder: str,
        template: str,
        depth: int,
        **context: Any,
    ) -> Iterator[tuple[str, bytes]]:
        pages = max(1, -(-len(items) // PER_PAGE))
        for number in range(1, pages + 1):
            chunk = items[(number - 1) * PER_PAGE : number * PER_PAGE]
            path = folder if number == 1 else f"{folder}page/{number}/"
            extra = 0 if number == 1 else 2
            yield (
                path + "index.html",
                self._render(
                    template,
                    self.site_language,
                    depth + extra,
                    items=chunk,
                    page_number=number,
                    pages=pages,
                    first_page=folder,
                    count=len(items),
                    canonical=self.base + path,
                    **context,
                ),
            )

    def pages(self) -> Iterator[tuple[str, bytes | Stored]]:
        yield from self.claim_pages()
        lang = self.site_language
        newest = self.newest()
        counts: Counter[str | None] = Counter(i.verdict for i in newest)
        tag_counts: Counter[str] = Counter(t for i in newest for t in i.tags)
        by_claimant: dict[int, list[Listing]] = defaultdict(list)
        for item in newest:
            for cid in item.claimant_ids:
                by_claimant[cid].append(item)
        people = self.header.claimant_by_id
        top = sorted(by_claimant, key=lambda c: (-len(by_claimant[c]), people[c].name, c))
        graph = chart(
            counts,
            self.header.scale.ratings,
            lambda key: self.label(key, lang),
            root="./",
            rtl=direction(lang) == "rtl",
        )
        tag_rows = sorted(tag_counts.items(), key=lambda kv: (-kv[1], kv[0]))
        views: dict[str, Any] = {
            "tags": tag_rows,
            "claimants": [(people[c], len(by_claimant[c])) for c in top[:TOP_CLAIMANTS]],
            "claimant_total": len(top),
        }
        yield from self.listing_pages(
            newest,
            "",
            "index.html.j2",
            0,
            chart=graph,
            views=views,
            total=len(newest),
            corrections=len(self.collected.corrections),
        )
        for key in [k for k in counts]:
            items = [i for i in newest if i.verdict == key]
            yield from self.listing_pages(
                items,
                verdict_path(key),
                "list.html.j2",
                2,
                kind="verdict",
                title=self.label(key, lang),
                verdict_class=css_key(key),
            )
        for tag in sorted(tag_counts):
            items = [i for i in newest if tag in i.tags]
            yield from self.listing_pages(
                items, tag_path(tag), "list.html.j2", 2, kind="tag", title=tag
            )
        yield (
            "tags/index.html",
            self._render(
                "tags.html.j2",
                lang,
                1,
                tags=[(tag, tag_path(tag), n) for tag, n in tag_rows],
                canonical=self.base + "tags/",
            ),
        )
        for cid in sorted(by_claimant):
            yield from self.listing_pages(
                by_claimant[cid],
                claimant_path(cid),
                "list.html.j2",
                2,
                kind="claimant",
                title=people[cid].name,
                claimant=people[cid],
            )
        yield (
            "claimants/index.html",
            self._render(
                "claimants.html.j2",
                lang,
                1,
                claimants=[
                    (people[c], claimant_path(c), len(by_claimant[c]))
                    for c in sorted(by_claimant, key=lambda c: (people[c].name.casefold(), c))
                ],
                canonical=self.base + "claimants/",
            ),
        )
        corrections = sorted(
            self.collected.corrections, key=lambda pair: (pair[1].at, pair[0].id), reverse=True
        )
        yield (
            "corrections/index.html",
            self._render(
                "corrections.html.j2",
                lang,
                1,
                corrections=corrections,
                canonical=self.base + "corrections/",
            ),
        )
        yield (
            "methodology/index.html",
            self._render(
                "methodology.html.j2",
                lang,
                1,
                sections=methodology_sections(self.options.methodology),
                scale=self.header.scale,
                canonical=self.base + "methodology/",
            ),
        )
        yield "style.css", self._render("style.css.j2", lang, 0, badges=self.badges())
        yield "favicon.svg", FAVICON
        yield from self.machine_files(newest)

    def badges(self) -> list[tuple[str, str, str]]:
        return [
            (css_key(r.key), safe_colour(r.colour), text_colour(r.colour))
            for r in self.header.scale.ratings
        ]

    # -- feeds, sitemap, DataFeed --------------------------------------------------------------

    def machine_files(self, newest: list[Listing]) -> Iterator[tuple[str, bytes]]:
        lang = self.site_language
        words_t = translations(lang)
        words = {
            "under_review": words_t.gettext("This fact-check is under review."),
            "correction": words_t.gettext("Correction"),
            "update": words_t.gettext("Update"),
        }
        title = self.header.organisation.name
        entries = feeds.feed_entries(newest)
        labels = {i.id: self.label(i.verdict, i.language) for i in entries if i.verdict}
        for name, build in (("feed.xml", feeds.atom), ("feed.json", feeds.json_feed)):
            yield (
                name,
                build(
                    entries,
                    title=title,
                    base=self.base,
                    language=self.options.language,
                    author=self.header.organisation.name,
                    labels=labels,
                    words=words,
                ),
            )
        urls: list[tuple[str, dt.date | None]] = []
        latest = max((i.updated for i in newest), default=None)
        latest_day = latest.astimezone(dt.UTC).date() if latest else None
        urls.append((self.base, latest_day))
        for item in sorted(newest, key=lambda i: i.id):
            urls.append((item.url, item.updated.astimezone(dt.UTC).date()))
        for path in ("claimants/", "tags/", "corrections/", "methodology/"):
            urls.append((self.base + path, None))
        yield "sitemap.xml", feeds.sitemap(urls)
        from claimcheck.export.claimreview import _organisation

        reviews = sorted(self.collected.reviews, key=lambda pair: pair[0].id)
        yield (
            "claimreview.json",
            feeds.data_feed(
                reviews,
                name=str(words_t.gettext("Fact-checks by %(org)s") % {"org": title}),
                base=self.base,
                org=_organisation(self.header),
            ),
        )


def methodology_sections(text: str | None) -> list[tuple[str | None, list[str]]] | None:
    """The configured methodology as (heading, paragraphs) sections; None: use ours."""
    if text is None or not text.strip():
        return None
    sections: list[tuple[str | None, list[str]]] = [(None, [])]
    for block in text.replace("\r\n", "\n").split("\n\n"):
        block = block.strip()
        if not block:
            continue
        if block.startswith("## "):
            first, _, rest = block.partition("\n")
            sections.append((first[3:].strip(), []))
            block = rest.strip()
            if not block:
                continue
        sections[-1][1].append(" ".join(block.split()))
    return [s for s in sections if s[0] is not None or s[1]]


def render_site(report: Report, options: SiteOptions) -> Iterator[tuple[str, bytes | Stored]]:
    """Every file of the site as (path relative to the site folder, bytes), or ``Stored`` for a
    claim page a worker process has already stored (``SiteOptions.store``)."""
    return SiteRenderer(report, options).pages()


__all__ = [
    "PER_PAGE",
    "ClaimFile",
    "SiteOptions",
    "SiteRenderer",
    "methodology_sections",
    "render_site",
]
