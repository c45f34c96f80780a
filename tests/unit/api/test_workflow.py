"""The whole workflow through the API: submit -> pipeline -> queue -> lease -> source ->
verdict -> approve -> public ClaimReview, with every step in the history."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from factcheck.local.poller import drain
from factcheck.settings import Settings
from factcheck.storage.dynamo import DynamoRepository

pytestmark = pytest.mark.unit

Headers = Callable[[str], dict[str, str]]


def body(response: TestResponse) -> dict[str, Any]:
    data = response.get_json()
    assert isinstance(data, dict), response.get_data(as_text=True)
    return data


def test_a_submitted_article_is_reviewed_approved_and_published_as_a_claim_review(
    client: FlaskClient, as_user: Headers, mock_settings: Settings, seed_text: str
) -> None:
    # GIVEN a submitted article, run through the pipeline in-process
    submitted = client.post(
        "/documents",
        json={
            "title": "The West's strategy in Ukraine",
            "text": seed_text,
            "url": "https://example.com/op-ed",
            "author": "A. Columnist",
            "published_at": "2024-02-20T08:00:00Z",
        },
        headers=as_user("sam-submitter"),
    )
    assert submitted.status_code == 201, submitted.json
    doc_id = body(submitted)["id"]
    assert body(submitted)["status"] == "received"
    drain(mock_settings, timeout=30)
    document = client.get(f"/documents/{doc_id}", headers=as_user("sam-submitter"))
    assert body(document)["status"] == "extracted"

    # WHEN a reviewer takes the top claim of the queue, sources it and gives a verdict
    queue = client.get("/claims?status=queued&limit=5", headers=as_user("rita-reviewer"))
    assert queue.status_code == 200
    items = body(queue)["items"]
    assert items, "the pipeline queued no claim"
    assert [c["score"] for c in items] == sorted((c["score"] for c in items), reverse=True)
    top = items[0]["id"]
    leased = client.post(f"/claims/{top}/lease", headers=as_user("rita-reviewer"))
    assert leased.status_code == 200 and body(leased)["lease_holder"] == "rita-reviewer"
    sourced = client.post(
        f"/claims/{top}/sources",
        json={"url": "https://example.org/report", "title": "A report", "note": "p. 4"},
        headers=as_user("rita-reviewer"),
    )
    assert sourced.status_code == 201, sourced.json
    verdict = client.post(
        f"/claims/{top}/verdict",
        json={"rating": "mostly true", "summary": "Broadly supported by the report."},
        headers=as_user("rita-reviewer"),
    )
    assert verdict.status_code == 200, verdict.json
    assert body(verdict)["status"] == "reviewed"
    assert body(verdict)["verdict"]["rating"] == "Mostly true"

    # AND an editor approves it
    approved = client.post(f"/claims/{top}/approve", headers=as_user("eve-editor"))
    assert approved.status_code == 200, approved.json
    assert body(approved)["status"] == "published"

    # THEN the ClaimReview is public, in the feed and on its own
    review = client.get(f"/claim-reviews/{top}")
    assert review.status_code == 200
    assert review.mimetype == "application/ld+json"
    published = review.get_json(force=True)
    assert published["@type"] == "ClaimReview"
    assert published["reviewRating"]["alternateName"] == "Mostly true"
    assert published["reviewRating"]["ratingValue"] == 4
    assert published["itemReviewed"]["appearance"][0]["url"] == "https://example.com/op-ed"
    assert len(published["claimReviewed"]) < 75
    feed = client.get("/claim-reviews").get_json(force=True)
    assert [r["@id"] for r in feed["dataFeedElement"]] == [published["@id"]]

    # AND the history shows every step with its actor
    history = body(client.get(f"/claims/{top}/history", headers=as_user("eve-editor")))
    steps = [(e["action"], e["actor"]) for e in history["items"]]
    assert [a for a, _ in steps][1:] == ["leased", "source_added", "verdict_given", "approved"]
    assert steps[1:] == [
        ("leased", "rita-reviewer"),
        ("source_added", "rita-reviewer"),
        ("verdict_given", "rita-reviewer"),
        ("approved", "eve-editor"),
    ]
    assert history["items"][-1]["to_status"] == "published"


def test_resubmitting_the_same_article_returns_the_same_document_and_creates_no_claims(
    client: FlaskClient,
    as_user: Headers,
    mock_settings: Settings,
    repo: DynamoRepository,
    seed_text: str,
) -> None:
    # GIVEN an article submitted and extracted once
    first = client.post("/documents", json={"text": seed_text}, headers=as_user("eve-editor"))
    assert first.status_code == 201
    drain(mock_settings, timeout=30)
    claims_before = repo.document_claims(body(first)["id"])

    # WHEN the same text is submitted again (whitespace differences do not matter)
    second = client.post(
        "/documents", json={"text": "  " + seed_text + "\n\n"}, headers=as_user("eve-editor")
    )
    drain(mock_settings, timeout=30)

    # THEN the existing document comes back and nothing new is extracted
    assert second.status_code == 200
    assert body(second)["id"] == body(first)["id"]
    assert body(second)["status"] == "extracted"
    after = repo.document_claims(body(first)["id"])
    assert [c.model_dump() for c in after] == [c.model_dump() for c in claims_before]
