"""Asking the Wayback Machine's Save Page Now for a snapshot of a URL.

``GET {wayback_url}/save/{url}`` asks the archive to capture the page now; it answers with (or
redirects to) the snapshot's address, ``/web/<14-digit timestamp>/<url>``, given either as the
``Content-Location`` header, a redirect's ``Location`` or the final URL. The base URL is the
config key ``wayback_url`` (tests point it at a local fake server). It is the desk's own
configuration, so the private-address guard of :mod:`.safety` does not apply to it.

Rate limit: a request waits until ``wayback_interval`` seconds have passed since the desk's last
Save Page Now request (the latest ``captures.wayback_requested_at``, so it holds across
commands and, on PostgreSQL, across the desk). An HTTP 429 from the archive is not retried.

Every failure is a :class:`FetchError` with one line: the caller turns it into a warning, and the
capture, already stored, is never lost.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable
from urllib.parse import urljoin, urlsplit

from claimcheck.errors import FetchError

SNAPSHOT_RE = re.compile(r"/web/\d{14}")
MIN_TIMEOUT = 60.0


def wait_needed(last: dt.datetime | None, interval: float, now: dt.datetime) -> float:
    """Seconds to wait before the next request (0 when none)."""
    if last is None or interval <= 0:
        return 0.0
    elapsed = (now - last).total_seconds()
    return max(0.0, interval - elapsed)


def _snapshot(base: str, candidates: list[str | None]) -> str | None:
    for value in candidates:
        if value and SNAPSHOT_RE.search(urlsplit(value).path or value):
            return urljoin(base + "/", value.strip())
    return None


def request_snapshot(
    url: str,
    *,
    base: str,
    timeout: float,
    user_agent: str,
    last_request: dt.datetime | None = None,
    interval: float = 0.0,
    sleep: Callable[[float], None] | None = None,
    on_wait: Callable[[float], None] | None = None,
) -> str:
    """Ask Save Page Now to archive ``url``; the snapshot's URL, or :class:`FetchError`."""
    import httpx

    wait = wait_needed(last_request, interval, dt.datetime.now(dt.UTC))
    if wait > 0:
        if on_wait is not None:
            on_wait(wait)
        (sleep or time.sleep)(wait)
    endpoint = f"{base.rstrip('/')}/save/{url}"
    read = max(timeout, MIN_TIMEOUT)
    try:
        with httpx.Client(
            timeout=httpx.Timeout(read, connect=timeout),
            trust_env=True,
            follow_redirects=True,
            max_redirects=5,
            headers={"User-Agent": user_agent},
        ) as client:
            response = client.get(endpoint)
    except httpx.TimeoutException:
        raise FetchError(f"no answer from the Wayback Machine within {read:g} seconds") from None
    except httpx.HTTPError as exc:
        raise FetchError(f"cannot reach the Wayback Machine at {base}: {exc}") from None
    chain = [*response.history, response]
    if response.status_code == 429:
        raise FetchError(
            "the Wayback Machine refused the request: too many requests (HTTP 429); "
            "try again later with `claimcheck source archive ID --wayback`"
        )
    if response.status_code >= 400:
        raise FetchError(
            f"the Wayback Machine could not save the page (HTTP {response.status_code})"
        )
    candidates: list[str | None] = []
    for item in chain:
        candidates.append(item.headers.get("content-location"))
        candidates.append(item.headers.get("location"))
    candidates.append(str(response.url))
    found = _snapshot(base, candidates)
    if found is None:
        raise FetchError("the Wayback Machine answered without naming a snapshot")
    return found
