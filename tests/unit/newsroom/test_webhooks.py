"""Webhooks end to end: registered through the API, queued on SQS when a claim is published,
delivered by the deployed handler (functions/webhooks/app.py) run by the local poller to a
receiver on 127.0.0.1, signed, retried, dead-lettered, every attempt visible to admins."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from flask.testing import FlaskClient

from factcheck.api import create_app
from factcheck.domain.errors import InvalidInput
from factcheck.domain.models import Claim, Document
from factcheck.ids import document_id
from factcheck.local.poller import Poller
from factcheck.pipeline.extract import process_document
from factcheck.pipeline.queues import Queues
from factcheck.pipeline.services import Services
from factcheck.settings import Settings
from factcheck.storage.dynamo import DynamoRepository
from factcheck.webhooks.delivery import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify
from factcheck.webhooks.targets import check_target

pytestmark = pytest.mark.unit

Headers = Callable[[str], dict[str, str]]
SECRET = "a-long-shared-secret-0123456789"
CLAIM = "Only 9% of plastic waste has ever been recycled."


@dataclass
class Receiver:
    """A tiny HTTP receiver: answers 500 to the first `failures` requests, then 204."""

    failures: int = 0
    requests: list[tuple[dict[str, str], bytes, int]] = field(default_factory=list)
    url: str = ""

    def answer(self) -> int:
        return 500 if len(self.requests) < self.failures else 204


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            status = state.answer()
            state.requests.append((dict(self.headers), body, status))
            self.send_response(status)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def settings(mock_settings: Settings) -> Settings:
    """Local receivers allowed; retries without waiting (backoff 0 s)."""
    return mock_settings.model_copy(
        update={"webhooks_allow_private": True, "webhooks_backoff_seconds": 0}
    )


def _register(client: FlaskClient, as_user: Headers, url: str, events: list[str]) -> str:
    response = client.post(
        "/webhooks",
        json={"url": url, "secret": SECRET, "events": events},
        headers=as_user("ada-admin"),
    )
    assert response.status_code == 201, response.get_json()
    assert "secret" not in response.get_json()
    return str(response.get_json()["id"])


def _publish(client: FlaskClient, as_user: Headers, store: Callable[..., list[Claim]]) -> Claim:
    (claim,) = store(CLAIM)
    client.post(f"/claims/{claim.id}/lease", headers=as_user("rob-reviewer"))
    client.post(
        f"/claims/{claim.id}/verdict",
        json={"rating": "True", "summary": "UNEP figures."},
        headers=as_user("rob-reviewer"),
    )
    assert (
        client.post(f"/claims/{claim.id}/approve", headers=as_user("eve-editor")).status_code == 200
    )
    return claim


def _deliver(settings: Settings, repo: DynamoRepository) -> dict[str, int]:
    poller = Poller(
        settings, services=Services.from_settings(settings, repository=repo), visibility_timeout=1
    )
    return poller.drain(timeout=30).dlq_depth


@pytest.mark.allow_hosts(["127.0.0.1"])  # the receiver runs on this machine
def test_a_delivery_is_signed_and_a_receiver_that_fails_twice_acknowledges_it_once(
    settings: Settings,
    repo: DynamoRepository,
    client: FlaskClient,
    as_user: Headers,
    store: Callable[..., list[Claim]],
    receiver: Receiver,
) -> None:
    # GIVEN a webhook for claim.published whose receiver fails twice, then succeeds
    receiver.failures = 2
    webhook_id = _register(client, as_user, receiver.url, ["claim.published"])
    # WHEN a claim is published and the webhooks function runs until the queue is empty
    claim = _publish(client, as_user, store)
    dlq = _deliver(settings, repo)
    # THEN three attempts, exactly one acknowledged, nothing dead-lettered
    assert [status for _, _, status in receiver.requests] == [500, 500, 204]
    assert dlq["WebhooksQueue"] == 0
    # AND every attempt carried the same signed body, which verifies with the secret
    bodies = {body for _, body, _ in receiver.requests}
    assert len(bodies) == 1
    for headers, body, _ in receiver.requests:
        assert headers[SIGNATURE_HEADER].startswith("sha256=")
        assert verify(SECRET, body, headers[SIGNATURE_HEADER])
        assert not verify("another secret", body, headers[SIGNATURE_HEADER])
        assert int(headers[TIMESTAMP_HEADER]) > 0
    event = json.loads(bodies.pop())
    assert event["type"] == "claim.published"
    assert event["data"]["claim_id"] == claim.id and event["data"]["rating"] == "True"
    # AND the admin sees each attempt, newest first
    response = client.get(f"/webhooks/{webhook_id}/deliveries", headers=as_user("ada-admin"))
    attempts = response.get_json()["items"]
    assert [(a["attempt"], a["ok"], a["status_code"]) for a in attempts] == [
        (3, True, 204),
        (2, False, 500),
        (1, False, 500),
    ]
    assert {a["event_id"] for a in attempts} == {event["id"]}
    # AND the event redelivered (a duplicate SQS message) is not sent again
    from factcheck.webhooks.delivery import deliver
    from factcheck.webhooks.events import WebhookMessage

    message = WebhookMessage.model_validate({"webhook_id": webhook_id, "event": event})
    assert deliver(repo, settings, message, attempt=4) is None
    assert len(receiver.requests) == 3


@pytest.mark.allow_hosts(["127.0.0.1"])  # the receiver runs on this machine
def test_a_receiver_that_always_fails_ends_in_the_dead_letter_queue(
    settings: Settings,
    repo: DynamoRepository,
    client: FlaskClient,
    as_user: Headers,
    store: Callable[..., list[Claim]],
    receiver: Receiver,
) -> None:
    receiver.failures = 1_000
    webhook_id = _register(client, as_user, receiver.url, ["claim.published"])
    _publish(client, as_user, store)
    dlq = _deliver(settings, repo)
    # maxReceiveCount (5, template.yaml) attempts, then the message is in the DLQ
    assert len(receiver.requests) == 5
    assert dlq["WebhooksQueue"] == 1
    attempts = repo.deliveries(webhook_id)
    assert len(attempts) == 5 and not any(a.ok for a in attempts)
    assert attempts[0].error == "the receiver answered HTTP 500"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/hook",
        "http://localhost/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
        "http://[::ffff:10.0.0.1]/hook",
        "http://0.0.0.0/hook",
        "ftp://93.184.216.34/hook",
        "http://user:pw@93.184.216.34/hook",
    ],
)
def test_a_url_on_a_private_range_or_not_http_is_refused(
    url: str, mock_settings: Settings, repo: DynamoRepository, tokens: dict[str, str]
) -> None:
    # GIVEN the default settings (private targets not allowed)
    client = create_app(mock_settings, repository=repo).test_client()
    response = client.post(
        "/webhooks",
        json={"url": url, "secret": SECRET, "events": ["claim.published"]},
        headers={"Authorization": f"Bearer {tokens['ada-admin']}"},
    )
    assert response.status_code == 422, response.get_json()
    assert "url" in response.get_json()["errors"]
    assert repo.list_webhooks() == []


def test_every_resolved_address_must_be_public() -> None:
    def resolver(*addresses: str) -> Callable[..., list[tuple[Any, ...]]]:
        return lambda host, port, **_: [(2, 1, 6, "", (a, port)) for a in addresses]

    assert check_target("https://hooks.example", resolve=resolver("93.184.216.34")) == [
        "93.184.216.34"
    ]
    with pytest.raises(InvalidInput, match=r"10\.0\.0\.7"):
        check_target("https://hooks.example", resolve=resolver("93.184.216.34", "10.0.0.7"))
    assert check_target(
        "https://hooks.example", allow_private=True, resolve=resolver("10.0.0.7")
    ) == ["10.0.0.7"]


@pytest.mark.allow_hosts(["127.0.0.1"])  # the receiver runs on this machine
def test_events_go_only_to_the_webhooks_subscribed_to_them(
    settings: Settings,
    repo: DynamoRepository,
    client: FlaskClient,
    as_user: Headers,
    receiver: Receiver,
) -> None:
    # GIVEN one webhook for document.extracted and one for claim.reviewed
    extracted = _register(client, as_user, receiver.url, ["document.extracted"])
    reviewed = _register(client, as_user, receiver.url, ["claim.reviewed"])
    listed = client.get("/webhooks", headers=as_user("ada-admin")).get_json()["items"]
    assert [w["id"] for w in listed] == [extracted, reviewed]
    # WHEN a document is extracted
    text = "Only 9% of plastic waste has ever been recycled. It is a fact."
    doc, _ = repo.put_document(Document(id=document_id(text), text=text))
    queues = Queues(settings)
    process_document(repo, queues, lambda t, d: [], doc.id)
    # THEN one message, for the document.extracted webhook only
    msgs = queues.client.receive_message(
        QueueUrl=settings.webhooks_queue_url or "", MaxNumberOfMessages=10
    ).get("Messages", [])
    assert [json.loads(m["Body"])["webhook_id"] for m in msgs] == [extracted]
    assert json.loads(msgs[0]["Body"])["event"]["data"]["document_id"] == doc.id
    # AND a deleted webhook is gone
    assert client.delete(f"/webhooks/{extracted}", headers=as_user("ada-admin")).status_code == 204
    assert client.delete(f"/webhooks/{extracted}", headers=as_user("ada-admin")).status_code == 404


# IPv6 addresses that carry a private or loopback IPv4 address inside them.
WRAPPED_PRIVATE = [
    ("6to4 of 127.0.0.1", "2002:7f00:1::"),
    ("6to4 of 10.0.0.1", "2002:a00:1::1"),
    ("6to4 of 169.254.169.254", "2002:a9fe:a9fe::"),
    ("NAT64 of 127.0.0.1", "64:ff9b::7f00:1"),
    ("NAT64 of 192.168.0.1", "64:ff9b::c0a8:1"),
    ("local-use NAT64 of 10.0.0.1", "64:ff9b:1::a00:1"),
    ("IPv4-mapped 127.0.0.1", "::ffff:127.0.0.1"),
    ("IPv4-compatible 127.0.0.1", "::127.0.0.1"),
    ("Teredo with client 10.0.0.1", "2001:0:4136:e378:8000:63bf:f5ff:fffe"),
]


@pytest.mark.parametrize(
    "address", [a for _, a in WRAPPED_PRIVATE], ids=[n for n, _ in WRAPPED_PRIVATE]
)
def test_an_ipv6_address_wrapping_a_private_ipv4_address_is_refused(address: str) -> None:
    def resolve(host: str, port: int, **_: Any) -> list[tuple[Any, ...]]:
        return [(10, 1, 6, "", (address, port, 0, 0))]

    with pytest.raises(InvalidInput, match="private"):
        check_target("https://hooks.example/x", resolve=resolve)


@pytest.mark.parametrize(
    "address",
    ["2002:5db8:d822::1", "64:ff9b::5db8:d822", "2606:2800:220:1:248:1893:25c8:1946"],
    ids=["6to4 of a public address", "NAT64 of a public address", "plain public IPv6"],
)
def test_an_ipv6_address_wrapping_a_public_ipv4_address_is_allowed(address: str) -> None:
    def resolve(host: str, port: int, **_: Any) -> list[tuple[Any, ...]]:
        return [(10, 1, 6, "", (address, port, 0, 0))]

    assert check_target("https://hooks.example/x", resolve=resolve) == [address]


def test_a_literal_6to4_loopback_url_is_refused_at_registration(
    mock_settings: Settings, repo: DynamoRepository, tokens: dict[str, str]
) -> None:
    client = create_app(mock_settings, repository=repo).test_client()
    response = client.post(
        "/webhooks",
        json={
            "url": "http://[2002:7f00:1::]/hook",
            "secret": SECRET,
            "events": ["claim.published"],
        },
        headers={"Authorization": f"Bearer {tokens['ada-admin']}"},
    )
    assert response.status_code == 422, response.get_json()
    assert "url" in response.get_json()["errors"]
    assert repo.list_webhooks() == []
