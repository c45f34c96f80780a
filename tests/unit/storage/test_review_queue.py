"""The review queue and the published feed: priority order, status filter, signed cursors.

The same bodies run against a moto server process (tests/integration/storage).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from pydantic import SecretStr

from factcheck.domain.errors import InvalidCursor, InvalidInput
from factcheck.domain.models import Claim, ClaimStatus, Verdict
from factcheck.storage import cursor as cursors
from factcheck.storage.dynamo import DynamoRepository
from factories import T0, drive_to, make_claim

pytestmark = pytest.mark.unit


def numbered(n: int, score: float, age_minutes: int = 0) -> Claim:
    """Claim `c<n:04d>` of one document, `age_minutes` old at T0 (ids readable in asserts)."""
    claim = make_claim(
        f"Claim {n}.", n * 10, score=score, created_at=T0 - timedelta(minutes=age_minutes)
    )
    return claim.model_copy(update={"id": f"c{n:04d}"})


def fill(repo: DynamoRepository, count: int) -> list[Claim]:
    """`count` queued claims with repeating scores and distinct ages."""
    claims = [numbered(n, score=(n % 4) / 4, age_minutes=n) for n in range(count)]
    for claim in claims:
        repo.put_claim(claim)
    return claims


def priority(claims: list[Claim]) -> list[str]:
    """The expected order: score descending, then oldest first."""
    return [c.id for c in sorted(claims, key=lambda c: (-c.score, c.created_at))]


def walk(repo: DynamoRepository, status: ClaimStatus, limit: int) -> list[list[str]]:
    pages: list[list[str]] = []
    cursor: str | None = None
    while True:
        page = repo.review_queue(status, limit=limit, cursor=cursor)
        pages.append([c.id for c in page.items])
        if page.next_cursor is None:
            return pages
        cursor = page.next_cursor


def publish(repo: DynamoRepository, claim_id: str, at: datetime) -> None:
    drive_to(repo, claim_id, ClaimStatus.PUBLISHED, now=at)


# --- order and status ----------------------------------------------------------------------


def test_the_queue_lists_the_most_check_worthy_first_then_the_oldest(
    repo: DynamoRepository,
) -> None:
    # GIVEN claims with equal and different scores and ages
    claims = [
        numbered(1, 0.5, age_minutes=5),
        numbered(2, 0.9, age_minutes=1),
        numbered(3, 0.5, age_minutes=50),
        numbered(4, 1.0, age_minutes=0),
        numbered(5, 0.0, age_minutes=99),
        numbered(6, 0.9, age_minutes=2),
    ]
    for claim in claims:
        repo.put_claim(claim)
    # WHEN the queue is listed
    page = repo.review_queue()
    # THEN score descending, ties broken by age (oldest first), and no further page
    assert [c.id for c in page.items] == ["c0004", "c0006", "c0002", "c0003", "c0001", "c0005"]
    assert page.next_cursor is None


def test_the_queue_is_filtered_by_status_and_follows_every_transition(
    repo: DynamoRepository,
) -> None:
    # GIVEN three queued claims
    a, b, c = fill(repo, 3)
    # WHEN one is leased and one is reviewed
    repo.lease(a.id, "alice", now=T0)
    repo.lease(b.id, "bob", now=T0)
    repo.give_verdict(b.id, "bob", Verdict(rating="False", summary="no", reviewer="b"), now=T0)

    # THEN each listing holds exactly the claims in that status
    def ids(status: ClaimStatus) -> list[str]:
        return [x.id for x in repo.review_queue(status).items]

    assert ids(ClaimStatus.QUEUED) == [c.id]
    assert ids(ClaimStatus.IN_REVIEW) == [a.id]
    assert ids(ClaimStatus.REVIEWED) == [b.id]
    # AND after release, approval and dismissal they move again
    repo.release(a.id, "alice", now=T0)
    repo.approve(b.id, "ed", now=T0)
    repo.dismiss(c.id, "ed", "duplicate", now=T0)
    assert ids(ClaimStatus.QUEUED) == [a.id]
    assert ids(ClaimStatus.IN_REVIEW) == []
    assert ids(ClaimStatus.PUBLISHED) == [b.id]
    assert ids(ClaimStatus.DISMISSED) == [c.id]


# --- pagination ----------------------------------------------------------------------------


@pytest.mark.parametrize("limit", [1, 4, 7, 23, 24])
def test_paging_through_the_queue_returns_every_claim_once_in_order(
    repo: DynamoRepository, limit: int
) -> None:
    # GIVEN 23 queued claims
    claims = fill(repo, 23)
    # WHEN the queue is read page by page
    pages = walk(repo, ClaimStatus.QUEUED, limit)
    # THEN the pages are full except maybe the last, none is empty, and together they are
    # the whole queue in priority order: no duplicates, no omissions
    assert all(len(p) == limit for p in pages[:-1])
    assert all(pages)
    assert [i for p in pages for i in p] == priority(claims)
    assert len(pages) == -(-23 // limit)


def test_a_claim_that_leaves_the_queue_between_pages_is_not_repeated(
    repo: DynamoRepository,
) -> None:
    # GIVEN a first page of the queue
    claims = fill(repo, 6)
    first = repo.review_queue(limit=3)
    # WHEN a claim of that page is leased before the next page is read
    repo.lease(first.items[0].id, "alice", now=T0)
    second = repo.review_queue(limit=3, cursor=first.next_cursor)
    # THEN the next page continues after the first: nothing repeated, nothing skipped
    assert [c.id for c in first.items + second.items] == priority(claims)


def test_an_empty_queue_is_one_empty_page(repo: DynamoRepository) -> None:
    page = repo.review_queue(ClaimStatus.REVIEWED)
    assert (page.items, page.next_cursor) == ([], None)


@pytest.mark.parametrize("limit", [0, -1, 501])
def test_a_page_size_out_of_range_is_invalid_input(repo: DynamoRepository, limit: int) -> None:
    with pytest.raises(InvalidInput):
        repo.review_queue(limit=limit)


# --- published feed ------------------------------------------------------------------------


def test_the_published_feed_is_newest_first_and_pages(repo: DynamoRepository) -> None:
    # GIVEN five claims published an hour apart, and one still in review
    claims = fill(repo, 6)
    for hour, claim in enumerate(claims[:5]):
        publish(repo, claim.id, T0 + timedelta(hours=hour))
    repo.lease(claims[5].id, "alice", now=T0)
    # WHEN the feed is read two at a time
    first = repo.published(limit=2)
    second = repo.published(limit=2, cursor=first.next_cursor)
    third = repo.published(limit=2, cursor=second.next_cursor)
    # THEN it lists the published claims newest first, each once
    got = [c.id for c in first.items + second.items + third.items]
    assert got == [c.id for c in reversed(claims[:5])]
    assert third.next_cursor is None
    assert all(c.status is ClaimStatus.PUBLISHED for c in first.items)


# --- cursors a client cannot forge ---------------------------------------------------------


def _a_cursor(repo: DynamoRepository) -> str:
    fill(repo, 5)
    cursor = repo.review_queue(limit=2).next_cursor
    assert cursor is not None
    return cursor


def _flip(text: str, index: int) -> str:
    swapped = "A" if text[index] != "A" else "B"
    return text[:index] + swapped + text[index + 1 :]


@pytest.mark.parametrize(
    "mangle",
    [
        pytest.param(lambda c: _flip(c, 3), id="payload-byte-changed"),
        pytest.param(lambda c: _flip(c, len(c) - 2), id="signature-byte-changed"),
        pytest.param(lambda c: c[: len(c) // 2], id="truncated"),
        pytest.param(lambda c: c[:-1], id="last-char-dropped"),
        pytest.param(lambda c: c.split(".")[0], id="signature-removed"),
        pytest.param(lambda c: c + "x", id="extra-char"),
        pytest.param(lambda c: c[:5] + "*" + c[5:], id="junk-char-inserted"),
        pytest.param(lambda c: c[:-1] + chr(ord(c[-1]) ^ 1), id="last-char-respelled"),
        pytest.param(lambda c: "", id="empty"),
        pytest.param(lambda c: "not a cursor", id="garbage"),
        pytest.param(lambda c: "!!!.???", id="not-base64"),
        pytest.param(lambda c: c * 40, id="huge"),
    ],
)
def test_a_tampered_or_truncated_cursor_is_refused(repo: DynamoRepository, mangle: object) -> None:
    # GIVEN a genuine cursor
    cursor = _a_cursor(repo)
    # WHEN it is altered and sent back
    bad = mangle(cursor)  # type: ignore[operator]
    # THEN it is refused with InvalidCursor (400), never a server error
    with pytest.raises(InvalidCursor) as raised:
        repo.review_queue(limit=2, cursor=bad)
    assert raised.value.http_status == 400


def test_a_forged_start_key_without_the_secret_is_refused(repo: DynamoRepository) -> None:
    # GIVEN a client that builds a cursor pointing at a key of its choice, signed with a guess
    fill(repo, 3)
    key = {"PK": "CLAIM#c0001", "SK": "CLAIM", "GSI1PK": "QUEUE#queued", "GSI1SK": "0"}
    forged = cursors.encode(b"guessed-secret", "GSI1|QUEUE#queued", key)
    # WHEN it is used THEN it is refused
    with pytest.raises(InvalidCursor):
        repo.review_queue(cursor=forged)


def test_a_cursor_from_another_deployment_is_refused(repo: DynamoRepository) -> None:
    # GIVEN a cursor issued by a deployment with another secret, over the same data
    cursor = _a_cursor(repo)
    other = DynamoRepository(
        repo.settings.model_copy(update={"cursor_secret": SecretStr("another-secret-0123456789")})
    )
    # WHEN it is presented there THEN it is refused
    with pytest.raises(InvalidCursor):
        other.review_queue(limit=2, cursor=cursor)


def test_a_cursor_of_one_listing_is_refused_by_another(repo: DynamoRepository) -> None:
    # GIVEN a cursor of the queued listing
    cursor = _a_cursor(repo)
    # WHEN it is presented to the reviewed listing or to the published feed
    # THEN both refuse it
    with pytest.raises(InvalidCursor, match="another listing"):
        repo.review_queue(ClaimStatus.REVIEWED, cursor=cursor)
    with pytest.raises(InvalidCursor, match="another listing"):
        repo.published(cursor=cursor)
    # AND it still works where it came from
    assert len(repo.review_queue(limit=2, cursor=cursor).items) == 2


def test_claims_whose_scores_tie_are_ordered_by_the_models_logit_not_by_age(
    repo: DynamoRepository,
) -> None:
    # GIVEN two claims with the same (rounded) score, the newer one with the higher logit
    older = make_claim(
        "The deficit grew by 3%.", score=0.5, created_at=T0 - timedelta(minutes=10), logit=-0.2
    )
    newer = make_claim("Exports fell by 4%.", 9, score=0.5, created_at=T0, logit=0.3)
    repo.put_claim(older)
    repo.put_claim(newer)
    # THEN the queue puts the model's stronger opinion first, whatever their ages
    ids = [c.id for c in repo.review_queue(ClaimStatus.QUEUED, limit=10).items]
    assert ids.index(newer.id) < ids.index(older.id)
