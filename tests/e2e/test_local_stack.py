"""The whole product on one machine: submit over HTTP, work a claim to published, restart."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import requests

from .conftest import RunningStack, start_stack

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

REPO_ROOT = Path(__file__).resolve().parents[2]


def _wait_for_claims(stack: RunningStack, doc_id: str, timeout: float = 60) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        doc = requests.get(f"{stack.api}/documents/{doc_id}", headers=stack.headers("reviewer"))
        if doc.ok and doc.json()["status"] == "extracted":
            claims = requests.get(
                f"{stack.api}/documents/{doc_id}/claims", headers=stack.headers("reviewer")
            ).json()["items"]
            if len(claims) == doc.json().get("claim_count", len(claims)):
                return list(claims)
        time.sleep(0.3)
    raise TimeoutError(f"document {doc_id} was not extracted in {timeout}s")


def test_an_article_goes_from_submission_to_a_public_claimreview_and_survives_a_restart(
    stack: RunningStack, stack_home: Path
) -> None:
    # GIVEN the running stack, WHEN a submitter posts the seed article over HTTP
    text = next((REPO_ROOT / "seeds").glob("*.txt")).read_text(encoding="utf-8")
    created = requests.post(
        f"{stack.api}/documents",
        json={"title": "Summit", "text": text, "url": "https://example.org/summit"},
        headers=stack.headers("submitter"),
        timeout=10,
    )
    assert created.status_code == 201, created.text
    doc_id = created.json()["id"]

    # THEN its claims appear in the review queue
    claims = _wait_for_claims(stack, doc_id)
    assert claims
    queue = requests.get(f"{stack.api}/claims", headers=stack.headers("reviewer")).json()
    top = queue["items"][0]

    # WHEN a reviewer works the top claim and an editor approves it
    reviewer, editor = stack.headers("reviewer"), stack.headers("editor")
    claim_url = f"{stack.api}/claims/{top['id']}"
    assert requests.post(f"{claim_url}/lease", headers=reviewer).status_code == 200
    source = {"url": "https://example.org/evidence", "title": "Evidence"}
    assert requests.post(f"{claim_url}/sources", json=source, headers=reviewer).status_code == 201
    verdict = {"rating": "Mostly true", "summary": "Broadly supported by the sources."}
    assert requests.post(f"{claim_url}/verdict", json=verdict, headers=reviewer).status_code == 200
    assert requests.post(f"{claim_url}/approve", headers=editor).status_code == 200

    # THEN the public ClaimReview is there, with no token
    review = requests.get(f"{stack.api}/claim-reviews/{top['id']}", timeout=10)
    assert review.status_code == 200
    assert review.json()["reviewRating"]["alternateName"] == "Mostly true"
    history_before = requests.get(f"{claim_url}/history", headers=reviewer).json()["items"]

    # WHEN the stack is stopped and started again
    printed = stack.stop()
    assert "saved" in printed
    again = start_stack(stack_home)
    try:
        # THEN the claims, their states and history are still there, nothing duplicated
        claims_after = requests.get(
            f"{again.api}/documents/{doc_id}/claims", headers=again.headers("reviewer")
        ).json()["items"]
        assert sorted(c["id"] for c in claims_after) == sorted(c["id"] for c in claims)
        claim_after = requests.get(
            f"{again.api}/claims/{top['id']}", headers=again.headers("reviewer")
        ).json()
        assert claim_after["status"] == "published"
        history_after = requests.get(
            f"{again.api}/claims/{top['id']}/history", headers=again.headers("reviewer")
        ).json()["items"]
        assert history_after == history_before
        public = requests.get(f"{again.api}/claim-reviews/{top['id']}", timeout=10)
        assert public.status_code == 200
        # AND the same article re-submitted is recognised, not duplicated
        resubmitted = requests.post(
            f"{again.api}/documents", json={"text": text}, headers=again.headers("submitter")
        )
        assert resubmitted.status_code == 200
        assert resubmitted.json()["id"] == doc_id
    finally:
        again.stop()
