"""Finding ClaimReview markup: the JSON-LD blocks of a saved HTML page, and the reviews in JSON.

Pure and offline: bytes or text in, plain JSON values out. :func:`ld_json_blocks` returns the text
of every ``<script type="application/ld+json">`` block of a page (read with lxml, which copes with
the broken HTML real pages are, and honours the page's declared charset), with the ``<!-- -->``
and ``<![CDATA[ ]]>`` wrappers some CMSs add removed. :func:`page_url` is the page's own address
(canonical link, else ``og:url``), which Google compares a ClaimReview's ``url`` with;
:func:`read_page` gives both, with the page's language, ``<base>`` and site name, from one parse.
:func:`find_reviews` walks any JSON-LD document — one object, an array, ``@graph``, a schema.org
``DataFeed`` (``dataFeedElement`` / ``item``), a ``WebPage`` or ``Article`` holding the review in
``mainEntity`` or ``review`` — and yields each ClaimReview object with the ``@context`` it sits
under (inherited from the enclosing node, as JSON-LD does) and the document's ``@id`` nodes, so a
``{"@id": "#claim"}`` reference can be followed.

``claimcheck lint`` uses these; the lint rules themselves are in :mod:`claimcheck.export.lint`.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

MAX_DEPTH = 64

_WRAPPERS = re.compile(
    r"^\s*(?:<!--|/\*\s*<!\[CDATA\[\s*\*/|<!\[CDATA\[)|(?:-->|/\*\s*\]\]>\s*\*/|\]\]>)\s*$"
)


class MarkupError(ValueError):
    """Input that holds no readable JSON-LD (the message says where and why, one line)."""


def _html_root(data: bytes | str) -> Any:
    import lxml.etree  # type: ignore[import-untyped]
    import lxml.html  # type: ignore[import-untyped]

    try:
        if isinstance(data, str):
            # lxml refuses str input that declares an encoding; bytes let it read the charset.
            data = data.encode("utf-8")
        return lxml.html.document_fromstring(data)
    except (ValueError, lxml.etree.ParserError) as exc:
        raise MarkupError(f"cannot read the page as HTML: {exc}") from None


def _blocks(root: Any) -> list[str]:
    found = []
    for script in root.iter("script"):
        kind = (script.get("type") or "").strip().lower()
        if kind.split(";")[0].strip() == "application/ld+json":
            found.append(_WRAPPERS.sub("", script.text or "").strip())
    return found


def ld_json_blocks(data: bytes | str) -> list[str]:
    """The text of every ``application/ld+json`` script block of an HTML page, in page order."""
    return _blocks(_html_root(data))


def page_url(data: bytes | str) -> str | None:
    """The page's own URL as it declares it: ``<link rel=canonical>``, else ``og:url``."""
    return read_page(data).url


@dataclass(frozen=True)
class PageMarkup:
    """What a saved page says about its structured data, from one parse."""

    blocks: list[str]  # the ld+json blocks' text, in page order
    canonical: str | None  # <link rel=canonical href>
    og_url: str | None  # <meta property=og:url content>
    lang: str | None  # <html lang>
    base: str | None  # <base href>
    site_name: str | None  # og:site_name

    @property
    def url(self) -> str | None:
        """The page's own absolute URL: canonical, else og:url, else canonical against <base>
        (the rule the fact-check importer, services/factchecks/reading.py, follows too)."""
        from urllib.parse import urljoin

        for candidate in (self.canonical, self.og_url):
            if candidate and candidate.startswith(("http://", "https://")):
                return candidate
        if self.base and self.base.startswith(("http://", "https://")):
            return urljoin(self.base, self.canonical) if self.canonical else self.base
        return None


def read_page(data: bytes | str) -> PageMarkup:
    """The ld+json blocks of a page with its URLs, language, base and site name (one parse)."""
    root = _html_root(data)
    canonical = og_url = base = site_name = None
    for link in root.iter("link"):
        if canonical is None and "canonical" in (link.get("rel") or "").lower().split():
            canonical = (link.get("href") or "").strip() or None
    for meta in root.iter("meta"):
        prop = (meta.get("property") or meta.get("name") or "").lower()
        content = (meta.get("content") or "").strip() or None
        if prop == "og:url" and og_url is None:
            og_url = content
        elif prop == "og:site_name" and site_name is None:
            site_name = content
    for tag in root.iter("base"):
        base = base or (tag.get("href") or "").strip() or None
    lang = (root.get("lang") or "").strip() or None if root.tag == "html" else None
    return PageMarkup(_blocks(root), canonical, og_url, lang, base, site_name)


def parse_json(text: str, where: str = "") -> Any:
    """JSON text as Python values; :class:`MarkupError` naming line and column when it is not."""
    try:
        return json.loads(text)
    except RecursionError:
        raise MarkupError(f"{where}JSON nested too deeply") from None
    except json.JSONDecodeError as exc:
        raise MarkupError(
            f"{where}not JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
        ) from None


@functools.lru_cache(maxsize=512)
def _bare(value: str) -> str:
    return re.split(r"[/#:]", value.strip())[-1]


def types_of(node: Mapping[str, Any]) -> list[str]:
    """A node's ``@type`` values as bare names (``schema:ClaimReview`` and full IRIs too)."""
    raw = node.get("@type")
    if isinstance(raw, str):
        return [_bare(raw)] if raw.strip() else []
    if not isinstance(raw, list):
        return []
    return [_bare(v) for v in raw if isinstance(v, str) and v.strip()]


@dataclass
class Found:
    """One ClaimReview of a document, with what it inherits from its surroundings."""

    review: dict[str, Any]
    context: Any  # the @context in force: its own, or the nearest enclosing node's
    ids: dict[str, dict[str, Any]] = field(default_factory=dict)  # the document's @id nodes


def _collect_ids(node: Any, ids: dict[str, dict[str, Any]], depth: int) -> None:
    if depth > MAX_DEPTH:
        raise MarkupError(f"JSON-LD nested deeper than {MAX_DEPTH} levels")
    if isinstance(node, list):
        for item in node:
            _collect_ids(item, ids, depth + 1)
    elif isinstance(node, dict):
        node_id = node.get("@id")
        if isinstance(node_id, str) and len(node) > 1:
            ids.setdefault(node_id, node)
        for key, value in node.items():
            if key != "@context" and isinstance(value, dict | list):
                _collect_ids(value, ids, depth + 1)


def _walk(node: Any, context: Any, depth: int, out: list[tuple[dict[str, Any], Any]]) -> None:
    if isinstance(node, list):
        for item in node:
            _walk(item, context, depth + 1, out)
        return
    if not isinstance(node, dict):
        return
    context = node.get("@context", context)
    if "ClaimReview" in types_of(node):
        out.append((node, context))
        return  # a review's own parts are not further reviews
    for key, value in node.items():
        if key != "@context" and isinstance(value, dict | list):
            _walk(value, context, depth + 1, out)


def find_reviews(doc: Any, context: Any = None) -> Iterator[Found]:
    """Every ClaimReview object in a JSON-LD document, in document order."""
    ids: dict[str, dict[str, Any]] = {}
    _collect_ids(doc, ids, 0)
    out: list[tuple[dict[str, Any], Any]] = []
    _walk(doc, context, 0, out)
    for review, ctx in out:
        yield Found(review, ctx, ids)


__all__ = [
    "MAX_DEPTH",
    "Found",
    "MarkupError",
    "PageMarkup",
    "find_reviews",
    "ld_json_blocks",
    "page_url",
    "parse_json",
    "read_page",
    "types_of",
]
