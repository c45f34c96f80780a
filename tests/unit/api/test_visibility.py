"""Who sees what of a claim, decided in one place (factcheck.api.visibility): a submitter
sees a claim's text, place and status, and its verdict only once published; reviewers and
editors see the work, with matches read live; "checked before" includes other publishers'
imported checks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from factcheck.domain.models import Claim, Document, Source, Verdict
from factcheck.ids import claim_id, document_id
from factcheck.pipeline.external_checks import index_external_checks
from factcheck.pipeline.messages import ClaimMessage
from factcheck.pipeline.store import store_claim
from factcheck.publishing.external import read_paths
from factcheck.storage.dynamo import DynamoRepository

pytestmark = pytest.mark.unit

Headers = Callable[[str], dict[str, str]]
PUBLIC = {"id", "document_id", "text", "start", "end", "status", "verdict", "published_at"}
PUBLIC |= {"corrections", "modified_at", "retraction"}  # on the public page too (issue 19)
FIXTURES = Path(__file__).resolve().parents[2] / "data" / "claimreviews"


def _review(repo: DynamoRepository, claim: Claim, rating: str = "Half true") -> None:
    repo.lease(claim.id, "rita-reviewer")
    source = Source(id="s1", url="https://e.org/x", title="X", added_by="rita-reviewer")
    repo.add_source(claim.id, "rita-reviewer", source)
    verdict = Verdict(rating=rating, summary="Secret draft.", reviewer="rita-reviewer")
    repo.give_verdict(claim.id, "rita-reviewer", verdict)


def _document_claims(client: FlaskClient, headers: dict[str, str], doc: str) -> list[Any]:
    response = client.get(f"/documents/{doc}/claims", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.json is not None
    return list(response.json["items"])


def _repeat(repo: DynamoRepository, text: str, label: str = "repeat") -> Claim:
    """A claim of another document saying the same, stored by the pipeline's store step."""
    document = document_id(f"{label}: {text}")
    repo.put_document(Document(id=document, text=text))
    cid = claim_id(document, 0, text)
    message = ClaimMessage(
        id=cid, document_id=document, text=text, start=0, end=len(text), score=0.8
    )
    store_claim(repo, message)
    return repo.get_claim(cid)


@pytest.mark.parametrize(
    ("user", "sees_work"),
    [
        ("sam-submitter", False),
        ("rita-reviewer", True),
        ("eve-editor", True),
        ("ada-admin", True),
    ],
)
def test_each_role_sees_exactly_its_fields_of_a_reviewed_claim(
    client: FlaskClient,
    as_user: Headers,
    repo: DynamoRepository,
    seed_claims: Callable[..., list[Claim]],
    user: str,
    sees_work: bool,
) -> None:
    claim = seed_claims(n=1)[0]
    _review(repo, claim)
    (shown,) = _document_claims(client, as_user(user), claim.document_id)
    if sees_work:
        assert shown["verdict"]["rating"] == "Half true"
        assert shown["sources"] and "score" in shown and "lease_holder" in shown
    else:
        assert set(shown) <= PUBLIC
        assert shown["verdict"] is None and shown["status"] == "reviewed"
        assert "Secret draft" not in str(shown) and "rita-reviewer" not in str(shown)


def test_a_submitter_sees_the_verdict_once_it_is_published(
    client: FlaskClient,
    as_user: Headers,
    repo: DynamoRepository,
    seed_claims: Callable[..., list[Claim]],
) -> None:
    claim = seed_claims(n=1)[0]
    _review(repo, claim)
    repo.approve(claim.id, "eve-editor")
    (shown,) = _document_claims(client, as_user("sam-submitter"), claim.document_id)
    assert shown["verdict"]["rating"] == "Half true"
    assert shown["published_at"] is not None
    assert set(shown) <= PUBLIC


def test_matches_are_read_live_and_never_shown_to_a_submitter(
    client: FlaskClient,
    as_user: Headers,
    repo: DynamoRepository,
    seed_claims: Callable[..., list[Claim]],
) -> None:
    text = "Russia has a 3-1 manpower advantage over Ukraine on the front line."
    earlier = _repeat(repo, text, "original")  # stored by the pipeline: indexed for matching
    _review(repo, earlier)  # reviewed, not published
    later = _repeat(repo, text)
    assert later.matches and later.matches[0].claim_id == earlier.id
    (for_submitter,) = _document_claims(client, as_user("sam-submitter"), later.document_id)
    assert "matches" not in for_submitter
    (for_editor,) = _document_claims(client, as_user("eve-editor"), later.document_id)
    (match,) = for_editor["matches"]
    assert match["status"] == "reviewed" and match["rating"] is None  # not published: no rating
    repo.send_back(earlier.id, "eve-editor", "Needs a second source.")
    (after,) = _document_claims(client, as_user("eve-editor"), later.document_id)
    assert after["matches"][0]["status"] == "queued"


def test_another_publishers_check_shows_as_checked_before_with_its_publisher_and_link(
    client: FlaskClient, as_user: Headers, repo: DynamoRepository
) -> None:
    index_external_checks(repo, read_paths([FIXTURES]).checks)
    claim = _repeat(
        repo, "Russia fires two to three times as much ammunition per year as all of NATO combined."
    )
    response = client.get(f"/claims/{claim.id}", headers=as_user("rita-reviewer"))
    assert response.status_code == 200 and response.json is not None
    (before,) = [b for b in response.json["checked_before"] if b["external"]]
    assert before["publisher"] == "Example Fact Check Desk"
    assert before["rating"] == "Mostly false"
    assert before["url"] == "https://factcheck.example.net/2026/11/russia-ammunition-nato"


def test_a_submitter_sees_the_published_version_while_a_correction_is_reviewed(
    client: FlaskClient,
    as_user: Headers,
    repo: DynamoRepository,
    seed_claims: Callable[..., list[Claim]],
) -> None:
    claim = seed_claims(n=1)[0]
    _review(repo, claim)
    repo.approve(claim.id, "eve-editor")
    repo.correct(claim.id, "eve-editor", "The figure was for 2019.")
    (shown,) = _document_claims(client, as_user("sam-submitter"), claim.document_id)
    assert shown["status"] == "published"
    assert shown["verdict"]["rating"] == "Half true"
    assert "correction" not in shown and "Secret" not in str(shown.get("comment"))


def test_a_check_under_correction_is_still_checked_before_as_readers_see_it(
    client: FlaskClient, as_user: Headers, repo: DynamoRepository
) -> None:
    text = "Unemployment in the region fell to 4.1% in March, the lowest in a decade."
    earlier = _repeat(repo, text, "original")
    _review(repo, earlier, rating="Mostly true")
    repo.approve(earlier.id, "eve-editor")
    repo.correct(earlier.id, "eve-editor", "The figure was for February.")
    later = _repeat(repo, text)
    response = client.get(f"/claims/{later.id}", headers=as_user("rita-reviewer"))
    assert response.json is not None
    (before,) = response.json["checked_before"]
    assert (before["claim_id"], before["rating"]) == (earlier.id, "Mostly true")
