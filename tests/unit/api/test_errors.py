"""Bad input everywhere: a 4xx in the one error envelope with a clear message, never a 500,
never a partial write. Unexpected failures: a generic 500 envelope, logged, nothing leaked."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import boto3
import pytest
from flask.testing import FlaskClient

from factcheck.api import create_app
from factcheck.domain.errors import NotFound
from factcheck.domain.models import Claim
from factcheck.ids import document_id
from factcheck.storage.dynamo import DynamoRepository
from unit.conftest import share_per_module

if TYPE_CHECKING:
    from tests.unit.api.conftest import World

pytestmark = pytest.mark.unit

# One table, app and set of users for the whole module (each test seeds its own documents):
# the chain of tests/unit/conftest.py overridden at module scope.
aws, mock_settings, settings, repo, app, tokens = share_per_module()

ENVELOPE_KEYS = {"status", "code", "message", "errors"}


@pytest.fixture
def client(world: World) -> FlaskClient:
    return world.app.test_client()


@pytest.fixture
def admin(world: World) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.tokens['ada-admin']}"}


def assert_envelope(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) <= ENVELOPE_KEYS and {"status", "code", "message"} <= set(body)
    assert body["status"] == status
    assert isinstance(body["message"], str) and body["message"]
    if code:
        assert body["code"] == code
    return dict(body)


def queue_depth(world: World) -> int:
    sqs = boto3.client("sqs", **world.settings.boto_kwargs())
    attrs = sqs.get_queue_attributes(
        QueueUrl=str(world.settings.documents_queue_url),
        AttributeNames=["ApproximateNumberOfMessages"],
    )["Attributes"]
    return int(attrs["ApproximateNumberOfMessages"])


TEXT = "Unemployment fell to 3.9% in May, the lowest level since 2001."

BAD_DOCUMENTS: list[tuple[str, dict[str, Any], str]] = [
    ("no body fields", {}, "text"),
    ("both text and html", {"text": TEXT, "html": f"<p>{TEXT}</p>"}, "text"),
    ("blank text", {"text": " \n\t "}, "text"),
    ("empty text", {"text": ""}, "text"),
    ("text not a string", {"text": 42}, "text"),
    (
        "html without readable text",
        {"html": "<html><body><script>var a = 1;</script></body></html>"},
        "html",
    ),
    ("ftp url", {"text": TEXT, "url": "ftp://example.com/a"}, "url"),
    ("javascript url", {"text": TEXT, "url": "javascript:alert(1)"}, "url"),
    ("relative url", {"text": TEXT, "url": "/a/b"}, "url"),
    ("unparseable date", {"text": TEXT, "published_at": "last Tuesday"}, "published_at"),
    ("title too long", {"text": TEXT, "title": "t" * 501}, "title"),
    ("unknown field", {"text": TEXT, "body": "x"}, "body"),
    ("author blank", {"text": TEXT, "author": "   "}, "author"),
]


@pytest.mark.parametrize(
    ("payload", "field"), [p[1:] for p in BAD_DOCUMENTS], ids=[p[0] for p in BAD_DOCUMENTS]
)
def test_an_invalid_document_is_a_422_naming_the_field_and_writes_nothing(
    payload: dict[str, Any],
    field: str,
    client: FlaskClient,
    admin: dict[str, str],
    world: World,
) -> None:
    depth = queue_depth(world)
    response = client.post("/documents", json=payload, headers=admin)
    body = assert_envelope(response, 422)
    assert field in body["errors"], body
    assert queue_depth(world) == depth
    if isinstance(payload.get("text"), str) and payload["text"].strip():
        with pytest.raises(NotFound):
            world.repo.get_document(document_id(payload["text"]))


@pytest.mark.parametrize(
    ("data", "content_type", "status", "code"),
    [
        ("{not json", "application/json", 400, "bad_request"),
        ('{"text": "a"', "application/json", 400, "bad_request"),
        ("[1, 2]", "application/json", 422, "validation_error"),
        ('"just a string"', "application/json", 422, "validation_error"),
        ("text=hello", "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
        ("hello", "text/plain", 415, "unsupported_media_type"),
        ("<p>hi</p>", "text/html", 415, "unsupported_media_type"),
        ('{"text": ' + "[" * 5000 + "]" * 5000 + "}", "application/json", 400, "bad_request"),
        ('{"text": "Prices rose \\ud800 5%"}', "application/json", 400, "bad_request"),
        ('{"text": "Prices rose 5%.", "title": "\\udfff"}', "application/json", 400, "bad_request"),
    ],
)
def test_a_body_that_is_not_a_json_object_is_refused_with_the_envelope(
    data: str,
    content_type: str,
    status: int,
    code: str,
    client: FlaskClient,
    admin: dict[str, str],
) -> None:
    response = client.post("/documents", data=data, content_type=content_type, headers=admin)
    assert_envelope(response, status, code)


def test_a_body_over_the_raw_size_limit_is_a_413_before_anything_is_read(
    client: FlaskClient, admin: dict[str, str], world: World
) -> None:
    limit = world.app.config["MAX_CONTENT_LENGTH"]
    depth = queue_depth(world)
    response = client.post(
        "/documents",
        data=b'{"text": "' + b"a" * limit + b'"}',
        content_type="application/json",
        headers=admin,
    )
    assert_envelope(response, 413, "payload_too_large")
    assert queue_depth(world) == depth


def test_a_text_over_the_document_limit_is_a_413_and_nothing_is_written(
    mock_settings: Any,
) -> None:
    # GIVEN an app whose document limit is 1 KB
    settings = mock_settings.model_copy(update={"max_document_bytes": 1000})
    repo = DynamoRepository(settings)
    from factcheck.api.auth import create_user
    from factcheck.domain.models import Role

    _, token = create_user(repo, "ada", Role.ADMIN)
    client = create_app(settings, repository=repo).test_client()
    text = "Inflation rose 2% last year. " * 40  # ~1.1 KB: under the raw limit, over the text one
    # WHEN it is submitted
    response = client.post(
        "/documents", json={"text": text}, headers={"Authorization": f"Bearer {token}"}
    )
    # THEN 413 with the sizes, and no document
    body = assert_envelope(response, 413, "document_too_large")
    assert "1000" in body["message"]
    with pytest.raises(NotFound):
        repo.get_document(document_id(text))


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        ("limit=0", 422, "limit"),
        ("limit=101", 422, "limit"),
        ("limit=ten", 422, "limit"),
        ("status=pending", 422, "status"),
        ("cursor=", 422, "cursor"),
        ("sort=score", 422, "sort"),
        ("cursor=not-a-real-cursor", 400, None),
        ("cursor=eyJwayI6ICJ4In0", 400, None),
    ],
)
def test_a_bad_queue_query_is_a_4xx_with_the_envelope(
    query: str, status: int, field: str | None, client: FlaskClient, admin: dict[str, str]
) -> None:
    body = assert_envelope(client.get(f"/claims?{query}", headers=admin), status)
    if field:
        assert field in body["errors"]
    else:
        assert body["code"] == "invalid_cursor"


def test_a_cursor_from_the_claims_queue_pages_through_it_in_priority_order(
    client: FlaskClient, admin: dict[str, str], world: World
) -> None:
    world.seed()
    world.seed()
    seen: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = "limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(f"/claims?{query}", headers=admin).get_json()
        seen.extend(page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len({c["id"] for c in seen}) == len(seen) >= 6
    assert [c["score"] for c in seen] == sorted((c["score"] for c in seen), reverse=True)


BAD_CLAIM_BODIES: list[tuple[str, dict[str, Any], str]] = [
    ("verdict", {"rating": "Pants on fire", "summary": "No."}, "rating"),
    ("verdict", {"rating": "False"}, "summary"),
    ("verdict", {"rating": "False", "summary": "   "}, "summary"),
    (
        "verdict",
        {"rating": "False", "summary": "No.", "claim_reviewed": "x" * 75},
        "claim_reviewed",
    ),
    (
        "verdict",
        {"rating": "False", "summary": "No.", "claim_reviewed": "False: sanctions hurt Russia"},
        "claim_reviewed",
    ),
    (
        "verdict",
        {"rating": "True", "summary": "Yes.", "claim_reviewed": "Mostly true that exports grew"},
        "claim_reviewed",
    ),
    ("sources", {"url": "ftp://example.org/x"}, "url"),
    ("sources", {"url": "not a url"}, "url"),
    ("sources", {"title": "No url"}, "url"),
    ("sources", {"url": "https://example.org", "note": ""}, "note"),
    ("send-back", {}, "comment"),
    ("send-back", {"comment": "  "}, "comment"),
    ("dismiss", {}, "reason"),
    ("dismiss", {"reason": "x" * 2001}, "reason"),
]


@pytest.mark.parametrize(
    ("action", "payload", "field"),
    BAD_CLAIM_BODIES,
    ids=[f"{a}-{f}-{i}" for i, (a, _, f) in enumerate(BAD_CLAIM_BODIES)],
)
def test_an_invalid_review_body_is_a_422_naming_the_field_and_changes_nothing(
    action: str,
    payload: dict[str, Any],
    field: str,
    client: FlaskClient,
    admin: dict[str, str],
    world: World,
) -> None:
    # GIVEN a claim leased by the caller
    claim = world.seed(n=1)[0]
    world.repo.lease(claim.id, "ada-admin")
    before = world.repo.history(claim.id)
    # WHEN the body is invalid
    response = client.post(f"/claims/{claim.id}/{action}", json=payload, headers=admin)
    # THEN 422 naming the field, and no transition happened
    body = assert_envelope(response, 422)
    assert field in body["errors"], body
    assert world.repo.history(claim.id) == before


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/claims/not-an-id"),
        ("GET", "/claims/c0000000000000000"),
        ("GET", "/claims/c0000000000000000/history"),
        ("POST", "/claims/c0000000000000000/lease"),
        ("GET", "/documents/d0000000000000000"),
        ("GET", "/documents/" + "d" * 3000),
        ("GET", "/documents/d0000000000000000/claims"),
        ("GET", "/claim-reviews/c0000000000000000"),
        ("GET", "/no/such/route"),
    ],
)
def test_an_unknown_resource_is_a_404_envelope(
    method: str, path: str, client: FlaskClient, admin: dict[str, str]
) -> None:
    assert_envelope(client.open(path, method=method, headers=admin), 404, "not_found")


def test_a_claim_that_is_not_published_has_no_public_claim_review(
    client: FlaskClient, world: World
) -> None:
    claim = world.seed(n=1)[0]
    assert_envelope(client.get(f"/claim-reviews/{claim.id}"), 404, "not_found")


@pytest.mark.parametrize(
    ("method", "path"),
    [("DELETE", "/documents"), ("PUT", "/claims"), ("GET", "/claims/c0000000000000000/approve")],
)
def test_a_method_the_resource_does_not_have_is_a_405_envelope(
    method: str, path: str, client: FlaskClient, admin: dict[str, str]
) -> None:
    assert_envelope(client.open(path, method=method, headers=admin), 405, "method_not_allowed")


@pytest.mark.parametrize(
    ("setup", "action", "code"),
    [
        ("queued", "approve", "illegal_transition"),
        ("queued", "send-back", "illegal_transition"),
        ("queued", "verdict", "lease_conflict"),
        ("dismissed", "lease", "illegal_transition"),
        ("dismissed", "dismiss", "illegal_transition"),
    ],
)
def test_an_illegal_transition_is_a_409_with_a_clear_message(
    setup: str,
    action: str,
    code: str,
    client: FlaskClient,
    admin: dict[str, str],
    world: World,
) -> None:
    claim = world.seed(n=1)[0]
    if setup == "dismissed":
        world.repo.dismiss(claim.id, "eve-editor", "Opinion.")
    bodies = {
        "send-back": {"comment": "c"},
        "verdict": {"rating": "True", "summary": "s"},
        "dismiss": {"reason": "r"},
    }
    response = client.post(f"/claims/{claim.id}/{action}", json=bodies.get(action), headers=admin)
    body = assert_envelope(response, 409)
    assert body["code"] in (code, "illegal_transition", "lease_conflict")
    assert claim.id in body["message"]


class ExplodingRepository:
    """A repository whose every call fails in a way nobody planned for."""

    def __getattr__(self, name: str) -> Callable[..., Any]:
        def fail(*args: Any, **kwargs: Any) -> Any:
            raise RuntimeError("secret internal detail: table arn:aws:dynamodb:xyz")

        return fail


def test_an_unexpected_failure_is_a_generic_500_envelope_that_leaks_nothing(
    mock_settings: Any,
) -> None:
    app = create_app(mock_settings, repository=ExplodingRepository())
    response = app.test_client().get("/claim-reviews")
    body = assert_envelope(response, 500, "internal_error")
    assert "secret" not in response.get_data(as_text=True)
    assert body["message"] == "Internal server error."


def test_a_queue_failure_after_the_write_is_a_503_and_the_document_waits_for_the_sweeper(
    mock_settings: Any,
) -> None:
    # GIVEN queues that refuse every message
    from factcheck.api.auth import create_user
    from factcheck.domain.models import Role
    from factcheck.pipeline.queues import QueueError

    class DownQueues:
        def send_document(self, document_id: str) -> None:
            raise QueueError("SQS unreachable")

    repo = DynamoRepository(mock_settings)
    _, token = create_user(repo, "sam", Role.SUBMITTER)
    client = create_app(mock_settings, repository=repo, queues=DownQueues()).test_client()
    # WHEN a document is submitted
    response = client.post(
        "/documents", json={"text": TEXT}, headers={"Authorization": f"Bearer {token}"}
    )
    # THEN a 503 envelope; the document is stored as received, so the sweeper re-queues it
    assert_envelope(response, 503)
    assert repo.get_document(document_id(TEXT)).status == "received"


def test_every_error_names_its_code_for_machines_and_says_what_went_wrong_for_people(
    client: FlaskClient, admin: dict[str, str], world: World
) -> None:
    claim: Claim = world.seed(n=1)[0]
    response = client.post(
        f"/claims/{claim.id}/verdict",
        json={"rating": "Pants on fire", "summary": "No."},
        headers=admin,
    )
    body = assert_envelope(response, 422, "validation_error")
    assert "Pants on fire" in body["message"]
    assert "Mostly true" in body["message"]  # the allowed labels are listed
