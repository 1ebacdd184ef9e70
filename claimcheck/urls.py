"""URL normalisation: one spelling per source, so the same article is never stored twice.

Scheme and host are lower-cased, default ports and fragments dropped, tracking parameters
(``utm_*``, ``fbclid``, ``gclid`` ...) removed; the path and the other parameters are kept as given.
"""

from __future__ import annotations

import contextlib
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "yclid",
        "_ga",
        "_gl",
        "ocid",
        "cmpid",
        "smid",
        "ref_src",
        "ref_url",
        "spm",
        "mkt_tok",
    }
)
MAX_URL_LENGTH = 2048
_SPACE_OR_NUL = re.compile(r"[\s\x00]")


def _is_tracking(key: str) -> bool:
    k = key.lower()
    return k.startswith(("utm_", "pk_", "hsa_")) or k in TRACKING_PARAMS


def normalize_url(raw: str) -> str:
    """Return the canonical form of an http(s) URL; raise ValueError naming the problem."""
    url = raw.strip()
    if not url:
        raise ValueError("URL is empty")
    if _SPACE_OR_NUL.search(url):
        raise ValueError("URL contains white space or control characters")
    if len(url) > MAX_URL_LENGTH:
        raise ValueError(f"URL is longer than {MAX_URL_LENGTH} characters")
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if not scheme:
        raise ValueError(f"URL {url!r} has no scheme (expected http:// or https://)")
    if scheme not in ("http", "https"):
        raise ValueError(f"URL scheme {scheme!r} is not supported (expected http or https)")
    try:
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"URL {url!r} has an invalid host or port") from exc
    if not host or ("." not in host and host != "localhost"):
        raise ValueError(f"URL {url!r} has no valid host")
    with contextlib.suppress(UnicodeError):
        host = host.encode("idna").decode("ascii")
    netloc = host
    if parts.username:
        raise ValueError("URL must not contain a user name or password")
    if port is not None and not (
        (scheme == "http" and port == 80) or (scheme == "https" and port == 443)
    ):
        netloc = f"{host}:{port}"
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)
    ]
    path = parts.path or "/"
    return urlunsplit((scheme, netloc, path, urlencode(query, doseq=True), ""))


def is_http_url(value: str | None) -> bool:
    return bool(value) and urlsplit(value or "").scheme.lower() in ("http", "https")
