"""GET /claims/counts: how many claims are in each status, for the queue's counts line."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from factcheck.domain.models import Claim, ClaimStatus
from factcheck.storage.dynamo import DynamoRepository

pytestmark = pytest.mark.unit


def test_the_counts_follow_the_claims_through_their_review(
    client: FlaskClient,
    as_user: Callable[[str], dict[str, str]],
    repo: DynamoRepository,
    seed_claims: Callable[..., list[Claim]],
) -> None:
    # GIVEN three queued claims, one of them leased
    claims = seed_claims(n=3)
    repo.lease(claims[0].id, "rita-reviewer")

    # WHEN an editor asks for the counts
    response = client.get("/claims/counts", headers=as_user("eve-editor"))

    # THEN every status is there, with the number of claims in it
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["counts"] == {
        **{s.value: 0 for s in ClaimStatus},
        "queued": 2,
        "in_review": 1,
    }
    assert body["total"] == 3
