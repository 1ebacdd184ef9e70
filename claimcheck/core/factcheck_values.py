"""Values of a ClaimReview, cleaned: text, lists, ``@type``, URLs, dates and language tags.

Pure (stdlib only). Lenient in what they read — a list where one value is expected gives its
first usable item; strings lose HTML entities (twice-escaped too), stray tags, control
characters and repeated white space; URLs are resolved against the page's URL and must end up
absolute http(s); dates are ISO or whatever the optional ``parse`` helper reads; language
tags are checked BCP 47 forms or known language names — and return None for what they cannot
read. :mod:`claimcheck.core.factchecks` reads reviews with them.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urljoin, urlsplit

MAX_URL_CHARS = 2048
MAX_LIST = 50

DateParser = Callable[[str, bool], dt.date | None]

_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_SPACE = re.compile(r"\s+")
_HAS_SPACE = re.compile(r"\s")
# Control characters (CR, LF and tab become spaces instead), zero-width space, BOM, separators.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u2028\u2029\ufeff]")


def clean_text(value: Any) -> str | None:
    """A string without HTML entities (also twice-escaped), tags, CRs or repeated white space."""
    value = first(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    text = value
    for _ in range(3):
        if "&" not in text:
            break
        unescaped = html.unescape(text)
        if unescaped == text:
            break
        text = unescaped
    if "<" in text:
        text = _TAG.sub(" ", text)
    text = _SPACE.sub(" ", _CONTROL.sub("", text)).strip()
    return text or None


def first(value: Any) -> Any:
    """The first item of a list (skipping empty ones) or the value itself."""
    if isinstance(value, list):
        for item in value:
            if item not in (None, "", [], {}):
                return item
        return None
    return value


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value[:MAX_LIST] if isinstance(value, list) else [value]


def types(obj: Mapping[str, Any]) -> set[str]:
    t = obj.get("@type", obj.get("type"))
    names = t if isinstance(t, list) else [t]
    return {n.rsplit("/", 1)[-1].rsplit(":", 1)[-1] for n in names if isinstance(n, str)}


_SCHEMELESS_HOST = re.compile(
    r"^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?:[/:?#]|$)", re.I
)


_FILE_SUFFIXES = frozenset(
    {"html", "htm", "php", "asp", "aspx", "jsp", "json", "xml", "pdf", "shtml"}
)


def _schemeless_host(text: str) -> bool:
    """``www.host/path`` or ``host.tld/path`` (not ``page.html``): a URL that lost its scheme."""
    m = _SCHEMELESS_HOST.match(text)
    if not m or text.startswith("/"):
        return False
    host = re.split(r"[/:?#]", text, maxsplit=1)[0]
    return host.startswith("www.") or host.rsplit(".", 1)[-1].lower() not in _FILE_SUFFIXES


def resolve_url(value: Any, base: str | None) -> str | None:
    """An absolute http(s) URL: relative ones joined to ``base``, ``//host`` and ``www.host``
    forms given https; None when nothing usable remains."""
    if isinstance(value, Mapping):
        value = value.get("url") or value.get("@id")
    text = clean_text(value)
    if not text or len(text) > MAX_URL_CHARS or _HAS_SPACE.search(text):
        return None
    if text.startswith("//"):
        text = "https:" + text
    elif "://" not in text and _schemeless_host(text):
        text = "https://" + text
    elif "://" not in text:
        if not base:
            return None
        text = urljoin(base, text)
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    if "." not in parts.hostname and parts.hostname != "localhost":
        return None
    return text


# ---------------------------------------------------------------------------------------------
# Dates and languages

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])")


def parse_date(
    value: Any, parse: DateParser | None = None, *, dayfirst: bool = False
) -> dt.date | None:
    """An ISO date (``2024-03-02``, ``2024-03-02T10:00:00Z``), else what ``parse`` reads."""
    text = clean_text(value)
    if not text:
        return None
    m = _ISO_DATE.match(text)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    if parse is None or len(text) > 64:
        return None
    return parse(text, dayfirst)


LANGUAGE_NAMES = {
    "english": "en",
    "spanish": "es",
    "español": "es",
    "castellano": "es",
    "french": "fr",
    "français": "fr",
    "german": "de",
    "deutsch": "de",
    "portuguese": "pt",
    "português": "pt",
    "italian": "it",
    "italiano": "it",
    "dutch": "nl",
    "nederlands": "nl",
    "arabic": "ar",
    "العربية": "ar",
    "chinese": "zh",
    "中文": "zh",
    "japanese": "ja",
    "日本語": "ja",
    "russian": "ru",
    "русский": "ru",
    "ukrainian": "uk",
    "українська": "uk",
    "hindi": "hi",
    "हिन्दी": "hi",
    "indonesian": "id",
    "turkish": "tr",
    "türkçe": "tr",
    "polish": "pl",
    "polski": "pl",
}
_TAG_FORM = re.compile(r"^([a-z]{2,3})(?:[-_]([a-z0-9]{2,8}))*$", re.I)


def language_tag(value: Any) -> str | None:
    """A BCP 47 tag (``pt-BR``, ``en``) from ``inLanguage`` or a page's ``lang``: a tag, a
    ``Language`` object (``alternateName``/``name``) or an English or native language name."""
    value = first(value)
    if isinstance(value, Mapping):
        value = value.get("alternateName") or value.get("name") or value.get("@id")
    text = clean_text(value)
    if not text:
        return None
    key = text.casefold()
    if key in LANGUAGE_NAMES:
        return LANGUAGE_NAMES[key]
    if not _TAG_FORM.match(text) or len(text) > 16:
        return None
    parts = re.split(r"[-_]", text)
    out = [parts[0].lower()]
    for p in parts[1:]:
        out.append(p.upper() if len(p) == 2 else p.title() if len(p) == 4 else p.lower())
    return "-".join(out)


def primary_language(tag: str | None) -> str | None:
    return tag.split("-", 1)[0].lower() if tag else None


# ---------------------------------------------------------------------------------------------
# Rating: score and label


__all__ = [
    "MAX_LIST",
    "MAX_URL_CHARS",
    "DateParser",
    "as_list",
    "clean_text",
    "first",
    "language_tag",
    "parse_date",
    "primary_language",
    "resolve_url",
    "types",
]
