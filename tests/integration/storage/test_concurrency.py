"""Concurrent reviewers against a moto server process: no double lease, no lost verdict.

moto is not safe for concurrent requests (docs/storage.md, "moto and concurrency"): with
20 threads and no serialisation, 9 to 19 of 30 rounds had 2 to 9 lease "winners".
With target=local the repository serialises this process's calls (`serialise_storage`);
these tests hold it to the guarantee, five rounds each.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import TypeVar

import pytest

from factcheck.domain.errors import Conflict
from factcheck.domain.models import Claim, ClaimStatus, Verdict
from factcheck.storage.dynamo import DynamoRepository

pytestmark = pytest.mark.integration

THREADS = 20
ROUNDS = 5
T0 = datetime(2030, 1, 1, 9, 0, tzinfo=UTC)
R = TypeVar("R")


def at_once(fn: Callable[[int], R]) -> list[R]:
    """Run fn(0..THREADS-1) in THREADS threads released together by a barrier."""
    barrier = threading.Barrier(THREADS)

    def run(i: int) -> R:
        barrier.wait()
        return fn(i)

    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(run, range(THREADS)))


def outcome(call: Callable[[], object]) -> str:
    try:
        call()
    except Conflict as e:  # LeaseConflict, IllegalTransition, plain Conflict
        return type(e).__name__
    return "ok"


def make_claim(round_: int, n: int) -> Claim:
    return Claim(
        id=f"c{round_}-{n:02d}", document_id="d1", text=f"claim {n}", start=n, end=n + 1, score=0.5
    )


def test_the_repository_serialises_its_calls_on_the_local_target(repo: DynamoRepository) -> None:
    assert repo.serialised is True


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_twenty_reviewers_leasing_one_claim_at_once_leaves_exactly_one_holder(
    repo: DynamoRepository, round_: int
) -> None:
    # GIVEN one queued claim
    claim = make_claim(round_, 0)
    repo.put_claim(claim)
    # WHEN 20 reviewers lease it at the same moment
    results = at_once(lambda i: outcome(lambda: repo.lease(claim.id, f"reviewer{i}", now=T0)))
    # THEN exactly one succeeds and 19 get a lease conflict
    assert Counter(results) == {"ok": 1, "LeaseConflict": THREADS - 1}
    # AND the stored claim, its version and its history agree on that one holder
    winner = f"reviewer{results.index('ok')}"
    stored = repo.get_claim(claim.id)
    assert (stored.status, stored.lease_holder, stored.version) == (
        ClaimStatus.IN_REVIEW,
        winner,
        1,
    )
    assert [(e.action, e.actor) for e in repo.history(claim.id)] == [
        ("queued", "pipeline"),
        ("leased", winner),
    ]


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_twenty_reviewers_giving_verdicts_on_twenty_claims_at_once_are_all_recorded(
    repo: DynamoRepository, round_: int
) -> None:
    # GIVEN 20 claims, each leased by its own reviewer
    claims = [make_claim(round_, n) for n in range(THREADS)]
    for n, claim in enumerate(claims):
        repo.put_claim(claim)
        repo.lease(claim.id, f"reviewer{n}", now=T0)

    # WHEN all 20 give their verdicts at the same moment
    def give(n: int) -> str:
        rating = ("False", "True")[n % 2]
        return outcome(
            lambda: repo.give_verdict(
                claims[n].id,
                f"reviewer{n}",
                Verdict(rating=rating, summary=f"verdict {n}", reviewer="x"),
                now=T0,
            )
        )

    results = at_once(give)
    # THEN all 20 succeed and every claim holds its own reviewer's verdict and event
    assert results == ["ok"] * THREADS
    for n, claim in enumerate(claims):
        stored = repo.get_claim(claim.id)
        assert stored.status is ClaimStatus.REVIEWED
        assert stored.verdict is not None
        assert (stored.verdict.reviewer, stored.verdict.summary) == (f"reviewer{n}", f"verdict {n}")
        assert [e.action for e in repo.history(claim.id)] == ["queued", "leased", "verdict_given"]
    reviewed = repo.review_queue(ClaimStatus.REVIEWED, limit=100).items
    assert {c.id for c in reviewed} == {c.id for c in claims}
