"""Input that is accepted is input that is processed: the edge refuses, before anything is
written, what the pipeline could never finish, and says which limit and by how much."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from flask.testing import FlaskClient

from factcheck.domain import limits
from factcheck.domain.errors import NotFound
from factcheck.ids import document_id
from unit.conftest import share_per_module

if TYPE_CHECKING:
    from tests.unit.api.conftest import World

pytestmark = pytest.mark.unit

# One table, app and set of users for the whole module (each test seeds its own documents):
# the chain of tests/unit/conftest.py overridden at module scope.
aws, mock_settings, settings, repo, app, tokens = share_per_module()

TEXT = "Unemployment fell to 3.9% in May, the lowest level since 2001."


@pytest.fixture
def client(world: World) -> FlaskClient:
    return world.app.test_client()


def _auth(world: World, user: str = "ada-admin") -> dict[str, str]:
    return {"Authorization": f"Bearer {world.tokens[user]}"}


def _error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == {"status", "code", "message", "errors"}, body
    assert body["status"] == status
    return dict(body)


def _assert_nothing_written(world: World, text: Any) -> None:
    if isinstance(text, str):
        with pytest.raises(NotFound):
            world.repo.get_document(document_id(text))


NUMBER_LIST = " ".join(f"{307756 + 7919 * i}." for i in range(400))

REFUSED_DOCUMENTS: list[tuple[str, dict[str, Any], str, str]] = [
    ("nul in text", {"text": "Exports\x00 grew 40% in 2023."}, "text", "U+0000"),
    ("bell in text", {"text": "Exports grew\x07 40% in 2023."}, "text", "U+0007"),
    ("c1 control in text", {"text": "Exports grew\x85 40%."}, "text", "U+0085"),
    ("nul in title", {"text": TEXT, "title": "Jobs\x00"}, "title", "U+0000"),
    ("escape in author", {"text": TEXT, "author": "Ann\x1b[31m"}, "author", "U+001B"),
    ("zero-width only text", {"text": "\u200b\u200c\u200d\ufeff"}, "text", "invisible"),
    ("zero-width only title", {"text": TEXT, "title": "\u200b\u200b"}, "title", "invisible"),
    ("a list of numbers", {"text": NUMBER_LIST}, "text", "50%"),
    ("a list of decimals", {"text": "3.1.4.1.5.9.2.6. " * 300}, "text", "50%"),
    ("only punctuation", {"text": "?!.,;:…—–-'\"()[]{} " * 50}, "text", "no words"),
]


@pytest.mark.parametrize(
    ("payload", "field", "says"),
    [r[1:] for r in REFUSED_DOCUMENTS],
    ids=[r[0] for r in REFUSED_DOCUMENTS],
)
def test_a_document_the_pipeline_cannot_process_is_a_422_naming_the_field_and_the_limit(
    payload: dict[str, Any], field: str, says: str, client: FlaskClient, world: World
) -> None:
    response = client.post("/documents", json=payload, headers=_auth(world, "sam-submitter"))
    body = _error(response, 422)
    assert body["code"] == "validation_error"
    assert field in body["errors"], body
    assert says in " ".join(body["errors"][field]), body
    assert field in body["message"] or says in body["message"]
    _assert_nothing_written(world, payload.get("text"))


def test_text_with_zero_width_characters_among_words_is_accepted(
    client: FlaskClient, world: World
) -> None:
    text = "Exports\u200b grew\u200c 40%\u200d in\ufeff 2023."
    response = client.post("/documents", json={"text": text}, headers=_auth(world))
    assert response.status_code == 201, response.get_data(as_text=True)


@pytest.mark.parametrize("digits", [4301, 5000, 100_000])
def test_an_integer_of_more_than_4300_digits_anywhere_in_a_body_is_a_422(
    digits: int, client: FlaskClient, world: World
) -> None:
    body = '{"text": "Exports grew 40%.", "n": ' + "7" * digits + "}"
    response = client.post(
        "/documents", data=body, content_type="application/json", headers=_auth(world)
    )
    error = _error(response, 422)
    assert error["code"] == "validation_error"
    assert "4,300 digits" in error["message"]
    _assert_nothing_written(world, "Exports grew 40%.")


def test_a_big_integer_in_a_review_body_is_a_422_too(client: FlaskClient, world: World) -> None:
    claim = world.seed(n=1)[0]
    body = '{"rating": "True", "summary": "Yes.", "x": ' + "9" * 5000 + "}"
    response = client.post(
        f"/claims/{claim.id}/verdict",
        data=body,
        content_type="application/json",
        headers=_auth(world),
    )
    _error(response, 422)


@pytest.mark.parametrize(
    ("action", "payload", "field"),
    [
        ("verdict", {"rating": "True", "summary": "Yes\x00."}, "summary"),
        (
            "verdict",
            {"rating": "True", "summary": "Yes.", "claim_reviewed": "a\x01b"},
            "claim_reviewed",
        ),
        ("sources", {"url": "https://example.org/a", "note": "see\x00 p. 3"}, "note"),
        ("sources", {"url": "https://example.org/a", "title": "\u200b"}, "title"),
        ("dismiss", {"reason": "Opinion\x00"}, "reason"),
    ],
)
def test_a_control_character_in_any_review_text_field_is_a_422_naming_it(
    action: str, payload: dict[str, Any], field: str, client: FlaskClient, world: World
) -> None:
    claim = world.seed(n=1)[0]
    world.repo.lease(claim.id, "ada-admin")
    before = world.repo.history(claim.id)
    response = client.post(f"/claims/{claim.id}/{action}", json=payload, headers=_auth(world))
    body = _error(response, 422)
    assert field in body["errors"], body
    assert world.repo.history(claim.id) == before


def test_a_control_character_in_a_query_string_is_a_422_naming_the_parameter(
    client: FlaskClient, world: World
) -> None:
    response = client.get("/claims/search?q=exports%00grew", headers=_auth(world))
    body = _error(response, 422)
    assert "q" in body["errors"]


def test_a_new_document_is_a_201_with_its_location_and_the_same_text_again_a_200(
    client: FlaskClient, world: World
) -> None:
    text = "Wages rose 2.1% in the year to March, the slowest rise since 2019."
    first = client.post("/documents", json={"text": text}, headers=_auth(world))
    assert first.status_code == 201
    location = first.headers["Location"]
    assert location.endswith(f"/documents/{first.get_json()['id']}")
    assert client.get(location, headers=_auth(world)).get_json()["text"] == text
    again = client.post("/documents", json={"text": text}, headers=_auth(world))
    assert again.status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "payload", "status"),
    [
        ("GET", "/documents/d0000000000000000", None, 404),
        ("GET", "/no/such/route", None, 404),
        ("DELETE", "/documents", None, 405),
        ("GET", "/claims", None, 401),
        ("POST", "/documents", "text=hi", 415),
        ("POST", "/documents", "{not json", 400),
    ],
)
def test_every_error_has_an_errors_object_even_when_no_field_is_at_fault(
    method: str, path: str, payload: str | None, status: int, client: FlaskClient, world: World
) -> None:
    headers = {} if status == 401 else _auth(world)
    content_type = (
        "application/x-www-form-urlencoded" if payload == "text=hi" else "application/json"
    )
    response = client.open(
        path, method=method, data=payload, content_type=content_type, headers=headers
    )
    body = _error(response, status)
    assert isinstance(body["errors"], dict)


def test_every_422_has_one_code_whether_the_schema_or_the_domain_refused_it(
    client: FlaskClient, world: World
) -> None:
    claim = world.seed(n=1)[0]
    world.repo.lease(claim.id, "ada-admin")
    by_schema = client.post(
        f"/claims/{claim.id}/verdict", json={"rating": "True"}, headers=_auth(world)
    )
    by_domain = client.post(
        f"/claims/{claim.id}/verdict",
        json={"rating": "Pants on fire", "summary": "No."},
        headers=_auth(world),
    )
    assert _error(by_schema, 422)["code"] == _error(by_domain, 422)["code"] == "validation_error"


@pytest.mark.parametrize(
    ("payload", "field", "plain"),
    [
        ({"text": TEXT, "title": "t" * 501}, "title", "at most 500 characters (this one has 501)"),
        (
            {"text": TEXT, "author": "a" * 201},
            "author",
            "at most 200 characters (this one has 201)",
        ),
        ({"text": TEXT, "url": "u" * 10}, "url", "a full web address"),
        ({"text": TEXT, "body": "x"}, "body", "not a field"),
        ({"title": "Jobs"}, "text", "Give exactly one of"),
    ],
)
def test_validation_messages_are_plain_language(
    payload: dict[str, Any], field: str, plain: str, client: FlaskClient, world: World
) -> None:
    body = _error(client.post("/documents", json=payload, headers=_auth(world)), 422)
    messages = " ".join(body["errors"][field])
    assert plain in messages, messages
    assert "Length must be" not in json.dumps(body) and "Longer than" not in json.dumps(body)


def test_plain_messages_for_lists_and_numbers_name_items_and_bounds(
    client: FlaskClient, world: World
) -> None:
    body = _error(client.get("/claims?limit=500", headers=_auth(world)), 422)
    assert "from 1 to 100" in " ".join(body["errors"]["limit"])
    body = _error(
        client.post(
            "/claims/bulk", json={"action": "dismiss", "claim_ids": []}, headers=_auth(world)
        ),
        422,
    )
    assert "item" in " ".join(body["errors"]["claim_ids"])


def test_the_text_limits_are_named_in_the_documented_limits(world: World) -> None:
    spec = world.app.test_client().get("/openapi.json").get_json()
    described = json.dumps(spec["paths"]["/documents"]["post"])
    assert str(limits.MIN_PROSE_SHARE) in described or "half" in described
