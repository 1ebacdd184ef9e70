"""The site's machine-readable files: Atom and JSON Feed 1.1, the sitemap, the ClaimReview DataFeed.

All are built from :class:`~claimcheck.export.site.pages.Listing` summaries (and, for the DataFeed,
the ClaimReview of each page), sorted with fixed keys, so the same data gives the same bytes. The
feeds carry the newest :data:`FEED_ENTRIES` fact-checks by their last change: a correction or
update moves a fact-check back to the top with its ``updated``/``date_modified`` and its public
note, under the same permanent id (its page's URL), so a reader sees the change as an update.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from claimcheck.export.site.pages import Listing

FEED_ENTRIES = 50
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def rfc3339(value: dt.datetime) -> str:
    v = value.astimezone(dt.UTC)
    return f"{v.year:04d}-{v.month:02d}-{v.day:02d}T{v.hour:02d}:{v.minute:02d}:{v.second:02d}Z"


def _xml_text(value: str) -> str:
    # XML 1.0 forbids most control characters even escaped: drop them.
    return escape("".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 0x20))


def feed_entries(listings: Iterable[Listing]) -> list[Listing]:
    return sorted(listings, key=lambda item: (item.updated, item.id), reverse=True)[:FEED_ENTRIES]


def _summary(item: Listing, words: dict[str, str]) -> str:
    parts = []
    if item.state == "under-review":
        parts.append(words["under_review"])
    elif item.state in ("corrected", "updated") and item.latest_note:
        label = words["correction"] if item.state == "corrected" else words["update"]
        parts.append(f"{label}: {item.latest_note}")
    if item.rationale:
        parts.append(item.rationale)
    return "\n\n".join(parts)


def atom(
    entries: Sequence[Listing],
    *,
    title: str,
    base: str,
    language: str,
    author: str,
    labels: dict[int, str],
    words: dict[str, str],
) -> bytes:
    """An Atom 1.0 feed (RFC 4287)."""
    updated = max((e.updated for e in entries), default=EPOCH)
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(language)}>',
        f"  <title>{_xml_text(title)}</title>",
        f"  <id>{_xml_text(base)}</id>",
        f'  <link rel="alternate" type="text/html" href={quoteattr(base)}/>',
        f'  <link rel="self" type="application/atom+xml" href={quoteattr(base + "feed.xml")}/>',
        f"  <updated>{rfc3339(updated)}</updated>",
        f"  <author><name>{_xml_text(author)}</name><uri>{_xml_text(base)}</uri></author>",
        "  <generator>claimcheck</generator>",
    ]
    for item in entries:
        label = labels.get(item.id)
        heading = f"{label}: {item.headline}" if label else item.headline
        out += [
            f"  <entry xml:lang={quoteattr(item.language)}>",
            f"    <title>{_xml_text(heading)}</title>",
            f"    <id>{_xml_text(item.url)}</id>",
            f'    <link rel="alternate" type="text/html" href={quoteattr(item.url)}/>',
            f"    <published>{rfc3339(item.published)}</published>",
            f"    <updated>{rfc3339(item.updated)}</updated>",
        ]
        if item.verdict:
            out.append(
                f"    <category term={quoteattr(item.verdict)}"
                + (f" label={quoteattr(label)}" if label else "")
                + "/>"
            )
        out += [f"    <category term={quoteattr(tag)}/>" for tag in item.tags]
        summary = _summary(item, words)
        if summary:
            out.append(f'    <summary type="text">{_xml_text(summary)}</summary>')
        out.append("  </entry>")
    out.append("</feed>")
    return ("\n".join(out) + "\n").encode("utf-8")


def json_feed(
    entries: Sequence[Listing],
    *,
    title: str,
    base: str,
    language: str,
    author: str,
    labels: dict[int, str],
    words: dict[str, str],
) -> bytes:
    """A JSON Feed 1.1 (https://jsonfeed.org/version/1.1)."""
    items = []
    for item in entries:
        label = labels.get(item.id)
        entry: dict[str, Any] = {
            "id": item.url,
            "url": item.url,
            "title": f"{label}: {item.headline}" if label else item.headline,
            "content_text": _summary(item, words) or item.headline,
            "date_published": rfc3339(item.published),
            "date_modified": rfc3339(item.updated),
            "language": item.language,
        }
        tags = ([item.verdict] if item.verdict else []) + list(item.tags)
        if tags:
            entry["tags"] = tags
        items.append(entry)
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "home_page_url": base,
        "feed_url": base + "feed.json",
        "language": language,
        "authors": [{"name": author, "url": base}],
        "items": items,
    }
    return (json.dumps(feed, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def sitemap(urls: Iterable[tuple[str, dt.date | None]]) -> bytes:
    """A sitemaps.org XML sitemap of every page, with ``lastmod`` where known."""
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for url, lastmod in urls:
        line = f"  <url><loc>{_xml_text(url)}</loc>"
        if lastmod is not None:
            line += f"<lastmod>{lastmod.isoformat()}</lastmod>"
        out.append(line + "</url>")
    out.append("</urlset>")
    return ("\n".join(out) + "\n").encode("utf-8")


def data_feed(
    reviews: Sequence[tuple[Listing, str]], *, name: str, base: str, org: dict[str, Any]
) -> bytes:
    """A schema.org ``DataFeed`` of every ClaimReview (the bulk form aggregators such as Data
    Commons read). ``reviews`` pairs each listing with its review's compact JSON, in id order."""
    modified = max((item.updated for item, _ in reviews), default=EPOCH)
    head = {
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "name": name,
        "url": base + "claimreview.json",
        "publisher": org,
        "dateModified": rfc3339(modified),
    }
    text = json.dumps(head, ensure_ascii=False, separators=(",", ":"))
    parts = [text[:-1], ',"dataFeedElement":[']
    for n, (item, review) in enumerate(reviews):
        element = json.dumps(
            {
                "@type": "DataFeedItem",
                "dateCreated": rfc3339(item.published),
                "dateModified": rfc3339(item.updated),
            },
            separators=(",", ":"),
        )
        parts.append(("," if n else "") + element[:-1] + ',"item":' + review + "}")
    parts.append("]}\n")
    return "".join(parts).encode("utf-8")


__all__ = ["FEED_ENTRIES", "atom", "data_feed", "feed_entries", "json_feed", "rfc3339", "sitemap"]
