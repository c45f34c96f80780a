"""Assignment ("my queue", who may lease, reassignment logged) and bulk actions."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from factcheck.domain.models import Claim, ClaimStatus
from factcheck.storage.dynamo import DynamoRepository

pytestmark = pytest.mark.unit

Headers = Callable[[str], dict[str, str]]
SENTENCES = (
    "Unemployment fell to 3.4% in January, the lowest rate since 1969.",
    "The city spent $1.2 billion on road repairs last year.",
    "Only 9% of plastic waste has ever been recycled.",
)


def test_an_assigned_claim_is_in_the_reviewers_queue_and_only_theirs_to_take(
    store: Callable[..., list[Claim]], client: FlaskClient, as_user: Headers
) -> None:
    # GIVEN three queued claims; WHEN an editor assigns the least urgent one to rita
    low, high, _ = store(*SENTENCES)
    response = client.post(
        f"/claims/{low.id}/assign",
        json={"reviewer": "rita-reviewer"},
        headers=as_user("eve-editor"),
    )
    assert response.status_code == 200 and response.get_json()["assignee"] == "rita-reviewer"
    # THEN rita's queue (a Query on the assignee's partition) holds it, rob's does not
    mine = client.get("/claims?assigned=me", headers=as_user("rita-reviewer")).get_json()
    assert [c["id"] for c in mine["items"]] == [low.id]
    theirs = client.get("/claims?assigned=me", headers=as_user("rob-reviewer")).get_json()
    assert theirs["items"] == []
    # AND rob may not lease it (an unassigned one he may), rita may
    refused = client.post(f"/claims/{low.id}/lease", headers=as_user("rob-reviewer"))
    assert refused.status_code == 409 and refused.get_json()["code"] == "lease_conflict"
    assert "assigned to rita-reviewer" in refused.get_json()["message"]
    assert (
        client.post(f"/claims/{high.id}/lease", headers=as_user("rob-reviewer")).status_code == 200
    )
    assert (
        client.post(f"/claims/{low.id}/lease", headers=as_user("rita-reviewer")).status_code == 200
    )
    # AND while in review it stays in her queue; once reviewed it leaves it
    assert (
        len(client.get("/claims?assigned=me", headers=as_user("rita-reviewer")).get_json()["items"])
        == 1
    )
    client.post(
        f"/claims/{low.id}/verdict",
        json={"rating": "True", "summary": "BLS data."},
        headers=as_user("rita-reviewer"),
    )
    assert (
        client.get("/claims?assigned=me", headers=as_user("rita-reviewer")).get_json()["items"]
        == []
    )


def test_a_reassignment_is_logged_and_moves_the_claim_between_queues(
    store: Callable[..., list[Claim]], repo: DynamoRepository, client: FlaskClient, as_user: Headers
) -> None:
    (claim,) = store(SENTENCES[0])
    for reviewer in ("rita-reviewer", "rob-reviewer", "rob-reviewer"):
        response = client.post(
            f"/claims/{claim.id}/assign", json={"reviewer": reviewer}, headers=as_user("eve-editor")
        )
        assert response.status_code == 200
    events = repo.history(claim.id)
    assert [e.action for e in events] == ["queued", "assigned", "reassigned"]  # same again: no-op
    assert events[-1].detail == {"assignee": "rob-reviewer", "previous_assignee": "rita-reviewer"}
    assert events[-1].actor == "eve-editor" and events[-1].to_status is ClaimStatus.QUEUED
    assert repo.assigned_claims("rita-reviewer").items == []
    assert [c.id for c in repo.assigned_claims("rob-reviewer").items] == [claim.id]
    # an editor may still take it over
    assert client.post(f"/claims/{claim.id}/lease", headers=as_user("ed-editor")).status_code == 200


@pytest.mark.parametrize(
    ("reviewer", "status"), [("nobody-by-that-name", 422), ("sam-submitter", 422), ("", 422)]
)
def test_a_claim_is_assigned_only_to_an_existing_reviewer(
    reviewer: str,
    status: int,
    store: Callable[..., list[Claim]],
    client: FlaskClient,
    as_user: Headers,
) -> None:
    (claim,) = store(SENTENCES[0])
    response = client.post(
        f"/claims/{claim.id}/assign", json={"reviewer": reviewer}, headers=as_user("eve-editor")
    )
    assert response.status_code == status
    assert response.get_json()["status"] == status


def test_a_published_claim_cannot_be_assigned(
    store: Callable[..., list[Claim]],
    publish: Callable[[str], Claim],
    client: FlaskClient,
    as_user: Headers,
) -> None:
    (claim,) = store(SENTENCES[0])
    publish(claim.id)
    response = client.post(
        f"/claims/{claim.id}/assign",
        json={"reviewer": "rita-reviewer"},
        headers=as_user("eve-editor"),
    )
    assert response.status_code == 409 and response.get_json()["code"] == "illegal_transition"


def test_bulk_dismiss_reports_per_item_what_happened(
    store: Callable[..., list[Claim]], repo: DynamoRepository, client: FlaskClient, as_user: Headers
) -> None:
    # GIVEN two queued claims, one already dismissed, one leased by rob, and an unknown id
    a, b, done = store(*SENTENCES)
    repo.dismiss(done.id, "eve-editor", "Opinion.")
    (leased,) = store("Food prices rose 19% over the past year.")
    repo.lease(leased.id, "rob-reviewer")
    unknown = "c" + "0" * 16
    ids = [a.id, b.id, done.id, leased.id, unknown, "garbage", a.id]
    # WHEN rita dismisses them all in one request
    response = client.post(
        "/claims/bulk",
        json={"action": "dismiss", "claim_ids": ids, "reason": "Not check-worthy."},
        headers=as_user("rita-reviewer"),
    )
    # THEN 200 with one result per distinct id, in order
    assert response.status_code == 200
    body = response.get_json()
    results = {i["claim_id"]: (i["result"], i["code"]) for i in body["items"]}
    assert [i["claim_id"] for i in body["items"]] == ids[:-1]
    assert results == {
        a.id: ("ok", None),
        b.id: ("ok", None),
        done.id: ("conflict", "illegal_transition"),
        leased.id: ("conflict", "lease_conflict"),
        unknown: ("not_found", "not_found"),
        "garbage": ("not_found", "not_found"),
    }
    assert body["counts"] == {"ok": 2, "conflict": 2, "not_found": 2}
    assert all(i["message"] for i in body["items"] if i["result"] != "ok")
    # AND exactly the ok ones changed
    assert repo.get_claim(a.id).status is ClaimStatus.DISMISSED
    assert repo.get_claim(leased.id).status is ClaimStatus.IN_REVIEW


def test_bulk_assign_by_an_editor_and_refused_to_a_reviewer(
    store: Callable[..., list[Claim]], repo: DynamoRepository, client: FlaskClient, as_user: Headers
) -> None:
    claims = store(*SENTENCES)
    body = {"action": "assign", "claim_ids": [c.id for c in claims], "reviewer": "rita-reviewer"}
    refused = client.post("/claims/bulk", json=body, headers=as_user("rob-reviewer"))
    assert refused.status_code == 403
    response = client.post("/claims/bulk", json=body, headers=as_user("eve-editor"))
    assert response.status_code == 200 and response.get_json()["counts"] == {"ok": 3}
    assert len(repo.assigned_claims("rita-reviewer").items) == 3


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"action": "dismiss", "claim_ids": ["c" + "0" * 16] * 101, "reason": "x"}, "claim_ids"),
        ({"action": "dismiss", "claim_ids": [], "reason": "x"}, "claim_ids"),
        ({"action": "dismiss", "claim_ids": ["c" + "0" * 16]}, "reason"),
        ({"action": "assign", "claim_ids": ["c" + "0" * 16]}, "reviewer"),
        ({"action": "publish", "claim_ids": ["c" + "0" * 16]}, "action"),
    ],
)
def test_a_bad_bulk_request_is_a_422_naming_the_field(
    body: dict[str, object],
    field: str,
    client: FlaskClient,
    as_user: Headers,
    tokens: dict[str, str],
) -> None:
    response = client.post("/claims/bulk", json=body, headers=as_user("eve-editor"))
    assert response.status_code == 422
    assert field in response.get_json()["errors"]
