"""Claim matching: measured on the committed paraphrase pairs, and through the store path
and the API ("checked before", marking a duplicate of a published claim)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from factcheck.domain.models import Claim, ClaimStatus
from factcheck.matching import MATCH_THRESHOLD, fingerprint, lsh_buckets, similarity
from factcheck.storage.dynamo import DynamoRepository

pytestmark = pytest.mark.unit

PAIRS = Path(__file__).resolve().parents[2] / "data" / "paraphrase_pairs.jsonl"
PRECISION_FLOOR = 0.9
RECALL_FLOOR = 0.9

ORIGINAL = "Russia fires two to three times as much ammunition per year as all of NATO combined."
PARAPHRASE = "Each year Russia fires 2 to 3 times more ammunition than the whole of NATO combined."
OTHER_NUMBER = "Russia fires ten times as much ammunition per year as all of NATO combined."
UNRELATED = "Food prices rose 19% over the past year."


def test_the_matcher_meets_its_precision_and_recall_floor_on_the_labelled_pairs(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # GIVEN the committed pairs (paraphrases, hard negatives, unrelated claims)
    pairs = [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines()]
    assert len(pairs) >= 60
    # WHEN each pair goes through what the store path does: LSH candidates, then similarity
    tp = fp = fn = tn = candidates = 0
    for pair in pairs:
        a, b = fingerprint(pair["a"]), fingerprint(pair["b"])
        candidate = bool(set(lsh_buckets(a)) & set(lsh_buckets(b)))
        candidates += candidate and pair["match"]
        predicted = candidate and similarity(a, b) >= MATCH_THRESHOLD
        tp += predicted and pair["match"]
        fp += predicted and not pair["match"]
        fn += not predicted and pair["match"]
        tn += not predicted and not pair["match"]
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    positives = sum(p["match"] for p in pairs)
    with capsys.disabled():
        print(
            f"\nmatching on {len(pairs)} pairs ({positives} paraphrases), threshold "
            f"{MATCH_THRESHOLD}: precision {precision:.3f}, recall {recall:.3f} "
            f"(tp {tp}, fp {fp}, fn {fn}, tn {tn}); LSH candidate recall "
            f"{candidates / positives:.3f}"
        )
    # THEN both are above the floor
    assert precision >= PRECISION_FLOOR
    assert recall >= RECALL_FLOOR


def test_a_paraphrase_from_another_article_is_linked_to_the_earlier_claim(
    store: Callable[..., list[Claim]], client: FlaskClient, as_user: Callable[[str], dict[str, str]]
) -> None:
    # GIVEN a claim stored from a first article
    (first,) = store(ORIGINAL)
    # WHEN a second article says the same in other words, plus unrelated claims
    second, other, unrelated = store(PARAPHRASE, OTHER_NUMBER, UNRELATED)
    # THEN the paraphrase is linked to the earlier claim; the other number is not
    assert [m.claim_id for m in second.matches] == [first.id]
    assert second.matches[0].similarity >= MATCH_THRESHOLD
    assert second.matches[0].status is ClaimStatus.QUEUED
    assert other.matches == [] and unrelated.matches == []
    # AND the API shows the match; nothing is "checked before" until it is published
    body = client.get(f"/claims/{second.id}", headers=as_user("rita-reviewer")).get_json()
    assert body["matches"][0]["claim_id"] == first.id
    assert body["checked_before"] == []


def test_checked_before_shows_the_earlier_verdict_and_its_claim_review(
    store: Callable[..., list[Claim]],
    publish: Callable[[str], Claim],
    client: FlaskClient,
    as_user: Callable[[str], dict[str, str]],
) -> None:
    # GIVEN a published claim, and the same claim from a later article
    (first,) = store(ORIGINAL)
    publish(first.id, "Mostly true")
    (repeat,) = store(PARAPHRASE)
    # WHEN a reviewer opens the repeat
    body = client.get(f"/claims/{repeat.id}", headers=as_user("rita-reviewer")).get_json()
    # THEN it was checked before: the verdict and the ClaimReview URL
    (before,) = body["checked_before"]
    assert before["claim_id"] == first.id
    assert before["rating"] == "Mostly true"
    assert before["claim_review_url"].endswith(f"/claim-reviews/{first.id}")
    assert body["matches"][0]["rating"] == "Mostly true"
    assert client.get(f"/claim-reviews/{first.id}").status_code == 200


def test_a_reviewer_marks_a_repeat_as_a_duplicate_of_the_published_claim(
    store: Callable[..., list[Claim]],
    publish: Callable[[str], Claim],
    repo: DynamoRepository,
    client: FlaskClient,
    as_user: Callable[[str], dict[str, str]],
) -> None:
    (first,) = store(ORIGINAL)
    publish(first.id)
    (repeat,) = store(PARAPHRASE)
    # WHEN a reviewer marks the repeat as a duplicate of the published claim
    response = client.post(
        f"/claims/{repeat.id}/duplicate-of",
        json={"claim_id": first.id},
        headers=as_user("rita-reviewer"),
    )
    # THEN it is dismissed with reason "duplicate" and the link, and the event says so
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["status"], body["dismiss_reason"], body["duplicate_of"]) == (
        "dismissed",
        "duplicate",
        first.id,
    )
    event = repo.history(repeat.id)[-1]
    assert event.action == "dismissed"
    assert event.detail == {"reason": "duplicate", "duplicate_of": first.id, "rating": "False"}


@pytest.mark.parametrize(
    ("target", "status", "code"),
    [
        ("unpublished", 409, "illegal_transition"),
        ("itself", 422, "validation_error"),
        ("missing", 422, "validation_error"),
        ("not an id", 422, "validation_error"),
    ],
)
def test_a_duplicate_must_point_at_another_published_claim(
    target: str,
    status: int,
    code: str,
    store: Callable[..., list[Claim]],
    repo: DynamoRepository,
    client: FlaskClient,
    as_user: Callable[[str], dict[str, str]],
) -> None:
    first, repeat = store(ORIGINAL, UNRELATED)
    other = {
        "unpublished": first.id,
        "itself": repeat.id,
        "missing": "c" + "f" * 16,
        "not an id": "x",
    }[target]
    response = client.post(
        f"/claims/{repeat.id}/duplicate-of",
        json={"claim_id": other},
        headers=as_user("rita-reviewer"),
    )
    assert response.status_code == status
    assert response.get_json()["code"] == code
    assert repo.get_claim(repeat.id).status is ClaimStatus.QUEUED  # nothing written
    assert len(repo.history(repeat.id)) == 1


def test_a_redelivered_claim_keeps_its_matches_and_writes_nothing_new(
    store: Callable[..., list[Claim]], repo: DynamoRepository
) -> None:
    from factcheck.pipeline.messages import ClaimMessage
    from factcheck.pipeline.store import store_claim

    (first,) = store(ORIGINAL)
    (second,) = store(PARAPHRASE)
    message = ClaimMessage(
        id=second.id,
        document_id=second.document_id,
        text=second.text,
        start=second.start,
        end=second.end,
        score=second.score,
    )
    assert store_claim(repo, message) is False
    assert repo.get_claim(second.id) == second
    assert [m.claim_id for m in repo.get_claim(second.id).matches] == [first.id]
