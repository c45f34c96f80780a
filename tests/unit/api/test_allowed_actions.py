"""`GET /claims/{id}` tells each caller what they may do to the claim now (`allowed_actions`),
and each action it offers is one the API then accepts (the page re-derives no rule)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from factcheck.domain.models import ClaimStatus
from factcheck.storage.dynamo import DynamoRepository
from factories import drive_to, seed_claims

pytestmark = pytest.mark.unit

Headers = Callable[[str], dict[str, str]]

# (claim state, caller) -> what the caller is offered. rita leased the claim or gave the
# verdict; eve and ed are editors, ada the admin.
CASES = [
    (ClaimStatus.QUEUED, "rita-reviewer", ["lease", "dismiss", "mark_duplicate"]),
    (ClaimStatus.QUEUED, "eve-editor", ["lease", "dismiss", "mark_duplicate", "assign"]),
    (ClaimStatus.QUEUED, "ada-admin", ["lease", "dismiss", "mark_duplicate", "assign"]),
    (
        ClaimStatus.IN_REVIEW,
        "rita-reviewer",
        ["lease", "release", "add_source", "give_verdict", "dismiss", "mark_duplicate"],
    ),
    (ClaimStatus.IN_REVIEW, "rob-reviewer", []),
    (ClaimStatus.IN_REVIEW, "eve-editor", ["assign"]),
    (ClaimStatus.REVIEWED, "rita-reviewer", []),
    (ClaimStatus.REVIEWED, "eve-editor", ["approve", "send_back", "dismiss", "mark_duplicate"]),
    (ClaimStatus.PUBLISHED, "ada-admin", ["correct", "retract"]),
    (ClaimStatus.PUBLISHED, "eve-editor", ["correct", "retract"]),
    (ClaimStatus.PUBLISHED, "rita-reviewer", []),
    (ClaimStatus.RETRACTED, "ada-admin", []),
    (ClaimStatus.DISMISSED, "eve-editor", ["restore"]),
    (ClaimStatus.DISMISSED, "rob-reviewer", []),
]


@pytest.mark.parametrize(("status", "caller", "expected"), CASES)
def test_the_claim_detail_offers_exactly_what_this_role_may_do_in_this_state(
    repo: DynamoRepository,
    client: FlaskClient,
    as_user: Headers,
    status: ClaimStatus,
    caller: str,
    expected: list[str],
) -> None:
    # GIVEN a claim brought to `status` by rita (reviewer) and ed (editor)
    (claim,) = seed_claims(repo, 1)
    drive_to(repo, claim.id, status, reviewer="rita-reviewer", editor="ed-editor", now=None)
    # WHEN the caller reads it
    response = client.get(f"/claims/{claim.id}", headers=as_user(caller))
    # THEN it lists what that caller may do now, in review order
    assert response.status_code == 200
    assert response.get_json()["allowed_actions"] == expected


def test_a_submitter_cannot_read_a_claim_so_is_offered_nothing(
    repo: DynamoRepository, client: FlaskClient, as_user: Headers
) -> None:
    (claim,) = seed_claims(repo, 1)
    response = client.get(f"/claims/{claim.id}", headers=as_user("sam-submitter"))
    assert response.status_code == 403
    assert "allowed_actions" not in (response.get_json() or {})


def test_the_editor_who_gave_the_verdict_is_not_offered_the_approval(
    repo: DynamoRepository, client: FlaskClient, as_user: Headers
) -> None:
    # GIVEN eve (an editor) reviewed the claim herself
    (claim,) = seed_claims(repo, 1)
    drive_to(repo, claim.id, ClaimStatus.REVIEWED, reviewer="eve-editor", now=None)
    # THEN she may send it back but not approve it (four eyes); ed may approve
    mine = client.get(f"/claims/{claim.id}", headers=as_user("eve-editor")).get_json()
    other = client.get(f"/claims/{claim.id}", headers=as_user("ed-editor")).get_json()
    assert "approve" not in mine["allowed_actions"]
    assert "send_back" in mine["allowed_actions"]
    assert "approve" in other["allowed_actions"]


def test_a_claim_assigned_to_rita_is_offered_to_her_and_to_editors_but_not_to_rob(
    repo: DynamoRepository, client: FlaskClient, as_user: Headers
) -> None:
    (claim,) = seed_claims(repo, 1)
    repo.assign(claim.id, "ed-editor", "rita-reviewer")
    offered = {
        who: client.get(f"/claims/{claim.id}", headers=as_user(who)).get_json()["allowed_actions"]
        for who in ("rita-reviewer", "rob-reviewer", "eve-editor")
    }
    assert "lease" in offered["rita-reviewer"]
    assert "lease" not in offered["rob-reviewer"]
    assert "lease" in offered["eve-editor"]
    # AND what is offered is accepted, what is not is refused
    assert (
        client.post(f"/claims/{claim.id}/lease", headers=as_user("rob-reviewer")).status_code == 409
    )
    assert (
        client.post(f"/claims/{claim.id}/lease", headers=as_user("eve-editor")).status_code == 200
    )


ROUTES = {
    "lease": ("post", "/lease", None),
    "release": ("delete", "/lease", None),
    "add_source": ("post", "/sources", {"url": "https://example.org/a"}),
    "give_verdict": ("post", "/verdict", {"rating": "True", "summary": "Checked."}),
    "approve": ("post", "/approve", None),
    "send_back": ("post", "/send-back", {"comment": "Another source, please."}),
    "dismiss": ("post", "/dismiss", {"reason": "Opinion."}),
    "assign": ("post", "/assign", {"reviewer": "rob-reviewer"}),
    "restore": ("post", "/restore", None),
}


# One case per state (the lifecycle's own tests pair every state, actor and time).
ROUND_TRIP = [CASES[1], CASES[3], CASES[4], CASES[6], CASES[7], CASES[8], CASES[9]]


@pytest.mark.parametrize(("status", "caller", "expected"), ROUND_TRIP)
def test_every_offered_action_is_accepted_and_every_other_one_refused(
    repo: DynamoRepository,
    client: FlaskClient,
    as_user: Headers,
    status: ClaimStatus,
    caller: str,
    expected: list[str],
) -> None:
    for action, (method, path, body) in ROUTES.items():
        # GIVEN a fresh claim in `status`
        (claim,) = seed_claims(repo, 1)
        drive_to(repo, claim.id, status, reviewer="rita-reviewer", editor="ed-editor", now=None)
        # WHEN the caller takes the action
        response = getattr(client, method)(
            f"/claims/{claim.id}{path}", json=body, headers=as_user(caller)
        )
        # THEN it succeeds exactly when it was offered
        assert (response.status_code < 300) == (action in expected), (action, response.get_json())
