"""A claim's page, built in Python: the one page the site has 10,000 of.

Every other page is a Jinja template (``templates/``). The claim page was one too, and rendering
it was most of a publish: about 190 pieces of output a page, each through Jinja's nested
generators (the page, its frame, the block), an ``escape`` and, for each of its words, a call
through the template context — ≈ 0.4 ms a page, five times what building the page's data takes.
Here it is plain string building with markupsafe's ``escape`` on every value (so untrusted text
stays inert exactly as under autoescape), the words of the page's language looked up once per
language, and each source's citation built once per publish. The markup is that of the former
``claim.html.j2`` inside ``base.html.j2``'s frame, byte for byte (its ``trim_blocks`` /
``lstrip_blocks`` whitespace included): ``tests/test_publish_golden.py`` holds every byte of the
site, and the frame's parts shared with the other pages come from ``_chrome.html.j2``
(:meth:`SiteRenderer.chrome`). The only unescaped output is the ClaimReview JSON, whose ``<``,
``>`` and ``&`` are already ``\\u``-escaped (:func:`claimcheck.export.claimreview.script_json`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from claimcheck.export.common import http_url
from claimcheck.export.site.feeds import rfc3339
from claimcheck.languages import direction

if TYPE_CHECKING:
    from claimcheck.export.model import Organisation, SourceInfo
    from claimcheck.export.site.pages import ClaimPage, EvidenceItem, Notice

_NOTICE_KINDS = ("corrected", "reviewed", "withdrawn", "updated")


def N_(message: str) -> str:
    """A message translated later: marks it for ``scripts/i18n.py``'s extraction."""
    return message


def bdi(value: object) -> str:
    """Text isolated from its surroundings' direction (names, titles in mixed scripts)."""
    return f'<bdi dir="auto">{escape(value)}</bdi>'


class ClaimHTML:
    """Claim pages in one language: ``gettext`` (the language's, returning Markup), ``date``
    (its date format), ``people`` (its list of claimants), ``badge`` and ``flag`` (the verdict
    badge and state flag the listings use too), ``tag_path`` (a tag's folder)."""

    def __init__(
        self,
        lang: str,
        *,
        gettext: Callable[..., Markup],
        date: Callable[[dt.date | dt.datetime | None], str],
        people: Callable[..., Markup],
        badge: Callable[[str, object], Markup],
        flag: Callable[[str], Markup],
        tag_path: Callable[[str], str],
    ) -> None:
        self.lang = lang
        self.gettext = gettext
        self.date = date
        self.people = people
        self.badge = badge
        self.flag = flag
        self.dir = direction(lang)
        self.tag_path = tag_path
        self.locale = str(escape(lang)).replace("-", "_")
        self._cited: dict[tuple[int, str | None], str] = {}
        words = (
            N_("Under review"),
            N_("Update"),
            N_("Correction"),
            N_("History"),
            N_("Our verdict"),
            N_("Evidence"),
            N_("Supports"),
            N_("Refutes"),
            N_("Context"),
            N_("archived copy"),
            N_("The numbers, checked"),
            N_("Also said"),
            N_("Published."),
            N_("Withdrawn."),
            N_("Updated."),
            N_("Reopened for review."),
            N_("Published"),
            N_("Updated"),
            N_("Tags"),
            N_("Permanent link"),
        )
        self.words = {word: str(gettext(word)) for word in words}

    # -- the page ----------------------------------------------------------------------------

    def page(
        self,
        page: ClaimPage,
        review_json: str,
        *,
        org: Organisation,
        chrome: Mapping[str, Markup],
        label: Callable[[str | None], str],
    ) -> str:
        """The whole page, ``base.html.j2``'s frame around the claim."""
        item = page.listing
        w = self.words
        headline = escape(item.headline)
        description = escape(page.description)
        canonical = escape(item.url)
        org_name = escape(org.name)
        out = [
            f'<!DOCTYPE html>\n<html lang="{escape(self.lang)}" dir="{escape(self.dir)}">\n'
            f"<head>\n{chrome['head']}<title>{headline} · {org_name}</title>\n"
            f'<meta name="description" content="{description}">\n'
            f'<link rel="canonical" href="{canonical}">\n'
            f'{chrome["links"]}<meta property="og:url" content="{canonical}">\n'
            f'<meta property="og:locale" content="{self.locale}">\n'
            '<meta property="og:type" content="article">\n'
            f'<meta property="og:title" content="{headline}">\n'
            f'<meta property="og:description" content="{description}">\n'
            f'<meta property="article:published_time" content="{escape(rfc3339(item.published))}">\n'
        ]
        if item.modified:
            out.append(
                f'<meta property="article:modified_time" content="{escape(rfc3339(item.modified))}">\n'
            )
        for tag in item.tags:
            out.append(f'<meta property="article:tag" content="{escape(tag)}">\n')
        out.append(
            '<meta name="twitter:card" content="summary">\n'
            f'<meta name="twitter:title" content="{headline}">\n'
            f'<meta name="twitter:description" content="{description}">\n'
        )
        logo = http_url(org.logo)
        if logo:
            out.append(
                f'<meta property="og:image" content="{escape(logo)}">\n'
                f'<meta name="twitter:image" content="{escape(logo)}">\n'
            )
        verdict_label = label(item.verdict)
        badge = self.badge(item.verdict_class, verdict_label)
        claim_lang = f'lang="{escape(item.language)}" dir="{escape(item.dir)}"'
        out.append(
            f'<script type="application/ld+json">{review_json}</script>\n'
            f'</head>\n<body>\n{chrome["top"]}<main id="main" class="page">\n'
            '<article class="claim" aria-labelledby="claim-h">\n'
            f'  <p class="kicker">{badge} {self.flag(item.state)}</p>\n'
            f'  <h1 id="claim-h" {claim_lang}>{headline}</h1>\n'
        )
        if page.under_review:
            since = self.gettext(
                "Since %(date)s we are reviewing this fact-check again. Until we finish, the "
                "rating below is the one we published.",
                date=self.date(page.under_review.at),
            )
            out.append(
                f'  <p class="notice notice-review" role="status"><strong>{w["Under review"]}'
                f"</strong> {since}</p>\n"
            )
        for notice in reversed(page.notices):
            if notice.kind in _NOTICE_KINDS:
                out.append(self._latest_notice(notice))
                break
        out.append(
            '  <figure class="quote">\n'
            f"    <blockquote {claim_lang}><p>{escape(page.claim.text)}</p></blockquote>\n"
            "    <figcaption>\n"
        )
        if page.claimants:
            out.append(f'<span class="people">{self.people(page.claimants)}</span>')
        if page.said_on:
            out.append(
                f'<span class="when"><time datetime="{escape(page.said_on.isoformat())}">'
                f"{escape(self.date(page.said_on))}</time></span>"
            )
        if page.source:
            out.append(
                f'<span class="where">{self._citation(page.source, page.source_link)}</span>'
            )
        meaning = ""
        if page.rating and page.rating.meaning and self.lang == "en":
            meaning = f' <span class="meaning">{escape(page.rating.meaning)}</span>'
        out.append(
            "    </figcaption>\n  </figure>\n"
            f'  <section class="verdict-box v-{escape(item.verdict_class)}" '
            'aria-labelledby="verdict-h">\n'
            f'    <h2 id="verdict-h">{w["Our verdict"]}</h2>\n'
            f'    <p class="verdict">{badge}{meaning}</p>\n'
        )
        if page.rationale:
            out.append(f'<p class="rationale" {claim_lang}>{escape(page.rationale)}</p>')
        out.append("  </section>\n")
        if page.evidence:
            out.append(
                '  <section class="evidence" aria-labelledby="evidence-h">\n'
                f'    <h2 id="evidence-h">{w["Evidence"]}</h2>\n    <ol>\n'
            )
            out.extend(self._evidence_item(ev) for ev in page.evidence)
            out.append("    </ol>\n  </section>\n")
        if page.numbers:
            out.append(
                '  <section class="numbers" aria-labelledby="numbers-h">\n'
                f'    <h2 id="numbers-h">{w["The numbers, checked"]}</h2>\n'
                '    <ul lang="en" dir="ltr">\n'
            )
            out.extend(f"      <li>{escape(line)}</li>\n" for line in page.numbers)
            out.append("    </ul>\n  </section>\n")
        if page.appearances:
            out.append(
                '  <section class="appearances" aria-labelledby="also-h">\n'
                f'    <h2 id="also-h">{w["Also said"]}</h2>\n    <ul>\n'
            )
            for app in page.appearances:
                link = http_url(app.url)
                if link:
                    name = bdi(app.title or app.publisher or app.url)
                    said = f'<a href="{escape(link)}" rel="nofollow noopener">{name}</a>'
                else:
                    said = bdi(app.title or app.url or "")
                if app.said_on:
                    said += (
                        f', <time datetime="{escape(app.said_on.isoformat())}">'
                        f"{escape(self.date(app.said_on))}</time>"
                    )
                out.append(f"      <li>{said}</li>\n")
            out.append("    </ul>\n  </section>\n")
        out.append(
            '  <section class="history" id="history" aria-labelledby="history-h">\n'
            f'    <h2 id="history-h">{w["History"]}</h2>\n    <ol>\n'
        )
        out.extend(self._history_item(notice, label) for notice in page.notices)
        if page.under_review:
            out.append(
                f"      <li>{self._time(page.under_review.at)}: {w['Reopened for review.']}</li>\n"
            )
        out.append(
            "    </ol>\n  </section>\n"
            '  <p class="credits">\n'
            f"    <span>{w['Published']} {self._time(item.published)}</span>\n"
        )
        if item.modified:
            out.append(f"<span>{w['Updated']} {self._time(item.modified)}</span>")
        if item.tags:
            out.append(f"<span>{w['Tags']}: {self._tag_links(item.tags, '../../')}</span>")
        out.append(
            "  </p>\n"
            f'  <p class="permalink"><a href="{canonical}">{w["Permanent link"]}</a></p>\n'
            f"</article>\n</main>\n{chrome['bottom']}</body>\n</html>\n"
        )
        return "".join(out)

    # -- its parts ---------------------------------------------------------------------------

    def _time(self, value: dt.datetime) -> str:
        return f'<time datetime="{escape(rfc3339(value))}">{escape(self.date(value))}</time>'

    def _latest_notice(self, notice: Notice) -> str:
        """The box at the top: the latest correction or update, with its public note."""
        w = self.words
        word = w["Update"] if notice.kind == "updated" else w["Correction"]
        return (
            f'  <p class="notice notice-{escape(notice.kind)}" role="note"><strong>{word}, '
            f"{self._time(notice.at)}:</strong> "
            f'<span dir="auto">{escape(notice.note)}</span> '
            f'<a href="#history">{w["History"]}</a></p>\n'
        )

    def _citation(self, source: SourceInfo, link: str | None) -> str:
        """A source: its title, linked when its URL may be; its publisher; its archived copy.
        Many claims cite the same source: built once."""
        key = (source.id, link)
        found = self._cited.get(key)
        if found is not None:
            return found
        if link:
            name = source.title or source.publisher or source.url
            out = f'<a href="{escape(link)}" rel="nofollow noopener">{bdi(name)}</a>'
        else:
            out = bdi(source.title or source.url)
        if source.publisher and source.title:
            out += f" ({bdi(source.publisher)})"
        archived = http_url(source.archived_copy)
        if archived:
            out += (
                f' · <a class="archived" href="{escape(archived)}" rel="nofollow noopener">'
                f"{self.words['archived copy']}</a>"
            )
        self._cited[key] = out
        return out

    def _evidence_item(self, ev: EvidenceItem) -> str:
        w = self.words
        stance = {"supports": w["Supports"], "refutes": w["Refutes"]}.get(ev.stance, w["Context"])
        out = (
            f'      <li><span class="stance stance-{escape(ev.stance)}">{stance}</span> '
            f'<q class="excerpt" dir="auto">{escape(ev.excerpt)}</q>\n'
        )
        if ev.source:
            out += f'<span class="cite">— {self._citation(ev.source, ev.link)}</span>'
        if ev.figure:
            out += f'<span class="figure" lang="en" dir="ltr">{escape(ev.figure)}</span>'
        return out + "      </li>\n"

    def _history_item(self, notice: Notice, label: Callable[[str | None], str]) -> str:
        """One line of the history: when, and what happened."""
        w = self.words
        kind = notice.kind
        if kind == "published":
            what = w["Published."] + "\n"
        elif kind == "corrected":
            what = (
                self.gettext(
                    "Corrected: the rating changed from %(old)s to %(new)s.",
                    old=label(notice.old_verdict),
                    new=label(notice.new_verdict),
                )
                + "\n"
            )
        elif kind == "reviewed":
            what = (
                self.gettext(
                    "Reviewed again; the rating %(new)s stands.", new=label(notice.new_verdict)
                )
                + "\n"
            )
        elif kind == "withdrawn":
            what = w["Withdrawn."] + "\n"
        else:
            what = w["Updated."]
        out = f"      <li>{self._time(notice.at)}:\n{what}"
        if notice.note:
            out += f' <span dir="auto">{escape(notice.note)}</span>'
        return out + "</li>\n"

    def _tag_links(self, tags: Sequence[str], root: str) -> str:
        return ", ".join(
            f'<a href="{escape(root)}{escape(self.tag_path(tag))}">{bdi(tag)}</a>' for tag in tags
        )


__all__ = ["ClaimHTML", "bdi"]
