"""The Markdown export (GitHub-flavoured): readable as plain text, rendered nicely on GitHub.

User text (claims, names, titles, excerpts, rationales) is untrusted and goes through
:func:`md_text`: runs of white space (newlines included) collapse to one space, so a claim cannot
start a heading, list or table row of its own; and every character Markdown gives a meaning to
inline (``\\ ` * _ [ ] < > | ~ & #``) is backslash-escaped, so a claim
can neither break the claims table with ``|``, emphasise with ``*``/``_``, inject HTML with ``<``,
smuggle an entity with ``&``, nor forge a link with ``[``. Links are written only for http(s)
URLs, with the destination percent-encoded so it cannot end early; any other URL is shown as
escaped text. The only raw HTML emitted is our own ``<a id="claim-N"></a>`` anchor before each
claim, which GitHub keeps (as ``user-content-claim-N``) so the table of contents links work.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING
from urllib.parse import quote

from claimcheck.export.common import (
    ClaimView,
    anchor,
    fmt_date,
    fmt_time,
    http_url,
    stance_label,
    status_label,
    verdict_label,
    view,
)
from claimcheck.export.model import Report, ReportHeader

if TYPE_CHECKING:
    from claimcheck.export import RenderOptions

# Every character Markdown gives a meaning to inline, backslash-escaped; the backslash first, so
# the escapes added after it are not escaped again.
_SPECIAL = "\\`*_[]<>|~&#"
_NEEDS_ESCAPE = re.compile(r"[\\`*_\[\]<>|~&#]")


def md_text(value: str | None) -> str:
    """Untrusted text as inert inline Markdown.

    Most values hold none of the special characters: one search tells (``str.translate`` with
    a table took 3–4 µs a value, a third of the markdown export), and only a value that holds
    one is escaped, character by character with ``str.replace``."""
    if not value:
        return ""
    text = " ".join(value.split())
    if _NEEDS_ESCAPE.search(text) is None:
        return text
    for char in _SPECIAL:
        if char in text:
            text = text.replace(char, "\\" + char)
    return text


_URL_SAFE = ":/?#@!$&'*+,;=%~-._"


def md_link(label: str, url: str | None) -> str:
    """``[label](url)`` for an http(s) URL; otherwise the label (and the URL as text)."""
    safe = http_url(url)
    text = md_text(label)
    if safe is None:
        if url and url != label:
            return f"{text} ({md_text(url)})"
        return text
    dest = quote(safe, safe=_URL_SAFE)
    return f"[{text}]({dest})"


def _claimant(v: ClaimView) -> str:
    if v.claimant is None:
        return "Unattributed"
    name = md_text(v.claimant.name)
    link = v.claimant_link
    return f"{name} ([profile]({quote(link, safe=':/?#@!$&*+,;=%~-._')}))" if link else name


def _permalink(v: ClaimView) -> str:
    """``md_link("permalink", v.url)``, with the URL's test made once a report (``v.link``)."""
    if v.link is None:
        return md_link("permalink", v.url)
    return f"[permalink]({quote(v.link, safe=_URL_SAFE)})"


def _where(v: ClaimView) -> str:
    parts = []
    if v.source is not None:
        title = v.source.title or v.source.url
        parts.append(md_link(title, v.source.url))
        if v.source.publisher:
            parts.append(md_text(v.source.publisher))
        if v.source.archived_copy:
            parts.append(md_link("archived copy", v.source.archived_copy))
    if v.said_on:
        parts.append(fmt_date(v.said_on))
    return ", ".join(parts)


def _head(header: ReportHeader) -> Iterator[str]:
    org = header.organisation
    yield f"# {md_text(header.title)}\n\n"
    yield (
        f"Published by {md_link(org.name, org.url)} · generated {fmt_time(header.generated_at)} · "
        f"{header.summary.total} claim{'s' if header.summary.total != 1 else ''}  \n"
    )
    yield f"Selection: {md_text('; '.join(header.filters.describe()))}"
    if header.audit_head is not None:
        # An anchor: `claimcheck audit verify --anchor` checks the trail still contains it.
        yield f"  \nAudit trail head: `{header.audit_head.token}`"
    yield "\n\n"
    yield "## Summary\n\n| Verdict | Claims |\n| --- | ---: |\n"
    for row in header.summary.by_verdict:
        yield f"| {md_text(row.label)} | {row.count} |\n"
    yield f"| **Total** | **{header.summary.total}** |\n\n"
    if header.index:
        yield "## Claims\n\n| # | Claim | Verdict |\n| ---: | --- | --- |\n"
        for entry in header.index:
            yield (
                f"| [{entry.id}](#{anchor(entry.id)}) | {md_text(entry.headline)} | "
                f"{md_text(verdict_label(header, entry.verdict))} |\n"
            )
        yield "\n"


def _claim(v: ClaimView) -> Iterator[str]:
    c = v.claim
    # Without a short statement the verbatim claim is the heading and is not repeated below.
    heading = md_text(v.headline) if c.statement else f"“{md_text(c.text)}”"
    yield f'---\n\n<a id="{v.anchor}"></a>\n\n### {c.id}. {heading}\n\n'
    if v.rating is not None:
        meaning = f" — {md_text(v.rating.meaning)}" if v.rating.meaning else ""
        if c.status == "verified":
            yield f"**Verdict: {md_text(v.rating.label)}**{meaning}\n\n"
        else:
            yield (
                f"**Proposed verdict: {md_text(v.rating.label)}** (not final; status: "
                f"{md_text(status_label(c.status))}){meaning}\n\n"
            )
    else:
        yield f"**Not rated yet** (status: {md_text(status_label(c.status))})\n\n"
    if c.statement:
        yield f"> {md_text(c.text)}\n>\n> — {_claimant(v)}"
    else:
        yield f"— {_claimant(v)}"
    where = _where(v)
    yield (f", {where}" if where else "") + "\n\n"
    if c.rationale:
        yield f"**Why:** {md_text(c.rationale)}\n\n"
    if v.evidence:
        yield "**Evidence**\n\n"
        for number, ev in enumerate(v.evidence, start=1):
            src = ev.source
            parts = [f"*{stance_label(ev.entry.stance)}*", f"“{md_text(ev.entry.excerpt)}”"]
            if src is not None:
                cite = md_link(src.title or src.url, src.url)
                if src.publisher:
                    cite += f", {md_text(src.publisher)}"
                if src.archived_copy:
                    cite += f" ({md_link('archived copy', src.archived_copy)})"
                parts.append(cite)
            if ev.figure:
                parts.append(md_text(ev.figure))
            yield f"{number}. " + " — ".join(parts) + "\n"
        yield "\n"
    if v.numbers:
        yield "**Numeric check**\n\n"
        for line in v.numbers:
            yield f"- {md_text(line)}\n"
        yield "\n"
    if v.appearances:
        others = []
        for app in v.appearances:
            label = app.title or app.url or f"claim {app.claim_id}"
            item = md_link(label, app.url)
            if app.said_on:
                item += f" ({fmt_date(app.said_on)})"
            others.append(item)
        yield "**Also said:** " + "; ".join(others) + "\n\n"
    for corr in v.corrections:
        state = "under review since" if corr.pending else "corrected on"
        note = f": {md_text(corr.entry.note)}" if corr.entry.note else ""
        yield (
            f"**Correction** ({state} {fmt_date(corr.date.date())}): "
            f"{md_text(corr.old_label)} → {md_text(corr.new_label)}{note}\n\n"
        )
    credits = []
    if c.proposed_by:
        credits.append(f"Checked by {md_text(c.proposed_by)}, {fmt_time(c.proposed_at)}")
    if c.approved_by:
        credits.append(f"approved by {md_text(c.approved_by)}, {fmt_time(c.approved_at)}")
    credits.append(_permalink(v))
    yield "*" + " · ".join(credits) + "*\n\n"


def _tail(header: ReportHeader) -> Iterator[str]:
    yield "---\n\n## Corrections\n\n"
    if not header.corrections:
        yield "No corrections.\n\n"
    for row in header.corrections:
        corr = row.correction
        old = md_text(verdict_label(header, corr.old_verdict))
        new = md_text(verdict_label(header, corr.new_verdict))
        when = corr.completed_at or corr.reopened_at
        pending = " (under review)" if corr.completed_at is None else ""
        note = f" {md_text(corr.note)}" if corr.note else ""
        yield (
            f"- {fmt_date(when.date())}: [claim {row.claim_id}](#{anchor(row.claim_id)}) "
            f"{md_text(row.headline)}: {old} → {new}{pending}.{note}\n"
        )
    yield "\n## Methodology\n\n"
    for paragraph in header.methodology.split("\n\n"):
        if paragraph.strip():
            yield md_text(paragraph) + "\n\n"
    yield "### Rating scale\n\n| Verdict | Meaning |\n| --- | --- |\n"
    for rating in header.scale.ratings:
        yield f"| {md_text(rating.label)} | {md_text(rating.meaning)} |\n"


def render(report: Report, options: RenderOptions) -> Iterator[str]:
    header = report.header
    yield from _head(header)
    for claim in report.iter_claims():  # one chunk a claim, not one a line
        yield "".join(_claim(view(header, claim, options.tolerance)))
    yield from _tail(header)


__all__ = ["md_link", "md_text", "render"]
