"""Who may dismiss and restore (issue 18, finding 2): a reviewer may dismiss only a claim that
is not reviewed and that no other reviewer holds or is assigned; a reviewed claim only an
editor may dismiss; an editor may restore a dismissed claim. `/claims/bulk` applies the
same rule to each item."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from factcheck.domain.models import Claim, ClaimStatus
from factcheck.storage.dynamo import DynamoRepository
from factories import drive_to, seed_claims

pytestmark = pytest.mark.unit

Headers = Callable[[str], dict[str, str]]
REASON = {"reason": "Not check-worthy."}


def _claim(repo: DynamoRepository, status: ClaimStatus, **kw: str) -> Claim:
    (claim,) = seed_claims(repo, 1)
    return drive_to(repo, claim.id, status, now=None, **kw)


def test_a_reviewer_cannot_dismiss_a_colleagues_reviewed_claim_and_the_editor_can_approve_it(
    repo: DynamoRepository, client: FlaskClient, as_user: Headers
) -> None:
    # GIVEN rita gave the verdict on a claim
    claim = _claim(repo, ClaimStatus.REVIEWED, reviewer="rita-reviewer")
    # WHEN rob (a reviewer) dismisses it
    response = client.post(
        f"/claims/{claim.id}/dismiss", json=REASON, headers=as_user("rob-reviewer")
    )
    # THEN it is forbidden, says why, and the verdict still waits for the editor
    assert response.status_code == 403
    assert response.get_json()["code"] == "forbidden"
    assert "Only an editor" in response.get_json()["message"]
    approved = client.post(f"/claims/{claim.id}/approve", headers=as_user("eve-editor"))
    assert approved.status_code == 200 and approved.get_json()["status"] == "published"


def test_a_reviewer_cannot_dismiss_a_claim_assigned_to_a_colleague_but_the_assignee_can(
    repo: DynamoRepository, client: FlaskClient, as_user: Headers
) -> None:
    # GIVEN a queued claim an editor assigned to rita
    claim = _claim(repo, ClaimStatus.QUEUED)
    repo.assign(claim.id, "ed-editor", "rita-reviewer")
    # WHEN rob dismisses it THEN it is a conflict naming rita, and it is still queued
    refused = client.post(
        f"/claims/{claim.id}/dismiss", json=REASON, headers=as_user("rob-reviewer")
    )
    assert refused.status_code == 409 and refused.get_json()["code"] == "lease_conflict"
    assert "assigned to rita-reviewer" in refused.get_json()["message"]
    assert repo.get_claim(claim.id).status is ClaimStatus.QUEUED
    # AND rita herself may
    mine = client.post(f"/claims/{claim.id}/dismiss", json=REASON, headers=as_user("rita-reviewer"))
    assert mine.status_code == 200 and mine.get_json()["status"] == "dismissed"


@pytest.mark.parametrize("editor", ["eve-editor", "ada-admin"])
def test_an_editor_may_dismiss_a_reviewed_claim(
    repo: DynamoRepository, client: FlaskClient, as_user: Headers, editor: str
) -> None:
    claim = _claim(repo, ClaimStatus.REVIEWED, reviewer="rita-reviewer")
    response = client.post(f"/claims/{claim.id}/dismiss", json=REASON, headers=as_user(editor))
    assert response.status_code == 200 and response.get_json()["status"] == "dismissed"


def test_bulk_dismiss_by_a_reviewer_obeys_the_same_rule_per_item(
    repo: DynamoRepository, client: FlaskClient, as_user: Headers
) -> None:
    # GIVEN rita's reviewed claim, a claim assigned to rita, one rita holds, and a free one
    reviewed = _claim(repo, ClaimStatus.REVIEWED, reviewer="rita-reviewer")
    assigned = _claim(repo, ClaimStatus.QUEUED)
    repo.assign(assigned.id, "ed-editor", "rita-reviewer")
    held = _claim(repo, ClaimStatus.IN_REVIEW, reviewer="rita-reviewer")
    free = _claim(repo, ClaimStatus.QUEUED)
    ids = [reviewed.id, assigned.id, held.id, free.id]
    # WHEN rob dismisses them all in one request
    response = client.post(
        "/claims/bulk",
        json={"action": "dismiss", "claim_ids": ids, **REASON},
        headers=as_user("rob-reviewer"),
    )
    # THEN only the free one is dismissed; each other item says why not
    assert response.status_code == 200
    results = {i["claim_id"]: (i["result"], i["code"]) for i in response.get_json()["items"]}
    assert results == {
        reviewed.id: ("forbidden", "forbidden"),
        assigned.id: ("conflict", "lease_conflict"),
        held.id: ("conflict", "lease_conflict"),
        free.id: ("ok", None),
    }
    assert [repo.get_claim(c).status for c in ids] == [
        ClaimStatus.REVIEWED,
        ClaimStatus.QUEUED,
        ClaimStatus.IN_REVIEW,
        ClaimStatus.DISMISSED,
    ]
    # AND the editor's bulk dismissal of the same reviewed claim goes through
    editor = client.post(
        "/claims/bulk",
        json={"action": "dismiss", "claim_ids": [reviewed.id], **REASON},
        headers=as_user("eve-editor"),
    )
    assert editor.get_json()["counts"] == {"ok": 1}


def test_an_editor_restores_a_dismissed_claim_to_the_queue_with_a_history_event(
    repo: DynamoRepository, client: FlaskClient, as_user: Headers
) -> None:
    # GIVEN a claim rita dismissed
    claim = _claim(repo, ClaimStatus.DISMISSED, reviewer="rita-reviewer")
    # WHEN a reviewer tries to restore it THEN it is forbidden
    refused = client.post(f"/claims/{claim.id}/restore", headers=as_user("rob-reviewer"))
    assert refused.status_code == 403
    # WHEN the editor restores it
    response = client.post(f"/claims/{claim.id}/restore", headers=as_user("eve-editor"))
    # THEN it is queued again, without the dismissal, and the history says who and why
    assert response.status_code == 200
    body = response.get_json()
    assert (body["status"], body["dismiss_reason"]) == ("queued", None)
    history = client.get(f"/claims/{claim.id}/history", headers=as_user("eve-editor")).get_json()
    last = history["items"][-1]
    assert (last["action"], last["actor"], last["from_status"], last["to_status"]) == (
        "restored",
        "eve-editor",
        "dismissed",
        "queued",
    )
    assert last["detail"]["previous_reason"] == "duplicate"
    # AND restoring a claim that is not dismissed is an illegal transition
    again = client.post(f"/claims/{claim.id}/restore", headers=as_user("eve-editor"))
    assert again.status_code == 409 and again.get_json()["code"] == "illegal_transition"
