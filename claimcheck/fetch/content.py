"""A response's bytes → the text claims are taken from, and what the document says about itself.

By content type (the ``Content-Type`` header; sniffed from the bytes when it is missing or
``application/octet-stream``):

* **HTML** (``text/html``, ``application/xhtml+xml``): main text through trafilatura
  (:func:`claimcheck.extract.text.html_document`), with title, author, publisher (site name),
  publication date (JSON-LD, Open Graph, ``<meta>``) and language (``<html lang>``, JSON-LD
  ``inLanguage``, ``og:locale``, else the ``Content-Language`` header);
* **plain text** (``text/plain``) as it is, **Markdown** (``text/markdown``) without its markup;
* **PDF** (``application/pdf``): the text of every page through pypdf, pages separated by a blank
  line; title, author and creation date from the document information;
* anything else is refused with one line naming the type.

Charset: a byte-order mark wins; then UTF-8 if the bytes are valid UTF-8 (a page that declares
``iso-8859-1`` but sends UTF-8 is common, and non-ASCII text in another encoding is almost never
valid UTF-8); then the declared charset (header, else ``<meta charset>``) if the bytes decode in it;
else charset-normalizer's detection. When the declared charset was not the one used, the document
says so (``charset_note``) and the CLI prints it as a warning.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import re
from dataclasses import dataclass
from typing import Literal

from claimcheck.errors import FetchError

DocumentKind = Literal["html", "text", "markdown", "pdf"]
SUPPORTED = "HTML, plain text, Markdown and PDF"

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_TEXT_TYPES = ("text/plain",)
_MARKDOWN_TYPES = ("text/markdown", "text/x-markdown")
_PDF_TYPES = ("application/pdf", "application/x-pdf")
_META_CHARSET = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)
_LANG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


@dataclass
class Document:
    kind: DocumentKind
    text: str
    media_type: str
    charset: str | None = None
    charset_note: str | None = None
    title: str | None = None
    author: str | None = None
    publisher: str | None = None
    published: dt.date | None = None
    language: str | None = None

    def metadata(self) -> dict[str, str | None]:
        return {
            "title": self.title,
            "author": self.author,
            "publisher": self.publisher,
            "published": self.published.isoformat() if self.published else None,
            "language": self.language,
        }


def parse_content_type(value: str | None) -> tuple[str, str | None]:
    """``("text/html", "utf-8")`` from ``text/html; charset="UTF-8"``."""
    if not value:
        return "", None
    parts = value.split(";")
    media = parts[0].strip().lower()
    charset = None
    for param in parts[1:]:
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset":
            charset = val.strip().strip("\"'").lower() or None
    return media, charset


def _sniff(content: bytes) -> str:
    head = content[:2048].lstrip()
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    lowered = head[:512].lower()
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<html" in lowered:
        return "text/html"
    return ""


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_text(
    content: bytes, declared: str | None, *, html: bool = False
) -> tuple[str, str, str | None]:
    """``(text, charset used, note)``; the note says when the declared charset was wrong."""
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if content.startswith(bom):
            return content.decode(name, errors="replace").lstrip("\ufeff"), name, None
    if declared is None and html:
        m = _META_CHARSET.search(content[:4096])
        if m:
            declared = m.group(1).decode("ascii", "replace").lower()
    codec = _codec(declared)
    note: str | None = None
    if declared and codec is None:
        note = f"the server declares an unknown charset {declared!r}"
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if codec not in (None, "utf-8", "ascii") and not content.isascii():
            note = f"the page declares charset {declared} but is UTF-8; read as UTF-8"
        return text, "utf-8", note
    if codec is not None and codec not in ("utf-8",):
        try:
            return content.decode(codec), codec, note
        except UnicodeDecodeError:
            pass
    guess = _detect(content)
    shown = declared or "none"
    note = f"the page declares charset {shown} but is not valid {shown}; detected {guess}"
    if declared is None:
        note = f"no charset declared; detected {guess}"
    return content.decode(guess, errors="replace"), guess, note


def _detect(content: bytes) -> str:
    """charset-normalizer's best guess; on a tie, windows-1252 (the web's usual legacy charset)."""
    from charset_normalizer import from_bytes

    results = list(from_bytes(content))
    if not results:
        return "utf-8"
    best = results[0]
    tied = [r for r in results if (r.chaos, r.coherence) == (best.chaos, best.coherence)]
    for match in tied:
        if _codec(match.encoding) == "cp1252":
            return "cp1252"
    return _codec(best.encoding) or "utf-8"


def _clean(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


def _language(value: str | None) -> str | None:
    if not value:
        return None
    value = value.split(",")[0].strip().replace("_", "-")
    return value if _LANG.match(value) else None


def read_document(
    content: bytes, content_type: str | None, url: str, *, content_language: str | None = None
) -> Document:
    """The text and metadata of a response body; :class:`FetchError` when it cannot be read."""
    media, declared = parse_content_type(content_type)
    if media in ("", "application/octet-stream", "binary/octet-stream"):
        media = _sniff(content) or media
    if media in _PDF_TYPES:
        doc = pdf_document(content, url)
    elif media in _HTML_TYPES:
        text, charset, note = decode_text(content, declared, html=True)
        from claimcheck.extract.text import html_document

        page = html_document(text)
        doc = Document(
            kind="html",
            text=_clean(page.text),
            media_type=media,
            charset=charset,
            charset_note=note,
            title=page.title,
            author=page.author,
            publisher=page.publisher,
            published=page.published,
            language=_language(page.language),
        )
    elif media in _TEXT_TYPES or media in _MARKDOWN_TYPES:
        text, charset, note = decode_text(content, declared)
        text = _clean(text)
        title = None
        kind: DocumentKind = "text"
        if media in _MARKDOWN_TYPES:
            from claimcheck.extract.text import markdown_to_text

            text, title = markdown_to_text(text)
            kind = "markdown"
        doc = Document(
            kind=kind, text=text, media_type=media, charset=charset, charset_note=note, title=title
        )
    else:
        shown = media or "a response without a Content-Type"
        raise FetchError(f"{url}: cannot read {shown} (claimcheck reads {SUPPORTED})")
    if doc.language is None:
        doc.language = _language(content_language)
    if not doc.text.strip():
        raise FetchError(
            f"{url}: no text found in the {doc.kind.upper() if doc.kind in ('html', 'pdf') else doc.kind} document"
        )
    return doc


def pdf_document(content: bytes, url: str) -> Document:
    """The text of every page of a PDF, and its title, author and creation date."""
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    # pypdf logs every repair it makes to a damaged file; the user gets one line, or the text.
    pdf_log = logging.getLogger("pypdf")  # its modules log through child loggers
    level = pdf_log.level
    pdf_log.setLevel(logging.CRITICAL)
    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted and not reader.decrypt(""):
            raise FetchError(f"{url}: the PDF is encrypted; its text cannot be read")
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata
    except FetchError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        detail = " ".join(str(exc).split())[:120]
        raise FetchError(f"{url}: not a readable PDF ({type(exc).__name__}: {detail})") from None
    finally:
        pdf_log.setLevel(level)
    text = "\n\n".join(_clean(p).strip() for p in pages if p.strip())
    if not text:
        raise FetchError(
            f"{url}: the PDF has no text layer (a scanned document?); nothing to extract"
        )
    title = author = None
    published = None
    if info is not None:
        title = _short(info.title, 500)
        author = _short(info.author, 200)
        try:
            created = info.creation_date
        except (ValueError, TypeError):
            created = None
        if created is not None:
            published = created.date()
    return Document(
        kind="pdf",
        text=text,
        media_type="application/pdf",
        title=title,
        author=author,
        published=published,
    )


def _short(value: object, limit: int) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value[:limit] or None
