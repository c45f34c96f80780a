"""The admin import of other publishers' ClaimReviews over HTTP: only an admin may import,
a body with readable checks imports them and reports the rest, and a body with none is a
422 that says why (nothing is written)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from factcheck.storage.dynamo import DynamoRepository

pytestmark = pytest.mark.unit

FIXTURES = Path(__file__).resolve().parents[2] / "data" / "claimreviews"
LD = "application/ld+json"


def _post(client: FlaskClient, headers: dict[str, str], body: object, ct: str = LD) -> object:
    return client.post(
        "/claim-reviews/import", data=json.dumps(body), content_type=ct, headers=headers
    )


@pytest.mark.parametrize(
    ("user", "status"),
    [(None, 401), ("sam-submitter", 403), ("rita-reviewer", 403), ("eve-editor", 403)],
)
def test_only_an_admin_may_import(
    client: FlaskClient,
    as_user: Callable[[str], dict[str, str]],
    user: str | None,
    status: int,
) -> None:
    body = json.loads((FIXTURES / "single.json").read_text())
    response = _post(client, as_user(user) if user else {}, body)
    assert response.status_code == status  # type: ignore[attr-defined]


def test_an_admin_imports_an_array_and_the_checks_are_stored(
    client: FlaskClient, as_user: Callable[[str], dict[str, str]], repo: DynamoRepository
) -> None:
    body = json.loads((FIXTURES / "array.jsonld").read_text())
    response = _post(client, as_user("ada-admin"), body)
    assert response.status_code == 200, response.get_data(as_text=True)  # type: ignore[attr-defined]
    report = response.json  # type: ignore[attr-defined]
    assert report["imported"] == 2 and report["errors"] == []
    checks = repo.get_external_checks(report["ids"])
    assert {c.publisher for c in checks} == {"Example Fact Check Desk"}


def test_a_body_of_unreadable_items_is_a_422_with_the_reasons_and_writes_nothing(
    client: FlaskClient, as_user: Callable[[str], dict[str, str]], repo: DynamoRepository
) -> None:
    before = list(repo.export_items())
    body = json.loads((FIXTURES / "broken.json").read_text())
    response = _post(client, as_user("ada-admin"), body)
    assert response.status_code == 422  # type: ignore[attr-defined]
    error = response.json  # type: ignore[attr-defined]
    assert "has no http(s) url" in error["message"] and "body" in error["errors"]
    assert list(repo.export_items()) == before


@pytest.mark.parametrize(
    ("data", "ct", "status"),
    [("not json", LD, 400), ("{}", "text/plain", 415), ("[]", "application/json", 422)],
)
def test_a_body_that_is_not_claim_review_markup_is_refused(
    client: FlaskClient,
    as_user: Callable[[str], dict[str, str]],
    data: str,
    ct: str,
    status: int,
) -> None:
    response = client.post(
        "/claim-reviews/import", data=data, content_type=ct, headers=as_user("ada-admin")
    )
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.json is not None and set(response.json) == {
        "status",
        "code",
        "message",
        "errors",
    }
