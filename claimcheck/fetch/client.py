"""The HTTP fetch: one GET, redirects followed by hand, a streamed size limit, timeouts.

httpx (a maintained HTTP client) does the protocol; this module adds what evidence capture needs:

* **Redirects** are followed one hop at a time (at most :data:`MAX_REDIRECTS`), so each target is
  checked by :mod:`.safety` before it is requested, and every hop is recorded. A URL seen twice
  is a redirect loop and is reported as one.
* **Timeouts**: ``timeout`` seconds to connect and for each read; the whole download must also
  end within :data:`TOTAL_FACTOR` times that, so a server trickling one byte a second cannot hold
  the command forever.
* **Size limit**: a ``Content-Length`` over the limit is refused before the body is read; the
  body is streamed and the download stops as soon as it passes the limit; decompression is
  bounded by the same limit (a small gzip or brotli "bomb" is refused, not expanded).
* **Compression**: ``gzip``, ``deflate`` and ``br`` are asked for and decoded here. The payload is
  kept exactly as it arrived (what a WARC record holds) next to the decoded content.
* **Proxies** come from the environment (``HTTP_PROXY``, ``HTTPS_PROXY``, ``NO_PROXY``: httpx's
  ``trust_env``); the address check then applies to the target host, not to the proxy.
* The ``User-Agent`` names claimcheck and its version (config key ``user_agent``).
"""

from __future__ import annotations

import datetime as dt
import time
import urllib.request
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from claimcheck import __version__
from claimcheck.errors import FetchError
from claimcheck.fetch.safety import (
    Resolver,
    check_address,
    check_host,
    check_scheme,
    system_resolver,
)

MAX_REDIRECTS = 10
TOTAL_FACTOR = 5
DEFAULT_TIMEOUT = 20.0
DEFAULT_MAX_BYTES = 20_000_000
CHUNK = 64 * 1024
ACCEPT = "text/html,application/xhtml+xml,text/plain;q=0.9,application/pdf;q=0.9,*/*;q=0.5"
ACCEPT_ENCODING = "gzip, deflate, br"

Progress = Callable[[int, int | None], None]


def default_user_agent(contact: str | None = None) -> str:
    return f"claimcheck/{__version__}" + (f" (+{contact})" if contact else "")


@dataclass(frozen=True)
class FetchOptions:
    timeout: float = DEFAULT_TIMEOUT
    max_bytes: int = DEFAULT_MAX_BYTES
    user_agent: str = field(default_factory=default_user_agent)
    allow_private: bool = False
    max_redirects: int = MAX_REDIRECTS


@dataclass(frozen=True)
class Hop:
    """One redirect: ``url`` answered ``status`` pointing at ``location``."""

    status: int
    url: str
    location: str


@dataclass
class FetchedPage:
    """A successful (2xx) response, read whole."""

    requested_url: str
    url: str
    redirects: list[Hop]
    status: int
    reason: str
    http_version: str
    headers: list[tuple[str, str]]
    payload: bytes
    content: bytes
    fetched_at: dt.datetime
    peer: str | None = None

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        values = [v for k, v in self.headers if k.lower() == wanted]
        return ", ".join(values) if values else None

    @property
    def content_type(self) -> str | None:
        return self.header("content-type")


def _via_proxy(url: str) -> bool:
    parts = urlsplit(url)
    proxies = urllib.request.getproxies_environment()
    if not (proxies.get(parts.scheme) or proxies.get("all")):
        return False
    return not urllib.request.proxy_bypass(parts.hostname or "")


def _check_target(url: str, options: FetchOptions, resolver: Resolver) -> None:
    check_scheme(url)
    if options.allow_private:
        return
    if _via_proxy(url):
        # The proxy resolves the name; refuse only what is known locally to be private.
        try:
            check_host(url, resolver)
        except FetchError as exc:
            if ": cannot resolve host" in exc.message:
                return
            raise
        return
    check_host(url, resolver)


def _peer(response: object) -> str | None:
    stream = getattr(response, "extensions", {}).get("network_stream")
    if stream is None:
        return None
    addr = stream.get_extra_info("server_addr")
    if isinstance(addr, tuple) and addr:
        return str(addr[0])
    return None


def _seconds(value: float) -> str:
    return f"{value:g} second{'s' if value != 1 else ''}"


def fetch(
    url: str,
    options: FetchOptions | None = None,
    *,
    resolver: Resolver = system_resolver,
    progress: Progress | None = None,
) -> FetchedPage:
    """GET ``url`` and return the final 2xx response; :class:`FetchError` for everything else."""
    import httpx  # imported here: only commands that fetch pay for it

    options = options or FetchOptions()
    requested = url.strip()
    check_scheme(requested)
    deadline = time.monotonic() + options.timeout * TOTAL_FACTOR
    headers = {
        "User-Agent": options.user_agent,
        "Accept": ACCEPT,
        "Accept-Encoding": ACCEPT_ENCODING,
    }
    hops: list[Hop] = []
    seen = [requested]
    current = requested
    with httpx.Client(
        timeout=httpx.Timeout(options.timeout),
        trust_env=True,
        follow_redirects=False,
        headers=headers,
    ) as client:
        while True:
            try:
                _check_target(current, options, resolver)
            except FetchError as exc:
                if hops:
                    raise FetchError(f"{exc.message} (redirected from {requested})") from None
                raise
            try:
                response = client.send(client.build_request("GET", current), stream=True)
            except httpx.TimeoutException:
                raise FetchError(
                    f"{current}: no response within {_seconds(options.timeout)} "
                    "(--timeout / fetch_timeout)"
                ) from None
            except httpx.ConnectError as exc:
                raise FetchError(f"{current}: cannot connect: {_reason(exc)}") from None
            except httpx.InvalidURL as exc:
                raise FetchError(f"{current}: not a valid URL: {exc}") from None
            except httpx.HTTPError as exc:
                raise FetchError(f"{current}: {_reason(exc)}") from None
            try:
                peer = _peer(response)
                if peer and not options.allow_private and not _via_proxy(current):
                    check_address(current, urlsplit(current).hostname or peer, peer)
                status = response.status_code
                location = response.headers.get("location")
                if 300 <= status < 400 and location:
                    target = urljoin(current, location.strip())
                    hops.append(Hop(status, current, target))
                    if target in seen:
                        chain = " → ".join([*seen[seen.index(target) :], target])
                        raise FetchError(f"{requested}: redirect loop ({chain})")
                    if len(hops) > options.max_redirects:
                        raise FetchError(
                            f"{requested}: more than {options.max_redirects} redirects"
                        )
                    seen.append(target)
                    current = target
                    continue
                if status >= 400 or not 200 <= status < 300:
                    raise FetchError(f"{current}: HTTP {status}{_phrase(status)}")
                payload = _read_body(response, current, options, deadline, progress)
                reason = response.reason_phrase
                version = response.http_version or "HTTP/1.1"
                raw_headers = [
                    (k.decode("latin-1"), v.decode("latin-1")) for k, v in response.headers.raw
                ]
            except httpx.TimeoutException:
                raise FetchError(
                    f"{current}: the response did not arrive within {_seconds(options.timeout)} "
                    "(--timeout / fetch_timeout)"
                ) from None
            except httpx.HTTPError as exc:
                raise FetchError(f"{current}: {_reason(exc)}") from None
            finally:
                response.close()
            encoding = response.headers.get("content-encoding", "")
            content = decode_content(payload, encoding, current, options.max_bytes)
            return FetchedPage(
                requested_url=requested,
                url=current,
                redirects=hops,
                status=status,
                reason=reason,
                http_version=version,
                headers=raw_headers,
                payload=payload,
                content=content,
                fetched_at=dt.datetime.now(dt.UTC),
                peer=peer,
            )


def _phrase(status: int) -> str:
    import http

    try:
        return " " + http.HTTPStatus(status).phrase
    except ValueError:
        return ""


def _reason(exc: BaseException) -> str:
    text = str(exc).strip()
    if "] " in text and text.startswith("["):  # "[Errno 111] Connection refused"
        text = text.split("] ", 1)[1]
    return (text.splitlines()[0] if text else type(exc).__name__)[:200]


def too_large(url: str, limit: int) -> FetchError:
    return FetchError(
        f"{url}: the response is larger than the limit of {limit:,} bytes "
        "(--max-bytes / fetch_max_bytes); nothing was stored"
    )


def _read_body(
    response: object,
    url: str,
    options: FetchOptions,
    deadline: float,
    progress: Progress | None,
) -> bytes:
    headers = response.headers  # type: ignore[attr-defined]
    declared = headers.get("content-length")
    total: int | None = None
    if declared is not None and declared.strip().isdigit():
        total = int(declared)
        if total > options.max_bytes:
            raise too_large(url, options.max_bytes)
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_raw(CHUNK):  # type: ignore[attr-defined]
        size += len(chunk)
        if size > options.max_bytes:
            raise too_large(url, options.max_bytes)
        if time.monotonic() > deadline:
            raise FetchError(
                f"{url}: the download took longer than "
                f"{_seconds(options.timeout * TOTAL_FACTOR)} ({TOTAL_FACTOR} × --timeout)"
            )
        chunks.append(chunk)
        if progress is not None:
            progress(size, total)
    return b"".join(chunks)


def decode_content(payload: bytes, content_encoding: str, url: str, limit: int) -> bytes:
    """Undo the Content-Encoding (``gzip``, ``deflate``, ``br``), never producing over ``limit``."""
    codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip()]
    data = payload
    for coding in reversed(codings):
        if coding == "identity":
            continue
        if coding in ("gzip", "x-gzip"):
            data = _inflate(data, 16 + zlib.MAX_WBITS, url, limit, coding)
        elif coding == "deflate":
            try:
                data = _inflate(data, zlib.MAX_WBITS, url, limit, coding)
            except FetchError as exc:
                if "larger than the limit" in exc.message:
                    raise
                data = _inflate(data, -zlib.MAX_WBITS, url, limit, coding)
        elif coding == "br":
            data = _unbrotli(data, url, limit)
        else:
            raise FetchError(f"{url}: unsupported Content-Encoding {coding!r}")
    return data


def _inflate(data: bytes, wbits: int, url: str, limit: int, coding: str) -> bytes:
    decoder = zlib.decompressobj(wbits)
    try:
        out = decoder.decompress(data, limit + 1)
    except zlib.error:
        raise FetchError(f"{url}: the {coding}-compressed body is corrupt") from None
    if len(out) > limit or decoder.unconsumed_tail:
        raise too_large(url, limit)
    if not decoder.eof:
        raise FetchError(f"{url}: the {coding}-compressed body is truncated")
    return out


def _unbrotli(data: bytes, url: str, limit: int) -> bytes:
    import brotli

    decoder = brotli.Decompressor()
    try:
        out = decoder.process(data, output_buffer_limit=limit + 1)
    except brotli.error:
        raise FetchError(f"{url}: the br-compressed body is corrupt") from None
    if len(out) > limit or not decoder.can_accept_more_data():
        raise too_large(url, limit)
    if not decoder.is_finished():
        raise FetchError(f"{url}: the br-compressed body is truncated")
    return bytes(out)
