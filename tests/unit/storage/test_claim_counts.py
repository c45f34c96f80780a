"""Claims per status for the queue's counts line: one COUNT Query per status partition of
the queue index, every status present, no Scan, and right across DynamoDB's pages."""

from __future__ import annotations

from typing import Any

import pytest

from factcheck.domain.models import ClaimStatus
from factcheck.settings import Settings
from factcheck.storage.dynamo import DynamoRepository
from factories import drive_to, make_claim

pytestmark = pytest.mark.unit

WANTED = {
    ClaimStatus.QUEUED: 5,
    ClaimStatus.IN_REVIEW: 2,
    ClaimStatus.REVIEWED: 3,
    ClaimStatus.PUBLISHED: 1,
    ClaimStatus.DISMISSED: 1,
}


def _fill(repo: DynamoRepository) -> None:
    n = 0
    for status, count in WANTED.items():
        for _ in range(count):
            claim = make_claim(f"Claim number {n}.", n * 20).model_copy(update={"id": f"c{n:016x}"})
            repo.put_claim(claim)
            if status is not ClaimStatus.QUEUED:
                drive_to(repo, claim.id, status)
            n += 1


def test_an_empty_table_counts_zero_in_every_status(repo: DynamoRepository) -> None:
    assert repo.claim_counts() == dict.fromkeys(ClaimStatus, 0)


@pytest.mark.parametrize("page_size", [None, 2], ids=["one page", "pages of 2"])
def test_the_counts_are_the_claims_in_each_status_without_a_scan(
    settings: Settings, repo: DynamoRepository, page_size: int | None
) -> None:
    _fill(repo)
    counting = DynamoRepository(settings, query_page_size=page_size)
    operations: list[dict[str, Any]] = []

    def record(model: Any, params: dict[str, Any], **_: Any) -> None:
        operations.append({"name": model.name, **params})

    counting.client.meta.events.register("provide-client-params.dynamodb", record)
    counts = counting.claim_counts()

    assert counts == {**dict.fromkeys(ClaimStatus, 0), **WANTED}
    assert {op["name"] for op in operations} == {"Query"}
    assert all(op["Select"] == "COUNT" and op["IndexName"] == "GSI1" for op in operations)
    if page_size is None:
        assert len(operations) == len(ClaimStatus)  # one Query per status
    else:
        assert len(operations) > len(ClaimStatus)  # it followed LastEvaluatedKey


def test_a_claim_that_moves_is_counted_in_its_new_status(repo: DynamoRepository) -> None:
    claim = make_claim("Exports grew 40% in 2023.", 0)
    repo.put_claim(claim)
    drive_to(repo, claim.id, ClaimStatus.IN_REVIEW)
    counts = repo.claim_counts()
    assert (counts[ClaimStatus.QUEUED], counts[ClaimStatus.IN_REVIEW]) == (0, 1)
