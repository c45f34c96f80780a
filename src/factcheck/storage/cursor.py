"""Opaque, signed pagination cursors.

A cursor wraps DynamoDB's LastEvaluatedKey so a client can ask for the next page but can
neither read nor forge a start key: the payload is signed with HMAC-SHA256 under
`settings.cursor_secret`, and bound to the query it came from (index + partition), so a
cursor of the `queued` listing is refused by the `reviewed` listing or the published feed.

Format: `base64url(payload) "." base64url(mac)`, no padding. Anything that does not verify
(tampered, truncated, signed with another secret, issued for another query, malformed) is
`InvalidCursor`, which the API maps to 400.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
from collections.abc import Iterable

from factcheck.domain.errors import InvalidCursor

VERSION = "v1"
MAX_LENGTH = 2048  # a real cursor is a few hundred characters
_SHAPE = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(secret: bytes, payload: bytes) -> bytes:
    return hmac.new(secret, VERSION.encode("ascii") + b"." + payload, hashlib.sha256).digest()


def encode(secret: bytes, binding: str, key: dict[str, str]) -> str:
    """Sign `key` (attribute name -> string value) for the query named by `binding`."""
    payload = json.dumps({"b": binding, "k": key}, separators=(",", ":"), sort_keys=True)
    raw = payload.encode("utf-8")
    return f"{_b64encode(raw)}.{_b64encode(_mac(secret, raw))}"


def decode(secret: bytes, binding: str, cursor: str, fields: Iterable[str]) -> dict[str, str]:
    """The start key inside `cursor`, verified; `fields` are the key attributes it must hold."""
    if not isinstance(cursor, str) or not cursor or len(cursor) > MAX_LENGTH:
        raise InvalidCursor("the cursor is empty or too long")
    if not _SHAPE.fullmatch(cursor):
        raise InvalidCursor("the cursor is malformed")
    body, _, sig = cursor.partition(".")
    try:
        raw = _b64decode(body)
        mac = _b64decode(sig)
    except (binascii.Error, ValueError) as e:
        raise InvalidCursor("the cursor is not valid base64url") from e
    if _b64encode(raw) != body or _b64encode(mac) != sig:  # one spelling per cursor
        raise InvalidCursor("the cursor is not in canonical base64url")
    if not hmac.compare_digest(mac, _mac(secret, raw)):
        raise InvalidCursor("the cursor's signature does not verify")
    try:
        payload = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:  # signed by us, so only on a secret leak
        raise InvalidCursor("the cursor payload is malformed") from e
    if not isinstance(payload, dict) or payload.get("b") != binding:
        raise InvalidCursor("the cursor belongs to another listing")
    key = payload.get("k")
    expected = set(fields)
    if (
        not isinstance(key, dict)
        or set(key) != expected
        or not all(isinstance(v, str) for v in key.values())
    ):
        raise InvalidCursor("the cursor does not hold a start key of this listing")
    return {str(k): str(v) for k, v in key.items()}
