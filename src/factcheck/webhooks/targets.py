"""Which URLs a webhook may call: the server-side request forgery guard.

Only http(s) URLs with a host; the host is resolved and EVERY address it resolves to must
be a public one (not private, loopback, link-local, multicast, reserved or unspecified),
unless `settings.webhooks_allow_private`. An IPv6 address that carries an IPv4 address
(IPv4-mapped `::ffff:a.b.c.d`, 6to4 `2002::/16`, NAT64 `64:ff9b::/96`, Teredo `2001::/32`)
is judged by the IPv4 address it reaches too: `2002:7f00:1::` is 127.0.0.1. The check
runs when a webhook is registered and again before every delivery (a name can be
re-pointed after registration). A name that resolves to a public address at the check
and a private one at the connection (DNS rebinding inside the connect window) is not
covered; run the function in a VPC without a route to internal services for that.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from factcheck.domain.errors import InvalidInput

Resolver = Callable[..., list[tuple[Any, ...]]]


# RFC 6052's well-known NAT64 prefix: the last 32 bits are the IPv4 address reached.
# (The local-use 64:ff9b:1::/48 embeds it elsewhere; Python calls it reserved: refused.)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address wraps (mapped, 6to4, NAT64, Teredo client)."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.teredo is not None:
        return ip.teredo[1]
    return None


def _is_public(address: str) -> bool:
    ip: IPAddress = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_ipv4(ip)
        if inner is not None:
            if not _is_global(inner):
                return False
            if ip.ipv4_mapped is not None or ip in _NAT64:  # the IPv6 form is only a wrapper
                return True
    return _is_global(ip)


def _is_global(ip: IPAddress) -> bool:
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def check_target(
    url: str, *, allow_private: bool = False, resolve: Resolver = socket.getaddrinfo
) -> list[str]:
    """The addresses `url`'s host resolves to; InvalidInput (422) if it may not be called."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInput("A webhook URL must be an absolute http(s) URL.", field="url")
    if parts.username or parts.password:
        raise InvalidInput("A webhook URL must not carry credentials.", field="url")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as e:
        raise InvalidInput("The webhook URL's port is not valid.", field="url") from e
    try:
        infos = resolve(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError) as e:
        raise InvalidInput(
            f"The webhook host {parts.hostname!r} does not resolve.", field="url"
        ) from e
    addresses = sorted({str(info[4][0]) for info in infos})
    if not addresses:
        raise InvalidInput(f"The webhook host {parts.hostname!r} does not resolve.", field="url")
    if not allow_private:
        blocked = [a for a in addresses if not _is_public(a)]
        if blocked:
            raise InvalidInput(
                f"The webhook host {parts.hostname!r} resolves to a private, loopback or "
                f"link-local address ({', '.join(blocked)}); only public targets are allowed.",
                field="url",
            )
    return addresses
