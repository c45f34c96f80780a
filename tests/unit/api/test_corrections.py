"""Corrections and retractions through the API and on the public page.

A correction: an editor reopens a published check with a note; until another editor
approves the new verdict (never its own reviewer: four eyes), readers, the feed and the
ClaimReview keep the published version; afterwards the ClaimReview keeps `datePublished`,
gains `dateModified`, and the page shows the note and the earlier rating. A retraction: the
page and the ClaimReview answer 410 with when and why, and the feed and index drop it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import extruct
import pytest
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator

from factcheck.domain.models import Claim, Source, Verdict, WebhookEventType
from factcheck.domain.outbox import event_id
from factcheck.settings import Settings
from factcheck.storage.dynamo import DynamoRepository

pytestmark = pytest.mark.unit

BASE = "https://checks.example.org"
NOTE = "The output figure was for 2023, not 2024."
REASON = "The statistics office withdrew the figures we relied on."
Headers = Callable[[str], dict[str, str]]
# the requirements every published ClaimReview meets (tests/unit/api/test_claim_review.py)
VALIDATOR = Draft202012Validator(
    json.loads(
        (Path(__file__).resolve().parents[2] / "schemas" / "claimreview.schema.json").read_text()
    ),
    format_checker=Draft202012Validator.FORMAT_CHECKER,
)


@pytest.fixture
def settings(mock_settings: Settings) -> Settings:
    return mock_settings.model_copy(update={"public_base_url": BASE})


@pytest.fixture
def published(repo: DynamoRepository, seed_claims: Callable[..., list[Claim]]) -> Claim:
    """rita-reviewer rated it Mostly false; eve-editor approved it."""
    claim = seed_claims(
        n=1, title="War economy", url="https://news.example.com/w", author="Jane Doe"
    )[0]
    repo.lease(claim.id, "rita-reviewer")
    repo.add_source(
        claim.id,
        "rita-reviewer",
        Source(id="s1", url="https://stats.example.org/a", added_by="rita-reviewer"),
    )
    repo.give_verdict(
        claim.id,
        "rita-reviewer",
        Verdict(rating="Mostly false", summary="Output is higher.", reviewer="rita-reviewer"),
    )
    repo.approve(claim.id, "eve-editor", now=datetime(2026, 11, 3, 10, 0, tzinfo=UTC))
    return repo.get_claim(claim.id)


def _post(client: FlaskClient, path: str, who: dict[str, str], **body: Any) -> Any:
    return client.post(path, json=body or None, headers=who)


def _ld(client: FlaskClient, claim_id: str) -> dict[str, Any]:
    response = client.get(f"/claim-reviews/{claim_id}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json or {}


def _page_reviews(html: str, claim_id: str) -> list[dict[str, Any]]:
    data = extruct.extract(
        html, base_url=f"{BASE}/fact-checks/{claim_id}", syntaxes=["json-ld"], uniform=True
    )
    return [i for i in data["json-ld"] if i.get("@type") == "ClaimReview"]


def _feed_ids(client: FlaskClient) -> list[str]:
    feed = client.get("/claim-reviews?limit=100").json or {}
    return [e["url"].rsplit("/", 1)[1] for e in feed["dataFeedElement"]]


def _correct_and_review(
    client: FlaskClient, as_user: Headers, claim_id: str, reviewer: str = "rob-reviewer"
) -> None:
    """eve-editor opens the correction; `reviewer` gives the new verdict (False)."""
    opened = _post(client, f"/claims/{claim_id}/correct", as_user("eve-editor"), note=NOTE)
    assert opened.status_code == 200, opened.get_data(as_text=True)
    assert _post(client, f"/claims/{claim_id}/lease", as_user(reviewer)).status_code == 200
    given = _post(
        client,
        f"/claims/{claim_id}/verdict",
        as_user(reviewer),
        rating="False",
        summary="Output was twice as high in 2024.",
    )
    assert given.status_code == 200, given.get_data(as_text=True)


def test_while_a_correction_is_reviewed_readers_keep_the_published_version(
    client: FlaskClient, as_user: Headers, published: Claim
) -> None:
    # GIVEN an editor reopened the check and a reviewer gave a new verdict
    before = _ld(client, published.id)
    _correct_and_review(client, as_user, published.id)
    # THEN the ClaimReview, the page and the feed still show what was published
    assert _ld(client, published.id) == before
    html = client.get(f"/fact-checks/{published.id}").get_data(as_text=True)
    assert "Mostly false" in html and "twice as high" not in html and NOTE not in html
    assert published.id in _feed_ids(client)
    # AND the staff see the correction under way, with what readers see
    detail = client.get(f"/claims/{published.id}", headers=as_user("ed-editor")).json or {}
    assert detail["status"] == "reviewed"
    assert detail["correction"]["note"] == NOTE
    assert detail["correction"]["published"]["rating"] == "Mostly false"
    assert "approve" in detail["allowed_actions"] and "dismiss" not in detail["allowed_actions"]


def test_an_approved_correction_keeps_date_published_gains_date_modified_and_shows_the_note(
    client: FlaskClient, as_user: Headers, repo: DynamoRepository, published: Claim
) -> None:
    _correct_and_review(client, as_user, published.id)
    approved = _post(client, f"/claims/{published.id}/approve", as_user("ed-editor"))
    assert approved.status_code == 200, approved.get_data(as_text=True)
    # THEN the ClaimReview keeps datePublished, gains dateModified, carries the new rating
    review = _ld(client, published.id)
    assert review["datePublished"] == "2026-11-03T10:00:00Z"
    assert review["dateModified"] > review["datePublished"]
    assert review["reviewRating"]["name"] == "False"
    assert [e.message for e in VALIDATOR.iter_errors(review)] == []
    # AND the page shows the note and the earlier rating, with exactly one ClaimReview
    html = client.get(f"/fact-checks/{published.id}").get_data(as_text=True)
    assert NOTE.replace("'", "&#39;") in html
    assert 'Earlier rating: <span class="rating-label">Mostly false</span>' in html
    (embedded,) = _page_reviews(html, published.id)
    assert embedded["dateModified"] == review["dateModified"]
    # AND the history and the webhook outbox record it
    history = client.get(f"/claims/{published.id}/history", headers=as_user("ed-editor"))
    actions = [e["action"] for e in (history.json or {})["items"]]
    assert actions[-4:] == ["correction_opened", "leased", "verdict_given", "corrected"]
    claim = repo.get_claim(published.id)
    entry = repo.get_outbox(event_id(WebhookEventType.CLAIM_CORRECTED, claim.id, claim.version))
    assert entry is not None
    assert (entry.event.data["correction_note"], entry.event.data["previous_rating"]) == (
        NOTE,
        "Mostly false",
    )
    published_event = event_id(WebhookEventType.CLAIM_PUBLISHED, claim.id, claim.version)
    assert repo.get_outbox(published_event) is None  # a correction is not a new publication


def test_the_reviewer_of_the_corrections_verdict_cannot_approve_it(
    client: FlaskClient, as_user: Headers, published: Claim
) -> None:
    _correct_and_review(client, as_user, published.id, reviewer="ed-editor")
    refused = _post(client, f"/claims/{published.id}/approve", as_user("ed-editor"))
    assert (refused.status_code, (refused.json or {})["code"]) == (409, "four_eyes")
    assert (
        _post(client, f"/claims/{published.id}/approve", as_user("eve-editor")).status_code == 200
    )


def test_a_retracted_check_answers_410_with_when_and_why_and_leaves_the_feed_and_index(
    client: FlaskClient, as_user: Headers, repo: DynamoRepository, published: Claim
) -> None:
    assert published.id in _feed_ids(client)
    done = _post(client, f"/claims/{published.id}/retract", as_user("ada-admin"), reason=REASON)
    assert done.status_code == 200, done.get_data(as_text=True)
    assert (done.json or {})["retraction"]["reason"] == REASON
    # THEN the JSON-LD URL answers 410 in the error shape, with the notice
    gone = client.get(f"/claim-reviews/{published.id}")
    assert gone.status_code == 410
    body = gone.json or {}
    assert (body["status"], body["code"]) == (410, "retracted")
    assert "withdrawn" in body["message"] and REASON in body["message"]
    # AND the page answers 410 saying so, with no ClaimReview in it
    for path, accept in (
        (f"/fact-checks/{published.id}", "text/html"),
        (f"/claim-reviews/{published.id}", "text/html"),
    ):
        page = client.get(path, headers={"Accept": accept})
        assert (page.status_code, page.mimetype) == (410, "text/html")
        html = page.get_data(as_text=True)
        assert "We withdrew this fact check" in html and REASON in html
        assert _page_reviews(html, published.id) == []
    # AND neither the feed nor the index offers it
    assert published.id not in _feed_ids(client)
    assert published.id not in client.get("/fact-checks").get_data(as_text=True)
    # AND the webhook outbox holds claim.retracted with the reason
    claim = repo.get_claim(published.id)
    entry = repo.get_outbox(event_id(WebhookEventType.CLAIM_RETRACTED, claim.id, claim.version))
    assert entry is not None and entry.event.data["retraction_reason"] == REASON


@pytest.mark.parametrize(
    ("who", "path", "body", "status", "code"),
    [
        ("rita-reviewer", "correct", {"note": NOTE}, 403, "forbidden"),
        ("rita-reviewer", "retract", {"reason": REASON}, 403, "forbidden"),
        ("eve-editor", "correct", {"note": "  "}, 422, "validation_error"),
        ("eve-editor", "retract", {}, 422, "validation_error"),
        ("eve-editor", "correct", {"note": NOTE, "rating": "True"}, 422, "validation_error"),
    ],
    ids=["reviewer-corrects", "reviewer-retracts", "blank-note", "no-reason", "unknown-field"],
)
def test_a_refused_or_malformed_correction_or_retraction_changes_nothing(
    client: FlaskClient,
    as_user: Headers,
    repo: DynamoRepository,
    published: Claim,
    who: str,
    path: str,
    body: dict[str, Any],
    status: int,
    code: str,
) -> None:
    response = client.post(f"/claims/{published.id}/{path}", json=body, headers=as_user(who))
    assert (response.status_code, (response.json or {})["code"]) == (status, code)
    assert repo.get_claim(published.id).version == published.version


def test_an_unpublished_claim_cannot_be_corrected_or_retracted(
    client: FlaskClient, as_user: Headers, seed_claims: Callable[..., list[Claim]]
) -> None:
    claim = seed_claims(n=1)[0]
    for path, body in (("correct", {"note": NOTE}), ("retract", {"reason": REASON})):
        response = client.post(
            f"/claims/{claim.id}/{path}", json=body, headers=as_user("ada-admin")
        )
        assert (response.status_code, (response.json or {})["code"]) == (409, "illegal_transition")


def test_a_submitter_sees_published_corrections_and_a_retraction_but_no_open_correction(
    client: FlaskClient, as_user: Headers, repo: DynamoRepository, published: Claim
) -> None:
    def as_submitter() -> dict[str, Any]:
        path = f"/documents/{published.document_id}/claims"
        listed = client.get(path, headers=as_user("sam-submitter")).json or {}
        (shown,) = [c for c in listed["items"] if c["id"] == published.id]
        return shown

    _correct_and_review(client, as_user, published.id)
    assert "correction" not in as_submitter()  # the work in progress is the staff's
    _post(client, f"/claims/{published.id}/approve", as_user("ed-editor"))
    shown = as_submitter()
    assert [c["note"] for c in shown["corrections"]] == [NOTE]
    assert shown["modified_at"] is not None and "correction" not in shown
    _post(client, f"/claims/{published.id}/retract", as_user("ed-editor"), reason=REASON)
    assert as_submitter()["retraction"]["reason"] == REASON
