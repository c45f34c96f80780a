"""Deliver one webhook event: sign, POST, record the attempt; raise when it failed.

`X-Factcheck-Signature: sha256=<hex HMAC-SHA256(secret, raw body)>`, plus
`X-Factcheck-Timestamp` (the attempt's Unix time), `X-Factcheck-Event` and
`X-Factcheck-Delivery` (the event id: receivers de-duplicate on it). The body's
`created_at` is covered by the signature, so receivers can refuse stale events.

Exactly-once acknowledgement: a 2xx is recorded (conditional put, `DONE#<event id>`), and a
redelivery of an event the receiver already acknowledged is not sent again. The event's
outbox item then records the webhook in `sent_to` (`sent` once every target has it). A
failed attempt raises: the message comes back after the backoff, until the DLQ.
"""

from __future__ import annotations

import hashlib
import hmac
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from factcheck.domain.errors import FactcheckError, InvalidInput, NotFound
from factcheck.domain.models import Delivery
from factcheck.observability import logger
from factcheck.settings import Settings
from factcheck.storage.ports import EventOutbox
from factcheck.webhooks.events import WebhookMessage
from factcheck.webhooks.targets import check_target

SIGNATURE_HEADER = "X-Factcheck-Signature"
TIMESTAMP_HEADER = "X-Factcheck-Timestamp"
USER_AGENT = "factcheck-webhooks/1"
MAX_ERROR = 500


class DeliveryFailed(FactcheckError):
    """The receiver did not acknowledge (non-2xx, timeout, refused target): retry later."""

    code = "webhook_delivery_failed"
    http_status = 502


@dataclass(frozen=True)
class Response:
    status: int


Poster = Callable[[str, bytes, dict[str, str], float], Response]


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, signature: str) -> bool:
    return hmac.compare_digest(sign(secret, body), signature)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect could point anywhere (an internal address): it is a failed delivery."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def http_post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> Response:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return Response(int(response.status))
    except urllib.error.HTTPError as e:
        return Response(int(e.code))


def deliver(
    repo: EventOutbox,
    settings: Settings,
    message: WebhookMessage,
    *,
    attempt: int,
    post: Poster = http_post,
) -> Delivery | None:
    """One attempt. None when there is nothing to do (webhook deleted, already acknowledged);
    the recorded Delivery when acknowledged; DeliveryFailed when not."""
    event = message.event
    try:
        webhook = repo.get_webhook(message.webhook_id)
    except NotFound:
        logger.info("webhook gone; event dropped", extra={"webhook_id": message.webhook_id})
        return None
    if repo.is_delivered(webhook.id, event.id):
        repo.mark_outbox_sent(event.id, webhook.id)  # idempotent: heals a crash before it
        return None
    body = event.model_dump_json().encode("utf-8")
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        SIGNATURE_HEADER: sign(webhook.secret, body),
        TIMESTAMP_HEADER: str(int(time.time())),
        "X-Factcheck-Event": event.type.value,
        "X-Factcheck-Delivery": event.id,
    }
    started = time.monotonic()
    status: int | None = None
    error: str | None = None
    try:
        check_target(webhook.url, allow_private=settings.webhooks_allow_private)
        status = post(webhook.url, body, headers, settings.webhooks_timeout_seconds).status
        if not 200 <= status < 300:
            error = f"the receiver answered HTTP {status}"
    except InvalidInput as e:
        error = e.message
    except (OSError, ValueError) as e:  # refused, timed out, DNS, TLS
        error = f"{type(e).__name__}: {e}"
    record = Delivery(
        webhook_id=webhook.id,
        event_id=event.id,
        event_type=event.type,
        attempt=attempt,
        at=datetime.now(UTC),
        ok=error is None,
        status_code=status,
        error=error[:MAX_ERROR] if error else None,
        duration_ms=int((time.monotonic() - started) * 1000),
    )
    repo.record_delivery(record)
    if error is not None:
        raise DeliveryFailed(
            f"webhook {webhook.id}, event {event.id}, attempt {attempt}: {error}",
            webhook_id=webhook.id,
        )
    repo.mark_delivered(webhook.id, event.id)
    repo.mark_outbox_sent(event.id, webhook.id)
    return record


def backoff_seconds(settings: Settings, attempt: int) -> int:
    """Delay before attempt `attempt + 1`: base * 2**(attempt - 1), capped."""
    base = settings.webhooks_backoff_seconds
    return int(min(settings.webhooks_backoff_max_seconds, base * 2 ** max(0, attempt - 1)))
