"""Helpers shared by the renderers: slugs, safe links, and a resolved view of one claim.

Every renderer needs the same small decisions made the same way, so they live here once:

- :func:`claim_slug`: ``<id>-<words>``, the HTML and Markdown anchor of a claim in a report;
  :func:`claim_url`: the claim's permanent page ``<org_url>/claims/<id>/`` on the published site,
  used as the ClaimReview ``url``, the reports' permalink and every link the site makes;
- :func:`http_url`: the one test of whether a stored URL may become a link. Sources are untrusted
  input (a ``javascript:`` URL can be stored through the ORM or an import), so only absolute
  ``http``/``https`` URLs are ever linked; anything else is shown as text, or left out;
- :class:`ClaimView`: a claim with its claimant, source, rating and evidence sources resolved from
  the report header, so templates do no lookups;
- fixed formatting of dates, times and figures, so output is byte-identical run after run.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

from claimcheck.export.model import (
    Appearance,
    ClaimantInfo,
    ClaimEntry,
    CorrectionEntry,
    EvidenceEntry,
    RatingInfo,
    ReportHeader,
    SourceInfo,
)

SLUG_WORDS_MAX = 60
_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
NEUTRAL_COLOUR = "#57606a"


_SLUG_WORD = re.compile(r"[a-z0-9]+")


def slugify(text: str, limit: int = SLUG_WORDS_MAX) -> str:
    """ASCII words joined by hyphens, cut at a word boundary; '' when nothing ASCII is left."""
    if not text.isascii():  # NFKD leaves ASCII as it is
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = _SLUG_WORD.findall(text.lower())
    slug = "-".join(words)
    if len(slug) <= limit:
        return slug
    length, kept = -1, 0  # the words that fit, each after a hyphen but the first
    for word in words:
        length += len(word) + 1
        if length > limit:
            break
        kept += 1
    return "-".join(words[:kept])


def claim_slug(claim_id: int, statement: str | None, text: str) -> str:
    words = slugify(statement or text)
    return f"{claim_id}-{words}" if words else str(claim_id)


def claim_path(claim_id: int) -> str:
    """The claim page's path on the published site, relative to its root."""
    return f"claims/{claim_id}/"


def claim_url(org_url: str, claim_id: int) -> str:
    """The permanent URL of a claim's page: ``<org_url>/claims/<id>/``. It holds no slug, so a
    correction that edits the statement never changes it."""
    return f"{org_url.rstrip('/')}/{claim_path(claim_id)}"


def anchor(claim_id: int) -> str:
    return f"claim-{claim_id}"


_NOT_IN_URL = re.compile(r"[\s\x00-\x1f\x7f]")


@functools.lru_cache(maxsize=4096)
def _is_http_url(value: str) -> bool:
    if _NOT_IN_URL.search(value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def http_url(value: str | None) -> str | None:
    """The URL if it is an absolute http(s) URL with a host, else None (never linked)."""
    return value if value and _is_http_url(value) else None


@functools.lru_cache(maxsize=64)
def _claim_urls_linked(org_url: str) -> bool:
    # Every claim's URL is org_url + "/claims/<digits>/": digits are no URL delimiter, so all of
    # them parse alike, and the one test of claim 0 stands for every claim (one urlsplit a
    # report, not one a claim: each claim's URL is new to http_url's cache).
    return http_url(claim_url(org_url, 0)) is not None


def claim_link(org_url: str, claim_id: int) -> str | None:
    """``http_url(claim_url(org_url, claim_id))``: the claim's permanent URL when it may be
    linked, else None."""
    return claim_url(org_url, claim_id) if _claim_urls_linked(org_url) else None


def safe_colour(value: str) -> str:
    return value if _COLOUR.match(value) else NEUTRAL_COLOUR


def text_colour(background: str) -> str:
    """Black or white, whichever contrasts more with the badge colour (WCAG luminance)."""
    hexa = safe_colour(background).lstrip("#")
    if len(hexa) == 3:
        hexa = "".join(c * 2 for c in hexa)
    channels = []
    for i in (0, 2, 4):
        c = int(hexa[i : i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
    lum = 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]
    contrast_white = 1.05 / (lum + 0.05)
    contrast_black = (lum + 0.05) / 0.05
    return "#ffffff" if contrast_white >= contrast_black else "#111111"


@functools.lru_cache(maxsize=256)
def css_key(key: str | None) -> str:
    """A verdict key as a CSS class suffix (letters, digits and hyphens only)."""
    if key is None:
        return "none"
    return re.sub(r"[^a-z0-9-]", "-", key.lower()) or "none"


def fmt_date(value: dt.date | None) -> str:
    """``19 May 2025`` (locale-independent)."""
    if value is None:
        return ""
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def fmt_time(value: dt.datetime | None) -> str:
    """``19 May 2025, 14:02 UTC``."""
    if value is None:
        return ""
    value = value.astimezone(dt.UTC)
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}, {value.hour:02d}:{value.minute:02d} UTC"


def iso_time(value: dt.datetime) -> str:
    """``2025-05-19T14:02:00Z``: the machine-readable form in <time datetime>."""
    v = value.astimezone(dt.UTC)
    # strftime("%Y-%m-%dT%H:%M:%SZ") without strftime's cost (the year unpadded, as glibc's %Y)
    return f"{v.year}-{v.month:02d}-{v.day:02d}T{v.hour:02d}:{v.minute:02d}:{v.second:02d}Z"


def fmt_number(value: float | None) -> str:
    """A figure without float noise: 19.3 → '19.3', 1000.0 → '1000', 0.1+0.2 → '0.3'."""
    if value is None:
        return ""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.10g}"


def fmt_figure(ev: EvidenceEntry) -> str:
    """``19.3 percent as of 1 May 2025`` (empty when the evidence has no figure)."""
    if ev.figure is None:
        return ""
    text = fmt_number(ev.figure)
    if ev.unit:
        text += f" {ev.unit}"
    if ev.as_of:
        text += f" as of {fmt_date(ev.as_of)}"
    return text


_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

STANCE_LABELS = {"supports": "Supports", "refutes": "Refutes", "context": "Context"}


def stance_label(stance: str) -> str:
    return STANCE_LABELS.get(stance, stance.capitalize())


def status_label(status: str) -> str:
    return status.replace("_", " ")


def rating_for(header: ReportHeader, verdict: str | None) -> RatingInfo | None:
    """The verdict's rating on the report's scale; an unknown key gets a neutral stand-in."""
    if verdict is None:
        return None
    found = header.scale.get(verdict)
    if found is not None:
        return found
    return RatingInfo(key=verdict, label=verdict, meaning="", value=None, colour=NEUTRAL_COLOUR)


def verdict_label(header: ReportHeader, verdict: str | None) -> str:
    rating = rating_for(header, verdict)
    return rating.label if rating else "Not rated"


@dataclass(frozen=True, slots=True)
class EvidenceView:
    entry: EvidenceEntry
    source: SourceInfo | None
    link: str | None  # the source URL when it may be linked (http/https)
    figure: str  # "19.3 percent as of 1 May 2025", or ""


@dataclass(frozen=True, slots=True)
class CorrectionView:
    entry: CorrectionEntry
    old_label: str
    new_label: str
    date: dt.datetime  # completed, else reopened
    pending: bool


@dataclass(frozen=True, slots=True)
class ClaimView:
    """One claim with everything a renderer shows resolved from the header.

    Plain fields computed once (not properties): a template reads them many times per claim.
    """

    claim: ClaimEntry
    claimant: ClaimantInfo | None
    source: SourceInfo | None
    rating: RatingInfo | None
    url: str
    link: str | None  # the url when it may be linked (http/https)
    anchor: str
    headline: str
    source_link: str | None
    claimant_link: str | None
    said_on: dt.date | None
    evidence: tuple[EvidenceView, ...]
    corrections: tuple[CorrectionView, ...]
    appearances: tuple[Appearance, ...]
    numbers: tuple[str, ...]  # numeric check: one line per comparison, then the suggestion


def numeric_lines(
    header: ReportHeader, claim: ClaimEntry, tolerance: float | None = None
) -> tuple[str, ...]:
    """The claim's quantities checked against its evidence figures (claimcheck.core.numeric), as
    the one-line explanations a reader sees; empty when nothing can be compared. The figures come
    from the same builder as ``claimcheck check``'s, so a source is named the same way."""
    figures = [e for e in claim.evidence if e.figure is not None]
    if not figures or not claim.quantities:
        return ()
    from claimcheck.core.numeric import check_claim, evidence_figure
    from claimcheck.core.quantities.model import Quantity

    sources = header.source_by_id
    check = check_claim(
        [Quantity.model_validate(q) for q in claim.quantities],
        [
            evidence_figure(
                e.figure,
                e.unit,
                as_of=e.as_of,
                stance=e.stance,
                evidence_id=e.id,
                publisher=source.publisher if source else None,
                title=source.title if source else None,
                url=source.url if source else None,
            )
            for e, source in ((e, sources.get(e.source_id)) for e in figures)
            if e.figure is not None
        ],
        claim_id=claim.id,
        said_on=claim.said_on,
        claim_tolerance=claim.tolerance,
        default_tolerance=tolerance,
        claim_text=claim.text,
    )
    lines = [c.explanation for c in check.checks if c.result != "not comparable"]
    if not lines:
        return ()
    return (*lines, check.suggestion.message)


def view(header: ReportHeader, claim: ClaimEntry, tolerance: float | None = None) -> ClaimView:
    sources = header.source_by_id
    claimant = header.claimant_by_id.get(claim.claimant_id) if claim.claimant_id else None
    source = sources.get(claim.source_id) if claim.source_id else None
    evidence = []
    for e in claim.evidence:
        src = sources.get(e.source_id)
        evidence.append(EvidenceView(e, src, http_url(src.url) if src else None, fmt_figure(e)))
    return ClaimView(
        claim=claim,
        claimant=claimant,
        source=source,
        rating=rating_for(header, claim.verdict),
        url=claim_url(header.organisation.url, claim.id),
        link=claim_link(header.organisation.url, claim.id),
        anchor=anchor(claim.id),
        headline=claim.headline,
        source_link=http_url(source.url) if source else None,
        claimant_link=http_url(claimant.same_as) if claimant else None,
        said_on=claim.said_on or (source.published_on if source else None),
        evidence=tuple(evidence),
        corrections=tuple(
            CorrectionView(
                c,
                verdict_label(header, c.old_verdict),
                verdict_label(header, c.new_verdict),
                c.completed_at or c.reopened_at,
                c.completed_at is None,
            )
            for c in claim.corrections
        ),
        appearances=tuple(claim.appearances),
        numbers=numeric_lines(header, claim, tolerance),
    )


__all__ = [
    "ClaimView",
    "CorrectionView",
    "EvidenceView",
    "anchor",
    "claim_link",
    "claim_path",
    "claim_slug",
    "claim_url",
    "css_key",
    "fmt_date",
    "fmt_figure",
    "fmt_number",
    "fmt_time",
    "http_url",
    "iso_time",
    "numeric_lines",
    "rating_for",
    "safe_colour",
    "slugify",
    "stance_label",
    "status_label",
    "text_colour",
    "verdict_label",
    "view",
]
