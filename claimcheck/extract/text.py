"""Reading input: plain text, Markdown, or a saved web page, into one plain text.

Design
------
Everything downstream (segmentation, offsets, the archived copy) works on the *extracted* text
that :func:`read_input` returns, so offsets are always into ``ExtractedText.text``; the CLI archives
exactly that text with the claims.

* **Plain text** is kept as it is (only ``\\r\\n`` and ``\\r`` become ``\\n``).
* **Markdown** is turned into plain text by removing markup line by line (headings, emphasis,
  links → their text, images, code fences, block quotes, list bullets, rules, HTML tags); the
  first heading becomes the title.
* **HTML** main text is extracted with `trafilatura <https://trafilatura.readthedocs.io>`_ (a
  maintained boilerplate-removal library: navigation, cookie banners, footers and "most read"
  boxes are dropped), imported lazily because it is heavy. Its title and publication date are
  kept. Paragraphs are joined by blank lines so that the segmenter sees paragraph breaks.

The kind is guessed from the file name, then from the content (``<html``, ``<!doctype``, many
tags → HTML; headings, links or emphasis in Markdown syntax → Markdown). A publication date is
also read from a news dateline when the page metadata gives none.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from claimcheck.extract.dates import published_from_dateline
from claimcheck.extract.segment import find_dateline

__all__ = [
    "ExtractedText",
    "HtmlDocument",
    "InputKind",
    "detect_kind",
    "html_document",
    "html_language",
    "html_to_text",
    "markdown_to_text",
    "read_input",
]

InputKind = Literal["auto", "text", "markdown", "html"]


class ExtractedText(BaseModel):
    """The plain text claims are extracted from, with what is known about the document."""

    model_config = ConfigDict(extra="forbid")

    text: str
    title: str | None = None
    kind: Literal["text", "markdown", "html"] = "text"
    published: dt.date | None = None
    path: str | None = None


_HTML_HINT_RE = re.compile(r"<(?:!doctype|html|body|article|p|div|head)\b", re.I)
_MD_HINT_RE = re.compile(r"(?m)^(?:#{1,6}\s|\*\s|-\s|>\s|```)|\[[^\]]+\]\([^)]+\)|\*\*[^*]+\*\*")


def detect_kind(content: str, name: str | None = None) -> Literal["text", "markdown", "html"]:
    """Guess the input kind from a file name, else from the content."""
    if name:
        suffix = Path(name).suffix.lower()
        if suffix in (".html", ".htm", ".xhtml"):
            return "html"
        if suffix in (".md", ".markdown", ".mdown"):
            return "markdown"
        if suffix in (".txt", ".text"):
            return "text"
    head = content[:5000]
    if _HTML_HINT_RE.search(head) and len(re.findall(r"<[a-zA-Z/][^>]*>", head)) >= 3:
        return "html"
    if len(_MD_HINT_RE.findall(head)) >= 2:
        return "markdown"
    return "text"


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def markdown_to_text(markdown: str) -> tuple[str, str | None]:
    """Plain text of a Markdown document and its first heading (the title)."""
    title: str | None = None
    lines: list[str] = []
    in_fence = False
    for raw in _normalise_newlines(markdown).split("\n"):
        line = raw
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if in_fence:
            lines.append(line)
            continue
        if re.fullmatch(r"\s*(?:[-*_]\s*){3,}", line):
            lines.append("")
            continue
        heading = re.match(r"\s*#{1,6}\s+(.*?)\s*#*\s*$", line)
        if heading:
            line = heading.group(1)
            if title is None:
                title = line
        line = re.sub(r"^\s*>\s?", "", line)
        line = re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", line)
        line = re.sub(r"!\[([^\]]*)\]\([^)]*\)", "", line)
        line = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", line)
        line = re.sub(r"\[([^\]]+)\]\[[^\]]*\]", r"\1", line)
        line = re.sub(r"<[^>]+>", "", line)
        line = re.sub(r"(\*\*|__)(.+?)\1", r"\2", line)
        line = re.sub(r"(?<![\w*])([*_])(?!\s)(.+?)(?<!\s)\1(?![\w*])", r"\2", line)
        line = re.sub(r"`([^`]+)`", r"\1", line)
        lines.append(line.rstrip())
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text).strip("\n")
    return text, title


class HtmlDocument(BaseModel):
    """The main text of a web page and its metadata (from trafilatura, JSON-LD, Open Graph)."""

    model_config = ConfigDict(extra="forbid")

    text: str
    title: str | None = None
    author: str | None = None
    publisher: str | None = None
    published: dt.date | None = None
    language: str | None = None


_LANG_RES = (
    re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*)", re.I),
    re.compile(r"\"inLanguage\"\s*:\s*\"([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*)\"", re.I),
    re.compile(
        r"<meta\b[^>]*?property\s*=\s*[\"']og:locale[\"'][^>]*?content\s*=\s*[\"']"
        r"([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*)",
        re.I,
    ),
    re.compile(
        r"<meta\b[^>]*?http-equiv\s*=\s*[\"']content-language[\"'][^>]*?content\s*=\s*[\"']"
        r"([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*)",
        re.I,
    ),
)


def html_language(html: str) -> str | None:
    """The page's declared language: ``<html lang>``, JSON-LD ``inLanguage``, ``og:locale``."""
    head = html[:200_000]
    for pattern in _LANG_RES:
        m = pattern.search(head)
        if m:
            return m.group(1).replace("_", "-")
    return None


def _metadata_value(value: object, limit: int) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value[:limit] or None


def html_document(html: str) -> HtmlDocument:
    """Main text and metadata of a web page (boilerplate removed)."""
    import trafilatura  # heavy: imported only for HTML input

    doc = trafilatura.bare_extraction(
        html, include_comments=False, include_tables=False, favor_precision=True, with_metadata=True
    )
    text = ""
    fields: dict[str, object] = {}
    if doc is not None:
        text = getattr(doc, "text", None) or ""
        fields["title"] = _metadata_value(getattr(doc, "title", None), 500)
        fields["author"] = _metadata_value(getattr(doc, "author", None), 200)
        fields["publisher"] = _metadata_value(getattr(doc, "sitename", None), 200)
        date_value = getattr(doc, "date", None)
        if isinstance(date_value, str):
            with contextlib.suppress(ValueError):
                fields["published"] = dt.date.fromisoformat(date_value[:10])
    if not text:
        text = trafilatura.extract(html) or ""
    paragraphs = [p.strip() for p in _normalise_newlines(text).split("\n") if p.strip()]
    fields["text"] = "\n\n".join(paragraphs)
    fields["language"] = html_language(html)
    return HtmlDocument.model_validate(fields)


def html_to_text(html: str) -> tuple[str, str | None, dt.date | None]:
    """Main text, title and publication date of a web page (boilerplate removed)."""
    doc = html_document(html)
    return doc.text, doc.title, doc.published


def read_input(
    source: str | Path, kind: InputKind = "auto", *, is_text: bool = False
) -> ExtractedText:
    """Read a file (or, with ``is_text=True``, the given content itself) into plain text.

    ``kind`` forces the format; ``"auto"`` guesses from the name and content. The CLI passes the
    path for a file and ``is_text=True`` with the content it read from stdin for ``-``.
    """
    name: str | None = None
    if is_text:
        content = str(source)
    else:
        path = Path(source)
        name = str(path)
        content = path.read_bytes().decode("utf-8", errors="replace")
    content = content.lstrip("\ufeff")
    chosen = detect_kind(content, name) if kind == "auto" else kind
    title: str | None = None
    published: dt.date | None = None
    if chosen == "html":
        text, title, published = html_to_text(content)
    elif chosen == "markdown":
        text, title = markdown_to_text(content)
    else:
        text = _normalise_newlines(content)
    if published is None:
        published = _published_from_text(text)
    if title is None:
        first = text.strip().split("\n", 1)[0].strip()
        title = first[:200] or None
    return ExtractedText(text=text, title=title, kind=chosen, published=published, path=name)


def _published_from_text(text: str) -> dt.date | None:
    for para in text.split("\n\n")[:8]:
        m = find_dateline(para.strip())
        if m is not None:
            found = published_from_dateline(m.group(0))
            if found is not None:
                return found
    return None
