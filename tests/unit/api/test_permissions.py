"""Every endpoint x every caller (each role, no token, a bad token) gets the expected status,
plus the rules that are not about roles: the lease holder alone works a claim, and the
editor who approves is never the reviewer who gave the verdict."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask.testing import FlaskClient

from factcheck.domain.models import Claim, Verdict, Webhook, WebhookEventType
from factcheck.storage.dynamo import DynamoRepository
from unit.conftest import share_per_module

pytestmark = pytest.mark.unit

# One table, app and set of users for the whole module (each test seeds its own documents):
# the chain of tests/unit/conftest.py overridden at module scope.
aws, mock_settings, settings, repo, app, tokens = share_per_module()

# The caller of each column of the matrix: a user of that role (see conftest.USERS).
CALLERS: dict[str, str | None] = {
    "submitter": "sam-submitter",
    "reviewer": "rita-reviewer",
    "editor": "eve-editor",
    "admin": "ada-admin",
    "no token": None,
    "bad token": "bad",
}
OTHER_REVIEWER = "rob-reviewer"


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # {claim} and {doc} are filled in
    # the claim's state before the call: "queued", "leased" (by the caller), "reviewed"
    # (verdict by OTHER_REVIEWER), "published" or "dismissed" (by OTHER_REVIEWER)
    state: str = "queued"
    body: dict[str, Any] | None = None
    # expected status per role; a missing role means 403
    ok: dict[str, int] | None = None


def _ok(status: int, *roles: str) -> dict[str, int]:
    return dict.fromkeys(roles, status)


ALL_ROLES = ("submitter", "reviewer", "editor", "admin")
REVIEWERS = ("reviewer", "editor", "admin")
EDITORS = ("editor", "admin")
PUBLIC = (*ALL_ROLES, "no token", "bad token")

ENDPOINTS: list[Endpoint] = [
    Endpoint(
        "POST",
        "/documents",
        body={"text": "Exports grew 40% in 2023, says {caller}."},
        ok=_ok(201, "submitter", "editor", "admin"),
    ),
    Endpoint("GET", "/documents/{doc}", ok=_ok(200, *ALL_ROLES)),
    Endpoint("GET", "/documents/{doc}/claims", ok=_ok(200, *ALL_ROLES)),
    Endpoint("GET", "/claims", ok=_ok(200, *REVIEWERS)),
    Endpoint("GET", "/claims/counts", ok=_ok(200, *REVIEWERS)),
    Endpoint("GET", "/claims/{claim}", ok=_ok(200, *REVIEWERS)),
    Endpoint("GET", "/claims/{claim}/history", ok=_ok(200, *REVIEWERS)),
    Endpoint("POST", "/claims/{claim}/lease", ok=_ok(200, *REVIEWERS)),
    Endpoint("DELETE", "/claims/{claim}/lease", state="leased", ok=_ok(200, *REVIEWERS)),
    Endpoint(
        "POST",
        "/claims/{claim}/sources",
        state="leased",
        body={"url": "https://example.org/src"},
        ok=_ok(201, *REVIEWERS),
    ),
    Endpoint(
        "POST",
        "/claims/{claim}/verdict",
        state="leased",
        body={"rating": "False", "summary": "No."},
        ok=_ok(200, *REVIEWERS),
    ),
    Endpoint("POST", "/claims/{claim}/approve", state="reviewed", ok=_ok(200, *EDITORS)),
    Endpoint(
        "POST",
        "/claims/{claim}/send-back",
        state="reviewed",
        body={"comment": "Needs a primary source."},
        ok=_ok(200, *EDITORS),
    ),
    Endpoint(
        "POST", "/claims/{claim}/dismiss", body={"reason": "Opinion."}, ok=_ok(200, *REVIEWERS)
    ),
    Endpoint("POST", "/claims/{claim}/restore", state="dismissed", ok=_ok(200, *EDITORS)),
    # corrections and retractions (issue 19)
    Endpoint(
        "POST",
        "/claims/{claim}/correct",
        state="published",
        body={"note": "The figure was for 2019."},
        ok=_ok(200, *EDITORS),
    ),
    Endpoint(
        "POST",
        "/claims/{claim}/retract",
        state="published",
        body={"reason": "The source was forged."},
        ok=_ok(200, *EDITORS),
    ),
    # newsroom (issue 9)
    Endpoint("GET", "/claims?assigned=me", ok=_ok(200, *REVIEWERS)),
    Endpoint("GET", "/claims/search?q=sanctions", ok=_ok(200, *REVIEWERS)),
    Endpoint(
        "POST", "/claims/{claim}/assign", body={"reviewer": "rita-reviewer"}, ok=_ok(200, *EDITORS)
    ),
    Endpoint(
        "POST",
        "/claims/{claim}/duplicate-of",
        state="duplicate",
        body={"claim_id": "{other}"},
        ok=_ok(200, *REVIEWERS),
    ),
    Endpoint(
        "POST",
        "/claims/bulk",
        body={"action": "dismiss", "claim_ids": ["{claim}"], "reason": "Opinion."},
        ok=_ok(200, *REVIEWERS),
    ),
    Endpoint(
        "POST",
        "/claims/bulk",
        body={"action": "assign", "claim_ids": ["{claim}"], "reviewer": "rob-reviewer"},
        ok=_ok(200, *EDITORS),
    ),
    Endpoint(
        "POST",
        "/webhooks",
        body={
            "url": "https://93.184.216.34/hook",
            "secret": "0123456789abcdef",
            "events": ["claim.published"],
        },
        ok=_ok(201, "admin"),
    ),
    Endpoint("GET", "/webhooks", ok=_ok(200, "admin")),
    Endpoint("DELETE", "/webhooks/{webhook}", state="webhook", ok=_ok(204, "admin")),
    Endpoint("GET", "/webhooks/{webhook}/deliveries", state="webhook", ok=_ok(200, "admin")),
    Endpoint("GET", "/exports/claims.csv", ok=_ok(200, *EDITORS)),
    Endpoint("GET", "/exports/claims.jsonl", ok=_ok(200, *EDITORS)),
    Endpoint("GET", "/claim-reviews", state="published", ok=_ok(200, *PUBLIC)),
    Endpoint("GET", "/claim-reviews/{claim}", state="published", ok=_ok(200, *PUBLIC)),
    Endpoint("GET", "/healthz", ok=_ok(200, *PUBLIC)),
    Endpoint("GET", "/health", ok=_ok(200, *PUBLIC)),
    Endpoint("GET", "/openapi.json", ok=_ok(200, *PUBLIC)),
    Endpoint("GET", "/docs", ok=_ok(200, *PUBLIC)),
]


def _expected(endpoint: Endpoint, caller: str) -> int:
    ok = endpoint.ok or {}
    if caller in ok:
        return ok[caller]
    return 401 if caller in ("no token", "bad token") else 403


def _format(value: Any, **names: str) -> Any:
    if isinstance(value, str):
        return value.format(**names)
    if isinstance(value, list):
        return [_format(v, **names) for v in value]
    return value


def _prepare(repo: DynamoRepository, claim_id: str, state: str, actor: str) -> None:
    if state == "leased":
        repo.lease(claim_id, actor)
    elif state == "dismissed":
        repo.dismiss(claim_id, OTHER_REVIEWER, "Opinion.")
    elif state in ("reviewed", "published"):
        repo.lease(claim_id, OTHER_REVIEWER)
        repo.give_verdict(
            claim_id, OTHER_REVIEWER, Verdict(rating="True", summary="Yes.", reviewer="x")
        )
        if state == "published":
            repo.approve(claim_id, "ed-editor")


MATRIX = [
    pytest.param(endpoint, caller, id=f"{endpoint.method} {endpoint.path} as {caller}")
    for endpoint in ENDPOINTS
    for caller in CALLERS
]


@pytest.mark.parametrize(("endpoint", "caller"), MATRIX)
def test_each_endpoint_gives_each_caller_the_expected_status(
    endpoint: Endpoint,
    caller: str,
    client: FlaskClient,
    repo: DynamoRepository,
    tokens: dict[str, str],
    seed_claims: Callable[..., list[Claim]],
) -> None:
    # GIVEN a claim in the state the endpoint needs (leased by the caller when it is a lease);
    # a caller who must be refused gets ids that do not exist: auth is decided before lookup
    expected = _expected(endpoint, caller)
    user = CALLERS[caller]
    other_id, webhook_id = "c" + "1" * 16, "w" + "0" * 16
    if expected < 400:
        claim_id = seed_claims(n=1)[0].id
        doc_id = repo.get_claim(claim_id).document_id
        holder = user if caller in REVIEWERS and user else "rita-reviewer"
        if endpoint.state == "duplicate":
            other_id = seed_claims(n=1)[0].id
            _prepare(repo, other_id, "published", holder)
        elif endpoint.state == "webhook":
            webhook_id = "w" + secrets.token_hex(8)
            repo.put_webhook(
                Webhook(
                    id=webhook_id,
                    url="https://93.184.216.34/hook",
                    secret="0123456789abcdef",
                    events=[WebhookEventType.CLAIM_PUBLISHED],
                    created_by="ada-admin",
                )
            )
        else:
            _prepare(repo, claim_id, endpoint.state, holder)
    else:
        claim_id, doc_id = "c" + "0" * 16, "d" + "0" * 16
    headers = {}
    if user == "bad":
        headers["Authorization"] = "Bearer fct_" + "x" * 43
    elif user:
        headers["Authorization"] = f"Bearer {tokens[user]}"

    # WHEN the caller calls the endpoint
    names = {"claim": claim_id, "doc": doc_id, "caller": caller, "other": other_id}
    path = endpoint.path.format(webhook=webhook_id, **names)
    body = {k: _format(v, **names) for k, v in (endpoint.body or {}).items()}
    response = client.open(
        path, method=endpoint.method, json=body if endpoint.body else None, headers=headers
    )

    # THEN the status is the expected one, and a refusal is the error envelope
    assert response.status_code == expected, response.get_data(as_text=True)
    if expected >= 400:
        body = response.get_json()
        assert body["status"] == expected
        assert body["code"] == {401: "unauthorized", 403: "forbidden"}[expected]
        assert body["message"]
    if expected == 401:
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_refused_caller_learns_401_or_403_before_any_validation_of_the_body(
    client: FlaskClient, as_user: Callable[[str], dict[str, str]]
) -> None:
    # GIVEN an invalid body; WHEN sent without a token, or by a role that may not submit
    anonymous = client.post("/documents", json={"nonsense": True})
    reviewer = client.post("/documents", json={"nonsense": True}, headers=as_user("rita-reviewer"))
    # THEN auth decides first
    assert (anonymous.status_code, reviewer.status_code) == (401, 403)


@pytest.mark.parametrize(
    "authorization",
    [
        "",
        "Bearer",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "Token fct_abc",
        "Bearer " + "a" * 500,
        "Bearer fct_not/a/token!",
        "bearer",
    ],
)
def test_a_malformed_authorization_header_is_a_401(client: FlaskClient, authorization: str) -> None:
    response = client.get("/claims", headers={"Authorization": authorization})
    assert response.status_code == 401
    assert response.get_json()["code"] == "unauthorized"


def test_a_reviewer_cannot_approve_a_verdict(
    client: FlaskClient,
    repo: DynamoRepository,
    as_user: Callable[[str], dict[str, str]],
    seed_claims: Callable[..., list[Claim]],
) -> None:
    claim = seed_claims(n=1)[0]
    _prepare(repo, claim.id, "reviewed", "")
    response = client.post(f"/claims/{claim.id}/approve", headers=as_user("rita-reviewer"))
    assert response.status_code == 403
    assert repo.get_claim(claim.id).status == "reviewed"


@pytest.mark.parametrize("other", ["rob-reviewer", "eve-editor", "ada-admin"])
@pytest.mark.parametrize(
    ("action", "body"),
    [
        ("verdict", {"rating": "False", "summary": "No."}),
        ("sources", {"url": "https://example.org/x"}),
    ],
)
def test_nobody_but_the_lease_holder_can_give_a_verdict_or_add_a_source(
    other: str,
    action: str,
    body: dict[str, str],
    client: FlaskClient,
    repo: DynamoRepository,
    as_user: Callable[[str], dict[str, str]],
    seed_claims: Callable[..., list[Claim]],
) -> None:
    # GIVEN a claim leased by rita
    claim = seed_claims(n=1)[0]
    repo.lease(claim.id, "rita-reviewer")
    # WHEN someone else (even an editor or an admin) acts on it
    response = client.post(f"/claims/{claim.id}/{action}", json=body, headers=as_user(other))
    # THEN 409 lease_conflict, and nothing changed
    assert response.status_code == 409
    assert response.get_json()["code"] == "lease_conflict"
    stored = repo.get_claim(claim.id)
    assert stored.verdict is None and stored.sources == []
    assert stored.lease_holder == "rita-reviewer"


@pytest.mark.parametrize("approver", ["eve-editor", "ada-admin"])
def test_the_editor_who_gave_the_verdict_cannot_approve_it(
    approver: str,
    client: FlaskClient,
    repo: DynamoRepository,
    as_user: Callable[[str], dict[str, str]],
    seed_claims: Callable[..., list[Claim]],
) -> None:
    # GIVEN a verdict given by an editor (or admin) through the API
    claim = seed_claims(n=1)[0]
    assert client.post(f"/claims/{claim.id}/lease", headers=as_user(approver)).status_code == 200
    verdict = client.post(
        f"/claims/{claim.id}/verdict",
        json={"rating": "True", "summary": "Checked."},
        headers=as_user(approver),
    )
    assert verdict.status_code == 200
    # WHEN the same person approves it
    response = client.post(f"/claims/{claim.id}/approve", headers=as_user(approver))
    # THEN four eyes: 409 with a clear message, still unpublished
    assert response.status_code == 409
    body = response.get_json()
    assert body["code"] == "four_eyes"
    assert "another editor must approve" in body["message"]
    assert repo.get_claim(claim.id).status == "reviewed"
    # AND another editor can
    other = "ed-editor" if approver == "eve-editor" else "eve-editor"
    assert client.post(f"/claims/{claim.id}/approve", headers=as_user(other)).status_code == 200
