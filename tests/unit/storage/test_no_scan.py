"""No user-reachable path scans the table: every Repository method except the admin export
runs with a botocore hook that fails on any Scan request."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from factcheck.domain.external import ExternalCheck
from factcheck.domain.lifecycle import Actor
from factcheck.domain.models import (
    Claim,
    ClaimStatus,
    Delivery,
    Document,
    DocumentStatus,
    MatchCandidate,
    Role,
    Source,
    User,
    Verdict,
    Webhook,
    WebhookEventType,
)
from factcheck.domain.sentences import ScoredSentence
from factcheck.storage.dynamo import DynamoRepository
from factcheck.storage.ports import PORTS

pytestmark = pytest.mark.unit

T0 = datetime(2030, 1, 1, 9, 0, tzinfo=UTC)
CONTRACT = {
    n for port in PORTS for n, v in vars(port).items() if not n.startswith("_") and callable(v)
}


class ScanAttempted(AssertionError):
    pass


def _refuse_scan(**_: Any) -> None:
    raise ScanAttempted("a Scan was sent to DynamoDB")


def test_no_repository_method_but_the_admin_export_sends_a_scan(repo: DynamoRepository) -> None:
    # GIVEN a repository whose client fails any Scan request, and counts every operation
    operations: list[str] = []
    repo.client.meta.events.register("before-call.dynamodb.Scan", _refuse_scan)
    repo.client.meta.events.register(
        "before-call.dynamodb", lambda model, **_: operations.append(model.name)
    )
    # AND a record of which contract methods run
    called: set[str] = set()
    for name in CONTRACT:
        method = getattr(repo, name)

        def recording(*args: Any, _name: str = name, _method: Any = method, **kw: Any) -> Any:
            called.add(_name)
            return _method(*args, **kw)

        setattr(repo, name, recording)
    # WHEN every method the API, the pipeline and the CLI call is exercised
    doc = Document(id="d1", text="Some text.", created_at=T0, updated_at=T0)
    repo.put_document(doc)
    repo.put_document(doc)
    repo.get_document("d1")
    repo.set_document_status("d1", DocumentStatus.EXTRACTING, expected=[DocumentStatus.RECEIVED])
    repo.stuck_documents([DocumentStatus.RECEIVED, DocumentStatus.EXTRACTING], T0)
    repo.record_requeue("d1", [DocumentStatus.EXTRACTING], T0 + timedelta(days=1))
    repo.record_extraction("d1", ["c0"])
    repo.mark_claims_queued("d1")
    for n in range(3):
        claim = Claim(id=f"c{n}", document_id="d1", text=f"x{n}", start=n, end=n + 1, score=0.5)
        repo.put_claim(claim)
        repo.put_claim(claim)
    repo.claim_stored("d1", "c0")  # its only recorded claim: the document is extracted
    row = ScoredSentence(start=0, end=4, score=0.5, logit=0.0, selected=True)
    repo.put_sentences("d1", [row])
    repo.document_sentences("d1", doc.text)
    repo.stored_claim_ids("d1")
    repo.get_claim("c0")
    repo.document_claims("d1")
    page = repo.review_queue(ClaimStatus.QUEUED, limit=1)
    repo.review_queue(ClaimStatus.QUEUED, limit=1, cursor=page.next_cursor)
    repo.claim_counts()
    repo.lease("c0", "alice", now=T0)
    repo.add_source("c0", "alice", Source(id="s", url="https://x.org", added_by="a"), now=T0)
    repo.give_verdict("c0", "alice", Verdict(rating="True", summary="s", reviewer="a"), now=T0)
    repo.send_back("c0", "ed", "again", now=T0)
    repo.lease("c0", "alice", now=T0)
    repo.release("c0", "alice", now=T0)
    repo.lease("c0", "alice", now=T0)
    repo.give_verdict("c0", "alice", Verdict(rating="True", summary="s", reviewer="a"), now=T0)
    repo.approve("c0", "ed", now=T0 + timedelta(minutes=1))
    repo.dismiss("c1", "ed", "duplicate", now=T0)
    repo.history("c0")
    # AND the webhook outbox (the transitions above wrote two events into it)
    pending = repo.pending_outbox(T0 + timedelta(days=1))
    repo.get_outbox(pending[0].event.id)
    repo.put_outbox(pending[0].event)
    repo.mark_outbox_queued(pending[0].event.id, ["w1"])
    repo.mark_outbox_sent(pending[0].event.id, "w1")
    # AND the repairs of `factcheck verify --repair`
    repo.repair_claim_keys(repo.get_claim("c0"))
    repo.repair_document_keys(repo.get_document("d1"))
    repo.delete_index_item("LSH#00#ab", "no-such-claim")
    repo.published(limit=1)
    repo.put_user(User(name="alice", role=Role.REVIEWER, token_hash="h1"))
    repo.user_by_token_hash("h1")
    repo.user_by_name("alice")
    repo.add_user(User(name="bob", role=Role.REVIEWER, token_hash="h2"))
    repo.rotate_token("bob", "h3")
    repo.set_role("bob", Role.EDITOR)
    repo.revoke_user("bob", now=T0)
    repo.list_users()
    # AND the newsroom features: matching and search indexes, assignment, duplicates, export
    candidate = MatchCandidate(claim_id="c2", document_id="d1", words=["x2"])
    repo.index_claim(repo.get_claim("c2"), buckets=["00#ab"], candidate=candidate, terms=["x2"])
    repo.lsh_candidates(["00#ab", "01#cd"])
    repo.search_claims(["x2"], status=ClaimStatus.QUEUED)
    repo.get_claims(["c0", "c2", "nope"])
    check = ExternalCheck(
        id="x1", url="https://other.org/c", claim_reviewed="x2", publisher="Other", rating="False"
    )
    repo.put_external_check(check, buckets=["00#ab"], candidate=candidate)
    repo.get_external_checks(["x1", "nope"])
    repo.assign("c2", "ed", "alice", now=T0)
    page = repo.assigned_claims("alice", limit=1)
    repo.mark_duplicate("c2", Actor(name="ed", role=Role.EDITOR), "c0", now=T0)
    repo.restore("c2", "ed", now=T0)
    repo.correct("c0", "ed", "The figure was for 2019.", now=T0)
    repo.retract("c0", "ed", "The source was forged.", now=T0)
    list(repo.iter_claims(list(ClaimStatus), created_from=T0 - timedelta(days=1), created_to=T0))
    hook = Webhook(
        id="w1",
        url="https://example.org/h",
        secret="s" * 16,
        events=[WebhookEventType.CLAIM_PUBLISHED],
        created_by="admin",
    )
    repo.put_webhook(hook)
    repo.get_webhook("w1")
    repo.list_webhooks()
    repo.record_delivery(
        Delivery(webhook_id="w1", event_id="e1", event_type=hook.events[0], attempt=1, ok=True)
    )
    repo.deliveries("w1")
    repo.is_delivered("w1", "e1")
    repo.mark_delivered("w1", "e1")
    repo.delete_webhook("w1")
    # THEN every method of the contract but the export ran, and none sent a Scan: only
    # key-based reads, queries and (conditional) writes were used
    assert called == CONTRACT - {"export_items", "import_items"}
    assert "Scan" not in operations
    assert set(operations) <= {
        "GetItem",
        "Query",
        "PutItem",
        "UpdateItem",
        "DeleteItem",
        "TransactWriteItems",
        "BatchGetItem",
        "BatchWriteItem",
    }
    assert "TransactWriteItems" in operations and "BatchGetItem" in operations
    # AND the hook is live: the admin export, the one Scan, is caught by it
    with pytest.raises(ScanAttempted):
        list(repo.export_items())


def test_the_dynamo_repository_implements_every_method_of_the_contract() -> None:
    assert len(CONTRACT) == 64  # every port's methods (a port lost in a refactor shows here)
    assert set(dir(DynamoRepository)) >= CONTRACT
