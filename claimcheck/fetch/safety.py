"""Which URLs claimcheck may fetch, and from which addresses.

A shared desk machine must not become a way into its own network: a URL someone pastes into a
claim could name ``http://10.0.0.5/admin`` or a cloud metadata service at ``169.254.169.254``.
So, unless ``--allow-private`` (or the ``allow_private`` config key) says otherwise:

* only ``http`` and ``https`` URLs are fetched (``file:``, ``data:``, ``javascript:``, ``ftp:`` ...
  are refused before anything happens);
* the host name is resolved and **every** address it resolves to must be a public one — a name
  with one private address among public ones is refused, since the client may pick either;
* the check is repeated for every redirect target, and once more on the address the connection
  actually reached (so a name that resolves differently the second time is caught before the
  response is read).

"Public" is :attr:`ipaddress.IPv4Address.is_global` (and the IPv6 equivalent), which excludes
private, loopback, link-local, shared (carrier-grade NAT), reserved, documentation and unspecified
ranges; multicast is refused too, and IPv4-mapped IPv6 addresses are judged as the IPv4 address.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from urllib.parse import urlsplit

from claimcheck.errors import FetchError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]

ALLOWED_SCHEMES = ("http", "https")


def check_scheme(url: str) -> None:
    """Refuse anything but an absolute http(s) URL, naming the scheme."""
    scheme = urlsplit(url.strip()).scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        shown = f"{scheme}:" if scheme else "a URL without a scheme"
        raise FetchError(
            f"{_short(url)}: refused: only http and https URLs are fetched, not {shown}"
        )


def address_kind(ip: IPAddress) -> str | None:
    """Why an address is not public (``"loopback"``, ``"private"`` ...), or None when it is."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_multicast:
        return "multicast"
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_private:
        return "private"
    if ip.is_reserved:
        return "reserved"
    if not ip.is_global:
        return "non-public"
    return None


def system_resolver(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (what the HTTP client may connect to)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchError(f"cannot resolve host {host!r}: {exc.strerror or exc}") from None
    except UnicodeError:
        raise FetchError(f"host {host!r} is not a valid host name") from None
    return sorted({str(info[4][0]) for info in infos})


def check_host(url: str, resolver: Resolver = system_resolver) -> list[str]:
    """Refuse a URL whose host resolves to any non-public address; returns the addresses."""
    parts = urlsplit(url)
    host = (parts.hostname or "").strip("[]")
    if not host:
        raise FetchError(f"{_short(url)}: refused: the URL has no host")
    try:
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError:
        raise FetchError(f"{_short(url)}: the URL has an invalid port") from None
    try:
        addresses = resolver(host, port)
    except FetchError as exc:
        raise FetchError(f"{_short(url)}: {exc.message}") from None
    if not addresses:
        raise FetchError(f"{_short(url)}: cannot resolve host {host!r}")
    for address in addresses:
        check_address(url, host, address)
    return addresses


def check_address(url: str, host: str, address: str) -> None:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    kind = address_kind(ip)
    if kind is not None:
        where = f"{address} is" if host == address else f"{host} resolves to {address},"
        raise FetchError(
            f"{_short(url)}: refused: {where} a {kind} address "
            "(pass --allow-private to fetch from your own network)"
        )


def _short(url: str, limit: int = 120) -> str:
    url = url.strip()
    return url if len(url) <= limit else url[: limit - 1] + "…"
