"""Response schemas read a domain model by attribute (`ModelSchema.get_attribute`, the
fast path): what they dump must be exactly what marshmallow's own lookup dumps from the
same claim as a plain dict, in every state, nested models and dotted paths included."""

from __future__ import annotations

import pytest

from factcheck.api.schemas.claims import ClaimSchema, EventSchema
from factcheck.domain.models import Claim, ClaimStatus, Source
from factcheck.storage.dynamo import DynamoRepository
from factories import T0, drive_to, make_claim

pytestmark = pytest.mark.unit


def claim_with_everything(repo: DynamoRepository, status: ClaimStatus) -> Claim:
    claim = make_claim()
    repo.put_claim(claim)
    if status is ClaimStatus.IN_REVIEW:
        drive_to(repo, claim.id, status)
        source = Source(id="s1", url="https://example.org/1", added_by="alice")
        return repo.add_source(claim.id, "alice", source, now=T0)
    if status is ClaimStatus.QUEUED:  # a correction opened on a published claim
        drive_to(repo, claim.id, ClaimStatus.PUBLISHED)
        return repo.correct(claim.id, "ed", "The figure was for 2019.", now=T0)
    return drive_to(repo, claim.id, status)


@pytest.mark.parametrize("status", list(ClaimStatus), ids=[s.value for s in ClaimStatus])
def test_a_claim_dumps_the_same_from_the_model_as_from_its_dict(
    repo: DynamoRepository, status: ClaimStatus
) -> None:
    claim = claim_with_everything(repo, status)
    schema = ClaimSchema()
    assert schema.dump(claim) == schema.dump(claim.model_dump())


def test_a_claims_history_dumps_the_same_from_the_models_as_from_their_dicts(
    repo: DynamoRepository,
) -> None:
    # leased, reviewed, published, then a correction opened
    claim = claim_with_everything(repo, ClaimStatus.QUEUED)
    events = repo.history(claim.id)
    schema = EventSchema(many=True)
    assert len(events) >= 4
    assert schema.dump(events) == schema.dump([e.model_dump() for e in events])
