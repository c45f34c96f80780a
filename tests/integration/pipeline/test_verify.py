"""`factcheck verify` on a moto server: a deliberately broken index item is reported, then
repaired by `--repair`, and a second run finds everything in agreement."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from events.factories import TEST_VISIBILITY_TIMEOUT as VISIBILITY
from factcheck.cli import main as factcheck
from factcheck.domain.models import ClaimStatus, Document, DocumentStatus
from factcheck.ids import document_id
from factcheck.local.poller import drain
from factcheck.pipeline.services import Services
from factcheck.pipeline.submit import submit_document
from factcheck.settings import Settings
from factcheck.storage import keys
from factcheck.storage.codec import serialise

pytestmark = pytest.mark.integration


def _verify(capsys: pytest.CaptureFixture[str], *flags: str) -> tuple[int, dict[str, object]]:
    status = factcheck(["verify", "--json", *flags])
    return status, json.loads(capsys.readouterr().out)


def test_verify_reports_then_repairs_broken_index_items(
    pipeline: Services,
    cli_env: Callable[[Settings], None],
    capsys: pytest.CaptureFixture[str],
    seed_text: str,
) -> None:
    # GIVEN the seed article through the pipeline, and nothing wrong with it
    doc, _ = submit_document(
        pipeline.repository, pipeline.queues, Document(id=document_id(seed_text), text=seed_text)
    )
    drain(pipeline.settings, services=pipeline, visibility_timeout=VISIBILITY, timeout=90)
    assert pipeline.repository.get_document(doc.id).status is DocumentStatus.EXTRACTED
    cli_env(pipeline.settings)
    status, clean = _verify(capsys)
    assert status == 0 and clean["problems"] == 0
    # AND three broken index items: a claim's queue key moved to the wrong status (it
    # vanishes from the review queue), one of its search items deleted, an orphaned LSH item
    claim = max(pipeline.repository.document_claims(doc.id), key=lambda c: c.score)
    client, table = pipeline.repository.client, pipeline.repository.table_name
    client.update_item(
        TableName=table,
        Key=serialise(keys.claim_key(claim.id)),
        UpdateExpression="SET GSI1PK = :wrong",
        ExpressionAttributeValues={":wrong": {"S": "QUEUE#published"}},
    )
    words = client.scan(
        TableName=table,
        FilterExpression="SK = :c AND begins_with(PK, :w)",
        ExpressionAttributeValues={":c": {"S": claim.id}, ":w": {"S": "WORD#"}},
    )["Items"]
    deleted = words[0]["PK"]["S"]  # one of the claim's search items
    client.delete_item(TableName=table, Key=serialise({keys.PK: deleted, keys.SK: claim.id}))
    client.put_item(
        TableName=table,
        Item=serialise({keys.PK: "LSH#07#deadbeef", keys.SK: "c-gone", keys.TYPE: "lsh"}),
    )
    assert claim.id not in {c.id for c in pipeline.repository.review_queue(limit=100).items}
    # WHEN `factcheck verify` runs THEN it reports each one, repairs nothing, and fails
    status, found = _verify(capsys)
    problems = {(f["kind"], f["id"]): f for f in found["findings"]}  # type: ignore[union-attr]
    assert status == 1 and found["problems"] == 3 and found["repaired"] == 0
    assert "GSI1PK is 'QUEUE#published', should be 'QUEUE#queued'" in str(
        problems[("claim", claim.id)]["problem"]
    )
    assert ("index", claim.id) in problems
    assert ("index", "LSH#07#deadbeef / c-gone") in problems
    # AND the summary a person reads names them
    assert factcheck(["verify"]) == 1
    summary = capsys.readouterr().out
    assert "3 problem(s), 0 repaired" in summary and claim.id in summary
    # WHEN `factcheck verify --repair` runs THEN all three are repaired
    status, fixed = _verify(capsys, "--repair")
    assert status == 0 and fixed["problems"] == 3 and fixed["repaired"] == 3
    # AND the claim is back in the review queue, its search item back, the orphan gone
    queued = pipeline.repository.review_queue(ClaimStatus.QUEUED, limit=100).items
    assert claim.id in {c.id for c in queued}
    assert client.get_item(TableName=table, Key=serialise({keys.PK: deleted, keys.SK: claim.id}))[
        "Item"
    ]
    assert "Item" not in client.get_item(
        TableName=table, Key=serialise({keys.PK: "LSH#07#deadbeef", keys.SK: "c-gone"})
    )
    # AND a second run finds everything in agreement
    status, again = _verify(capsys)
    assert status == 0 and again["problems"] == 0
