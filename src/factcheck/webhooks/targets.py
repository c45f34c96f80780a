"""Which URLs a webhook may call: the server-side request forgery guard.

Only http(s) URLs with a host; the host is resolved and EVERY address it resolves to must
be a public one (not private, loopback, link-local, multicast, reserved or unspecified),
unless `settings.webhooks_allow_private`. The check runs when a webhook is registered and
again before every delivery (a name can be re-pointed after registration). A name that
resolves to a public address at the check and a private one at the connection (DNS
rebinding inside the connect window) is not covered; run the function in a VPC without a
route to internal services for that.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from factcheck.domain.errors import InvalidInput

Resolver = Callable[..., list[tuple[Any, ...]]]


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
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
